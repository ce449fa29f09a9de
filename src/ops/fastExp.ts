// eˣ in plain arithmetic that V8 inlines into the calling loop. Math.exp is a call into C++
// (about 10 ns in V8); this is a table lookup and a degree-4 polynomial, with a relative error
// of a few 1e-16 — far below float32's half-ulp (3e-8), so float32 results round as with
// Math.exp. Used by activations whose float32 path is evaluated millions of times (tanh, and sigmoid in
// sigmoidFloat32.ts, which writes the same steps out in its own loop from the constants below).

export const TABLE_BITS = 8;
export const TABLE_SIZE = 1 << TABLE_BITS; // eˣ = 2^(n/256) · e^r, |r| ≤ ln2/512: r⁵/5! < 4e-17
export const INV_STEP = TABLE_SIZE / Math.LN2;
// ln2/256 split in two (Cody–Waite): STEP_HI has few enough bits that n·STEP_HI is exact for
// the |n| < 2¹⁵ that |x| ≤ 80 gives; STEP_LO carries the rest, including the part of ln 2 a
// double cannot hold.
const LN2_TAIL = 2.3190468138462996e-17; // ln 2 − Math.LN2
export const STEP_HI = Math.round((Math.LN2 / TABLE_SIZE) * 2 ** 36) / 2 ** 36;
export const STEP_LO = (Math.LN2 - TABLE_SIZE * STEP_HI + LN2_TAIL) / TABLE_SIZE;
// Round to nearest integer by the 1.5·2⁵² trick (exact for |t| < 2⁵¹, no call).
export const ROUNDER = 6755399441055744;
export const MAX_EXPONENT = 128;

/** 2^(j/256) for j = 0…255. */
export const FRACTION_POWERS = new Float64Array(TABLE_SIZE).map((_, j) => 2 ** (j / TABLE_SIZE));
/** 2^k for k = −128…128 (exact powers of two). */
export const INTEGER_POWERS = new Float64Array(2 * MAX_EXPONENT + 1).map((_, i) => 2 ** (i - MAX_EXPONENT));

/** The largest |x| expSmallRange accepts: e^±80 stays far inside the exponent table. */
export const FAST_EXP_LIMIT = 80;

/**
 * eˣ for |x| ≤ 80 (callers clamp first; NaN gives NaN). Relative error about 5e-16 (2 ulp).
 * @example expSmallRange(1); // 2.718281828459045 (± 1 ulp)
 */
export function expSmallRange(x: number): number {
  const n = x * INV_STEP + ROUNDER - ROUNDER;
  const r = x - n * STEP_HI - n * STEP_LO;
  const ni = n | 0;
  // Taylor terms to r⁴ grouped by powers of r² (Estrin): a shorter chain of dependent
  // operations than Horner's, so more of a loop's iterations overlap.
  const r2 = r * r;
  const p = 1 + r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24));
  return p * FRACTION_POWERS[ni & (TABLE_SIZE - 1)]! * INTEGER_POWERS[(ni >> TABLE_BITS) + MAX_EXPONENT]!;
}

/**
 * tanh of every float32 value of `src` into `dst` (may be the same array): (e²ˣ−1)/(e²ˣ+1)
 * with the exp above written out in the loop, since V8 does not always inline a call of this
 * size per element; x − x³/3 near 0, where that difference would cancel, and ±1 beyond
 * |x| = 20 (tanh is 1 in float32 from |x| ≈ 9). Errors are ~1e-15, far below float32's
 * half-ulp, so the results round as Math.fround(Math.tanh(x)) does.
 * @example const y = new Float32Array(2); tanhFloat32Into(Float32Array.of(0, 1), y); // y ≈ [0, 0.7616]
 */
export function tanhFloat32Into(src: Float32Array, dst: Float32Array): void {
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v > 20) dst[i] = 1;
    else if (v < -20) dst[i] = -1;
    else if (v < 1e-4 && v > -1e-4) dst[i] = v * (1 - (v * v) / 3);
    else {
      const x = 2 * v;
      const n = x * INV_STEP + ROUNDER - ROUNDER;
      const r = x - n * STEP_HI - n * STEP_LO;
      const ni = n | 0;
      const r2 = r * r;
      const p = 1 + r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24));
      const e = p * FRACTION_POWERS[ni & (TABLE_SIZE - 1)]! * INTEGER_POWERS[(ni >> TABLE_BITS) + MAX_EXPONENT]!;
      dst[i] = (e - 1) / (e + 1);
    }
  }
}
