import { result } from '../autograd/record.js';
import { allocate } from '../tensor/dtype.js';
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
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = pd[i]! - td[i]!;
    s += r * r;
  }
  const out = allocate(pred.dtype, 1);
  out[0] = s / n;
  return result(out, [], 'mseLoss', [pred, t], (g) => {
    const scale = (2 * g[0]!) / n;
    const gp = allocate(pred.dtype, n);
    for (let i = 0; i < n; i++) gp[i] = scale * (pd[i]! - td[i]!);
    let gt = null;
    if (t.requiresGrad) {
      gt = allocate(t.dtype, n);
      for (let i = 0; i < n; i++) gt[i] = -gp[i]!;
    }
    return [pred.requiresGrad ? gp : null, gt];
  });
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
