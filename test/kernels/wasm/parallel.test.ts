import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseForward, matmulNN, matmulNT, matmulTN } from '../../../src/kernels/matmul.js';
import { referenceMatmulNN, referenceMatmulNT, referenceMatmulTN } from '../../../src/kernels/reference.js';
import { DEFAULT_NODE_THREADS, nodeHelperSpawner } from '../../../src/kernels/wasm/threads.node.js';
import { ELEMENTWISE_PART, PARALLEL_FEW_ROWS_MIN_WORK, PARALLEL_MIN_WORK } from '../../../src/kernels/wasm/parallel.js';
import {
  getThreads, helperRowsOfLastProduct, readyHelperThreads, setAdaptiveSplit, setThreads, splitProductCount,
} from '../../../src/kernels/wasm/helperPool.js';
import { createWasmElementwise } from '../../../src/kernels/wasm/elementwise.js';
import { expTableForWasm, sigmoidConstantsForWasm, wasmActivations } from '../../../src/ops/fastExp.js';
import { createWasmGemm } from '../../../src/kernels/wasm/gemm.js';
import { createWasmRuntime, wasmRuntime } from '../../../src/kernels/wasm/runtime.js';
import { Random } from '../../../src/tensor/random.js';
import { compileStep, Linear, ReLU, Sequential, SGD, Tensor } from '../../../src/index.node.js';
import { bytesAllocated } from '../../../bench/allocation.js';

// Products split over helper threads against the same products on one thread (bit for bit) and
// against the plain TypeScript loops (closeness), on odd and benchmark shapes.

type Kernel = (a: Float32Array, b: Float32Array, c: Float32Array, M: number, K: number, N: number, accumulate?: boolean) => void;
type Oracle = (a: Float32Array, b: Float32Array, c: Float32Array, M: number, K: number, N: number) => void;
/** op(A)/op(B) strides of each case, for the one-thread kernel over private memory. */
type Strides = (M: number, K: number, N: number) => [number, number, number, number];
const CASES: [string, Kernel, Oracle, Strides][] = [
  ['A·B', matmulNN, referenceMatmulNN, (_M, K, N) => [K, 1, N, 1]],
  ['A·Bᵀ', matmulNT, referenceMatmulNT, (_M, K) => [K, 1, 1, K]],
  ['Aᵀ·B', matmulTN, referenceMatmulTN, (M, _K, N) => [1, M, N, 1]],
];
/** The same kernel source, built over private memory: it can only ever run on one thread. */
const oneThread = createWasmGemm(createWasmRuntime('private')!).wasmGemm;

// Odd sizes straddle the 4-row panels, 8-column panels and 256-deep blocks; the last four are
// the benchmark's (I1 layer 1 at batch 1024, W3's forward and both backward products).
const SHAPES: [number, number, number][] = [
  [1023, 17, 65], [17, 1023, 61], [1023, 3, 1023], [3, 1023, 1023], [1, 1023, 1023], [100, 257, 41],
  [1024, 256, 10], [128, 784, 512], [784, 128, 512], [128, 512, 784], [1024, 784, 512],
];

function randomArray(rng: Random, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.range(-1, 1);
  return a;
}

/** Index of the first element whose bits differ, or -1 (toEqual is far too slow on 500k floats). */
function firstDifference(x: Float32Array, y: Float32Array): number {
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const v = new Uint32Array(y.buffer, y.byteOffset, y.length);
  if (u.length !== v.length) return Math.min(u.length, v.length);
  for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return i;
  return -1;
}

/** Run a large product until the helper threads (started lazily by the first one) are ready. */
async function warmHelpers(): Promise<void> {
  const a = new Float32Array(256 * 256).fill(0.5);
  const c = new Float32Array(256 * 256);
  for (let tries = 0; tries < 200 && readyHelperThreads() === 0; tries++) {
    matmulNN(a, a, c, 256, 256, 256);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  setAdaptiveSplit(false); // every eligible product is split, however busy the machine is
  setThreads(2);
  await warmHelpers();
});
afterAll(() => {
  setAdaptiveSplit(true);
  setThreads(DEFAULT_NODE_THREADS);
});

describe('parallel matrix multiply', () => {
  it('runs in Node on the shared-memory kernel with one helper thread ready', () => {
    expect(wasmRuntime?.shared).toBe(true);
    expect(getThreads()).toBe(2);
    expect(readyHelperThreads()).toBe(1);
    expect(nodeHelperSpawner).toBeTypeOf('function');
  });

  for (const [name, fast, oracle, strides] of CASES) {
    it(`${name}: bit-identical to one thread and close to the plain loops, overwriting and accumulating`, () => {
      const rng = new Random(11);
      let helperRows = 0;
      let longProducts = 0;
      for (const [M, K, N] of SHAPES) {
        const a = randomArray(rng, M * K);
        const b = randomArray(rng, K * N);
        const start = randomArray(rng, M * N);
        const [ars, acs, brs, bcs] = strides(M, K, N);
        const shape = `${name} ${M}×${K}×${N}`;
        const splitBefore = splitProductCount();
        const c = start.slice(); // garbage that must be overwritten
        fast(a, b, c, M, K, N);
        const acc = start.slice();
        fast(a, b, acc, M, K, N, true);
        // Up to 11 rows with B read in place: split by columns (parallelFewRows); else by rows.
        const fewRows = M <= 11 && bcs === 1;
        const split = fewRows ? M * K * N >= PARALLEL_FEW_ROWS_MIN_WORK && N >= 64 : M >= 16 && M * K * N >= PARALLEL_MIN_WORK;
        expect(splitProductCount() - splitBefore, `${shape}: products split`).toBe(split ? 2 : 0);
        // Which thread takes which rows depends on timing (a loaded machine may starve the helper of
        // one product), so the helper's share is summed over the long products of this case.
        if (split && !fewRows && M * K * N > 1e8) helperRows += helperRowsOfLastProduct()[0]!;

        const c1 = start.slice();
        oneThread(a, ars, acs, b, brs, bcs, c1, M, K, N, false);
        const acc1 = start.slice();
        oneThread(a, ars, acs, b, brs, bcs, acc1, M, K, N, true);
        expect(firstDifference(c, c1), shape).toBe(-1);
        expect(firstDifference(acc, acc1), `${shape} (accumulating)`).toBe(-1);

        if (M * K * N > 1e8) {
          longProducts++;
          continue; // the plain loops take seconds there (bit-equality above still holds)
        }
        const expected = new Float32Array(M * N);
        oracle(a, b, expected, M, K, N);
        let err = 0;
        for (let i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(c[i]! - expected[i]!), Math.abs(acc[i]! - start[i]! - expected[i]!));
        expect(err, `${shape} vs plain loops`).toBeLessThanOrEqual(2e-6 * K + 1e-5);
      }
      if (longProducts > 0) expect(helperRows, `${name}: rows the helper did over the long products`).toBeGreaterThan(0);
    });
  }

  it("adds the bias and clamps each thread's rows, bit for bit as one thread in steps", () => {
    const rng = new Random(5);
    for (const [M, K, N] of [[1024, 784, 512], [1023, 17, 65], [100, 257, 41]] as const) {
      const x = randomArray(rng, M * K);
      const w = randomArray(rng, K * N);
      const bias = randomArray(rng, N);
      const before = splitProductCount();
      const split = new Float32Array(M * N);
      expect(denseForward(x, w, bias, true, split, M, K, N)).toBe(true);
      expect(splitProductCount()).toBe(before + 1);
      const alone = new Float32Array(M * N);
      for (let i = 0; i < M; i++) alone.set(bias, i * N);
      oneThread(x, K, 1, w, N, 1, alone, M, K, N, true);
      for (let i = 0; i < alone.length; i++) alone[i] = alone[i]! > 0 ? alone[i]! : 0;
      expect(firstDifference(split, alone), `${M}×${K}×${N}`).toBe(-1);
    }
  });

  it('splits a batch-1 layer by columns: the helper computes some, the bits stay those of one thread', () => {
    const rng = new Random(3);
    const [M, K, N] = [1, 784, 512];
    const w = randomArray(rng, K * N);
    let helperColumns = 0;
    for (let t = 0; t < 20; t++) {
      const x = randomArray(rng, K);
      const c = new Float32Array(N);
      const before = splitProductCount();
      matmulNN(x, w, c, M, K, N);
      expect(splitProductCount()).toBe(before + 1);
      helperColumns += helperRowsOfLastProduct()[0]!;
      const alone = new Float32Array(N);
      oneThread(x, K, 1, w, N, 1, alone, M, K, N, false);
      expect(firstDifference(c, alone), `product ${t}`).toBe(-1);
    }
    expect(helperColumns).toBeGreaterThan(0);
    expect(helperColumns % 256).toBe(0); // whole parts of 256 columns
  });

  it('splits sigmoid and tanh and their derivatives over parts: the helper computes some, the bits stay those of one thread', () => {
    const rng = new Random(4);
    const alone = createWasmElementwise(createWasmRuntime('private')!, expTableForWasm(), sigmoidConstantsForWasm());
    let helperValues = 0;
    for (const n of [2 * ELEMENTWISE_PART + 5, 1_000_003]) {
      const x = randomArray(rng, n).map((v) => v * 8);
      const g = randomArray(rng, n);
      for (const kind of ['sigmoid', 'tanh'] as const) {
        const before = splitProductCount();
        const y = wasmActivations!.forward(kind, x)!;
        helperValues += helperRowsOfLastProduct()[0]!;
        const gx = wasmActivations!.backward(kind, y, g)!;
        helperValues += helperRowsOfLastProduct()[0]!;
        expect(splitProductCount(), `${kind} ${n}`).toBe(before + 2);
        const y1 = alone.forward(kind, x)!;
        expect(firstDifference(y, y1), `${kind} forward, ${n}`).toBe(-1);
        expect(firstDifference(gx, alone.backward(kind, y1, g)!), `${kind} backward, ${n}`).toBe(-1);
      }
    }
    expect(helperValues).toBeGreaterThan(0);
  });

  it('keeps ReLU (memory-bound) and activations under two parts on the calling thread', () => {
    const before = splitProductCount();
    const x = new Float32Array(1_000_000).map((_, i) => Math.sin(i));
    const y = wasmActivations!.forward('relu', x)!;
    wasmActivations!.backward('relu', y, x);
    wasmActivations!.forward('sigmoid', x.subarray(0, 2 * ELEMENTWISE_PART - 1));
    expect(splitProductCount()).toBe(before);
    expect(y[1]).toBe(Math.fround(Math.sin(1)));
  });

  it('lets a compiled training step whose products split allocate almost nothing (the wait for the helper reads no clock)', () => {
    // Products of 128×256×256 (8.4M multiply-adds) split. Spinning on performance.now() while
    // the helper finished allocated a number per read: 13–25 KB per product, 33–57 KB per step of
    // W3. What is left is the split's own timing (two clock reads per product).
    const net = new Sequential(new Linear(256, 256, { seed: 1 }), new ReLU(), new Linear(256, 256, { seed: 2 }), new ReLU(), new Linear(256, 10, { seed: 3 }));
    const x = new Tensor(Float32Array.from({ length: 128 * 256 }, (_, i) => Math.sin(i)), [128, 256]);
    const y = Int32Array.from({ length: 128 }, (_, i) => i % 10);
    const train = compileStep(net, { loss: 'crossEntropy', optimizer: new SGD(net.parameters(), { lr: 0.01 }), batchSize: 128 });
    for (let i = 0; i < 300; i++) train.run(x, y);
    const before = splitProductCount();
    let best = Infinity;
    for (let r = 0; r < 5; r++) best = Math.min(best, bytesAllocated(() => train.run(x, y), 100) / 100);
    const splitsPerStep = (splitProductCount() - before) / 500;
    expect(splitsPerStep).toBeGreaterThanOrEqual(4);
    expect(best).toBeLessThan(100 * splitsPerStep);
  });

  it('keeps products below the threshold, or with fewer than 16 rows, on the calling thread', () => {
    const big = new Float32Array(1024 * 1024).fill(0.25);
    const c = new Float32Array(1024 * 1024);
    const before = splitProductCount();
    matmulNN(big, big, c, 64, 64, 64); // 262,144 multiply-adds: under the threshold
    matmulNN(big, big, c, 15, 1024, 1024); // 15 rows
    expect(splitProductCount()).toBe(before);
    expect(c[15 * 1024 - 1]).toBe(64); // 1024 · 0.25 · 0.25
    matmulNN(big, big, c, 128, 128, 128); // 2.1M: split
    expect(splitProductCount()).toBe(before + 1);
    expect(c[128 * 128 - 1]).toBe(8);
  });

  it('checks the thread count', () => {
    expect(() => setThreads(0)).toThrow(/whole number ≥ 1.*got 0/);
    expect(() => setThreads(1.5)).toThrow(RangeError);
    expect(getThreads()).toBe(2);
  });
});
