import type { TypedArray } from '../tensor/dtype.js';
import { gemm } from './gemm.js';
import { wasmGemm } from './wasm/gemm.js';

// The matrix products the ops need, forward (A·B) and backward (A·Bᵀ, Aᵀ·B), with no transpose
// materialised. Float32 products big enough to repay copying into WebAssembly memory run in the
// SIMD kernel; float64 and small products run in the TypeScript kernel.

/** Below this many multiply-adds the copy into WebAssembly costs more than it saves. */
const WASM_MIN_WORK = 4096;
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

/** Up to this many multiply-adds, one plain loop beats the tiled kernel's bookkeeping (tiny nets). */
const SMALL_WORK = 512;

function smallGemm(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, M: number, K: number, N: number, accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
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
