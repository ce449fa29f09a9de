// The logistic function over whole float32 arrays, with fastExp.ts's eˣ (256-entry table,
// degree-4 polynomial, relative error below 5e-16) written out in the loop: V8 does not always
// inline a helper of that size per element, and sigmoid is little else than one exp and a division.
import * as exp from './fastExp.js';

// Module-local copies: a loop reading imported bindings directly ran 30× slower under tsx, whose
// module transform turns each read into a property get.
const { TABLE_BITS, TABLE_SIZE, INV_STEP, STEP_HI, STEP_LO, ROUNDER, MAX_EXPONENT, FRACTION_POWERS, INTEGER_POWERS } = exp;
const LIMIT = exp.FAST_EXP_LIMIT;

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
