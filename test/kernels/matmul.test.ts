import { afterEach, describe, expect, it } from 'vitest';
import { gemm } from '../../src/kernels/gemm.js';
import { matmulBackend, matmulNN, matmulNT, matmulTN, setWasmKernels } from '../../src/kernels/matmul.js';
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
