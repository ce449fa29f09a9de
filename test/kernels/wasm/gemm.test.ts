import { describe, expect, it } from 'vitest';
import { referenceMatmulNN, referenceMatmulNT, referenceMatmulTN } from '../../../src/kernels/reference.js';
import { allocateResident } from '../../../src/kernels/resident.js';
import { createWasmGemm, wasmGemm, type WasmGemm } from '../../../src/kernels/wasm/gemm.js';
import { WasmHeap } from '../../../src/kernels/wasm/heap.js';
import { createWasmRuntime, wasmRuntime, type GemmExports, type WasmRuntime } from '../../../src/kernels/wasm/runtime.js';
import { Random } from '../../../src/tensor/random.js';

// The wasm driver on operands that live in the module's shared memory (passed by address) and
// on ordinary arrays (copied), in every mix, every transposition, overwriting and accumulating;
// the few-rows kernel (C held in registers) on its edge widths; and the private-memory build
// that browsers without cross-origin isolation use.

type Oracle = (a: Float32Array, b: Float32Array, c: Float32Array, M: number, K: number, N: number) => void;
/** [name, oracle, sizes of a and b, strides ars, acs, brs, bcs] */
const CASES: [string, Oracle, (M: number, K: number, N: number) => [number, number, number, number, number, number]][] = [
  ['A·B', referenceMatmulNN, (M, K, N) => [M * K, K * N, K, 1, N, 1]],
  ['A·Bᵀ', referenceMatmulNT, (M, K, N) => [M * K, N * K, K, 1, 1, K]],
  ['Aᵀ·B', referenceMatmulTN, (M, K, N) => [K * M, K * N, 1, M, N, 1]],
];

function fill(x: Float32Array, rng: Random): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = rng.range(-1, 1);
  return x;
}

function maxError(x: Float32Array, y: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i]! - y[i]!));
  return e;
}

/** Check one product against the plain loops; `resident` says which of A, B, C live in wasm memory. */
function check(run: WasmGemm, rng: Random, M: number, K: number, N: number, resident: [boolean, boolean, boolean]): void {
  for (const [name, oracle, sizes] of CASES) {
    const [na, nb, ars, acs, brs, bcs] = sizes(M, K, N);
    const make = (n: number, r: boolean): Float32Array => fill(r ? allocateResident(n) : new Float32Array(n), rng);
    const a = make(na, resident[0]);
    const b = make(nb, resident[1]);
    const start = fill(new Float32Array(M * N), rng);
    const expected = new Float32Array(M * N);
    oracle(a, b, expected, M, K, N);
    const tol = 2e-6 * K + 1e-6;
    const where = `${name} ${M}×${K}×${N} resident A,B,C = ${resident.join(',')}`;
    const c = make(M * N, resident[2]); // garbage to overwrite
    run(a, ars, acs, b, brs, bcs, c, M, K, N, false);
    expect(maxError(c, expected), where).toBeLessThanOrEqual(tol);
    c.set(start);
    run(a, ars, acs, b, brs, bcs, c, M, K, N, true);
    for (let i = 0; i < expected.length; i++) expected[i] += start[i]!;
    expect(maxError(c, expected), `${where} (+=)`).toBeLessThanOrEqual(tol + 1e-6);
  }
}

const MIXES: [boolean, boolean, boolean][] = [];
for (let m = 0; m < 8; m++) MIXES.push([(m & 1) !== 0, (m & 2) !== 0, (m & 4) !== 0]);

describe('wasm driver over shared memory', () => {
  it('loads the shared-memory build in Node, and parameters allocated resident live in it', () => {
    expect(wasmRuntime?.shared).toBe(true);
    const w = allocateResident(10);
    expect(w.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(w.byteOffset % 16).toBe(0);
    expect(Array.from(w)).toEqual(new Array(10).fill(0));
  });

  it('matches the plain loops with A, B, C resident or not, in every transposition', () => {
    const rng = new Random(11);
    for (const mix of MIXES) {
      for (const [M, K, N] of [[1, 17, 33], [2, 300, 70], [3, 5, 17], [17, 257, 9], [70, 513, 40]] as const) {
        check(wasmGemm!, rng, M, K, N, mix);
      }
    }
  });

  it('reads a resident subarray (a view at an offset) in place', () => {
    const rng = new Random(5);
    const whole = fill(allocateResident(3 + 4 * 6), rng);
    const b = whole.subarray(3); // not 16-byte aligned
    const a = fill(new Float32Array(2 * 4), rng);
    const c = new Float32Array(2 * 6);
    const expected = new Float32Array(2 * 6);
    referenceMatmulNN(a, b, expected, 2, 4, 6);
    wasmGemm!(a, 4, 1, b, 6, 1, c, 2, 4, 6, false);
    expect(maxError(c, expected)).toBeLessThanOrEqual(1e-6);
  });

  it('the few-rows kernel (up to 11 rows, C in registers) on widths around its 4×8, 2×16 and 1×32/16/4/1 blocks', () => {
    const rng = new Random(3);
    for (const M of [1, 2, 3, 4, 5, 6, 7, 11, 12]) {
      for (const N of [1, 3, 4, 15, 16, 17, 31, 32, 33, 48, 51, 1023]) {
        for (const K of [1, 7, 300]) check(wasmGemm!, rng, M, K, N, [false, true, false]);
      }
    }
  });
});

describe('wasm driver over private memory (no cross-origin isolation)', () => {
  const runtime = createWasmRuntime('private')!;
  const run = createWasmGemm(runtime).wasmGemm;

  it('is private, and its products match the plain loops (resident arrays of the shared memory are copied)', () => {
    expect(runtime.shared).toBe(false);
    expect(runtime.memory.buffer).toBeInstanceOf(ArrayBuffer);
    const rng = new Random(13);
    for (const mix of [[false, false, false], [true, true, true]] as [boolean, boolean, boolean][]) {
      for (const [M, K, N] of [[1, 3, 1023], [2, 17, 33], [3, 1023, 7], [33, 257, 31]] as const) check(run, rng, M, K, N, mix);
    }
  });

  it('keeps working after its memory grows (a product far larger than the last)', () => {
    const rng = new Random(17);
    const before = runtime.memory.buffer.byteLength;
    check(run, rng, 200, 300, 250, [false, false, false]);
    expect(runtime.memory.buffer.byteLength).toBeGreaterThan(before);
    check(run, rng, 1, 17, 3, [false, false, false]);
  });
});

describe('wasm driver past the memory maximum', () => {
  it('runs a product whose operands do not fit in TypeScript instead, and keeps using wasm for those that do', () => {
    // The shared build over a memory of at most 2 pages (128 KB) instead of 1 GiB.
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const exports = new WebAssembly.Instance(wasmRuntime!.module, { env: { memory } }).exports as unknown as GemmExports;
    const runtime: WasmRuntime = { module: wasmRuntime!.module, memory, shared: true, exports, heap: new WasmHeap(memory, exports.heapBase()) };
    const run = createWasmGemm(runtime).wasmGemm;
    const rng = new Random(19);
    check(run, rng, 2, 3, 4, [false, false, false]);
    check(run, rng, 9, 300, 200, [false, false, false]); // A 11 KB + B 240 KB: past 128 KB
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(2 * 65536); // never held the operands
    check(run, rng, 3, 17, 33, [false, false, false]);
  });
});
