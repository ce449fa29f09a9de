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
// The constants come from the driver (`consts`: 16 v128 of four equal lanes, in the order loaded
// below, from fastExp.ts). Loaded once before the loop they stay in registers, whereas V8
// rematerialises each v128.const at every use inside the loop (3 instructions each).

/** dst = σ(src) in float32 lanes, as sigmoidFloat32Into computes it. */
export function sigmoidF32(src: usize, dst: usize, n: i32, consts: usize): void {
  const negativeLimit = v128.load(consts, 0); // −104
  const log2e = v128.load(consts, 16);
  const roundEven = v128.load(consts, 32);
  const ln2Hi = v128.load(consts, 48);
  const ln2Lo = v128.load(consts, 64);
  const c7 = v128.load(consts, 80);
  const c6 = v128.load(consts, 96);
  const c5 = v128.load(consts, 112);
  const c4 = v128.load(consts, 128);
  const c3 = v128.load(consts, 144);
  const c2 = v128.load(consts, 160);
  const one = v128.load(consts, 176);
  const unscale = v128.load(consts, 192); // 2^−25
  const scaleBias = v128.load(consts, 208); // i32: bits of t + roundEven, plus this, << 23 = bits of 2^(k+25)
  const sign = v128.load(consts, 224); // i32 0x80000000
  const zero = v128.load(consts, 240);
  // Software-pipelined in three stages: each pass of the loop runs stage 1 on vector j, stage 2
  // on vector j − 1 and stage 3 on vector j − 2. One vector's chain of dependent operations is
  // ~100 cycles long, and the out-of-order window holds only ~3 vectors' worth of instructions,
  // so the unpipelined loop waited on that latency (min of 31 alternating runs per million floats:
  // 2.44 ms unpipelined, 2.22 ms pipelined).
  if (n <= 0) return;
  const last = ((n + 3) >> 2) - 1;
  let x1 = zero, r1 = zero, t1 = zero; // stage 1's results for vector j − 1
  let x2 = zero, e2 = zero, eLo2 = zero; // stage 2's results for vector j − 2
  for (let j = 0; j <= last + 2; j++) {
    // Stage 3, vector j − 2: σ from e = e^−|x| and what rounding dropped from it.
    if (j >= 2) {
      const d = f32x4.add(one, e2);
      const dLo = f32x4.sub(e2, f32x4.sub(d, one)); // exact: what rounding 1 + e dropped
      const y0 = f32x4.div(e2, d);
      const inverse = f32x4.sub(one, y0); // ≈ 1/d
      const correction = f32x4.mul(f32x4.sub(eLo2, f32x4.mul(y0, f32x4.add(dLo, eLo2))), inverse);
      // σ(−|x|) = y0 + correction; σ(|x|) = 1 − that = inverse − correction (computed side by side)
      v128.store(dst + (<usize>(j - 2) << 4), v128.bitselect(f32x4.sub(inverse, correction), f32x4.add(y0, correction), f32x4.ge(x2, zero)));
    }
    // Stage 2, vector j − 1: e = (p·2^(k+25))·2^−25 with p = eʳ = 1 + s.
    // q = (c2 + c3·r) + r²·((c4 + c5·r) + r²·(c6 + c7·r)): Estrin's grouping, a shorter chain
    // of dependent operations than Horner's.
    const rr = f32x4.mul(r1, r1);
    const q45 = f32x4.add(c6, f32x4.mul(c7, r1));
    const q23 = f32x4.add(c4, f32x4.mul(c5, r1));
    const q01 = f32x4.add(c2, f32x4.mul(c3, r1));
    const q = f32x4.add(q01, f32x4.mul(rr, f32x4.add(q23, f32x4.mul(rr, q45))));
    const s = f32x4.add(r1, f32x4.mul(rr, q));
    const p = f32x4.add(one, s);
    const pLo = f32x4.sub(s, f32x4.sub(p, one)); // exact: what rounding 1 + s dropped
    const scale = v128.shl<i32>(i32x4.add(t1, scaleBias), 23); // 2^(k+25)
    x2 = x1;
    e2 = f32x4.mul(f32x4.mul(p, scale), unscale);
    eLo2 = f32x4.mul(f32x4.mul(pLo, scale), unscale);
    // Stage 1, vector j (the last one again past the end: computed, never stored).
    const x = v128.load(src + (<usize>min(j, last) << 4));
    const na = f32x4.pmax(v128.or(x, sign), negativeLimit); // −min(|x|, 104); pmax keeps NaN
    const t = f32x4.add(f32x4.mul(na, log2e), roundEven); // round(−a·log₂e) sits in the low mantissa bits
    const k = f32x4.sub(t, roundEven);
    x1 = x;
    t1 = t;
    r1 = f32x4.sub(f32x4.sub(na, f32x4.mul(k, ln2Hi)), f32x4.mul(k, ln2Lo));
  }
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
