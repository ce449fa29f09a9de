import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { matmulNN } from '../../../src/kernels/matmul.js';
import { NODE_HELPER_SOURCE, READY, SEQ, SLOT_INTS, TAKEN } from '../../../src/kernels/wasm/helperProtocol.js';
import {
  getThreads, helperRowsOfLastProduct, installHelperSpawner, readyHelperThreads, setAdaptiveSplit, setHelperTimeout,
  splitProductCount,
  type HelperSpawner,
} from '../../../src/kernels/wasm/helperPool.js';
import { DEFAULT_NODE_THREADS, nodeHelperSpawner, nodeSpawnerOf } from '../../../src/kernels/wasm/threads.node.js';

// Node's helper threads as a user meets them: started lazily, never keeping a script alive, and
// failing safe (a helper that cannot start, throws or hangs never costs a wrong result or a hang).

const root = path.resolve(import.meta.dirname, '../../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// 1024×256×256 of 0.5s: every element is 256 · 0.25 = 64, exactly.
const M = 1024, K = 256, N = 256;
const a = new Float32Array(M * K).fill(0.5);
const b = new Float32Array(K * N).fill(0.5);

/** Products until the helpers started by the first one are ready (or `tries` products). */
async function productsUntilReady(tries = 200): Promise<Float32Array> {
  const c = new Float32Array(M * N);
  for (let t = 0; t < tries && readyHelperThreads() === 0; t++) {
    matmulNN(a, b, c, M, K, N);
    await sleep(10);
  }
  return c;
}

afterEach(() => {
  setAdaptiveSplit(true);
  setHelperTimeout(60_000);
  installHelperSpawner(nodeHelperSpawner, DEFAULT_NODE_THREADS);
});

describe('Node helper threads', () => {
  it('default to min(2, cores) or SLOIKA_THREADS, and let a script exit with no shutdown call', async () => {
    expect(DEFAULT_NODE_THREADS).toBe(2); // this machine has two cores
    const dir = mkdtempSync(path.join(root, 'test', 'kernels', 'wasm', '.tmp-'));
    try {
      const script = path.join(dir, 'exit.ts');
      writeFileSync(script, [
        `import { getThreads, matmul, Tensor } from '${path.join(root, 'src', 'index.node.ts')}';`,
        `import { readyHelperThreads, splitProductCount } from '${path.join(root, 'src', 'kernels', 'wasm', 'helperPool.ts')}';`,
        'const x = new Tensor(new Float32Array(512 * 512).fill(0.5), [512, 512]);',
        'for (let t = 0; t < 200 && getThreads() > 1 && readyHelperThreads() === 0; t++) { matmul(x, x); await new Promise((r) => setTimeout(r, 10)); }',
        'matmul(x, x); // timed on one thread (the first product of its shape once helpers are ready)',
        'const y = matmul(x, x); // split',
        'console.log(getThreads(), readyHelperThreads(), splitProductCount() > 0, y.data[0]);',
      ].join('\n'));
      const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
      const run = (env: Record<string, string>) => promisify(execFile)(tsx, [script], { timeout: 30_000, env: { ...process.env, ...env } });
      const started = Date.now();
      expect((await run({ SLOIKA_THREADS: '' })).stdout.trim()).toBe('2 1 true 128');
      expect(Date.now() - started).toBeLessThan(30_000); // exited by itself, helpers and all
      expect((await run({ SLOIKA_THREADS: '1' })).stdout.trim()).toBe('1 0 false 128');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fall back to one thread, silently, when a helper cannot start', async () => {
    const throwing: HelperSpawner = () => {
      throw new Error('no worker threads here');
    };
    for (const spawner of [throwing, nodeSpawnerOf(`WebAssembly.Instance = function () { throw new Error('no SIMD'); };\n${NODE_HELPER_SOURCE}`)]) {
      installHelperSpawner(spawner, 2);
      const before = splitProductCount();
      const c = await productsUntilReady(3);
      await sleep(300); // the second spawner's worker has reported READY = -1 by now
      matmulNN(a, b, c, M, K, N);
      expect(splitProductCount()).toBe(before);
      expect(c.every((v) => v === 64)).toBe(true);
    }
  });

  it('surface an error thrown on a helper thread as an Error in the caller', async () => {
    const boom = `const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (m, i) {
  const e = new Instance(m, i).exports;
  return { exports: { packA: e.packA, gemm() { throw new Error('boom in gemm'); } } };
};
${NODE_HELPER_SOURCE}`;
    installHelperSpawner(nodeSpawnerOf(boom), 2);
    setAdaptiveSplit(false); // split every product: this test is about the helper, not the choice
    await productsUntilReady();
    expect(readyHelperThreads()).toBe(1);
    const big = new Float32Array(1024 * 1024).fill(0.5);
    const c = new Float32Array(1024 * 1024);
    // A 1024³ product takes the main thread tens of ms: the helper takes rows, and throws (a
    // busy machine may keep it asleep through one product: then it is withdrawn; try again).
    let error: unknown = null;
    for (let t = 0; t < 5 && error === null; t++) {
      try {
        matmulNN(big, big, c, 1024, 1024, 1024);
      } catch (e) {
        error = e;
      }
    }
    expect(String(error)).toMatch(/matrix multiply failed on helper thread 1: Error: boom in gemm/);
  }, 20_000);

  it('time a shape on one thread and split, and keep one thread when the split is slower', async () => {
    // A helper that never sleeps between jobs (so it always joins) and dawdles 20 ms over each
    // chunk: every split is slower than one thread.
    const slow = `Atomics.wait = (array, i, value) => { while (Atomics.load(array, i) === value); return 'ok'; };
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (m, i) {
  const e = new Instance(m, i).exports;
  const gemm = (...args) => { for (const t = performance.now() + 20; performance.now() < t;); return e.gemm(...args); };
  return { exports: { packA: e.packA, gemm } };
};
${NODE_HELPER_SOURCE}`;
    installHelperSpawner(nodeSpawnerOf(slow), 2);
    await productsUntilReady(); // no product of the shape below yet
    expect(readyHelperThreads()).toBe(1);
    const [m, k, n] = [512, 256, 256];
    const x = new Float32Array(m * k).fill(0.5);
    const before = splitProductCount();
    const c = new Float32Array(m * n);
    const splits: number[] = [];
    for (let t = 0; t < 12; t++) {
      c.fill(-1);
      matmulNN(x, b, c, m, k, n);
      expect(c.every((v) => v === 64)).toBe(true);
      splits.push(splitProductCount() - before);
    }
    // On a quiet machine: timed on one thread, then split (slower by 20 ms), then one thread,
    // the split re-timed at the 4th and 8th product only: [0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3].
    // On a busy one the helper may miss a product (it is withdrawn, and that split is not slow),
    // so only bounds are certain; splitChooser.test.ts checks the exact sequence.
    expect(splits[0]).toBe(0);
    expect(splits[1]).toBe(1);
    expect(splits[11]).toBeLessThanOrEqual(6); // always splitting would make 11
  }, 20_000);

  it('do not wait for a helper that has not woken up: the caller takes every row', async () => {
    const asleep = `const { workerData } = require('node:worker_threads');
Atomics.store(new Int32Array(workerData.control, workerData.slot * ${SLOT_INTS * 4}, ${SLOT_INTS}), ${READY}, 1);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`;
    installHelperSpawner(nodeSpawnerOf(asleep), 2);
    setAdaptiveSplit(false); // split every product: this test is about the helper, not the choice
    await productsUntilReady();
    expect(readyHelperThreads()).toBe(1);
    const before = splitProductCount();
    const c = new Float32Array(M * N);
    const started = Date.now();
    for (let t = 0; t < 5; t++) matmulNN(a, b, c, M, K, N);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(splitProductCount()).toBeGreaterThan(before);
    expect(helperRowsOfLastProduct()).toEqual([0]);
    expect(c.every((v) => v === 64)).toBe(true);
  }, 20_000);

  it('give up on a helper that joins a product and never finishes, with an Error, then run on one thread', async () => {
    const stuck = `const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.control, workerData.slot * ${SLOT_INTS * 4}, ${SLOT_INTS});
Atomics.store(ctl, ${READY}, 1);
Atomics.wait(ctl, ${SEQ}, 0);
Atomics.compareExchange(ctl, ${TAKEN}, 0, Atomics.load(ctl, ${SEQ}));
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`;
    installHelperSpawner(nodeSpawnerOf(stuck), 2);
    setAdaptiveSplit(false); // split every product: this test is about the helper, not the choice
    setHelperTimeout(300);
    const c = new Float32Array(M * N);
    let error: unknown = null;
    const started = Date.now();
    for (let t = 0; t < 200 && error === null; t++) {
      try {
        matmulNN(a, b, c, M, K, N);
      } catch (e) {
        error = e;
      }
      await sleep(10);
    }
    expect(String(error)).toMatch(/helper thread 1 did not finish within 300 ms; helper threads are now off/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(getThreads()).toBe(1);
    matmulNN(a, b, c, M, K, N);
    expect(c.every((v) => v === 64)).toBe(true);
  }, 20_000);
});
