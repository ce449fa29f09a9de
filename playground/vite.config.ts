import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The playground bundles the library from the repository's source, so the page runs the real
// engine. `npm start` and `npm run build:playground` both use this file.
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  resolve: { alias: { sloika: fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../playground-dist', import.meta.url)), emptyOutDir: true, target: 'es2022', minify: process.env.SLOIKA_NO_MINIFY ? false : 'oxc' },
  logLevel: 'warn',
});
