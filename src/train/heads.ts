import { headActivation } from '../graph/heads.js';
import type { HeadKind, TensorMap, TrainableModel } from '../graph/types.js';
import { bceLoss, bceWithLogitsLoss } from '../losses/bce.js';
import { crossEntropyLoss } from '../losses/crossEntropy.js';
import { maeLoss, mseLoss } from '../losses/mse.js';
import { add, mul } from '../ops/arithmetic.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { METRIC_NAMES, type MetricName } from './metrics.js';

// How each named output is trained and scored: its loss, its weight in the total, the
// transform that turns raw outputs into predictions, and its metrics. Built once per fit.

/** A loss on one output: raw model output (logits for classification) and target → scalar. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;
/** Built-in losses by name. 'bce' expects probabilities; 'bceWithLogits' and 'crossEntropy' logits. */
export type LossName = 'bceWithLogits' | 'bce' | 'crossEntropy' | 'mse' | 'mae';
export type LossSpec = LossName | LossFn;

/** Loss, metric and weight options shared by fit and evaluate. */
export interface ObjectiveOptions {
  /** Loss for every output, or per output name. Default: from the model's heads. */
  loss?: LossSpec | Record<string, LossSpec>;
  /** Per-output weight in the total loss Σ wᵢ·lossᵢ; overrides the heads' `weight`. */
  lossWeights?: Record<string, number>;
  /** Metrics for every output, or per output name. 'accuracy' on a binary head is binary accuracy. */
  metrics?: readonly MetricName[] | Record<string, readonly MetricName[]>;
}

export interface OutputPlan {
  output: string;
  kind: HeadKind | null;
  loss: LossFn;
  weight: number;
  /** Raw output → prediction: sigmoid (binary), softmax (multiclass), identity otherwise. */
  predict: (raw: Tensor) => Tensor;
  metrics: readonly MetricName[];
  /** Key prefix for history and logs: '' for a single-output model, 'name.' otherwise. */
  prefix: string;
}

/** The target reshaped to the output's shape when it holds the same values ([N] → [N, 1]). */
export function alignTarget(output: Tensor, target: Tensor, name: string): Tensor {
  if (target.shape.length === output.shape.length && target.shape.every((s, i) => s === output.shape[i])) return target;
  if (target.size === output.size) return new Tensor(target.data, output.shape);
  throw new RangeError(`output '${name}' has shape ${formatShape(output.shape)} but its target has shape ${formatShape(target.shape)}; give one target value per output value`);
}

/** Class targets for cross-entropy: [N] or [N, 1] labels become [N]; [N, K] stays. */
export function classTarget(output: Tensor, target: Tensor, name: string): Tensor {
  const n = output.shape[0]!;
  if (target.size === n) return target.rank === 1 ? target : new Tensor(target.data, [n]);
  if (target.rank === 2 && target.shape[0] === n && target.shape[1] === output.shape[1]) return target;
  throw new RangeError(`output '${name}' has ${formatShape(output.shape)} logits but its target has shape ${formatShape(target.shape)}; give [N] class labels or a [N, K] one-hot target`);
}

function lossFor(spec: LossSpec, name: string): { fn: LossFn; kind: HeadKind | null } {
  // A custom loss gets [N] targets reshaped to an [N, 1] output's shape, like the built-in ones.
  if (typeof spec === 'function') return { fn: (o, t) => spec(o, t.size === o.size ? alignTarget(o, t, name) : t), kind: null };
  switch (spec) {
    case 'bceWithLogits':
      return { fn: (o, t) => bceWithLogitsLoss(o, alignTarget(o, t, name)), kind: 'binary' };
    case 'bce':
      return { fn: (o, t) => bceLoss(o, alignTarget(o, t, name)), kind: null };
    case 'crossEntropy':
      return { fn: (o, t) => crossEntropyLoss(o, classTarget(o, t, name)), kind: 'multiclass' };
    case 'mse':
      return { fn: (o, t) => mseLoss(o, alignTarget(o, t, name)), kind: 'regression' };
    case 'mae':
      return { fn: (o, t) => maeLoss(o, alignTarget(o, t, name)), kind: 'regression' };
    default:
      throw new RangeError(`unknown loss '${String(spec)}' for output '${name}'; choose bceWithLogits, bce, crossEntropy, mse, mae or pass a function`);
  }
}

const HEAD_LOSS: Record<HeadKind, LossName> = { binary: 'bceWithLogits', multiclass: 'crossEntropy', regression: 'mse' };

function perOutput<T>(value: T | Record<string, T> | undefined, output: string, isSingle: (v: unknown) => boolean): T | undefined {
  if (value === undefined || isSingle(value)) return value as T | undefined;
  return (value as Record<string, T>)[output];
}

function checkKeys(record: object | undefined, outputs: readonly string[], option: string): void {
  if (record === undefined || Array.isArray(record) || typeof record !== 'object') return;
  for (const k of Object.keys(record)) {
    if (!outputs.includes(k)) throw new RangeError(`${option}: '${k}' is not one of the model's outputs (${outputs.join(', ')})`);
  }
}

/** Resolve losses, weights, transforms and metrics for every output of the model. */
export function planOutputs(model: TrainableModel, opts: ObjectiveOptions): OutputPlan[] {
  const names = model.outputNames;
  const lossIsMap = typeof opts.loss === 'object' && opts.loss !== null;
  if (lossIsMap) checkKeys(opts.loss as object, names, 'loss');
  checkKeys(opts.lossWeights, names, 'lossWeights');
  if (!Array.isArray(opts.metrics)) checkKeys(opts.metrics as object | undefined, names, 'metrics');
  return names.map((output) => {
    const head = model.heads.find((h) => h.output === output);
    const spec = perOutput<LossSpec>(opts.loss, output, (v) => typeof v !== 'object') ?? (head ? HEAD_LOSS[head.kind] : undefined);
    if (spec === undefined) {
      throw new RangeError(`output '${output}' has no head and no loss; pass loss: { ${output}: 'mse' } (or 'crossEntropy', 'bceWithLogits', a function)`);
    }
    const { fn, kind: lossKind } = lossFor(spec, output);
    const kind = head?.kind ?? lossKind;
    const weight = opts.lossWeights?.[output] ?? head?.weight ?? 1;
    if (!(Number.isFinite(weight) && weight >= 0)) throw new RangeError(`lossWeights: the weight of output '${output}' must be a number ≥ 0, got ${weight}`);
    const metrics = perOutput<readonly MetricName[]>(opts.metrics, output, (v) => Array.isArray(v)) ?? [];
    for (const m of metrics) {
      if (!METRIC_NAMES.includes(m)) throw new RangeError(`metrics: unknown metric '${m}' for output '${output}'; choose one of ${METRIC_NAMES.join(', ')}`);
      if (m === 'accuracy' && kind !== 'binary' && kind !== 'multiclass') {
        throw new RangeError(`metrics: 'accuracy' needs a classification output, but '${output}' is ${kind ?? 'trained with a custom loss'}; use mse, mae or r2`);
      }
    }
    return { output, kind, loss: fn, weight, predict: headTransform(kind), metrics, prefix: names.length === 1 ? '' : `${output}.` };
  });
}

/** Raw output → prediction for a head kind: the graph heads' activation, identity without a head. */
export function headTransform(kind: HeadKind | null | undefined): (raw: Tensor) => Tensor {
  return kind ? (raw) => headActivation(kind, raw) : (raw) => raw;
}

/** The weighted total Σ wᵢ·lossᵢ and each output's own loss. */
export function computeLosses(plans: readonly OutputPlan[], outputs: TensorMap, targets: TensorMap): { total: Tensor; each: Record<string, Tensor> } {
  const each: Record<string, Tensor> = {};
  let total: Tensor | null = null;
  for (const p of plans) {
    const raw = outputs[p.output];
    if (!(raw instanceof Tensor)) throw new RangeError(`the model returned no output '${p.output}'`);
    const l = p.loss(raw, targets[p.output]!);
    each[p.output] = l;
    const term = plans.length === 1 && p.weight === 1 ? l : mul(l, p.weight);
    total = total === null ? term : add(total, term);
  }
  return { total: total!, each };
}

/** The metric name to compute: 'accuracy' on a binary output is binary accuracy. */
export function metricToCompute(plan: OutputPlan, name: MetricName): MetricName {
  return name === 'accuracy' && plan.kind === 'binary' ? 'binaryAccuracy' : name;
}

/** The target a metric compares with: class labels for multiclass, the aligned target otherwise. */
export function metricTarget(plan: OutputPlan, output: Tensor, target: Tensor): Tensor {
  return plan.kind === 'multiclass' ? classTarget(output, target, plan.output) : alignTarget(output, target, plan.output);
}

/**
 * Check every target row once, in the dataset's own row numbers, before a batch error could
 * name a shuffled batch row: class labels must be integers in [0, K) for K logits, binary
 * targets within [0, 1], and no target may be NaN. `outputs` is any forward pass (for K).
 */
export function checkTargets(plans: readonly OutputPlan[], outputs: TensorMap, targets: TensorMap, what: string): void {
  for (const p of plans) {
    const t = targets[p.output]!;
    const d = t.data;
    const rows = t.shape[0]!;
    const k = outputs[p.output]?.shape[1] ?? 0;
    const labels = p.kind === 'multiclass' && t.size === rows;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      const row = Math.floor(i / (t.size / rows));
      if (Number.isNaN(v)) throw new RangeError(`${what}: the target of output '${p.output}' is NaN in row ${row}; fill or drop missing values first`);
      if (labels && !(Number.isInteger(v) && v >= 0 && v < k)) {
        throw new RangeError(`${what}: output '${p.output}' has ${k} classes, so its labels must be integers from 0 to ${k - 1}, but row ${row} has ${v}`);
      }
      if (p.kind === 'binary' && !(v >= 0 && v <= 1)) {
        throw new RangeError(`${what}: output '${p.output}' is a binary head, so its targets must be 0 or 1 (or a probability), but row ${row} has ${v}`);
      }
    }
  }
}
