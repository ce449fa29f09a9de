import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The kernels in Chromium: a cross-origin-isolated page gets the shared-memory build (resident
// weights read in place), any other page the private-memory build (operands copied). The page
// and the library's sources are served by request interception (TypeScript transpiled on the
// fly), so nothing listens on a port and no bundler is involved.

const ORIGIN = 'http://localhost:9';
/** Debian's Chromium, headless (never a downloaded browser), as the playground tests run it. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// Runs in the page: one 1×300×70 and one 20×33×17 product with a resident weight, against the
// plain loops.
const PAGE_SCRIPT = `
import { wasmRuntime } from '/src/kernels/wasm/runtime.js';
import { wasmGemm } from '/src/kernels/wasm/gemm.js';
import { allocateResident, isResident } from '/src/kernels/resident.js';
import { referenceMatmulNN } from '/src/kernels/reference.js';
const errors = [];
for (const [M, K, N] of [[1, 300, 70], [20, 33, 17]]) {
  const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i));
  const w = allocateResident(K * N);
  for (let i = 0; i < w.length; i++) w[i] = Math.cos(i);
  const c = new Float32Array(M * N);
  const expected = new Float32Array(M * N);
  wasmGemm(a, K, 1, w, N, 1, c, M, K, N, false);
  referenceMatmulNN(a, w, expected, M, K, N);
  for (let i = 0; i < c.length; i++) errors.push(Math.abs(c[i] - expected[i]));
}
window.result = {
  isolated: crossOriginIsolated, shared: wasmRuntime.shared,
  resident: isResident(allocateResident(4)), maxError: Math.max(...errors),
};
`;

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

async function run(isolated: boolean): Promise<{ isolated: boolean; shared: boolean; resident: boolean; maxError: number }> {
  const page: Page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const headers = isolated ? ISOLATION : {};
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') {
      return route.fulfill({ contentType: 'text/html', headers, body: `<script type="module">${PAGE_SCRIPT}</script>` });
    }
    const source = readFileSync(new URL(`../../..${path.replace(/\.js$/, '.ts')}`, import.meta.url), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    return route.fulfill({ contentType: 'text/javascript', headers, body: js });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 20_000 }).catch(() => undefined);
  const result = await page.evaluate(() => (window as unknown as { result: never }).result);
  await page.close();
  expect(errors).toEqual([]);
  return result;
}

describe('wasm kernels in Chromium', () => {
  it('a cross-origin-isolated page uses shared memory, with resident weights read in place', async () => {
    const r = await run(true);
    expect(r).toMatchObject({ isolated: true, shared: true, resident: true });
    expect(r.maxError).toBeLessThan(1e-3);
  });

  it('a page without isolation falls back to private memory (weights copied per product)', async () => {
    const r = await run(false);
    expect(r).toMatchObject({ isolated: false, shared: false, resident: false });
    expect(r.maxError).toBeLessThan(1e-3);
  });
});
