import type { TypedArray } from '../tensor/dtype.js';
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
 */
export function result(
  data: TypedArray,
  shape: readonly number[],
  op: string,
  inputs: readonly Tensor[],
  backward: (gradOut: TypedArray) => (TypedArray | null)[],
): Tensor {
  const out = new Tensor(data, shape);
  if (anyNeedsGrad(inputs)) {
    out.requiresGrad = true;
    out.gradFn = { op, inputs, backward };
  }
  return out;
}
