// AssemblyScript source of the WebAssembly SIMD matrix multiply (float32).
// Build: `npm run build:wasm` (compiles this file and embeds the bytes in ../gemmBinary.ts).
//
// C[M,N] (+)= op(A)·op(B). Both operands are first packed (an O(n²) pass): op(A) into panels of
// 4 rows and op(B) into panels of 8 columns, k-major and zero-padded, so the inner loop reads four
// floats of A (each splatted) and two v128 of B per k whatever the transposition (the transposes are absorbed by the
// packing's strides). A 4×8 block of C stays in 8 v128 registers while k runs.

import { storeRow } from './store';

// No static data (no memory.data, no strings): the shared-memory build is instantiated once per
// thread over the same memory, and active data segments would be rewritten by each instance.

export { gemmFewRows } from './fewRows';
export { expTableBytes, reluF32, reluGradF32, sigmoidF32, sigmoidGradF32, tanhF32, tanhGradF32 } from './elementwise';

/** First free byte after the module's static data; the JS side manages memory from here. */
export function heapBase(): usize {
  return __heap_base;
}

// Blocking for a 32 KB L1 and 512 KB L2: a KC×NC block of B (256 KB) stays in L2 while every
// block of MC rows of A passes; an MC×KC block of A (64 KB) is reused across the block's B panels;
// one KC×8 B panel slice (8 KB) stays in L1 while the rows of the A block pass.
const MC = 64;
const KC = 256;
const NC = 256;

// Packed layouts are cut into K-blocks of KC, each block contiguous: the panel p of the block
// starting at kb begins at (kb·padded + p·width·kLen) floats, so a block's panels sit together.

/** Pack op(B) (element [k,j] at b + 4·(k·brs + j·bcs)) into K-blocks of ⌈N/8⌉ panels of kLen×8 floats. */
export function packB(b: usize, brs: i32, bcs: i32, K: i32, N: i32, out: usize): void {
  const padded = <usize>((N + 7) & ~7);
  const N8 = N & ~7;
  for (let kb = 0; kb < K; kb += KC) {
    const kLen = min(KC, K - kb);
    const block = out + (<usize>kb * padded << 2);
    const panelBytes = <usize>kLen << 5; // kLen rows of 8 floats
    if (bcs == 1) packRowsB(b + (<usize>(kb * brs) << 2), <usize>brs << 2, kLen, N8, block, panelBytes);
    else if (brs == 1) packColumnsB(b + (<usize>kb << 2), <usize>bcs << 2, kLen, N8, block, panelBytes);
    else for (let j0 = 0; j0 < N8; j0 += 8) packPanelB(b, brs, bcs, kb, kLen, j0, 8, block + <usize>(j0 >> 3) * panelBytes);
    if (N8 < N) packPanelB(b, brs, bcs, kb, kLen, N8, N - N8, block + <usize>(N8 >> 3) * panelBytes);
  }
}

// op(B) row-major (weights in A·B): 8 panels (64 columns) at a time, row by row through the
// K-block, so B is read in 256-byte runs and 8 panels are written in step. Panel by panel (B read
// with a row's stride per k) took 267 µs on 784×512, every panel at once 338 µs, 8 at once 79 µs
// (4: 81, 16: 156), against 56 µs for reading B once.
const PANELS_AT_ONCE = 8;

function packRowsB(src: usize, rowBytes: usize, kLen: i32, N8: i32, block: usize, panelBytes: usize): void {
  for (let g = 0; g < N8; g += 8 * PANELS_AT_ONCE) {
    const gEnd = min(N8, g + 8 * PANELS_AT_ONCE);
    let row = src + (<usize>g << 2);
    const first = block + <usize>(g >> 3) * panelBytes;
    for (let k = 0; k < kLen; k++, row += rowBytes) {
      let dst = first + (<usize>k << 5);
      for (let j = g; j < gEnd; j += 8, dst += panelBytes) {
        const from = row + (<usize>(j - g) << 2);
        v128.store(dst, v128.load(from));
        v128.store(dst, v128.load(from, 16), 16);
      }
    }
  }
}

// op(B) = Bᵀ of a row-major B (weights in G·Wᵀ, backward): a panel's 8 columns are 8 rows of
// the source, contiguous in k. Load 4 k of each, transpose two 4×4 blocks in registers, store
// 4 rows of 8; was 8 scalar loads per k.
function packColumnsB(src: usize, colBytes: usize, kLen: i32, N8: i32, block: usize, panelBytes: usize): void {
  const k4 = kLen & ~3;
  let panel = block;
  for (let j = 0; j < N8; j += 8, panel += panelBytes) {
    const s0 = src + <usize>j * colBytes;
    const s4 = s0 + 4 * colBytes;
    for (let k = 0; k < k4; k += 4) {
      const off = <usize>k << 2;
      const dst = panel + (<usize>k << 5);
      transpose4(s0 + off, colBytes, dst, 32);
      transpose4(s4 + off, colBytes, dst + 16, 32);
    }
    for (let k = k4; k < kLen; k++) {
      const dst = panel + (<usize>k << 5);
      for (let t: usize = 0; t < 8; t++) store<f32>(dst + (t << 2), load<f32>(s0 + t * colBytes + (<usize>k << 2)));
    }
  }
}

/** Rows r0..r3 (4 floats each, r_t at src + t·stride) stored as columns: dst + i·dstStride gets [r0[i], r1[i], r2[i], r3[i]]. */
@inline
function transpose4(src: usize, stride: usize, dst: usize, dstStride: usize): void {
  const v0 = v128.load(src);
  const v1 = v128.load(src + stride);
  const v2 = v128.load(src + 2 * stride);
  const v3 = v128.load(src + 3 * stride);
  const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + dstStride, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/** One panel of w ≤ 8 columns from j0, element by element (any strides), zero-padded to 8. */
function packPanelB(b: usize, brs: i32, bcs: i32, kb: i32, kLen: i32, j0: i32, w: i32, panel: usize): void {
  for (let k = 0; k < kLen; k++) {
    const dst = panel + (<usize>k << 5);
    const src = b + (<usize>((kb + k) * brs + j0 * bcs) << 2);
    for (let t = 0; t < 8; t++) store<f32>(dst + (<usize>t << 2), t < w ? load<f32>(src + (<usize>(t * bcs) << 2)) : 0);
  }
}

/** Pack op(A) (element [i,k] at a + 4·(i·ars + k·acs)) into K-blocks of ⌈M/4⌉ panels of kLen×4 floats. */
export function packA(a: usize, ars: i32, acs: i32, M: i32, K: i32, out: usize): void {
  let dst = out; // blocks, then panels, then k: exactly the packed order
  for (let kb = 0; kb < K; kb += KC) {
    const kEnd = min(K, kb + KC);
    for (let i0 = 0; i0 < M; i0 += 4) {
      const h = min(4, M - i0);
      let src = a + (<usize>(i0 * ars + kb * acs) << 2);
      const step = <usize>acs << 2;
      if (h == 4 && ars == 1) {
        for (let k = kb; k < kEnd; k++, src += step, dst += 16) v128.store(dst, v128.load(src));
      } else if (h == 4 && acs == 1) {
        // Row-major A (forward): 4 k of each of the 4 rows, transposed in registers.
        const r = <usize>ars << 2;
        let k = kb;
        for (; k + 4 <= kEnd; k += 4, src += 16, dst += 64) transpose4(src, r, dst, 16);
        for (; k < kEnd; k++, src += 4, dst += 16) {
          v128.store(dst, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(
            f32x4.splat(load<f32>(src)), 1, load<f32>(src + r)), 2, load<f32>(src + 2 * r)), 3, load<f32>(src + 3 * r)));
        }
      } else if (h == 4) {
        const r = <usize>ars << 2;
        for (let k = kb; k < kEnd; k++, src += step, dst += 16) {
          v128.store(dst, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(
            f32x4.splat(load<f32>(src)), 1, load<f32>(src + r)), 2, load<f32>(src + 2 * r)), 3, load<f32>(src + 3 * r)));
        }
      } else {
        for (let k = kb; k < kEnd; k++, src += step, dst += 16) {
          for (let t = 0; t < 4; t++) store<f32>(dst + (<usize>t << 2), t < h ? load<f32>(src + (<usize>(t * ars) << 2)) : 0);
        }
      }
    }
  }
}

/**
 * C (M×N, row-major at c) = or += packed op(A) · packed op(B). The linear layer's epilogue rides
 * along: with `bias` (a byte pointer to N floats, 0 for none) every row of C starts at the bias
 * and the product is added onto it (the same additions, in the same order, as filling C with the
 * bias and accumulating); with `relu` the last K-block's stores clamp at zero. Each thread of a
 * split product thus adds the bias and clamps its own rows, instead of one thread doing all of
 * them before and after.
 */
export function gemm(ap: usize, bp: usize, c: usize, M: i32, K: i32, N: i32, accumulate: bool, bias: usize, relu: bool): void {
  const rowC = <usize>N << 2;
  if (bias != 0) {
    for (let i = 0; i < M; i++) memory.copy(c + <usize>i * rowC, bias, rowC);
    accumulate = true;
  }
  const paddedM = <usize>((M + 3) & ~3);
  const paddedN = <usize>((N + 7) & ~7);
  for (let kb = 0; kb < K; kb += KC) {
    const kLen = min(KC, K - kb);
    const blockA = ap + (<usize>kb * paddedM << 2);
    const blockB = bp + (<usize>kb * paddedN << 2);
    const acc = accumulate || kb > 0;
    const clamp = relu && kb + kLen >= K;
    for (let jb = 0; jb < N; jb += NC) {
      const jEnd = min(N, jb + NC);
      for (let ib = 0; ib < M; ib += MC) {
        const iEnd = min(M, ib + MC);
        for (let j0 = jb; j0 < jEnd; j0 += 8) {
          const w = min(8, N - j0);
          const panelB = blockB + (<usize>j0 * <usize>kLen << 2);
          for (let i = ib; i < iEnd; i += 4) {
            const pa = blockA + (<usize>i * <usize>kLen << 2);
            const pc = c + (<usize>(i * N + j0) << 2);
            // Two instantiations, so the clamp costs nothing in the loop of the others.
            if (clamp) microKernel(pa, panelB, pc, rowC, kLen, min(4, M - i), w, acc, true);
            else microKernel(pa, panelB, pc, rowC, kLen, min(4, M - i), w, acc, false);
          }
        }
      }
    }
  }
}

// One 4×8 block of C: 8 v128 accumulators over kLen steps of k (four splatted floats of A, two
// v128 of B each). A 6×8 block measured a third slower: V8 spills its 12 accumulators.
@inline
function microKernel(pa: usize, pb: usize, pc: usize, rowC: usize, kLen: i32, h: i32, w: i32, acc: bool, relu: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kLen; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa, 4);
    const a2 = v128.load32_splat(pa, 8);
    const a3 = v128.load32_splat(pa, 12);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    pa += 16;
    pb += 32;
  }
  storeRow(pc, c00, c01, w, acc, relu);
  if (h > 1) storeRow(pc + rowC, c10, c11, w, acc, relu);
  if (h > 2) storeRow(pc + 2 * rowC, c20, c21, w, acc, relu);
  if (h > 3) storeRow(pc + 3 * rowC, c30, c31, w, acc, relu);
}
