// Elementwise float32 activations and their derivatives (ReLU, sigmoid, tanh) over whole arrays,
// 4 floats per step. Part of the module built from gemm.ts (which re-exports these).
//
// Each kernel computes exactly what the TypeScript loops in src/ops compute, bit for bit:
// ReLU on float32 lanes (pmax(v, 0) is `v < 0 ? 0 : v`, so NaN and −0 pass), sigmoid and tanh
// in float64 lanes with the same operations in the same order as src/ops/fastExp.ts (the table
// exp), rounded once to float32 at the end. WebAssembly has no fused multiply-add in these
// instructions and keeps denormals, so each float64 operation rounds as V8's does.
//
// Kernels read and write ⌈n/4⌉·4 floats (the driver pads its scratch): the lanes past n compute
// on whatever is there, harmlessly, since inputs are clamped before any table index is formed.
//
// `table` is a block the driver fills from fastExp.ts (no static data here, see gemm.ts):
// f64 [INV_STEP, STEP_HI, STEP_LO, ROUNDER], then 2^(j/256) for j = 0…255 (at byte 32), then
// 2^k for k = −MAX_EXPONENT…MAX_EXPONENT (at byte FRACTIONS_END).

const FRACTIONS_AT: usize = 32;
const FRACTIONS_END: usize = FRACTIONS_AT + 256 * 8;
/** Must equal fastExp.ts's MAX_EXPONENT (the driver checks). */
const MAX_EXPONENT: i32 = 128;

/** The table's length in bytes, for the driver to allocate and check. */
export function expTableBytes(): i32 {
  return <i32>FRACTIONS_END + (2 * MAX_EXPONENT + 1) * 8;
}

/** dst = max(src, 0) as ReLU computes it (`v < 0 ? 0 : v`: NaN and −0 pass). */
export function reluF32(src: usize, dst: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = src + (<usize>((n + 3) & ~3) << 2);
  for (; src < end; src += 16, dst += 16) v128.store(dst, f32x4.pmax(v128.load(src), zero));
}

/** gx = y <= 0 ? +0 : g (y is ReLU's output; NaN keeps g, as PyTorch). */
export function reluGradF32(y: usize, g: usize, gx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = y + (<usize>((n + 3) & ~3) << 2);
  for (; y < end; y += 16, g += 16, gx += 16) v128.store(gx, v128.andnot(v128.load(g), f32x4.le(v128.load(y), zero)));
}

/** The two float64 halves of four float32 lanes, rounded back and rejoined. */
@inline
function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

@inline
function join(lo: v128, hi: v128): v128 {
  return v128.shuffle<i64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** eˣ on two float64 lanes (|x| within the table's range), as fastExp.ts's expSmallRange. */
@inline
function exp2Lanes(x: v128, table: usize): v128 {
  const invStep = f64x2.splat(load<f64>(table, 0));
  const stepHi = f64x2.splat(load<f64>(table, 8));
  const stepLo = f64x2.splat(load<f64>(table, 16));
  const rounder = f64x2.splat(load<f64>(table, 24));
  const n = f64x2.sub(f64x2.add(f64x2.mul(x, invStep), rounder), rounder);
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(n, stepHi)), f64x2.mul(n, stepLo));
  const ni = i32x4.trunc_sat_f64x2_s_zero(n);
  const fraction = v128.shl<i32>(v128.and(ni, i32x4.splat(255)), 3);
  const integer = v128.shl<i32>(i32x4.add(i32x4.shr_s(ni, 8), i32x4.splat(MAX_EXPONENT)), 3);
  const fractions = table + FRACTIONS_AT;
  const integers = table + FRACTIONS_END;
  let f = v128.load64_zero(fractions + <usize>i32x4.extract_lane(fraction, 0));
  f = v128.load64_lane(fractions + <usize>i32x4.extract_lane(fraction, 1), f, 1);
  let p2 = v128.load64_zero(integers + <usize>i32x4.extract_lane(integer, 0));
  p2 = v128.load64_lane(integers + <usize>i32x4.extract_lane(integer, 1), p2, 1);
  // p = 1 + r + r²·(1/2 + r/6 + r²/24), grouped exactly as in fastExp.ts.
  const r2 = f64x2.mul(r, r);
  const inner = f64x2.add(f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(1.0 / 6.0))), f64x2.mul(r2, f64x2.splat(1.0 / 24.0)));
  const p = f64x2.add(f64x2.add(f64x2.splat(1), r), f64x2.mul(r2, inner));
  return f64x2.mul(f64x2.mul(p, f), p2);
}

// Sigmoid in float32 lanes, the same steps as sigmoidFloat32.ts (which explains them and their
// error): f = σ(−|x|) from e = e^−|x| (Cody–Waite reduction, degree-7 Taylor polynomial) as
// e/(1 + e) plus one correction for the rounding errors of 1 + s and 1 + e; σ = x ≥ 0 ? 1 − f : f.
// The constants come from the driver (`consts`: 16 v128 of four equal lanes at the offsets read
// below, from fastExp.ts).

/** dst = σ(src) in float32 lanes, as sigmoidFloat32Into computes it. */
export function sigmoidF32(src: usize, dst: usize, n: i32, consts: usize): void {
  // Four independent vectors per pass: one vector's chain of dependent operations is ~100 cycles
  // long, and four chains side by side keep the core's arithmetic units busy. Per million floats
  // on one thread (median of 15): 1.74 ms, against 2.50 for the three-stage software pipeline this
  // replaced and 2.6 for eight vectors per pass (more live values than registers: spills).
  const end = src + (<usize>((n + 3) & ~3) << 2);
  for (; src + 64 <= end; src += 64, dst += 64) {
    const a = sigmoidVector(v128.load(src), consts);
    const b = sigmoidVector(v128.load(src, 16), consts);
    const c = sigmoidVector(v128.load(src, 32), consts);
    const d = sigmoidVector(v128.load(src, 48), consts);
    v128.store(dst, a);
    v128.store(dst, b, 16);
    v128.store(dst, c, 32);
    v128.store(dst, d, 48);
  }
  for (; src < end; src += 16, dst += 16) v128.store(dst, sigmoidVector(v128.load(src), consts));
}

/**
 * σ of four float32 lanes. The constants are read from the driver's block at each use: V8 keeps
 * repeated loads of one address in a register or folds them into the arithmetic as memory
 * operands, while a v128.const would be rematerialised at every use (3 instructions each).
 */
@inline
function sigmoidVector(x: v128, consts: usize): v128 {
  const one = v128.load(consts, 176);
  // e = e^−a with a = min(|x|, 104): k = round(−a·log₂e) sits in the low mantissa bits of t.
  const na = f32x4.pmax(v128.or(x, v128.load(consts, 224)), v128.load(consts, 0)); // −min(|x|, 104); pmax keeps NaN
  const t = f32x4.add(f32x4.mul(na, v128.load(consts, 16)), v128.load(consts, 32));
  const k = f32x4.sub(t, v128.load(consts, 32));
  const r = f32x4.sub(f32x4.sub(na, f32x4.mul(k, v128.load(consts, 48))), f32x4.mul(k, v128.load(consts, 64)));
  // p = eʳ = 1 + s, q = (c2 + c3·r) + r²·((c4 + c5·r) + r²·(c6 + c7·r)) (Estrin's grouping).
  const rr = f32x4.mul(r, r);
  const q67 = f32x4.add(v128.load(consts, 96), f32x4.mul(v128.load(consts, 80), r));
  const q45 = f32x4.add(v128.load(consts, 128), f32x4.mul(v128.load(consts, 112), r));
  const q23 = f32x4.add(v128.load(consts, 160), f32x4.mul(v128.load(consts, 144), r));
  const q = f32x4.add(q23, f32x4.mul(rr, f32x4.add(q45, f32x4.mul(rr, q67))));
  const s = f32x4.add(r, f32x4.mul(rr, q));
  const p = f32x4.add(one, s);
  const pLo = f32x4.sub(s, f32x4.sub(p, one)); // exact: what rounding 1 + s dropped
  // e = (p·2^(k+25))·2^−25: below 2^−126 this rounds once into the denormals.
  const scale = v128.shl<i32>(i32x4.add(t, v128.load(consts, 208)), 23);
  const unscale = v128.load(consts, 192);
  const e = f32x4.mul(f32x4.mul(p, scale), unscale);
  const eLo = f32x4.mul(f32x4.mul(pLo, scale), unscale);
  // σ(−a) = e/(1 + e), corrected for pLo and for what rounding 1 + e dropped (dLo).
  const d = f32x4.add(one, e);
  const dLo = f32x4.sub(e, f32x4.sub(d, one)); // exact
  const y0 = f32x4.div(e, d);
  const inverse = f32x4.sub(one, y0); // ≈ 1/d
  const correction = f32x4.mul(f32x4.sub(eLo, f32x4.mul(y0, f32x4.add(dLo, eLo))), inverse);
  // σ(−|x|) = y0 + correction; σ(|x|) = 1 − that = inverse − correction.
  return v128.bitselect(f32x4.sub(inverse, correction), f32x4.add(y0, correction), f32x4.ge(x, v128.load(consts, 240)));
}

/** tanh on two float64 lanes as tanhFloat32Into: v − v³/3 for |v| < 1e-4, else (e²ᵛ−1)/(e²ᵛ+1) with v clamped to ±20 (exactly ±1 there). */
@inline
function tanh2(v: v128, table: usize): v128 {
  const clamped = f64x2.pmin(f64x2.pmax(v, f64x2.splat(-20)), f64x2.splat(20));
  const e = exp2Lanes(f64x2.mul(f64x2.splat(2), clamped), table);
  const far = f64x2.div(f64x2.sub(e, f64x2.splat(1)), f64x2.add(e, f64x2.splat(1)));
  const near = f64x2.mul(v, f64x2.sub(f64x2.splat(1), f64x2.div(f64x2.mul(v, v), f64x2.splat(3))));
  const small = v128.and(f64x2.lt(v, f64x2.splat(1e-4)), f64x2.gt(v, f64x2.splat(-1e-4)));
  return v128.bitselect(near, far, small);
}

/** dst = tanh(src), rounded to float32 as tanhFloat32Into does. */
export function tanhF32(src: usize, dst: usize, n: i32, table: usize): void {
  const end = src + (<usize>((n + 3) & ~3) << 2);
  for (; src < end; src += 16, dst += 16) {
    const v = v128.load(src);
    v128.store(dst, join(tanh2(f64x2.promote_low_f32x4(v), table), tanh2(high(v), table)));
  }
}

/** gx = (g·(1 − y))·y in float32 lanes, as torch's sigmoid_backward (σ′ from σ's output y). */
export function sigmoidGradF32(y: usize, g: usize, gx: usize, n: i32): void {
  const one = f32x4.splat(1);
  const end = y + (<usize>((n + 3) & ~3) << 2);
  for (; y < end; y += 16, g += 16, gx += 16) {
    const yv = v128.load(y);
    v128.store(gx, f32x4.mul(f32x4.mul(v128.load(g), f32x4.sub(one, yv)), yv));
  }
}

/**
 * gx = g·(1 − y²) as torch's tanh_backward (tanh′ from tanh's output y): 1 − y² in float64 lanes,
 * where y² is exact, rounded once to float32 like the fused multiply-add torch compiles it to;
 * the product with g in float32 lanes.
 */
export function tanhGradF32(y: usize, g: usize, gx: usize, n: i32): void {
  const one = f64x2.splat(1);
  const end = y + (<usize>((n + 3) & ~3) << 2);
  for (; y < end; y += 16, g += 16, gx += 16) {
    const yv = v128.load(y);
    const y0 = f64x2.promote_low_f32x4(yv);
    const y1 = high(yv);
    const d = join(f64x2.sub(one, f64x2.mul(y0, y0)), f64x2.sub(one, f64x2.mul(y1, y1)));
    v128.store(gx, f32x4.mul(v128.load(g), d));
  }
}
