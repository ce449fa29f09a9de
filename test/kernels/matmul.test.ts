import { afterEach, describe, expect, it } from 'vitest';
import { gemm } from '../../src/kernels/gemm.js';
import { denseForward, matmulBackend, matmulNN, matmulNT, matmulTN, setWasmKernels } from '../../src/kernels/matmul.js';
import { referenceMatmulNN, referenceMatmulNT, referenceMatmulTN } from '../../src/kernels/reference.js';
import { wasmGemm } from '../../src/kernels/wasm/gemm.js';
import { Random } from '../../src/tensor/random.js';
import type { TypedArray } from '../../src/tensor/dtype.js';

// The fast kernels (TypeScript register-tiled and WebAssembly SIMD) against the plain triple loops.

type Kernel = (a: TypedArray, b: TypedArray, c: TypedArray, M: number, K: number, N: number, accumulate?: boolean) => void;
const CASES: [string, Kernel, Kernel, (M: number, K: number, N: number) => [number, number]][] = [
  ['A·B', matmulNN, referenceMatmulNN, (M, K, N) => [M * K, K * N]],
  ['A·Bᵀ', matmulNT, referenceMatmulNT, (M, K, N) => [M * K, N * K]],
  ['Aᵀ·B', matmulTN, referenceMatmulTN, (M, K, N) => [K * M, K * N]],
];

// Odd sizes on purpose: 1, 3, 17 and 1023 straddle the 4×4 and 4×8 tiles and the 256-deep blocks.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 3, 1], [3, 1, 17], [17, 3, 1], [4, 4, 4], [5, 9, 13], [17, 17, 17], [8, 300, 9],
  [33, 257, 31], [1023, 5, 3], [3, 1023, 7], [2, 7, 1023], [64, 64, 64], [70, 513, 40],
  [1, 300, 70], [2, 513, 9], // one or two rows: the unpacked batch-1 path
];

function randomArray(rng: Random, n: number, dtype: 'float32' | 'float64'): TypedArray {
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.range(-1, 1);
  return a;
}

function maxError(x: TypedArray, y: TypedArray): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i]! - y[i]!));
  return e;
}

afterEach(() => setWasmKernels(true));

describe.each(['wasm', 'typescript'])('matmul kernels (%s)', (backend) => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, fast, reference, sizes] of CASES) {
      it(`${name} in ${dtype} matches the plain loops on odd shapes, overwriting and accumulating`, () => {
        setWasmKernels(backend === 'wasm');
        const rng = new Random(7);
        for (const [M, K, N] of SHAPES) {
          const [na, nb] = sizes(M, K, N);
          const a = randomArray(rng, na, dtype);
          const b = randomArray(rng, nb, dtype);
          const expected = randomArray(rng, M * N, dtype);
          const start = expected.slice();
          reference(a, b, expected, M, K, N);
          // float32 sums of K products in a different order differ by a few ulps per term.
          const tol = dtype === 'float32' ? 2e-6 * K + 1e-6 : 1e-12 * K;
          const c = randomArray(rng, M * N, dtype); // garbage that must be overwritten
          fast(a, b, c, M, K, N);
          expect(maxError(c, expected), `${name} ${M}×${K}×${N}`).toBeLessThanOrEqual(tol);
          const acc = start.slice();
          fast(a, b, acc, M, K, N, true);
          for (let i = 0; i < acc.length; i++) expected[i] += start[i]!;
          expect(maxError(acc, expected), `${name} += ${M}×${K}×${N}`).toBeLessThanOrEqual(tol + 1e-6);
        }
      });
    }
  }
});

describe('kernel selection', () => {
  it('uses WebAssembly SIMD in Node 20 and falls back to TypeScript when turned off', () => {
    expect(wasmGemm).not.toBeNull();
    expect(matmulBackend()).toBe('wasm-simd');
    setWasmKernels(false);
    expect(matmulBackend()).toBe('typescript');
  });

  it('the strided TypeScript gemm reads a transposed operand through its strides', () => {
    // a = [[1, 2], [3, 4]] read as aᵀ (row stride 1, column stride 2); b = identity.
    const c = new Float64Array(4);
    gemm(Float64Array.of(1, 2, 3, 4), 1, 2, Float64Array.of(1, 0, 0, 1), 2, 1, c, 2, 2, 2, false);
    expect(Array.from(c)).toEqual([1, 3, 2, 4]);
  });

  it('an empty inner dimension gives zeros (or leaves c alone when accumulating)', () => {
    const c = Float32Array.of(5, 6);
    matmulNN(new Float32Array(0), new Float32Array(0), c, 1, 0, 2, true);
    expect(Array.from(c)).toEqual([5, 6]);
    matmulNN(new Float32Array(0), new Float32Array(0), c, 1, 0, 2);
    expect(Array.from(c)).toEqual([0, 0]);
  });
});

/** The linear layer's steps one by one: every row of c set to the bias, the product added, clamped. */
function denseInSteps(x: Float32Array, w: Float32Array, bias: Float32Array | null, relu: boolean, M: number, K: number, N: number): Float32Array {
  const c = new Float32Array(M * N);
  if (bias) for (let i = 0; i < M; i++) c.set(bias, i * N);
  matmulNN(x, w, c, M, K, N, bias !== null);
  if (relu) for (let i = 0; i < c.length; i++) c[i] = c[i]! < 0 ? 0 : c[i]!;
  return c;
}

function bitsOf(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

describe('denseForward (bias and ReLU inside the SIMD kernel)', () => {
  afterEach(() => setWasmKernels(true));

  it('gives the bits of fill-bias, accumulate, clamp on odd shapes, partial panels and K-blocks', () => {
    const rng = new Random(11);
    for (const [M, K, N] of [[12, 100, 1], [17, 30, 9], [33, 257, 31], [64, 300, 17], [100, 513, 13], [1023, 5, 3], [16, 700, 1023]] as const) {
      const x = randomArray(rng, M * K, 'float32') as Float32Array;
      const w = randomArray(rng, K * N, 'float32') as Float32Array;
      const bias = randomArray(rng, N, 'float32') as Float32Array;
      for (const [b, relu] of [[bias, true], [bias, false], [null, true]] as const) {
        const c = new Float32Array(M * N).fill(7); // stale values must not leak through
        expect(denseForward(x, w, b, relu, c, M, K, N), `${M}×${K}×${N}`).toBe(true);
        expect(bitsOf(c), `${M}×${K}×${N} bias ${b !== null} relu ${relu}`).toEqual(bitsOf(denseInSteps(x, w, b, relu, M, K, N)));
      }
    }
  });

  it('clamps as ReLU does (and PyTorch): negatives give +0, NaN stays NaN', () => {
    const [M, K, N] = [64, 2, 9]; // w = identity on the first 2 columns: c = x padded with zeros
    const x = new Float32Array(M * K);
    const values = [-1, -0, NaN, 0, 2.5, -Infinity, Infinity, 1e-45];
    for (let i = 0; i < M * K; i++) x[i] = values[i % values.length]!;
    const w = new Float32Array(K * N);
    w[0] = 1;
    w[N + 1] = 1;
    const c = new Float32Array(M * N);
    expect(denseForward(x, w, null, true, c, M, K, N)).toBe(true);
    for (let i = 0; i < M; i++) {
      for (let k = 0; k < K; k++) {
        const v = x[i * K + k]!;
        // x·1 + other·0: NaN·0 and ±Inf·0 are NaN, so only finite neighbours keep the value.
        const other = x[i * K + 1 - k]!;
        const exact = Number.isFinite(other) ? v : NaN;
        // Zeros compare by value: the sign of a sum of ±0 products depends on the kernel's order.
        const expected = exact < 0 ? 0 : Math.fround(exact);
        const got = c[i * N + k]!;
        expect(got === expected || Object.is(got, expected), `row ${i} col ${k}: ${got} vs ${expected}`).toBe(true);
      }
    }
  });

  it('declines (returns false, leaves c alone) where the kernel has no such path', () => {
    const c = new Float32Array(40 * 40).fill(3);
    const rng = new Random(2);
    const x = randomArray(rng, 40 * 40, 'float32') as Float32Array;
    expect(denseForward(x.subarray(0, 4 * 40), x, null, true, c.subarray(0, 4 * 40), 4, 40, 40)).toBe(false); // few rows
    expect(denseForward(new Float64Array(1600), new Float64Array(1600), null, true, new Float64Array(1600), 40, 40, 40)).toBe(false);
    expect(denseForward(x, x, null, true, c, 40, 1, 1)).toBe(false); // too small for the kernel
    setWasmKernels(false);
    expect(denseForward(x, x, null, true, c, 40, 40, 40)).toBe(false);
    expect(c.every((v) => v === 3)).toBe(true);
  });
});
