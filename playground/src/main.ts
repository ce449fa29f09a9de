import { App } from './app.js';

// Entry point of the page: read the state from the URL and start.
const app = new App(document.getElementById('app')!);
(window as unknown as { sloikaPlayground: App }).sloikaPlayground = app;
