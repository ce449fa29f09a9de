import { bceWithLogitsLoss } from '../losses/bce.js';
import { crossEntropyLoss, type ClassTarget } from '../losses/crossEntropy.js';
import { mseLoss } from '../losses/mse.js';
import type { InitName } from '../nn/init.js';
import { Linear } from '../nn/linear.js';
import { sigmoid } from '../ops/activations.js';
import { add, mul } from '../ops/arithmetic.js';
import { softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import type { HeadKind, HeadSpec, TensorMap } from './types.js';
import type { SymbolicTensor } from './symbolic.js';

// The handbook's heads: the last Linear layer of an output, how its raw values are read
// (sigmoid, softmax or as they are) and which loss trains it.

/** An output symbol with its training rule; pass it in `Model`'s `outputs`. */
export interface Head {
  readonly output: SymbolicTensor;
  readonly spec: HeadSpec;
}

export interface HeadOptions {
  /** Output name, also the name of the head's Linear layer (default 'y'). */
  name?: string;
  /** Weight of this head's loss in the total Σ weight·loss (default 1). */
  weight?: number;
  /** Seed of the head's Linear layer. */
  seed?: number;
  init?: InitName;
}

function headLayer(from: SymbolicTensor, units: number, opts: HeadOptions): SymbolicTensor {
  return new Linear(from.features, units, { seed: opts.seed, init: opts.init, name: opts.name ?? 'y' }).apply(from);
}

function spec(kind: HeadKind, opts: HeadOptions): HeadSpec {
  return { output: opts.name ?? 'y', kind, ...(opts.weight !== undefined ? { weight: opts.weight } : {}) };
}

/**
 * Binary classification: one logit per row, trained with log loss on the logit
 * (bceWithLogitsLoss), read through a sigmoid.
 * @example const y = binaryHead(hidden, { name: 'spam' }); // y.output: ['N', 1]
 */
export function binaryHead(from: SymbolicTensor, opts: HeadOptions = {}): Head {
  return { output: headLayer(from, 1, opts), spec: spec('binary', opts) };
}

/**
 * Multiclass classification: K logits, cross-entropy loss, read through a softmax.
 * @example const breed = multiclassHead(hidden, { classes: 3, name: 'breed' }); // ['N', 3]
 */
export function multiclassHead(from: SymbolicTensor, opts: HeadOptions & { classes: number }): Head {
  if (!Number.isInteger(opts?.classes) || opts.classes < 2) {
    throw new RangeError(`multiclassHead: classes must be an integer ≥ 2, got ${opts?.classes}; for two classes binaryHead also works`);
  }
  return { output: headLayer(from, opts.classes, opts), spec: spec('multiclass', opts) };
}

/**
 * Regression of M values (default 1): no output activation, mean squared error.
 * @example const count = regressionHead(hidden, { name: 'count' }); // ['N', 1]
 */
export function regressionHead(from: SymbolicTensor, opts: HeadOptions & { outputs?: number } = {}): Head {
  const m = opts.outputs ?? 1;
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`regressionHead: outputs must be a positive integer, got ${m}`);
  return { output: headLayer(from, m, opts), spec: spec('regression', opts) };
}

/** Whether a value is a Head (rather than a bare symbol). */
export function isHead(x: unknown): x is Head {
  return typeof x === 'object' && x !== null && 'spec' in x && 'output' in x;
}

/** Check that a head fits the features of its output; throws a message naming both. */
export function checkHead(head: HeadSpec, features: number): void {
  const where = `${head.kind} head on output '${head.output}'`;
  if (head.kind === 'binary' && features !== 1) {
    throw new RangeError(`${where} needs one logit per row ([N, 1]) but the output has shape [N, ${features}]; use a multiclass head for ${features} classes`);
  }
  if (head.kind === 'multiclass' && features < 2) {
    throw new RangeError(`${where} needs K ≥ 2 logits per row but the output has shape [N, ${features}]; use a binary head for one logit`);
  }
  if (head.kind !== 'binary' && head.kind !== 'multiclass' && head.kind !== 'regression') {
    throw new RangeError(`output '${head.output}': unknown head kind '${String(head.kind)}'; use binary, multiclass or regression`);
  }
  if (head.weight !== undefined && !(Number.isFinite(head.weight) && head.weight >= 0)) {
    throw new RangeError(`${where}: the loss weight must be a finite number ≥ 0, got ${head.weight}`);
  }
}

/**
 * Raw output → what a user reads: sigmoid for binary, softmax for multiclass, unchanged for regression.
 * @example headActivation('binary', tensor([[0]])).toArray(); // [[0.5]]
 */
export function headActivation(kind: HeadKind, raw: Tensor): Tensor {
  if (kind === 'binary') return sigmoid(raw);
  if (kind === 'multiclass') return softmax(raw);
  return raw;
}

/** A head's target: a tensor or nested numbers; class labels (number[]) for multiclass. */
export type HeadTarget = Tensor | ClassTarget;

/**
 * One head's loss on its raw output.
 * @example headLoss({ output: 'y', kind: 'binary' }, logits, tensor([[1], [0]]));
 */
export function headLoss(head: HeadSpec, raw: Tensor, target: HeadTarget): Tensor {
  if (head.kind === 'binary') return bceWithLogitsLoss(raw, target as Tensor);
  if (head.kind === 'multiclass') return crossEntropyLoss(raw, target);
  return mseLoss(raw, target as Tensor);
}

/**
 * Every head's (unweighted) loss, by output name.
 * @example headLosses(model.heads, model.forward({ x }), { y: labels }).y.item();
 */
export function headLosses(heads: readonly HeadSpec[], outputs: TensorMap, targets: Record<string, HeadTarget>): Record<string, Tensor> {
  if (heads.length === 0) throw new RangeError('the model has no heads, so there is no default loss; give the model heads or compute a loss yourself');
  const out: Record<string, Tensor> = {};
  for (const head of heads) {
    const raw = outputs[head.output];
    if (!raw) throw new RangeError(`no output '${head.output}' among the outputs (${Object.keys(outputs).join(', ')})`);
    const target = targets?.[head.output];
    if (target === undefined) {
      throw new RangeError(`no target for output '${head.output}'; give targets as { ${heads.map((h) => `${h.output}: …`).join(', ')} }`);
    }
    out[head.output] = headLoss(head, raw, target);
  }
  return out;
}

/**
 * The training objective Σ weightᵢ·lossᵢ over the heads (weight 1 when unset).
 * @example const loss = totalLoss(model.heads, model.forward({ x }), { y: labels }); loss.backward();
 */
export function totalLoss(heads: readonly HeadSpec[], outputs: TensorMap, targets: Record<string, HeadTarget>): Tensor {
  const parts = headLosses(heads, outputs, targets);
  let total: Tensor | null = null;
  for (const head of heads) {
    const term = mul(parts[head.output]!, head.weight ?? 1);
    total = total === null ? term : add(total, term);
  }
  return total!;
}
