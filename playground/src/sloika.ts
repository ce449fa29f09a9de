// The one door to the library: the page runs the real engine from the repository's source
// (Vite bundles src/ directly), so a change in src/ shows up in the playground at once.
export * from '../../src/index.js';
export * from '../../src/data/index.js';
