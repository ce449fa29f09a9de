import { leafGradSink, result } from '../autograd/record.js';
import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js';
import { allocate, widerDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkMatmul } from './operand.js';

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
  return result(out, [M, N], 'matmul', [a, b], (g) => {
    let ga = null;
    let gb = null;
    if (a.requiresGrad) {
      ga = allocate(a.dtype, M * K);
      matmulNT(g, b.data, ga, M, N, K); // dA = G Bᵀ
    }
    if (b.requiresGrad) {
      const sink = leafGradSink(b);
      if (sink) matmulTN(a.data, g, sink, K, M, N, true); // b.grad += Aᵀ G, no temporary
      else {
        gb = allocate(b.dtype, K * N);
        matmulTN(a.data, g, gb, K, M, N); // dB = Aᵀ G
      }
    }
    return [ga, gb];
  });
}

export { linear } from './linear.js';
