import { bceWithLogitsGradInto, bceWithLogitsInto, bceWithLogitsLoss } from '../losses/bce.js';
import { crossEntropyLoss, softmaxCrossEntropyGradInto, softmaxCrossEntropyInto } from '../losses/crossEntropy.js';
import { mseGradInto, mseLoss, squaredErrorInto } from '../losses/mse.js';
import type { TypedArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

// Module-local copies of the loss functions called every step (under tsx an imported binding is
// read through a getter on each use).
const bceWithLogitsGradIntoLocal = bceWithLogitsGradInto;
const bceWithLogitsIntoLocal = bceWithLogitsInto;
const softmaxCrossEntropyGradIntoLocal = softmaxCrossEntropyGradInto;
const softmaxCrossEntropyIntoLocal = softmaxCrossEntropyInto;
const mseGradIntoLocal = mseGradInto;
const squaredErrorIntoLocal = squaredErrorInto;

// The losses a compiled training step supports, computed by the very functions the loss ops
// use (src/losses), into buffers the step owns: value and gradient of the model's output.

/** Losses a compiled step can run, by name. */
export type StepLossName = 'bceWithLogits' | 'crossEntropy' | 'mse';
/** A loss by name or as the library's own loss function (`bceWithLogitsLoss`, ...). */
export type StepLossSpec = StepLossName | typeof bceWithLogitsLoss | typeof crossEntropyLoss | typeof mseLoss;
/**
 * A batch's targets: a Tensor, a typed array or a number array. bceWithLogits and mse take
 * B×M values (the output's shape); crossEntropy takes B integer class labels (Int32Array,
 * number[], a [B] Tensor) or a [B, K] probability Tensor.
 */
export type StepTarget = Tensor | Float32Array | Float64Array | Int32Array | readonly number[];

/** The loss's own buffers for one batch size: the output gradient and what it is computed from. */
export interface LossBuffers {
  /** ∂loss/∂output, [B, M]. */
  readonly grad: TypedArray;
  /** σ(z) for bceWithLogits (float64, unrounded, as the op keeps it). */
  readonly sigmoid: Float64Array | null;
  /** The softmax and each row's target mass, for crossEntropy. */
  readonly softmax: TypedArray | null;
  readonly targetMass: Float64Array | null;
}

/**
 * The loss name for a spec, or a TypeError listing what compiled steps support.
 * @example stepLossName(bceWithLogitsLoss); // 'bceWithLogits'
 */
export function stepLossName(spec: unknown): StepLossName {
  if (spec === 'bceWithLogits' || spec === bceWithLogitsLoss) return 'bceWithLogits';
  if (spec === 'crossEntropy' || spec === crossEntropyLoss) return 'crossEntropy';
  if (spec === 'mse' || spec === mseLoss) return 'mse';
  const name = typeof spec === 'function' ? `function ${spec.name || '(anonymous)'}` : String(spec);
  throw new TypeError(`compileStep: cannot compile the loss ${name}; a compiled step supports 'bceWithLogits', 'crossEntropy' and 'mse' (or bceWithLogitsLoss, crossEntropyLoss, mseLoss). Use the eager loop for other losses`);
}

/** Buffers for `loss` on a [B, M] output of element type `float64 ? float64 : float32`. */
export function lossBuffers(loss: StepLossName, B: number, M: number, float64: boolean): LossBuffers {
  const make = (n: number): TypedArray => (float64 ? new Float64Array(n) : new Float32Array(n));
  return {
    grad: make(B * M),
    sigmoid: loss === 'bceWithLogits' ? new Float64Array(B * M) : null,
    softmax: loss === 'crossEntropy' ? make(B * M) : null,
    targetMass: loss === 'crossEntropy' ? new Float64Array(B) : null,
  };
}

/**
 * The mean loss of `output [B, M]` against `target` into `value[0]` (an array of the output's
 * element type, so it is rounded as the op's result is) and ∂loss/∂output into `bufs.grad`,
 * both exactly as the loss op and its backward (seeded with 1) compute them.
 */
export function lossValueAndGrad(
  loss: StepLossName, output: TypedArray, B: number, M: number, target: StepTarget, bufs: LossBuffers, value: TypedArray,
): void {
  if (loss === 'crossEntropy') {
    crossEntropyInto(output, B, M, target, bufs, value);
    return;
  }
  const t = elementwiseTarget(loss, target, B, M);
  if (loss === 'bceWithLogits') {
    bceWithLogitsIntoLocal(output, t, bufs.sigmoid, value);
    bceWithLogitsGradIntoLocal(bufs.sigmoid!, t, 1, bufs.grad);
  } else {
    squaredErrorIntoLocal(output, t, value);
    mseGradIntoLocal(output, t, 1, bufs.grad);
  }
}

/** The B×M target values of an elementwise loss, checked for size. */
function elementwiseTarget(loss: StepLossName, target: StepTarget, B: number, M: number): ArrayLike<number> {
  let values: ArrayLike<number>;
  if (target instanceof Tensor) {
    if (target.requiresGrad) throw new TypeError(`compileStep: the ${loss} target requires a gradient; a compiled step treats targets as data (use the eager loop to differentiate through them)`);
    values = target.data;
  } else values = target;
  if (values.length !== B * M) {
    const shape = target instanceof Tensor ? formatShape(target.shape) : `${values.length} values`;
    throw new RangeError(`compileStep: the model's output has shape [${B}, ${M}] but the ${loss} target has ${shape}; give ${B * M} target values, one per output value`);
  }
  return values;
}

function crossEntropyInto(z: TypedArray, B: number, K: number, target: StepTarget, bufs: LossBuffers, value: TypedArray): void {
  let labels: ArrayLike<number> | null = null;
  let probs: ArrayLike<number> | null = null;
  if (target instanceof Tensor && target.rank === 2) {
    if (target.shape[0] !== B || target.shape[1] !== K) {
      throw new RangeError(`compileStep: the logits have shape [${B}, ${K}] but the crossEntropy target has shape ${formatShape(target.shape)}; give [${B}] class labels or a [${B}, ${K}] probability target`);
    }
    probs = target.data;
  } else {
    const values = target instanceof Tensor ? target.data : target;
    if (values.length === B) labels = checkedLabels(values, K);
    else if (values.length === B * K && !(target instanceof Int32Array) && !(target instanceof Tensor)) probs = values;
    else throw new RangeError(`compileStep: ${values.length} crossEntropy targets for ${B} rows of ${K} logits; give ${B} class labels or ${B}×${K} probabilities`);
  }
  softmaxCrossEntropyIntoLocal(z, B, K, labels, probs, bufs.softmax!, bufs.targetMass!, value);
  softmaxCrossEntropyGradIntoLocal(bufs.softmax!, bufs.targetMass!, labels, probs, 1, B, K, bufs.grad);
}

/** The labels themselves, after checking each is an integer class in [0, K) (as crossEntropyLoss does). */
function checkedLabels(labels: ArrayLike<number>, K: number): ArrayLike<number> {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < K)) {
      throw new RangeError(`compileStep: the crossEntropy label in row ${i} is ${v}; labels must be integers from 0 to ${K - 1} for ${K} classes`);
    }
  }
  return labels;
}
