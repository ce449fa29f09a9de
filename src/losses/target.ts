import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor, tensor, type NestedArray } from '../tensor/tensor.js';

/** Accept a target as a tensor or nested arrays, and check it matches the prediction's shape. */
export function targetLike(pred: Tensor, target: Tensor | NestedArray, loss: string, predName = 'prediction'): Tensor {
  if (!(pred instanceof Tensor)) throw new TypeError(`${loss}: the ${predName} must be a Tensor`);
  const t = target instanceof Tensor ? target : tensor(target as NestedArray, { dtype: pred.dtype });
  if (!sameShape(t.shape, pred.shape)) {
    throw new RangeError(
      `${loss}: the ${predName} has shape ${formatShape(pred.shape)} but the target has shape ${formatShape(t.shape)}; they must match (reshape [N] targets to [N, 1])`,
    );
  }
  return t;
}
