import { leafGradSink, result } from '../autograd/record.js';
import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js';
import { allocate, widerDType, type TypedArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './operand.js';

function checkMatmul(a: Tensor, b: Tensor, op: string): void {
  checkTensor(a, op, 'first input');
  checkTensor(b, op, 'second input');
  if (a.rank !== 2 || b.rank !== 2) {
    throw new RangeError(`${op}: needs two matrices, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(
      `${op}: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: the inner sizes ${a.shape[1]} and ${b.shape[0]} differ`,
    );
  }
}

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

/**
 * The linear layer's map `x W + b` as one op: `x [N, in]`, `W [in, out]`, `b [out]` or null.
 * @example linear(tensor([[1, 2]]), tensor([[1], [1]]), tensor([0.5])).toArray(); // [[3.5]]
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  checkMatmul(x, w, 'linear');
  const [M, K] = x.shape as [number, number];
  const N = w.shape[1]!;
  if (b !== null && (b.rank !== 1 || b.shape[0] !== N)) {
    throw new RangeError(`linear: the bias has shape ${formatShape(b.shape)}, expected [${N}] to match the weight ${formatShape(w.shape)}`);
  }
  const dtype = widerDType(x.dtype, w.dtype);
  const out = allocate(dtype, M * N);
  if (b !== null) {
    // Fused bias: start every row at b, then accumulate x·W onto it.
    const bd = b.data;
    for (let i = 0; i < M; i++) out.set(bd, i * N);
    matmulNN(x.data, w.data, out, M, K, N, true);
  } else {
    matmulNN(x.data, w.data, out, M, K, N);
  }
  const inputs = b === null ? [x, w] : [x, w, b];
  return result(out, [M, N], 'linear', inputs, (g) => {
    let gx = null;
    let gw = null;
    let gbias = null;
    if (x.requiresGrad) {
      gx = allocate(x.dtype, M * K);
      matmulNT(g, w.data, gx, M, N, K);
    }
    if (w.requiresGrad) {
      // A parameter's gradient is accumulated in place: w.grad += xᵀ g.
      const sink = leafGradSink(w);
      if (sink) matmulTN(x.data, g, sink, K, M, N, true);
      else {
        gw = allocate(w.dtype, K * N);
        matmulTN(x.data, g, gw, K, M, N);
      }
    }
    if (b !== null && b.requiresGrad) {
      const sink = leafGradSink(b);
      const into = sink ?? allocate(b.dtype, N);
      sumRowsInto(g, into, M, N);
      if (!sink) gbias = into;
    }
    return [gx, gw, gbias];
  });
}

/** into[j] += Σᵢ g[i, j]: the bias gradient, summed over the batch. */
function sumRowsInto(g: TypedArray, into: TypedArray, M: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const row = i * N;
    for (let j = 0; j < N; j++) into[j] += g[row + j]!;
  }
}
