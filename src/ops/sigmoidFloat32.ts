// The logistic function over whole float32 arrays, computed IN FLOAT32 by steps that
// WebAssembly SIMD runs four lanes at a time (sigmoidF32 in kernels/wasm/assembly/elementwise.ts:
// the same operations in the same order, so the same bits). Until 2026-11 this was float64
// arithmetic rounded once (exactly Math.fround of the float64 σ); that cost ~3.7 ns per element
// even in SIMD float64 lanes (float32 lanes: ~1.8 ns, four vectors per pass), which could not
// beat TF.js wasm on large arrays. The TypeScript loop is slower than the old one (~50 vs ~12 ns per element: each
// Math.fround adds a conversion), but it only runs below WASM_SIGMOID_MIN (16) elements.
//
//   a = min(|x|, 104)             beyond 104, σ is 1 or +0 in float32
//   t = −a·log₂e + 1.5·2²³        k = t − 1.5·2²³ = round(−a·log₂e), ties to even
//   r = (−a − k·LN2_HI) − k·LN2_LO        Cody–Waite: k·LN2_HI and the first difference are exact
//   s = r + r²·q(r)               q: Taylor terms 1/2! … 1/7! grouped as Estrin's scheme,
//                                 (c₂ + c₃r) + r²·((c₄ + c₅r) + r²·(c₆ + c₇r)) (|r| ≤ 0.35: 5e-9 truncation)
//   p = 1 + s,   pLo = s − (p − 1)        pLo: what rounding 1 + s dropped (exact)
//   e = (p·2^(k+25))·2^−25 = e^−a         below 2^−126 this rounds once into the denormals
//   d = 1 + e,   dLo = e − (d − 1)        dLo: what rounding 1 + e dropped (exact)
//   y₀ = e / d,  c = (eLo − y₀·(dLo + eLo))·(1 − y₀)     first-order correction of y₀ for pLo
//       (eLo: pLo scaled as e) and dLo; 1 − y₀ stands for 1/d
//   σ = x ≥ 0 ? (1 − y₀) − c : y₀ + c
//
// Every step rounds to float32 (here with Math.fround: rounding the float64 result of one +, −,
// ×, ÷ of float32 operands to float32 equals the float32 operation). Error against the float64 σ:
// at most 1.51 ulp over all 2³² float32 inputs (checked exhaustively through the kernel, whose
// bits equalled this loop's on 16.8 million of them; NaN always gave NaN), ≤ 2 ulp asserted on
// millions in the tests; 2.3 ulp without the correction. σ(±0) = 0.5, σ(+∞) = 1, σ(−∞) = +0.
import * as exp from './fastExp.js';

// Module-local copies: a loop reading imported bindings directly ran 30× slower under tsx, whose
// module transform turns each read into a property get.
const { wasmActivations: WASM, WASM_SIGMOID_MIN: WASM_MIN } = exp;
const { SIGMOID_LIMIT: LIMIT, LOG2E_F32: LOG2E, ROUND_EVEN_F32: ROUND_EVEN, LN2_HI_F32: LN2_HI, LN2_LO_F32: LN2_LO, UNSCALE_F32: UNSCALE } = exp;
const [C7, C6, C5, C4, C3, C2] = exp.TAYLOR_F32 as [number, number, number, number, number, number];
const F = Math.fround;
/** 2^(k+25) for k = −150…0, at index k + 150. */
const SCALES = new Float64Array(151).map((_, i) => 2 ** (i - 125));

/**
 * σ(x) = 1/(1 + e⁻ˣ) of every value of `src` into `dst` (may be the same array), in float32
 * arithmetic, within 2 ulp of the exact value; the same bits as the WebAssembly kernel, which
 * runs from WASM_SIGMOID_MIN elements up.
 * @example const y = new Float32Array(2); sigmoidFloat32Into(Float32Array.of(0, 2), y); // y ≈ [0.5, 0.8808]
 */
export function sigmoidFloat32Into(src: Float32Array, dst: Float32Array): void {
  if (src.length >= WASM_MIN && WASM !== null && WASM.forward('sigmoid', src, dst) !== null) return;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    const na = -Math.min(Math.abs(v), LIMIT);
    const kf = F(F(F(na * LOG2E) + ROUND_EVEN) - ROUND_EVEN);
    const r = F(F(na - F(kf * LN2_HI)) - F(kf * LN2_LO));
    const r2 = F(r * r);
    const q = F(F(C2 + F(C3 * r)) + F(r2 * F(F(C4 + F(C5 * r)) + F(r2 * F(C6 + F(C7 * r))))));
    const s = F(r + F(r2 * q));
    const p = F(1 + s);
    const pLo = F(s - F(p - 1));
    const scale = SCALES[(kf | 0) + 150]!; // NaN: kf | 0 is 0, and e stays NaN
    const e = F(F(p * scale) * UNSCALE);
    const eLo = F(F(pLo * scale) * UNSCALE);
    const d = F(1 + e);
    const dLo = F(e - F(d - 1));
    const y0 = F(e / d);
    const inverse = F(1 - y0);
    const correction = F(F(eLo - F(y0 * F(dLo + eLo))) * inverse);
    dst[i] = v >= 0 ? F(inverse - correction) : F(y0 + correction);
  }
}
