import { gemm } from '../gemm.js';
import { ScratchBlock } from './heap.js';
import { parallelFewRows, parallelGemm } from './parallel.js';
import { wasmRuntime, type WasmRuntime } from './runtime.js';

// Driver of the WebAssembly SIMD matmul: puts the operands where the module can read them and
// picks the kernel. Operands that already live in the module's shared memory (resident
// parameters, see resident.ts) are passed by address; the others are copied into a scratch
// block, and C is copied back out when it is not resident.

/** c[M,N] = op(A)·op(B) (or += with `accumulate`), float32; op(A)[i,k] = a[i·ars + k·acs]. */
export type WasmGemm = (
  a: Float32Array, ars: number, acs: number,
  b: Float32Array, brs: number, bcs: number,
  c: Float32Array, M: number, K: number, N: number, accumulate: boolean,
) => void;

/**
 * c[M,N] = x[M,K]·w[K,N] + bias (each row; none when null), clamped at zero when `relu`, all in
 * the kernel (each thread of a split product adds the bias and clamps its own rows). Returns
 * false, having done nothing, where the kernel has no such path (a few-rows product, or one too
 * big for the module's memory): the caller then does it in steps.
 */
export type WasmDense = (
  x: Float32Array, w: Float32Array, bias: Float32Array | null, relu: boolean,
  c: Float32Array, M: number, K: number, N: number,
) => boolean;

/**
 * Up to this many rows of A (with op(B) not transposed), products skip packing and read B's rows
 * in place, once per block of up to 4 rows. Packing B costs a pass over it (~80-100 µs for
 * 784×512), which pays once enough rows reuse the packed copy. Single-threaded, ×784×512, in
 * place vs packed: 4 rows 173 vs 275 µs, 8 rows 279 vs 356, 12 rows 450 vs 443, 32 rows 1065
 * vs 863 (min of 7, loaded machine). From 16 rows the packed path can also split over threads.
 */
const FEW_ROWS = 11;

const align4 = (n: number): number => (n + 3) & ~3; // floats, so every region is 16-byte aligned

/**
 * The driver over one runtime (tests build one over private memory to check the fallback).
 * @example const { wasmGemm } = createWasmGemm(createWasmRuntime('private')!); wasmGemm(a, 3, 1, b, 2, 1, c, 2, 3, 2, false);
 */
export function createWasmGemm(rt: WasmRuntime): { wasmGemm: WasmGemm; wasmDense: WasmDense } {
  const { exports: kernels, heap } = rt;
  // Operand copies and packed panels: grown by half again when too small.
  const scratch = new ScratchBlock(heap, 1.5);

  /** Byte address of `x` in the module's memory, or -1 when it must be copied in. */
  function addressOf(x: Float32Array): number {
    return rt.shared && heap.owns(x.buffer) ? x.byteOffset : -1;
  }

  /**
   * The product, with the linear layer's epilogue when `bias`/`relu` are given (only on the
   * packed path: returns false, having done nothing, for a few-rows product with an epilogue, and
   * for a product too big for the module's memory, which then runs in TypeScript unless it has an
   * epilogue). Returns true when done.
   */
  function product(
    a: Float32Array, ars: number, acs: number,
    b: Float32Array, brs: number, bcs: number,
    c: Float32Array, M: number, K: number, N: number, accumulate: boolean,
    bias: Float32Array | null, relu: boolean,
  ): boolean {
    const epilogue = bias !== null || relu;
    const few = M <= FEW_ROWS && bcs === 1;
    if (epilogue && few) return false;
    let aAt = addressOf(a);
    let bAt = addressOf(b);
    let cAt = addressOf(c);
    let biasAt = bias === null ? 0 : addressOf(bias);
    // Scratch layout in floats: [copy of A][copy of B][packed A][packed B][copy of C][copy of bias].
    let used = 0;
    const aCopy = aAt < 0 ? used : -1;
    if (aAt < 0) used += align4(a.length);
    const bCopy = bAt < 0 ? used : -1;
    if (bAt < 0) used += align4(b.length);
    const paOff = used;
    if (!few) used += Math.ceil(M / 4) * 4 * K;
    const pbOff = used;
    if (!few) used += Math.ceil(N / 8) * 8 * K;
    const cCopy = cAt < 0 ? used : -1;
    if (cAt < 0) used += align4(M * N);
    const biasCopy = biasAt < 0 ? used : -1;
    if (biasAt < 0) used += align4(N);
    const base = used > 0 ? scratch.reserve(used * 4) : 0;
    if (base < 0) {
      if (epilogue) return false;
      gemm(a, ars, acs, b, brs, bcs, c, M, K, N, accumulate); // too big for the module's memory
      return true;
    }
    const h = heap.f32(); // after reserve: growing private memory detaches older views
    if (aCopy >= 0) h.set(a, (aAt = base + aCopy * 4) >> 2);
    if (bCopy >= 0) h.set(b, (bAt = base + bCopy * 4) >> 2);
    if (biasCopy >= 0) h.set(bias!.length === N ? bias! : bias!.subarray(0, N), (biasAt = base + biasCopy * 4) >> 2);
    if (cCopy >= 0) {
      cAt = base + cCopy * 4;
      if (accumulate) h.set(c.length === M * N ? c : c.subarray(0, M * N), cAt >> 2);
    }
    if (few) {
      // Batch-1 inference on shared memory splits its columns over helper threads (parallel.ts).
      if (!(rt.shared && parallelFewRows(rt, aAt, ars, acs, bAt, brs, cAt, M, K, N, accumulate))) {
        kernels.gemmFewRows(aAt, ars, acs, bAt, brs, cAt, N, M, K, N, accumulate ? 1 : 0);
      }
    } else {
      const pa = base + paOff * 4;
      const pb = base + pbOff * 4;
      // Large products on shared memory also run on helper threads (parallel.ts), bit-identically.
      if (!(rt.shared && parallelGemm(rt, aAt, ars, acs, bAt, brs, bcs, pa, pb, cAt, M, K, N, accumulate, biasAt, relu))) {
        kernels.packA(aAt, ars, acs, M, K, pa);
        kernels.packB(bAt, brs, bcs, K, N, pb);
        kernels.gemm(pa, pb, cAt, M, K, N, accumulate ? 1 : 0, biasAt, relu ? 1 : 0);
      }
    }
    if (cCopy >= 0) c.set(h.subarray(cAt >> 2, (cAt >> 2) + M * N));
    return true;
  }

  const wasmGemm: WasmGemm = (a, ars, acs, b, brs, bcs, c, M, K, N, accumulate) => {
    product(a, ars, acs, b, brs, bcs, c, M, K, N, accumulate, null, false);
  };
  const wasmDense: WasmDense = (x, w, bias, relu, c, M, K, N) => product(x, K, 1, w, N, 1, c, M, K, N, false, bias, relu);
  return { wasmGemm, wasmDense };
}

const drivers = wasmRuntime ? createWasmGemm(wasmRuntime) : null;

/** The SIMD kernel over the default runtime, or null where WebAssembly SIMD is unavailable. */
export const wasmGemm: WasmGemm | null = drivers?.wasmGemm ?? null;

/** The linear layer's forward in the SIMD kernel (see WasmDense), or null without it. */
export const wasmDense: WasmDense | null = drivers?.wasmDense ?? null;
