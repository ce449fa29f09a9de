import type { TypedArray } from '../tensor/dtype.js';

// General matrix multiply in plain TypeScript, the fallback when WebAssembly is unavailable and
// the kernel for float64 and for tiny products. Operands are addressed through strides, so the
// transposed cases need no copies: op(A)[i,k] = a[i·ars + k·acs], op(B)[k,j] = b[k·brs + j·bcs].
// A 4×4 block of C lives in 16 local variables (registers) while k runs, and k and j are cut into
// blocks so that the slice of B being reused stays in cache.

const KC = 256;
const NC = 256;

/**
 * c[M,N] = op(A)·op(B), or c += op(A)·op(B) when `accumulate` is true.
 * @example
 * // c = a·bᵀ for a [2,3] and b [4,3]: b read with row stride 1 and column stride 3.
 * gemm(a, 3, 1, b, 1, 3, c, 2, 3, 4, false);
 */
export function gemm(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, M: number, K: number, N: number, accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, 0, M * N);
  if (K === 0) return;
  for (let kb = 0; kb < K; kb += KC) {
    const kEnd = Math.min(K, kb + KC);
    for (let jb = 0; jb < N; jb += NC) {
      const jEnd = Math.min(N, jb + NC);
      block(a, ars, acs, b, brs, bcs, c, M, N, kb, kEnd, jb, jEnd);
    }
  }
}

function block(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, M: number, N: number, kb: number, kEnd: number, jb: number, jEnd: number,
): void {
  const M4 = M - (M % 4);
  const j4End = jEnd - ((jEnd - jb) % 4);
  for (let i = 0; i < M4; i += 4) {
    for (let j = jb; j < j4End; j += 4) tile4x4(a, ars, acs, b, brs, bcs, c, N, i, j, kb, kEnd);
    for (let j = j4End; j < jEnd; j++) for (let r = i; r < i + 4; r++) dot(a, ars, acs, b, brs, bcs, c, N, r, j, kb, kEnd);
  }
  for (let i = M4; i < M; i++) for (let j = jb; j < jEnd; j++) dot(a, ars, acs, b, brs, bcs, c, N, i, j, kb, kEnd);
}

function tile4x4(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, N: number, i: number, j: number, kb: number, kEnd: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = i * ars + kb * acs;
  let pb = kb * brs + j * bcs;
  const ars2 = 2 * ars, ars3 = 3 * ars, bcs2 = 2 * bcs, bcs3 = 3 * bcs;
  for (let k = kb; k < kEnd; k++) {
    const a0 = a[pa]!, a1 = a[pa + ars]!, a2 = a[pa + ars2]!, a3 = a[pa + ars3]!;
    const b0 = b[pb]!, b1 = b[pb + bcs]!, b2 = b[pb + bcs2]!, b3 = b[pb + bcs3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    pa += acs;
    pb += brs;
  }
  let pc = i * N + j;
  c[pc] += c00; c[pc + 1] += c01; c[pc + 2] += c02; c[pc + 3] += c03;
  pc += N;
  c[pc] += c10; c[pc + 1] += c11; c[pc + 2] += c12; c[pc + 3] += c13;
  pc += N;
  c[pc] += c20; c[pc + 1] += c21; c[pc + 2] += c22; c[pc + 3] += c23;
  pc += N;
  c[pc] += c30; c[pc + 1] += c31; c[pc + 2] += c32; c[pc + 3] += c33;
}

function dot(
  a: TypedArray, ars: number, acs: number,
  b: TypedArray, brs: number, bcs: number,
  c: TypedArray, N: number, i: number, j: number, kb: number, kEnd: number,
): void {
  let s = 0;
  let pa = i * ars + kb * acs;
  let pb = kb * brs + j * bcs;
  for (let k = kb; k < kEnd; k++) {
    s += a[pa]! * b[pb]!;
    pa += acs;
    pb += brs;
  }
  c[i * N + j] += s;
}
