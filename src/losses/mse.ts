import { result } from '../autograd/record.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import type { NestedArray, Tensor } from '../tensor/tensor.js';
import { targetLike } from './target.js';

/**
 * Mean squared error over all B×M entries. Both arguments receive gradients.
 * @example mseLoss(tensor([[1, 2]]), tensor([[0, 0]])).item(); // 2.5
 */
export function mseLoss(pred: Tensor, target: Tensor | NestedArray): Tensor {
  const t = targetLike(pred, target, 'mseLoss');
  const pd = pred.data;
  const td = t.data;
  const n = pd.length;
  const out = allocate(pred.dtype, 1);
  squaredErrorInto(pd, td, out);
  return result(out, [], 'mseLoss', [pred, t], (g) => {
    const gp = allocate(pred.dtype, n);
    mseGradInto(pd, td, g[0]!, gp);
    let gt = null;
    if (t.requiresGrad) {
      gt = allocate(t.dtype, n);
      for (let i = 0; i < n; i++) gt[i] = -gp[i]!;
    }
    return [pred.requiresGrad ? gp : null, gt];
  });
}

/**
 * out[0] = the mean of (p − t)² over all entries: mseLoss's value, shared with compiled training
 * steps (into an array: a double returned from a call that is not inlined costs an allocation).
 * @example squaredErrorInto(Float32Array.of(1, 2), [0, 0], out); // out[0] = 2.5
 */
export function squaredErrorInto(p: TypedArray, t: ArrayLike<number>, out: TypedArray): void {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = p[i]! - t[i]!;
    s += r * r;
  }
  out[0] = s / n;
}

/**
 * gp = (2·upstream / n)·(p − t): the gradient of the mean squared error over n = gp.length entries.
 * @example mseGradInto(p, t, 1, gp);
 */
export function mseGradInto(p: TypedArray, t: ArrayLike<number>, upstream: number, gp: TypedArray): void {
  const n = gp.length;
  const scale = (2 * upstream) / n;
  for (let i = 0; i < n; i++) gp[i] = scale * (p[i]! - t[i]!);
}

/**
 * Mean absolute error over all entries (the derivative at a zero residual is 0).
 * @example maeLoss(tensor([[1, -2]]), tensor([[0, 0]])).item(); // 1.5
 */
export function maeLoss(pred: Tensor, target: Tensor | NestedArray): Tensor {
  const t = targetLike(pred, target, 'maeLoss');
  const pd = pred.data;
  const td = t.data;
  const n = pd.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(pd[i]! - td[i]!);
  const out = allocate(pred.dtype, 1);
  out[0] = s / n;
  return result(out, [], 'maeLoss', [pred, t], (g) => {
    const gp = allocate(pred.dtype, n);
    for (let i = 0; i < n; i++) gp[i] = (g[0]! / n) * Math.sign(pd[i]! - td[i]!);
    let gt = null;
    if (t.requiresGrad) {
      gt = allocate(t.dtype, n);
      for (let i = 0; i < n; i++) gt[i] = -gp[i]!;
    }
    return [pred.requiresGrad ? gp : null, gt];
  });
}
