import { concat as concatTensors } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { concatSymbols, SymbolicTensor } from './symbolic.js';

/**
 * Join along the features. On tensors it is the eager op (any axis, default the last); on
 * graph symbols it adds a concat node: `[N, a]` and `[N, b]` give `[N, a + b]`.
 * @example
 * concat([tensor([[1]]), tensor([[2, 3]])]).toArray(); // [[1, 2, 3]]
 * concat([new ReLU().apply(x), new Sigmoid().apply(x)]).shape; // ['N', 2·d]
 */
export function concat(parts: readonly Tensor[], axis?: number): Tensor;
export function concat(parts: readonly SymbolicTensor[], axis?: number): SymbolicTensor;
export function concat(parts: readonly (Tensor | SymbolicTensor)[], axis = -1): Tensor | SymbolicTensor {
  if (Array.isArray(parts) && parts.length > 0 && parts.some((p) => p instanceof SymbolicTensor)) {
    const bad = parts.findIndex((p) => !(p instanceof SymbolicTensor));
    if (bad >= 0) throw new TypeError(`concat: item ${bad} is not a graph symbol; do not mix symbols from input() with tensors`);
    if (axis !== -1 && axis !== 1) throw new RangeError(`concat: graph symbols [N, d] join along the features (axis 1 or -1), not axis ${axis}`);
    return concatSymbols(parts as SymbolicTensor[]);
  }
  return concatTensors(parts as Tensor[], axis);
}
