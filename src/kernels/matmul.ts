import type { TypedArray } from '../tensor/dtype.js';
import { gemm } from './gemm.js';
import { wasmDense, wasmGemm } from './wasm/gemm.js';

// The matrix products the ops need, forward (A·B) and backward (A·Bᵀ, Aᵀ·B), with no transpose
// materialised. Float32 products big enough to repay copying into WebAssembly memory run in the
// SIMD kernel; float64 and small products run in the TypeScript kernel.

/**
 * Below this many multiply-adds the call into WebAssembly costs more than it saves. Measured
 * (µs, TypeScript vs wasm with B resident / copied): 1×256×10 (I1's last layer) 4.99 vs 1.30 / 1.77,
 * 1×32×32 2.81 vs 0.43 / 0.61, 4×16×16 0.69 vs 0.46 / 0.47, 10×8×8 (W1) 0.50 vs 0.82 / 0.50.
 */
const WASM_MIN_WORK = 1025;
let wasmEnabled = true;

/**
 * Turn the WebAssembly kernel on or off (tests compare both; the TypeScript kernel is the oracle).
 * @example setWasmKernels(false); // every product now runs in TypeScript
 */
export function setWasmKernels(enabled: boolean): void {
  wasmEnabled = enabled;
}

/** Which kernel float32 products use: 'wasm-simd' or 'typescript'. */
export function matmulBackend(): 'wasm-simd' | 'typescript' {
  return wasmEnabled && wasmGemm !== null ? 'wasm-simd' : 'typescript';
}

function run(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, M: number, K: number, N: number, accumulate: boolean,
): void {
  if (
    wasmEnabled && wasmGemm !== null && M * N * K >= WASM_MIN_WORK &&
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array
  ) {
    wasmGemm(a, ars, acs, b, brs, bcs, c, M, K, N, accumulate);
  } else if (M * N * K <= SMALL_WORK) {
    smallGemm(a, ars, acs, b, brs, bcs, c, M, K, N, accumulate);
  } else {
    gemm(a, ars, acs, b, brs, bcs, c, M, K, N, accumulate);
  }
}

/**
 * Up to this many multiply-adds the small kernel below beats the tiled one, whose blocking
 * bookkeeping does not pay on tiny networks (a 10×8·8×8 layer product is 640).
 */
const SMALL_WORK = 1024;

/**
 * The kernel for tiny products: C in blocks of 2 rows × 4 columns held in eight locals while k
 * runs (each loaded A value serves four products, each B value two), no blocking, no packing.
 * Odd rows and the last N mod 4 columns fall to the one-row and one-column loops of smallRow.
 */
function smallGemm(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, M: number, K: number, N: number, accumulate: boolean,
): void {
  const N4 = N - (N & 3);
  const bcs2 = 2 * bcs;
  const bcs3 = 3 * bcs;
  let i = 0;
  for (; i + 1 < M; i += 2) {
    const c0 = i * N;
    const c1 = c0 + N;
    for (let j = 0; j < N4; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      if (accumulate) {
        s0 = c[c0 + j]!; s1 = c[c0 + j + 1]!; s2 = c[c0 + j + 2]!; s3 = c[c0 + j + 3]!;
        t0 = c[c1 + j]!; t1 = c[c1 + j + 1]!; t2 = c[c1 + j + 2]!; t3 = c[c1 + j + 3]!;
      }
      let pa = i * ars;
      let pb = j * bcs;
      for (let k = 0; k < K; k++) {
        const a0 = a[pa]!;
        const a1 = a[pa + ars]!;
        const b0 = b[pb]!, b1 = b[pb + bcs]!, b2 = b[pb + bcs2]!, b3 = b[pb + bcs3]!;
        s0 += a0 * b0; s1 += a0 * b1; s2 += a0 * b2; s3 += a0 * b3;
        t0 += a1 * b0; t1 += a1 * b1; t2 += a1 * b2; t3 += a1 * b3;
        pa += acs;
        pb += brs;
      }
      c[c0 + j] = s0; c[c0 + j + 1] = s1; c[c0 + j + 2] = s2; c[c0 + j + 3] = s3;
      c[c1 + j] = t0; c[c1 + j + 1] = t1; c[c1 + j + 2] = t2; c[c1 + j + 3] = t3;
    }
    for (let j = N4; j < N; j++) {
      let s = accumulate ? c[c0 + j]! : 0;
      let t = accumulate ? c[c1 + j]! : 0;
      let pa = i * ars;
      let pb = j * bcs;
      for (let k = 0; k < K; k++) {
        const bv = b[pb]!;
        s += a[pa]! * bv;
        t += a[pa + ars]! * bv;
        pa += acs;
        pb += brs;
      }
      c[c0 + j] = s;
      c[c1 + j] = t;
    }
  }
  if (i < M) smallRow(a, ars, acs, b, brs, bcs, c, i, K, N, accumulate);
}

/** Row i of C alone (the last row when M is odd), one column at a time. */
function smallRow(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, i: number, K: number, N: number, accumulate: boolean,
): void {
  const ci = i * N;
  for (let j = 0; j < N; j++) {
    let s = accumulate ? c[ci + j]! : 0;
    let pa = i * ars;
    let pb = j * bcs;
    for (let k = 0; k < K; k++) {
      s += a[pa]! * b[pb]!;
      pa += acs;
      pb += brs;
    }
    c[ci + j] = s;
  }
}

/** c[M,N] = a[M,K]·b[K,N] (row-major), or c += … with `accumulate`. */
export function matmulNN(a: TypedArray, b: TypedArray, c: TypedArray, M: number, K: number, N: number, accumulate = false): void {
  run(a, K, 1, b, N, 1, c, M, K, N, accumulate);
}

/** c[M,N] = a[M,K]·b[N,K]ᵀ, without materialising the transpose. */
export function matmulNT(a: TypedArray, b: TypedArray, c: TypedArray, M: number, K: number, N: number, accumulate = false): void {
  run(a, K, 1, b, 1, K, c, M, K, N, accumulate);
}

/** c[M,N] = a[K,M]ᵀ·b[K,N], without materialising the transpose. */
export function matmulTN(a: TypedArray, b: TypedArray, c: TypedArray, M: number, K: number, N: number, accumulate = false): void {
  run(a, 1, M, b, N, 1, c, M, K, N, accumulate);
}

/**
 * The linear layer's forward in one kernel call where the SIMD kernel has such a path:
 * c[M,N] = a[M,K]·b[K,N] + bias (each row; none when null), then max(·, 0) when `relu` — the
 * same additions in the same order as filling c with the bias, accumulating the product and
 * clamping, so the same bits. Returns false, having done nothing, where it has not (float64,
 * small or few-rows products, no WebAssembly SIMD): the caller then runs those steps itself.
 * @example if (!denseForward(x, w, b, true, y, M, K, N)) { fill, matmulNN(…, true), relu }
 */
export function denseForward(
  a: TypedArray, b: TypedArray, bias: TypedArray | null, relu: boolean,
  c: TypedArray, M: number, K: number, N: number,
): boolean {
  return (
    wasmEnabled && wasmDense !== null && M * N * K >= WASM_MIN_WORK &&
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array &&
    (bias === null || bias instanceof Float32Array) &&
    wasmDense(a, b, bias, relu, c, M, K, N)
  );
}
