import { isGradEnabled } from '../autograd/mode.js';
import { result } from '../autograd/record.js';
import { expSmallRange, FAST_EXP_LIMIT } from '../ops/fastExp.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import type { NestedArray, Tensor } from '../tensor/tensor.js';
import { targetLike } from './target.js';

// torch's backward clamps p(1−p) at 1e-12 written as a float32 constant; use the same value so
// an exact 0/1 prediction gives torch's gradient bit for bit.
const GRAD_EPS = Math.fround(1e-12);

/**
 * Binary cross-entropy (log loss) on probabilities, averaged over all B×M entries. Each log
 * term is clamped at −100 and the gradient's denominator p(1−p) at 1e-12, as PyTorch does,
 * so p = 0 or 1 gives finite values.
 * @example bceLoss(tensor([[0.9], [0.2]]), tensor([[1], [0]])).item(); // ≈ 0.1643
 */
export function bceLoss(p: Tensor, y: Tensor | NestedArray): Tensor {
  const t = targetLike(p, y, 'bceLoss', 'probability');
  const pd = p.data;
  const td = t.data;
  const n = pd.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const pi = pd[i]!;
    if (!(pi >= 0 && pi <= 1)) {
      throw new RangeError(`bceLoss: entry ${i} of the probabilities is ${pi}, outside [0, 1]; apply sigmoid first, or use bceWithLogitsLoss on logits`);
    }
    const lp = Math.max(Math.log(pi), -100);
    const l1p = Math.max(Math.log(1 - pi), -100);
    s -= td[i]! * lp + (1 - td[i]!) * l1p;
  }
  const out = allocate(p.dtype, 1);
  out[0] = s / n;
  return result(out, [], 'bceLoss', [p], (g) => {
    const gp = allocate(p.dtype, n);
    const scale = g[0]! / n;
    for (let i = 0; i < n; i++) {
      const pi = pd[i]!;
      gp[i] = (scale * (pi - td[i]!)) / Math.max(pi * (1 - pi), GRAD_EPS);
    }
    return [gp];
  });
}

/**
 * Binary cross-entropy on logits z (sigmoid folded in), stable for any |z|:
 * max(z, 0) − z·y + log(1 + e^−|z|), averaged over all entries.
 * @example bceWithLogitsLoss(tensor([[500]]), tensor([[0]])).item(); // 500
 */
export function bceWithLogitsLoss(z: Tensor, y: Tensor | NestedArray): Tensor {
  const t = targetLike(z, y, 'bceWithLogitsLoss', 'logits');
  const zd = z.data;
  const td = t.data;
  const n = zd.length;
  const recording = z.requiresGrad && isGradEnabled();
  // σ(z) kept for backward, in float64 and unrounded (a slab view when small).
  const sig = recording ? (allocate('float64', n) as Float64Array) : null;
  const out = allocate(z.dtype, 1);
  bceWithLogitsInto(zd, td, sig, out);
  return result(out, [], 'bceWithLogitsLoss', [z], (g) => {
    const gz = allocate(z.dtype, n);
    bceWithLogitsGradInto(sig!, td, g[0]!, gz);
    return [gz];
  }, true);
}

/**
 * out[0] = the mean of max(z, 0) − z·t + log(1 + e^−|z|) over all entries of `z` and targets
 * `t` (rounded to out's type); when `sig` is given, σ(z) is written into it (float64,
 * unrounded) for bceWithLogitsGradInto. The loss op and compiled training steps both call it,
 * so their values agree bit for bit. Results go into arrays, not return values: a double
 * passed out of a call that is not inlined costs V8 an allocation.
 * @example bceWithLogitsInto(Float32Array.of(0), Float32Array.of(1), null, out); // out[0] ≈ 0.6931 (log 2)
 */
export function bceWithLogitsInto(z: TypedArray, t: ArrayLike<number>, sig: Float64Array | null, out: TypedArray): void {
  const n = z.length;
  let s = 0;
  // e^−|z| serves both the loss and the sigmoid: one exp per entry.
  for (let i = 0; i < n; i++) {
    const zi = z[i]!;
    const a = Math.abs(zi);
    const e = a <= FAST_EXP_LIMIT ? expSmallRange(-a) : Math.exp(-a); // (NaN takes Math.exp)
    s += Math.max(zi, 0) - zi * t[i]! + Math.log1p(e);
    if (sig !== null) sig[i] = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  out[0] = s / n;
}

/**
 * gz = (upstream / n)·(σ(z) − t): the gradient of the mean loss of bceWithLogitsInto, scaled by
 * the upstream gradient, from the σ(z) it recorded (n = gz.length).
 * @example bceWithLogitsGradInto(sig, t, 1, gz);
 */
export function bceWithLogitsGradInto(sig: Float64Array, t: ArrayLike<number>, upstream: number, gz: TypedArray): void {
  const n = gz.length;
  const scale = upstream / n;
  for (let i = 0; i < n; i++) gz[i] = scale * (sig[i]! - t[i]!);
}
