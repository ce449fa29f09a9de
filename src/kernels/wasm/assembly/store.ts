// Stores of v128 results into C shared by the packed kernel (gemm.ts) and the few-rows kernel
// (fewRows.ts). Partial rows extract lanes: no static scratch (see gemm.ts).

// Store one row of 8 results (two v128) to C, adding to what is there when `acc` is set, and
// writing only the first w columns of a partial panel (lanes extracted: no static scratch).
// With `relu` each stored value is max(v, 0) as the ReLU op computes it: pmax(v, 0) is
// `v < 0 ? 0 : v`, so NaN and −0 pass.
@inline
export function storeRow(pc: usize, lo: v128, hi: v128, w: i32, acc: bool, relu: bool = false): void {
  if (w == 8) {
    if (acc) {
      lo = f32x4.add(lo, v128.load(pc));
      hi = f32x4.add(hi, v128.load(pc, 16));
    }
    v128.store(pc, relu ? clampVec(lo) : lo);
    v128.store(pc, relu ? clampVec(hi) : hi, 16);
  } else if (w >= 4) {
    if (acc) lo = f32x4.add(lo, v128.load(pc));
    v128.store(pc, relu ? clampVec(lo) : lo);
    storeLanes(pc + 16, hi, w - 4, acc, relu);
  } else {
    storeLanes(pc, lo, w, acc, relu);
  }
}

/** max(v, 0) per lane as ReLU computes it: pmax(v, 0) is `v < 0 ? 0 : v` (NaN and −0 pass). */
@inline
function clampVec(v: v128): v128 {
  return f32x4.pmax(v, f32x4.splat(0));
}

/** Store the first n (< 4) lanes of v at p, adding to what is there when `acc` is set. */
@inline
export function storeLanes(p: usize, v: v128, n: i32, acc: bool, relu: bool = false): void {
  if (n > 0) storeLane(p, f32x4.extract_lane(v, 0), acc, relu);
  if (n > 1) storeLane(p + 4, f32x4.extract_lane(v, 1), acc, relu);
  if (n > 2) storeLane(p + 8, f32x4.extract_lane(v, 2), acc, relu);
}

@inline
export function storeLane(p: usize, v: f32, acc: bool, relu: bool = false): void {
  const r = acc ? load<f32>(p) + v : v;
  store<f32>(p, relu ? (r < <f32>0 ? <f32>0 : r) : r);
}

@inline
export function storeVec(p: usize, v: v128, acc: bool): void {
  v128.store(p, acc ? f32x4.add(v, v128.load(p)) : v);
}
