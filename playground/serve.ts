import { build, preview } from 'vite';

// `npm start`: build the playground and serve it on 127.0.0.1 at a free port, then print the
// URL. Also used by the end-to-end tests (startPlayground).

const config = new URL('./vite.config.ts', import.meta.url).pathname;

/** Build the page and serve it; resolves to the URL and a function that stops the server. */
export async function startPlayground(opts: { quiet?: boolean } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  await build({ configFile: config, logLevel: opts.quiet ? 'silent' : 'warn' });
  const server = await preview({ configFile: config, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false }, logLevel: 'silent' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the preview server did not report a port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startPlayground();
  console.log(`sloika playground: ${url}`);
  console.log('Press Ctrl+C to stop.');
}
