import { allocate, type TypedArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './mode.js';

/** Whether any of these inputs needs a gradient while recording is on. */
export function needsGrad(a: Tensor, b?: Tensor, c?: Tensor): boolean {
  if (!isGradEnabled()) return false;
  return a.requiresGrad || (b !== undefined && b.requiresGrad) || (c !== undefined && c.requiresGrad);
}

export function anyNeedsGrad(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Wrap an op's output: when an input needs a gradient, attach the op's backward rule.
 * `backward` maps the output gradient to one gradient per input (null = not needed).
 * `freshGrads`: the rule returns only buffers it allocated, one per input, and keeps none
 * (see GradNode.freshGrads); the engine then adopts them instead of copying.
 */
export function result(
  data: TypedArray,
  shape: readonly number[],
  op: string,
  inputs: readonly Tensor[],
  backward: (gradOut: TypedArray) => (TypedArray | null)[],
  freshGrads = false,
): Tensor {
  const out = new Tensor(data, shape);
  if (anyNeedsGrad(inputs)) {
    out.requiresGrad = true;
    out.gradFn = { op, inputs, backward, freshGrads };
  }
  return out;
}

/**
 * The gradient buffer of a leaf that requires a gradient (a parameter), created zero-filled if
 * needed; null for any other tensor. A backward rule may add its contribution straight into it
 * (saving a temporary and the engine's extra pass) and then return null for that input, since
 * leaves accumulate into `.grad` anyway.
 * @example
 * const sink = leafGradSink(w);
 * if (sink) matmulTN(x.data, g, sink, K, M, N, true); // w.grad += xᵀ g
 */
export function leafGradSink(t: Tensor): TypedArray | null {
  if (t.gradFn !== null || !t.requiresGrad) return null;
  if (t.grad === null) t.grad = new Tensor(allocate(t.dtype, t.size), t.shape);
  return t.grad.data;
}
