import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../../playground/browser.js';

// Helper threads in a browser (Debian's Chromium): a cross-origin-isolated page opts in with
// enableBrowserThreads() and its products split over a Web Worker, bit-identical to one thread,
// with the main thread spinning since it may not block; a page without isolation stays on one.

const root = path.resolve(import.meta.dirname, '../../..');
const src = (file: string) => JSON.stringify(path.join(root, 'src', file));

const PAGE_SCRIPT = `
import { matmulNN } from ${src('kernels/matmul.ts')};
import { createWasmGemm } from ${src('kernels/wasm/gemm.ts')};
import { createWasmRuntime } from ${src('kernels/wasm/runtime.ts')};
import { helperRowsOfLastProduct, readyHelperThreads, setAdaptiveSplit, splitProductCount } from ${src('kernels/wasm/helperPool.ts')};
import { enableBrowserThreads, getThreads } from ${src('index.ts')};

window.runProducts = async () => {
  const enabled = enableBrowserThreads();
  setAdaptiveSplit(false);
  const M = 512, K = 300, N = 257;
  const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i));
  const c = new Float32Array(M * N);
  for (let t = 0; t < 100 && enabled && readyHelperThreads() === 0; t++) {
    matmulNN(a, b, c, M, K, N);
    await new Promise((r) => setTimeout(r, 20));
  }
  const before = splitProductCount();
  let helperRows = 0;
  for (let t = 0; t < 5; t++) {
    matmulNN(a, b, c, M, K, N);
    helperRows += helperRowsOfLastProduct()[0] ?? 0;
  }
  const one = new Float32Array(M * N);
  createWasmGemm(createWasmRuntime('private')).wasmGemm(a, K, 1, b, N, 1, one, M, K, N, false);
  const same = new Uint32Array(c.buffer).every((v, i) => v === new Uint32Array(one.buffer)[i]);
  return { isolated: crossOriginIsolated, enabled, threads: getThreads(), ready: readyHelperThreads(), splits: splitProductCount() - before, helperRows, same };
};
`;

let server: Server;
let browser: Browser;
let base = '';

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: root, loader: 'ts' },
    bundle: true, format: 'esm', write: false, target: 'es2022', logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    const isolated = req.url!.startsWith('/isolated');
    const headers: Record<string, string> = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    if (req.url!.endsWith('.js')) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(script);
    } else {
      const dir = isolated ? '/isolated' : '/plain';
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(`<!doctype html><script type="module" src="${dir}/page.js"></script>`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function runIn(dir: string): Promise<Record<string, unknown>> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}${dir}/`);
  await page.waitForFunction('typeof window.runProducts === "function"');
  const result = (await page.evaluate('window.runProducts()')) as Record<string, unknown>;
  await page.close();
  expect(errors).toEqual([]);
  return result;
}

describe('browser helper threads', () => {
  it('split products over a Web Worker in a cross-origin-isolated page, bit-identical to one thread', async () => {
    const r = await runIn('/isolated');
    expect(r).toMatchObject({ isolated: true, enabled: true, threads: 2, ready: 1, splits: 5, same: true });
    expect(r['helperRows']).toBeGreaterThan(0);
  }, 60_000);

  it('stay on one thread, with the same results, in a page that is not isolated', async () => {
    const r = await runIn('/plain');
    expect(r).toMatchObject({ isolated: false, enabled: false, ready: 0, splits: 0, same: true });
  }, 60_000);
});
