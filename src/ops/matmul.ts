import { result } from '../autograd/record.js';
import { matmulNN } from '../kernels/matmul.js';
import { allocate, widerDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkMatmul } from './operand.js';
import { productGrads } from './productGrads.js';

/**
 * Matrix product of `[M, K]` and `[K, N]`.
 * @example matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray(); // [[11]]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkMatmul(a, b, 'matmul');
  const [M, K] = a.shape as [number, number];
  const N = b.shape[1]!;
  const dtype = widerDType(a.dtype, b.dtype);
  const out = allocate(dtype, M * N);
  matmulNN(a.data, b.data, out, M, K, N);
  return result(out, [M, N], 'matmul', [a, b], (g) => productGrads(a, b, g, M, K, N));
}

export { linear } from './linear.js';
