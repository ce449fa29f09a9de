import { isGradEnabled } from '../autograd/mode.js';
import { result } from '../autograd/record.js';
import { expSmallRange, FAST_EXP_LIMIT } from '../ops/fastExp.js';
import { allocate } from '../tensor/dtype.js';
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
  // e^−|z| serves both the loss and, kept for backward, the sigmoid: one exp per entry. The
  // sigmoid is kept in float64, unrounded, as backward used to recompute it.
  const recording = z.requiresGrad && isGradEnabled();
  const sig = recording ? allocate('float64', n) : null;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const zi = zd[i]!;
    const a = Math.abs(zi);
    const e = a <= FAST_EXP_LIMIT ? expSmallRange(-a) : Math.exp(-a); // (NaN takes Math.exp)
    s += Math.max(zi, 0) - zi * td[i]! + Math.log1p(e);
    if (sig !== null) sig[i] = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  const out = allocate(z.dtype, 1);
  out[0] = s / n;
  return result(out, [], 'bceWithLogitsLoss', [z], (g) => {
    const gz = allocate(z.dtype, n);
    const scale = g[0]! / n;
    for (let i = 0; i < n; i++) gz[i] = scale * (sig![i]! - td[i]!);
    return [gz];
  }, true);
}
