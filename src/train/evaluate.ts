import { noGrad } from '../autograd/mode.js';
import type { TensorMap, TrainableModel } from '../graph/types.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { concatRows, nameData, nameInputs, takeRowsOfMap, type Dataset, type NamedData } from './data.js';
import { checkTargets, computeLosses, headTransform, metricTarget, metricToCompute, planOutputs, type ObjectiveOptions, type OutputPlan } from './heads.js';
import { accumulatorFor, MetricBatch, transformOf, type MetricAccumulator, type Transform } from './metricAccumulators.js';

/** What evaluate reports: the total loss (Σ wᵢ·lossᵢ + regularisation), each output's loss, metrics by key. */
export interface Evaluation {
  loss: number;
  losses: Record<string, number>;
  metrics: Record<string, number>;
}

function checkBatchSize(batchSize: number): void {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
}

/** What OutputMetrics needs of an output's plan. */
export type MetricPlan = Pick<OutputPlan, 'output' | 'kind' | 'metrics' | 'prefix'>;

/**
 * One output's metrics over an epoch (or an evaluation), fed batch by batch with raw outputs
 * and targets as the loss gets them: the values the whole-array metrics give on predict(raw)
 * and metricTarget of all the batches put together, without keeping them (see metricAccumulators.ts).
 * @example
 * const m = new OutputMetrics({ output: 'y', kind: 'binary', metrics: ['accuracy'], prefix: '' });
 * m.add(logits1, y1); m.add(logits2, y2);
 * const out = {}; m.close(out); // out.accuracy; m is empty again
 */
export class OutputMetrics {
  private readonly batch = new MetricBatch();
  private readonly transform: Transform;
  private readonly accumulators: MetricAccumulator[];
  private readonly wantLabels: boolean;
  private readonly wantEntries: boolean;
  private readonly wantValues: boolean;
  /** Whether a batch's target did not hold one value per prediction (entry metrics then fail at close). */
  private entriesMismatch = false;

  constructor(private readonly plan: MetricPlan) {
    this.transform = transformOf(plan.kind);
    // metricToCompute and metricTarget read only the plan's kind and output name.
    this.accumulators = plan.metrics.map((m) => accumulatorFor(metricToCompute(plan as OutputPlan, m), this.transform));
    this.wantLabels = this.accumulators.some((a) => a.needs === 'labels');
    this.wantEntries = this.accumulators.some((a) => a.needs === 'entries');
    this.wantValues = this.accumulators.some((a) => a.needsValues);
  }

  /** Add a batch: the output's raw values ([N, width], logits for classification heads) and its target. */
  add(raw: Tensor, target: Tensor): void {
    const b = this.batch;
    b.load(raw, target, this.transform);
    this.checkTarget(raw, target);
    if (this.wantLabels) b.readLabels();
    const entriesMatch = target.size === raw.size;
    if (this.wantEntries && !entriesMatch) this.entriesMismatch = true;
    else if (this.wantValues) b.readValues();
    const acc = this.accumulators;
    for (let i = 0; i < acc.length; i++) {
      const a = acc[i]!;
      if (a.needs === 'labels' || entriesMatch) a.add(b);
    }
    b.firstRow += b.rows;
  }

  /** Write each metric as `keyPrefix + plan.prefix + name` into `out`, then start over. */
  close(out: Record<string, number>, keyPrefix = ''): void {
    const { batch: b, plan } = this;
    for (let i = 0; i < this.accumulators.length; i++) {
      const a = this.accumulators[i]!;
      if (a.needs === 'entries' && this.entriesMismatch) {
        // Only class labels of a multiclass output can mismatch (alignTarget throws in add otherwise).
        const shapes = `the predictions have shape ${formatShape([b.firstRow, b.width])} but the targets have shape ${formatShape([b.firstRow])}`;
        throw new RangeError(`${a.name}: ${shapes}; they must hold the same number of values`);
      }
      out[`${keyPrefix}${plan.prefix}${plan.metrics[i]!}`] = a.value();
    }
    this.reset();
  }

  /** Forget every batch. */
  reset(): void {
    for (let i = 0; i < this.accumulators.length; i++) this.accumulators[i]!.reset();
    this.batch.firstRow = 0;
    this.entriesMismatch = false;
  }

  /** Check the target as metricTarget aligns it (metricTarget's own error when it cannot), without making a tensor. */
  private checkTarget(raw: Tensor, target: Tensor): void {
    const rows = this.batch.rows;
    const fits =
      this.plan.kind === 'multiclass'
        ? target.size === rows || (target.rank === 2 && target.shape[0] === rows && target.shape[1] === raw.shape[1]) // classTarget: labels or one-hot
        : target.size === raw.size; // alignTarget: the same number of values
    if (!fits) metricTarget(this.plan as OutputPlan, raw, target);
  }
}

/** A metrics accumulator for each plan with metrics (null for the others). */
function metricStreams(plans: readonly OutputPlan[]): (OutputMetrics | null)[] {
  return plans.map((p) => (p.metrics.length > 0 ? new OutputMetrics(p) : null));
}

/** Write every plan's metrics into `out` (as 'prefix' + 'output.' + name) and start the accumulators over. */
function closeStreams(streams: readonly (OutputMetrics | null)[], out: Record<string, number>, keyPrefix = ''): void {
  for (let i = 0; i < streams.length; i++) streams[i]?.close(out, keyPrefix);
}

/**
 * Loss and metrics over named data, batch by batch, in evaluation mode and without recording
 * gradients. Per-output losses appear in `metrics` as 'name.loss' for multi-output models.
 */
export function evaluatePlanned(model: TrainableModel, plans: readonly OutputPlan[], data: NamedData, batchSize: number, keyPrefix = '', checkWhat: string | null = null): Evaluation {
  checkBatchSize(batchSize);
  model.eval();
  return noGrad(() => {
    let total = 0;
    const sums: Record<string, number> = {};
    for (const p of plans) sums[p.output] = 0;
    const streams = metricStreams(plans);
    for (let start = 0; start < data.rows; start += batchSize) {
      const end = Math.min(data.rows, start + batchSize);
      const x = takeRowsOfMap(data.x, null, start, end);
      const y = takeRowsOfMap(data.y, null, start, end);
      const outputs = model.forward(x);
      if (start === 0 && checkWhat !== null) checkTargets(plans, outputs, data.y, checkWhat);
      const { total: batchTotal, each } = computeLosses(plans, outputs, y);
      const rows = end - start;
      total += batchTotal.item() * rows;
      plans.forEach((p, i) => {
        sums[p.output] += each[p.output]!.item() * rows;
        streams[i]?.add(outputs[p.output]!, y[p.output]!);
      });
    }
    // The penalty does not depend on the batch: add it once, as it is added to every batch's loss.
    const reg = model.regularization();
    const losses: Record<string, number> = {};
    const metrics: Record<string, number> = {};
    for (const p of plans) {
      losses[p.output] = sums[p.output]! / data.rows;
      if (plans.length > 1) metrics[`${keyPrefix}${p.output}.loss`] = losses[p.output]!;
    }
    closeStreams(streams, metrics, keyPrefix);
    return { loss: total / data.rows + (reg === null ? 0 : reg.item()), losses, metrics };
  });
}

/**
 * Loss and metrics of a model on data, in batches, without recording gradients (dropout off).
 * @example
 * const { loss, metrics } = evaluate(model, { x, y }, { metrics: ['accuracy'] });
 */
export function evaluate(model: TrainableModel, data: Dataset, opts: ObjectiveOptions & { batchSize?: number } = {}): Evaluation {
  const plans = planOutputs(model, opts);
  const named = nameData(data, model.inputNames, model.outputNames, 'evaluate');
  return evaluatePlanned(model, plans, named, opts.batchSize ?? 256, '', 'evaluate');
}

export interface PredictOptions {
  /** Rows per forward pass (default 256). */
  batchSize?: number;
  /** Which output, for a model with several (default: the only one). */
  output?: string;
  /** Return raw outputs (logits) instead of applying the heads' sigmoid/softmax. */
  raw?: boolean;
}

/**
 * Every output's predictions, batch by batch, without recording gradients and with dropout
 * off: probabilities (sigmoid) for binary heads, class probabilities (softmax) for multiclass
 * heads, values as they are for regression heads and outputs without a head.
 * @example const { count, breed } = predictAll(catsModel, { image, extra });
 */
export function predictAll(model: TrainableModel, x: Dataset['x'], opts: Omit<PredictOptions, 'output'> = {}): TensorMap {
  const batchSize = opts.batchSize ?? 256;
  checkBatchSize(batchSize);
  const { x: inputs, rows } = nameInputs(x, model.inputNames, 'predict');
  model.eval();
  return noGrad(() => {
    const parts: Record<string, Tensor[]> = {};
    for (const o of model.outputNames) parts[o] = [];
    for (let start = 0; start < rows; start += batchSize) {
      const outputs = model.forward(takeRowsOfMap(inputs, null, start, Math.min(rows, start + batchSize)));
      for (const o of model.outputNames) {
        const raw = outputs[o];
        if (!(raw instanceof Tensor)) throw new RangeError(`predict: the model returned no output '${o}'`);
        const kind = model.heads.find((h) => h.output === o)?.kind;
        parts[o]!.push(opts.raw ? raw.detach() : headTransform(kind)(raw).detach());
      }
    }
    const out: TensorMap = {};
    for (const o of model.outputNames) out[o] = concatRows(parts[o]!);
    return out;
  });
}

/**
 * One output's predictions (see predictAll): probabilities for classification heads.
 * @example predict(model, tensor([[0, 1]])).toArray(); // [[0.97]] for a binary head
 */
export function predict(model: TrainableModel, x: Dataset['x'], opts: PredictOptions = {}): Tensor {
  const names = model.outputNames;
  const output = opts.output ?? (names.length === 1 ? names[0]! : undefined);
  if (output === undefined) throw new RangeError(`predict: the model has ${names.length} outputs (${names.join(', ')}); pass { output: '…' } or use predictAll`);
  if (!names.includes(output)) throw new RangeError(`predict: '${output}' is not one of the model's outputs (${names.join(', ')})`);
  return predictAll(model, x, opts)[output]!;
}

/**
 * An epoch's running totals as the Trainer adds its batches: rows, row-weighted losses and each
 * output's metrics (OutputMetrics: counts and sums, not predictions), in storage made once, so
 * adding a batch allocates nothing.
 * @example
 * const totals = new EpochTotals(plans);
 * totals.batch[0] = loss; totals.batch[1] = loss; totals.add(32, outputs, targets);
 * const epochLoss = totals.close(metrics); // row-weighted mean; metrics filled in
 */
export class EpochTotals {
  /** The last batch's losses, [total, each output's…]: written by the Trainer before add(). */
  readonly batch: Float64Array;
  /** [rows, Σ rows·loss, Σ rows·loss of each output…]. */
  private readonly sums: Float64Array;
  /** Each plan's metrics so far (null for a plan without metrics). */
  private readonly streams: (OutputMetrics | null)[];

  constructor(private readonly plans: readonly OutputPlan[]) {
    this.batch = new Float64Array(1 + plans.length);
    this.sums = new Float64Array(2 + plans.length);
    this.streams = metricStreams(plans);
  }

  /**
   * Add the batch whose losses are in `batch`: `rows` rows, its raw outputs and targets (read
   * only for outputs with metrics, and at once, so tensors the Trainer reuses for the next batch
   * need no copy).
   */
  add(rows: number, outputs: TensorMap | null, targets: TensorMap | null): void {
    const sums = this.sums;
    const batch = this.batch;
    sums[0] += rows;
    sums[1] += batch[0]! * rows;
    for (let i = 0; i < this.plans.length; i++) {
      sums[2 + i] += batch[1 + i]! * rows;
      const stream = this.streams[i]!;
      if (stream !== null) {
        const output = this.plans[i]!.output;
        stream.add(outputs![output]!, targets![output]!);
      }
    }
  }

  /** Each output's loss of the last batch, as a record of its own. */
  batchLosses(): Record<string, number> {
    const losses: Record<string, number> = {};
    for (let i = 0; i < this.plans.length; i++) losses[this.plans[i]!.output] = this.batch[1 + i]!;
    return losses;
  }

  /** The epoch's mean loss; each output's loss (with several outputs) and the metrics go into `metrics`. Then starts over. */
  close(metrics: Record<string, number>): number {
    const sums = this.sums;
    if (this.plans.length > 1) this.plans.forEach((p, i) => (metrics[`${p.output}.loss`] = sums[2 + i]! / sums[0]!));
    closeStreams(this.streams, metrics);
    const loss = sums[1]! / sums[0]!;
    this.reset();
    return loss;
  }

  /** Start an epoch. */
  reset(): void {
    this.sums.fill(0);
    for (let i = 0; i < this.streams.length; i++) this.streams[i]?.reset();
  }
}
