import type { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/arithmetic.js';

/**
 * A multi-task objective: Σ wᵢ·lossᵢ, differentiable through every term.
 * @example const loss = weightedSum([mseLoss(y1, t1), crossEntropyLoss(z2, labels)], [0.7, 0.3]);
 */
export function weightedSum(losses: readonly Tensor[], weights: readonly number[]): Tensor {
  if (losses.length === 0 || losses.length !== weights.length) {
    throw new RangeError(`weightedSum: ${losses.length} losses and ${weights.length} weights; give one weight per loss`);
  }
  let total = mul(losses[0]!, weights[0]!);
  for (let i = 1; i < losses.length; i++) total = add(total, mul(losses[i]!, weights[i]!));
  return total;
}
