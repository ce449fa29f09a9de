import { result } from '../autograd/record.js';
import { allocate } from '../tensor/dtype.js';
import type { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './operand.js';

/**
 * Inverted dropout: zero each element with probability `p` and scale the rest by 1/(1−p),
 * so evaluation needs no rescaling. The mask comes from the given seeded generator.
 */
export function dropout(x: Tensor, p: number, rng: Random): Tensor {
  checkTensor(x, 'dropout');
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: rate ${p} must be in [0, 1)`);
  if (p === 0) return x;
  const d = x.data;
  const scale = 1 / (1 - p);
  const mask = allocate(x.dtype, d.length);
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) {
    const keep = rng.uniform() >= p ? scale : 0;
    mask[i] = keep;
    out[i] = d[i]! * keep;
  }
  return result(out, x.shape, 'dropout', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = g[i]! * mask[i]!;
    return [gx];
  });
}
