import { isGradEnabled } from '../autograd/mode.js';
import { leafGradSink } from '../autograd/record.js';
import { scratchBuffer } from '../autograd/scratch.js';
import { denseForward, matmulNN } from '../kernels/matmul.js';
import { allocate, widerDType, type TypedArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, type GradNode } from '../tensor/tensor.js';
import { reluGrad, reluInto, sigmoidExact, sigmoidGrad, tanhGrad } from './activations.js';
import { tanhFloat32Into } from './fastExp.js';
import { checkMatmul } from './operand.js';
import { productGrads } from './productGrads.js';
import { sigmoidFloat32Into } from './sigmoidFloat32.js';

// Module-local copies of the separate ops' loops (under tsx an imported binding is read through
// a getter on each use).
const reluGradLocal = reluGrad;
const reluIntoLocal = reluInto;
const sigmoidGradLocal = sigmoidGrad;
const tanhGradLocal = tanhGrad;
const sigmoidExactLocal = sigmoidExact;

// The linear map x W + b, alone or followed by an activation, as ONE node of the tape: one
// output tensor, one backward call, no closure (a class holds what backward needs). In a tiny
// network the per-op overhead costs as much as the arithmetic, so Sequential hands a Linear
// and the activation after it to linearActivation.

/** The activations linearActivation can fuse: each one's derivative follows from its output. */
export type FusedActivation = 'tanh' | 'relu' | 'sigmoid';
type Activation = FusedActivation | 'none';

/**
 * The linear layer's map `x W + b` as one op: `x [N, in]`, `W [in, out]`, `b [out]` or null.
 * @example linear(tensor([[1, 2]]), tensor([[1], [1]]), tensor([0.5])).toArray(); // [[3.5]]
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  return dense(x, w, b, 'none');
}

/**
 * `activation(x W + b)` as one op, equal bit for bit to `tanh(linear(x, w, b))` (or relu,
 * sigmoid) in value and gradient, with one tape node instead of two.
 * @example linearActivation(tensor([[1, 2]]), tensor([[1], [-1]]), tensor([0]), 'relu').toArray(); // [[0]]
 */
export function linearActivation(x: Tensor, w: Tensor, b: Tensor | null, activation: FusedActivation): Tensor {
  if (activation !== 'tanh' && activation !== 'relu' && activation !== 'sigmoid') {
    throw new RangeError(`linearActivation: unknown activation '${String(activation)}'; use 'tanh', 'relu' or 'sigmoid'`);
  }
  return dense(x, w, b, activation);
}

/**
 * `activation(x W + b)` (activation 'none': x W + b) written into `out`, which becomes the
 * result's data, for a pass that records no gradient (inside noGrad): Sequential's inference
 * writes hidden layers into reused buffers this way. Where a gradient would be recorded, or
 * `out` does not fit (length M·out, float32 like the operands), a fresh array is used instead.
 * @example noGrad(() => linearActivationInto(x, w, b, 'relu', buffer));
 */
export function linearActivationInto(x: Tensor, w: Tensor, b: Tensor | null, activation: FusedActivation | 'none', out: Float32Array): Tensor {
  return dense(x, w, b, activation, out);
}

function dense(x: Tensor, w: Tensor, b: Tensor | null, activation: Activation, into: Float32Array | null = null): Tensor {
  checkMatmul(x, w, 'linear');
  const M = x.shape[0]!;
  const K = x.shape[1]!;
  const N = w.shape[1]!;
  if (b !== null && (b.rank !== 1 || b.shape[0] !== N)) {
    throw new RangeError(`linear: the bias has shape ${formatShape(b.shape)}, expected [${N}] to match the weight ${formatShape(w.shape)}`);
  }
  const dtype = widerDType(x.dtype, w.dtype);
  const records = isGradEnabled() && (x.requiresGrad || w.requiresGrad || (b !== null && b.requiresGrad));
  const out = into !== null && !records && dtype === 'float32' && into.length === M * N ? into : allocate(dtype, M * N);
  denseForwardInto(x.data, w.data, b === null ? null : b.data, activation, out, M, K, N);
  const y = new Tensor(out, [M, N]);
  if (records) {
    y.requiresGrad = true;
    y.gradFn = new DenseNode(x, w, b, out, activation, M, K, N);
  }
  return y;
}

/**
 * out[M,N] = activation(x[M,K]·w[K,N] + bias): the layer's forward arithmetic, shared by the op
 * and compiled training steps (compiledStep.ts), so both give the same bits. Large float32
 * products add the bias and clamp inside the kernel, on every thread's rows; the others start
 * every row at the bias, accumulate x·W onto it, then apply the activation in place on the
 * stored (rounded) pre-activations, as the separate op would read them.
 * @example denseForwardInto(x, w, b, 'tanh', out, M, K, N);
 */
export function denseForwardInto(
  x: TypedArray, w: TypedArray, bias: TypedArray | null, activation: FusedActivation | 'none',
  out: TypedArray, M: number, K: number, N: number,
): void {
  const relu = activation === 'relu';
  if (!denseForward(x, w, bias, relu, out, M, K, N)) {
    if (bias !== null) {
      fillRows(out, bias, M, N);
      matmulNN(x, w, out, M, K, N, true);
    } else {
      matmulNN(x, w, out, M, K, N);
    }
    if (relu) applyActivation(out, 'relu');
  }
  if (!relu) applyActivation(out, activation);
}

/**
 * Every row of `out [M, N]` set to `row [N]`. Small outputs take a plain loop (TypedArray.set is
 * a call into the runtime, costly for 8 values); large ones copy the first row and then double
 * the filled prefix with copyWithin, a memmove per doubling: 1024×512 in ~0.1 ms instead of
 * ~2.4 ms for the loop (measured on I1's first layer).
 */
function fillRows(out: TypedArray, row: TypedArray, M: number, N: number): void {
  const total = M * N;
  if (total < FILL_BY_COPY || out.constructor !== row.constructor) {
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) out[i * N + j] = row[j]!;
    return;
  }
  out.set(row.length === N ? row : row.subarray(0, N));
  for (let filled = N; filled < total; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, total - filled));
}

/**
 * `activation` applied in place to `out`, bit for bit as the separate op computes it ('none'
 * leaves it). Exported for code that runs the layer's steps on buffers of its own.
 * @example applyActivation(y, 'relu');
 */
export function applyActivation(out: TypedArray, activation: FusedActivation | 'none'): void {
  if (activation === 'tanh') applyTanh(out);
  else if (activation === 'relu') reluIntoLocal(out, out, out.length);
  else if (activation === 'sigmoid') applySigmoid(out);
}

/** From this many output values, fillRows copies instead of looping. */
const FILL_BY_COPY = 4096;

function applyTanh(out: TypedArray): void {
  if (out instanceof Float32Array) tanhFloat32Into(out, out);
  else for (let i = 0; i < out.length; i++) out[i] = Math.tanh(out[i]!);
}

/** As ops/activations' sigmoid computes it (the same functions), so values agree bit for bit. */
function applySigmoid(out: TypedArray): void {
  if (out instanceof Float32Array) {
    sigmoidFloat32Into(out, out);
    return;
  }
  for (let i = 0; i < out.length; i++) out[i] = sigmoidExactLocal(out[i]!);
}

/** What backward needs of one linear(+activation) op: its inputs, output and sizes. */
class DenseNode implements GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** backward returns buffers it allocated, one per input, and keeps none (see GradNode). */
  readonly freshGrads = true;

  constructor(
    private readonly x: Tensor,
    private readonly w: Tensor,
    private readonly b: Tensor | null,
    private readonly y: TypedArray,
    private readonly activation: Activation,
    private readonly M: number,
    private readonly K: number,
    private readonly N: number,
  ) {
    this.op = activation === 'none' ? 'linear' : `linear+${activation}`;
    this.inputs = b === null ? [x, w] : [x, w, b];
  }

  backward(gradOut: TypedArray): (TypedArray | null)[] {
    const { x, w, b, M, K, N } = this;
    // The gradient of the pre-activation, needed only within this call: a reused buffer.
    const g = this.activation === 'none' ? gradOut : this.preActivationGrad(gradOut);
    const [gx, gw] = productGrads(x, w, g, M, K, N);
    let gbias = null;
    if (b !== null && b.requiresGrad) {
      const sink = leafGradSink(b);
      const into = sink ?? allocate(b.dtype, N);
      sumRowsInto(g, into, M, N);
      if (!sink) gbias = into;
    }
    return b === null ? [gx, gw] : [gx, gw, gbias];
  }

  private preActivationGrad(gradOut: TypedArray): TypedArray {
    const y = this.y;
    const g = scratchBuffer(y instanceof Float64Array ? 'float64' : 'float32', y.length);
    activationGradInto(this.activation as FusedActivation, y, gradOut, g);
    return g;
  }
}

/**
 * g = gradOut ⊙ act′, each derivative from the output y as the separate activation ops compute
 * it: the gradient of the pre-activation.
 * @example activationGradInto('relu', y, gradOut, g);
 */
export function activationGradInto(activation: FusedActivation, y: TypedArray, gradOut: TypedArray, g: TypedArray): void {
  const n = y.length;
  if (activation === 'tanh') tanhGradLocal(y, gradOut, g, n);
  else if (activation === 'relu') reluGradLocal(y, gradOut, g, n);
  else sigmoidGradLocal(y, gradOut, g, n);
}

/** into[j] += Σᵢ g[i, j]: the bias gradient, summed over the batch. */
export function sumRowsInto(g: TypedArray, into: TypedArray, M: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const row = i * N;
    for (let j = 0; j < N; j++) into[j] += g[row + j]!;
  }
}
