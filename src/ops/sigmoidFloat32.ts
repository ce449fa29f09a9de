// The logistic function over whole float32 arrays, with eˣ written out in the loop (V8 does
// not always inline a helper of that size per element). The exp uses a 256-entry table of
// 2^(j/256), so the remainder is at most ln2/512 and a degree-4 polynomial already reaches a
// relative error below 5e-16 — fewer operations per element than the 32-entry, degree-6 exp in
// fastExp.ts, which matters here because sigmoid is little else than one exp and a division.

const TABLE_BITS = 8;
const TABLE_SIZE = 1 << TABLE_BITS;
const INV_STEP = TABLE_SIZE / Math.LN2;
// ln2/256 split in two (Cody–Waite): n·STEP_HI is exact for the |n| < 2¹⁵ that |x| ≤ 80 gives.
const LN2_TAIL = 2.3190468138462996e-17; // ln 2 − Math.LN2
const STEP_HI = Math.round((Math.LN2 / TABLE_SIZE) * 2 ** 36) / 2 ** 36;
const STEP_LO = (Math.LN2 - TABLE_SIZE * STEP_HI + LN2_TAIL) / TABLE_SIZE;
const ROUNDER = 6755399441055744; // 1.5·2⁵²: adding and subtracting it rounds to an integer
const MAX_EXPONENT = 128;
/** Beyond this |x| the table of powers would not reach; such inputs take Math.exp. */
const LIMIT = 80;

/** 2^(j/256) for j = 0…255. */
const FRACTION_POWERS = new Float64Array(TABLE_SIZE).map((_, j) => 2 ** (j / TABLE_SIZE));
/** 2^k for k = −128…128 (exact powers of two). */
const INTEGER_POWERS = new Float64Array(2 * MAX_EXPONENT + 1).map((_, i) => 2 ** (i - MAX_EXPONENT));

/**
 * 1/(1 + e⁻ˣ) of every value of `src` into `dst` (may be the same array). Errors are ~1e-15,
 * far below float32's half-ulp, so results round as Math.fround of the float64 value does.
 * @example const y = new Float32Array(2); sigmoidFloat32Into(Float32Array.of(0, 2), y); // y ≈ [0.5, 0.8808]
 */
export function sigmoidFloat32Into(src: Float32Array, dst: Float32Array): void {
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v >= -LIMIT && v <= LIMIT) {
      // e⁻ᵛ cannot overflow here, so one formula serves both signs: no data-dependent branch.
      const x = -v;
      const n = x * INV_STEP + ROUNDER - ROUNDER;
      const r = x - n * STEP_HI - n * STEP_LO;
      const ni = n | 0;
      const r2 = r * r;
      const p = 1 + r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24));
      const e = p * FRACTION_POWERS[ni & (TABLE_SIZE - 1)]! * INTEGER_POWERS[(ni >> TABLE_BITS) + MAX_EXPONENT]!;
      dst[i] = 1 / (1 + e);
    } else dst[i] = sigmoidFar(v);
  }
}

/** σ for |x| > 80 and NaN: 1 above, e^x (a float32 denormal or 0) below, NaN for NaN. */
function sigmoidFar(v: number): number {
  if (v > 0) return 1;
  const e = Math.exp(v);
  return e / (1 + e);
}
