import type { TypedArray } from '../tensor/dtype.js';

// The plain triple loops: obviously correct, kept as the test oracle for the fast kernels.

/** c[M,N] = a[M,K] · b[K,N] (row-major, overwrites c). */
export function referenceMatmulNN(a: TypedArray, b: TypedArray, c: TypedArray, M: number, K: number, N: number): void {
  c.fill(0, 0, M * N);
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    const ai = i * K;
    for (let k = 0; k < K; k++) {
      const aik = a[ai + k]!;
      const bk = k * N;
      for (let j = 0; j < N; j++) c[ci + j] += aik * b[bk + j]!;
    }
  }
}

/** c[M,N] = a[M,K] · b[N,K]ᵀ, without materialising the transpose. */
export function referenceMatmulNT(a: TypedArray, b: TypedArray, c: TypedArray, M: number, K: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const ai = i * K;
    for (let j = 0; j < N; j++) {
      const bj = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ai + k]! * b[bj + k]!;
      c[i * N + j] = s;
    }
  }
}

/** c[M,N] = a[K,M]ᵀ · b[K,N], without materialising the transpose. */
export function referenceMatmulTN(a: TypedArray, b: TypedArray, c: TypedArray, M: number, K: number, N: number): void {
  c.fill(0, 0, M * N);
  for (let k = 0; k < K; k++) {
    const ak = k * M;
    const bk = k * N;
    for (let i = 0; i < M; i++) {
      const aki = a[ak + i]!;
      const ci = i * N;
      for (let j = 0; j < N; j++) c[ci + j] += aki * b[bk + j]!;
    }
  }
}
