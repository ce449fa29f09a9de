import { leafGradSink } from '../autograd/record.js';
import { matmulNT, matmulTN } from '../kernels/matmul.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The input gradients of a product C = A·B (A [M,K], B [K,N]) given G = ∂L/∂C, as matmul and
 * linear both need them: dA = G Bᵀ and dB = Aᵀ G, each only when that input requires a gradient.
 * A parameter's gradient is added in place into its `.grad` (no temporary) and reported as null.
 * @example const [ga, gb] = productGrads(a, b, g, M, K, N);
 */
export function productGrads(
  a: Tensor, b: Tensor, g: TypedArray, M: number, K: number, N: number,
): [TypedArray | null, TypedArray | null] {
  let ga = null;
  let gb = null;
  if (a.requiresGrad) {
    ga = allocate(a.dtype, M * K);
    matmulNT(g, b.data, ga, M, N, K); // dA = G Bᵀ
  }
  if (b.requiresGrad) {
    const sink = leafGradSink(b);
    if (sink) matmulTN(a.data, g, sink, K, M, N, true); // b.grad += Aᵀ G
    else {
      gb = allocate(b.dtype, K * N);
      matmulTN(a.data, g, gb, K, M, N); // dB = Aᵀ G
    }
  }
  return [ga, gb];
}
