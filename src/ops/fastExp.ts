// eˣ in plain arithmetic that V8 inlines into the calling loop. Math.exp is a call into C++
// (about 10 ns in V8); this is a table lookup and a degree-4 polynomial, with a relative error
// of a few 1e-16 — far below float32's half-ulp (3e-8), so float32 results round as with
// Math.exp. Used by activations whose float32 path is evaluated millions of times (tanh).
// Also here: the float32 constants of sigmoidFloat32.ts, and the WebAssembly SIMD kernels of the
// activations, built with both sets of constants so that they compute what the loops compute.
import { createWasmElementwise, type WasmElementwise } from '../kernels/wasm/elementwise.js';
import { wasmRuntime } from '../kernels/wasm/runtime.js';

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

/**
 * The constants and tables above in the layout the WebAssembly tanh kernel reads (see
 * kernels/wasm/assembly/elementwise.ts), so both evaluate e^x with the same numbers.
 * @example expTableForWasm()[0] === INV_STEP; // true
 */
export function expTableForWasm(): Float64Array {
  const t = new Float64Array(4 + TABLE_SIZE + INTEGER_POWERS.length);
  t.set([INV_STEP, STEP_HI, STEP_LO, ROUNDER]);
  t.set(FRACTION_POWERS, 4);
  t.set(INTEGER_POWERS, 4 + TABLE_SIZE);
  return t;
}

// e^−a in float32 for sigmoidFloat32.ts (each a float32 value; steps and error there).
const F = Math.fround;
/** Beyond |x| = 104 σ is 1 or +0 in float32 (e^−104 is below half the least denormal). */
export const SIGMOID_LIMIT = 104;
export const LOG2E_F32 = F(Math.LOG2E);
/** 1.5·2²³: adding it to a float32 t (|t| < 2²²) rounds t to an integer, ties to even, held in the low mantissa bits. */
export const ROUND_EVEN_F32 = 12582912;
/** ln 2 in two parts (Cody–Waite): LN2_HI_F32 has 15 significant bits, so k·LN2_HI_F32 is exact for |k| ≤ 512. */
export const LN2_HI_F32 = 0.693145751953125;
export const LN2_LO_F32 = F(Math.LN2 - LN2_HI_F32);
/** Taylor coefficients 1/7!, 1/6!, …, 1/2! (Horner order) of eʳ − 1 − r over r². */
export const TAYLOR_F32 = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2].map(F);
/** 2^−25, undoing the 2^25 folded into each scale 2^(k+25) (which keeps the scale a normal float32 down to k = −150). */
export const UNSCALE_F32 = 2 ** -25;

/**
 * The sigmoid kernel's constants block: 16 groups of four equal lanes, in the order sigmoidF32
 * loads them (the last three as int32 bits: scale bias, sign bit, zero).
 * @example sigmoidConstantsForWasm()[0]; // -104
 */
export function sigmoidConstantsForWasm(): Float32Array {
  const scalars = [-SIGMOID_LIMIT, LOG2E_F32, ROUND_EVEN_F32, LN2_HI_F32, LN2_LO_F32, ...TAYLOR_F32, 1, UNSCALE_F32];
  const c = new Float32Array(16 * 4);
  scalars.forEach((v, i) => c.fill(v, 4 * i, 4 * i + 4));
  const bits = new Int32Array(c.buffer);
  // bits of (t + ROUND_EVEN_F32) plus this, shifted left by 23, are the float32 bits of 2^(k+25)
  bits.fill(25 + 127 - 0x4b400000, 52, 56);
  bits.fill(-0x80000000, 56, 60);
  return c;
}

/**
 * The SIMD kernels of relu, sigmoid and tanh over float32 arrays (null without WebAssembly
 * SIMD). They give the same bits as the loops in activations.ts, sigmoidFloat32.ts and here.
 */
export const wasmActivations: WasmElementwise | null = wasmRuntime ? createWasmElementwise(wasmRuntime, expTableForWasm(), sigmoidConstantsForWasm()) : null;

// From these many elements the activations run in the WebAssembly kernels: below, the call and
// the copies in and out cost more than the TypeScript loop saves. Per call, median of 7 (2-core
// VM, loaded): sigmoid 32 elements 0.5 µs in wasm vs 1.6 µs in TypeScript (whose float32 steps
// each round through Math.fround), tanh 64: 0.9 vs 1.3 µs, relu 128 (output allocated): 1.3 vs
// 1.35 µs; backward rules 256: 2.1 vs 2.2 µs (sigmoid), 1.8 vs 2.8 µs (relu).
export const WASM_SIGMOID_MIN = 16;
export const WASM_TANH_MIN = 64;
export const WASM_RELU_MIN = 128;
export const WASM_BACKWARD_MIN = 256;

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
 * half-ulp, so the results round as Math.fround(Math.tanh(x)) does. From WASM_TANH_MIN elements
 * the WebAssembly kernel runs the same float64 steps two lanes at a time (same bits).
 * @example const y = new Float32Array(2); tanhFloat32Into(Float32Array.of(0, 1), y); // y ≈ [0, 0.7616]
 */
export function tanhFloat32Into(src: Float32Array, dst: Float32Array): void {
  if (src.length >= WASM_TANH_MIN && wasmActivations !== null && wasmActivations.forward('tanh', src, dst) !== null) return;
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
