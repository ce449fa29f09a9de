// The few-rows kernel: products of up to a dozen rows (small-batch inference) read op(B) where
// it is, without packing. Part of the module built from gemm.ts (which re-exports gemmFewRows).
import { storeLane, storeRow, storeVec } from './store';

/**
 * C (M×N) = or += op(A)·op(B) for a few rows (small-batch inference), reading op(B)'s rows where
 * they are (bcs = 1): no packing pass over the weights, which would cost as much as the product.
 * A block of C stays in 8 v128 registers while k runs over all of B's rows (4 rows × 8 columns,
 * 2 × 16 or 1 × 32), so C is read and written once per block, and B once per block of rows.
 * Every element is summed in k order in one lane whatever block it falls in, so any split of the
 * columns (threads, see parallel.ts) gives the same bits.
 */
export function gemmFewRows(a: usize, ars: i32, acs: i32, b: usize, brs: i32, c: usize, ldc: i32, M: i32, K: i32, N: i32, accumulate: bool): void {
  const rowB = <usize>brs << 2;
  const stepA = <usize>acs << 2;
  const rowA = <usize>ars << 2;
  const rowC = <usize>ldc << 2; // C's row stride: a thread computing some columns of a wider C
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const ai = a + <usize>i * rowA;
    const ci = c + <usize>i * rowC;
    let j = 0;
    for (; j + 8 <= N; j += 8) rows4columns8(ai, rowA, stepA, b + (<usize>j << 2), rowB, ci + (<usize>j << 2), rowC, K, accumulate);
    for (let r: usize = 0; r < 4; r++) columnsTail(ai + r * rowA, stepA, b, rowB, ci + r * rowC, K, j, N, accumulate);
  }
  if (i + 2 <= M) {
    const ai = a + <usize>i * rowA;
    const ci = c + <usize>i * rowC;
    let j = 0;
    for (; j + 16 <= N; j += 16) rows2columns16(ai, rowA, stepA, b + (<usize>j << 2), rowB, ci + (<usize>j << 2), rowC, K, accumulate);
    columnsTail(ai, stepA, b, rowB, ci, K, j, N, accumulate);
    columnsTail(ai + rowA, stepA, b, rowB, ci + rowC, K, j, N, accumulate);
    i += 2;
  }
  if (i < M) columnsTail(a + <usize>i * rowA, stepA, b, rowB, c + <usize>i * rowC, K, 0, N, accumulate);
}

/** One row of C from column j0 to N: blocks of 32, then 16, 4 and 1 columns. */
function columnsTail(ai: usize, stepA: usize, b: usize, rowB: usize, ci: usize, K: i32, j0: i32, N: i32, acc: bool): void {
  let j = j0;
  for (; j + 32 <= N; j += 32) columns32(ai, stepA, b + (<usize>j << 2), rowB, ci + (<usize>j << 2), K, acc);
  if (j + 16 <= N) {
    columns16(ai, stepA, b + (<usize>j << 2), rowB, ci + (<usize>j << 2), K, acc);
    j += 16;
  }
  for (; j + 4 <= N; j += 4) columns4(ai, stepA, b + (<usize>j << 2), rowB, ci + (<usize>j << 2), K, acc);
  for (; j < N; j++) column1(ai, stepA, b + (<usize>j << 2), rowB, ci + (<usize>j << 2), K, acc);
}

// 4 rows × 8 columns: per k, four splats of A share two v128 loads of B.
@inline
function rows4columns8(pa: usize, rowA: usize, stepA: usize, pb: usize, rowB: usize, pc: usize, rowC: usize, K: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const rowA2 = rowA << 1;
  const rowA3 = rowA2 + rowA;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa + rowA);
    const a2 = v128.load32_splat(pa + rowA2);
    const a3 = v128.load32_splat(pa + rowA3);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    pa += stepA;
    pb += rowB;
  }
  storeRow(pc, c00, c01, 8, acc);
  storeRow(pc + rowC, c10, c11, 8, acc);
  storeRow(pc + 2 * rowC, c20, c21, 8, acc);
  storeRow(pc + 3 * rowC, c30, c31, 8, acc);
}

// 2 rows × 16 columns: per k, two splats of A share four v128 loads of B.
@inline
function rows2columns16(pa: usize, rowA: usize, stepA: usize, pb: usize, rowB: usize, pc: usize, rowC: usize, K: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const b3 = v128.load(pb, 48);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa + rowA);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c02 = f32x4.add(c02, f32x4.mul(a0, b2));
    c03 = f32x4.add(c03, f32x4.mul(a0, b3));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c12 = f32x4.add(c12, f32x4.mul(a1, b2));
    c13 = f32x4.add(c13, f32x4.mul(a1, b3));
    pa += stepA;
    pb += rowB;
  }
  storeRow(pc, c00, c01, 8, acc);
  storeRow(pc + 32, c02, c03, 8, acc);
  storeRow(pc + rowC, c10, c11, 8, acc);
  storeRow(pc + rowC + 32, c12, c13, 8, acc);
}

// c[0..32) (+)= Σ_k a[k]·B[k, 0..32): 8 accumulators. As the main block, 16 columns measured
// about 1.5× slower on 1×784×512 (fewer multiply-adds per splat and per loop step); 64 would
// spill V8's 16 x64 vector registers.
@inline
function columns32(pa: usize, stepA: usize, pb: usize, rowB: usize, pc: usize, K: i32, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const s = v128.load32_splat(pa);
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
    c2 = f32x4.add(c2, f32x4.mul(s, v128.load(pb, 32)));
    c3 = f32x4.add(c3, f32x4.mul(s, v128.load(pb, 48)));
    c4 = f32x4.add(c4, f32x4.mul(s, v128.load(pb, 64)));
    c5 = f32x4.add(c5, f32x4.mul(s, v128.load(pb, 80)));
    c6 = f32x4.add(c6, f32x4.mul(s, v128.load(pb, 96)));
    c7 = f32x4.add(c7, f32x4.mul(s, v128.load(pb, 112)));
    pa += stepA;
    pb += rowB;
  }
  storeVec(pc, c0, acc);
  storeVec(pc + 16, c1, acc);
  storeVec(pc + 32, c2, acc);
  storeVec(pc + 48, c3, acc);
  storeVec(pc + 64, c4, acc);
  storeVec(pc + 80, c5, acc);
  storeVec(pc + 96, c6, acc);
  storeVec(pc + 112, c7, acc);
}

@inline
function columns16(pa: usize, stepA: usize, pb: usize, rowB: usize, pc: usize, K: i32, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const s = v128.load32_splat(pa);
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
    c2 = f32x4.add(c2, f32x4.mul(s, v128.load(pb, 32)));
    c3 = f32x4.add(c3, f32x4.mul(s, v128.load(pb, 48)));
    pa += stepA;
    pb += rowB;
  }
  storeVec(pc, c0, acc);
  storeVec(pc + 16, c1, acc);
  storeVec(pc + 32, c2, acc);
  storeVec(pc + 48, c3, acc);
}

function columns4(pa: usize, stepA: usize, pb: usize, rowB: usize, pc: usize, K: i32, acc: bool): void {
  let c0 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
    pa += stepA;
    pb += rowB;
  }
  storeVec(pc, c0, acc);
}

function column1(pa: usize, stepA: usize, pb: usize, rowB: usize, pc: usize, K: i32, acc: bool): void {
  let s: f32 = 0;
  for (let k = 0; k < K; k++) {
    s += load<f32>(pa) * load<f32>(pb);
    pa += stepA;
    pb += rowB;
  }
  storeLane(pc, s, acc);
}
