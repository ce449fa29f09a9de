import { sigmoidExact } from '../ops/activations.js';
import * as sigmoid32 from '../ops/sigmoidFloat32.js';
import * as softmaxOps from '../ops/softmax.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { OutputPlan } from './heads.js';
import type { MetricName } from './metrics.js';

// Metrics one batch at a time (evaluate.ts's OutputMetrics drives them), so neither the Trainer
// nor evaluate keeps an epoch's predictions: each batch's raw outputs and targets are read at
// once (reused target buffers need no copy) and folded into running counts and sums. Storage
// is made at the first batch (and again only for a larger batch): adding a batch allocates nothing.
// The values equal the whole-array functions of metrics.ts on predict's output: the sigmoid and
// softmax are recomputed here with the same arithmetic as the ops (float32 rounding included),
// mse/mae/SS_res sum in the same order, and only r2's SS_tot is merged per batch (Chan et al.),
// which moves it in the last bits.

// Module-local copy of an imported binding (see ops/sigmoidFloat32.ts: imported bindings in hot loops are slow under tsx).
const sigmoidFloat32Into = sigmoid32.sigmoidFloat32Into;
const softmaxRowInto = softmaxOps.softmaxRowInto;
const ONE_IN = new Float32Array(1);
const ONE_OUT = new Float32Array(1);

/** How raw outputs become predictions: predict's sigmoid (binary), softmax (multiclass) or nothing. */
export type Transform = 'identity' | 'sigmoid' | 'softmax';

/** The transform `predict` applies to an output of this head kind. */
export function transformOf(kind: OutputPlan['kind']): Transform {
  return kind === 'binary' ? 'sigmoid' : kind === 'multiclass' ? 'softmax' : 'identity';
}

/**
 * One batch as the accumulators read it: the raw outputs and targets as given, and on request
 * the class labels and predictions `predict` gives, in storage kept from batch to batch.
 * @example const b = new MetricBatch(); b.load(logits, y, 'softmax'); b.readLabels(); b.predLabels[0];
 */
export class MetricBatch {
  rows = 0;
  /** Values per row of the output. */
  width = 0;
  /** Epoch row number of the batch's first row (errors name rows as the whole-array metrics do). */
  firstRow = 0;
  transform: Transform = 'identity';
  float32 = true;
  raw: TypedArray = ONE_IN;
  /** The target's values, one per prediction in the same order for entry metrics. */
  target: TypedArray = ONE_IN;
  targetSize = 0;
  /** After readValues: predict(raw), rows × width (`raw` itself when there is no transform). */
  values: ArrayLike<number> = ONE_IN;
  /** After readLabels: predicted and target class of each row. */
  predLabels = new Int32Array(0);
  targetLabels = new Int32Array(0);
  /** Softmax rows, of the raw output's type so they round as the op's (grown to the largest batch, never shrunk). */
  private softmaxValues: TypedArray = new Float64Array(0);
  /** Sigmoid values (grown to the largest batch, never shrunk). */
  private sigmoidValues = new Float64Array(0);

  /** Take a batch: raw outputs ([N, width]) and its target; `firstRow` is left to the caller. */
  load(raw: Tensor, target: Tensor, transform: Transform): void {
    this.rows = raw.rank === 0 ? 1 : raw.shape[0]!;
    this.width = this.rows === 0 ? 0 : raw.size / this.rows;
    this.raw = raw.data;
    this.float32 = raw.data instanceof Float32Array;
    this.transform = transform;
    this.target = target.data;
    this.targetSize = target.size;
  }

  /** Predicted and target class of each row, as accuracy's labelsOf reads predict(raw) and the target. */
  readLabels(): void {
    const { rows, raw } = this;
    const k = this.width;
    if (this.predLabels.length < rows) {
      this.predLabels = new Int32Array(rows);
      this.targetLabels = new Int32Array(rows);
    }
    const pl = this.predLabels;
    if (k > 1 && this.transform === 'softmax') {
      const row = this.softmaxStorage(k);
      for (let r = 0; r < rows; r++) pl[r] = softmaxArgMax(raw, r * k, k, row);
    } else if (k > 1) {
      for (let r = 0; r < rows; r++) pl[r] = argMax(raw, r * k, k);
    } else {
      // One value per row is the label itself (the softmax of one logit is 1, or NaN).
      for (let r = 0; r < rows; r++) pl[r] = checkedLabel(this.transform === 'softmax' ? Math.exp(raw[r]! - raw[r]!) : raw[r]!, this.firstRow + r, 'prediction');
    }
    const t = this.target;
    const tl = this.targetLabels;
    const kt = this.targetSize / Math.max(rows, 1);
    if (kt > 1) for (let r = 0; r < rows; r++) tl[r] = argMax(t, r * kt, kt);
    else for (let r = 0; r < rows; r++) tl[r] = checkedLabel(t[r]!, this.firstRow + r, 'target');
  }

  /** Room for n softmax values of the raw output's type. */
  private softmaxStorage(n: number): TypedArray {
    const s = this.softmaxValues;
    if (s.length < n || s instanceof Float32Array !== this.float32) this.softmaxValues = this.float32 ? new Float32Array(n) : new Float64Array(n);
    return this.softmaxValues;
  }

  /** `values`: predict(raw) of the batch, with the ops' arithmetic. */
  readValues(): void {
    const { raw, rows, width } = this;
    const n = rows * width;
    if (this.transform === 'identity') {
      this.values = raw;
    } else if (this.transform === 'softmax') {
      const out = this.softmaxStorage(n);
      for (let r = 0; r < rows; r++) softmaxRowInto(raw, r * width, width, out, r * width);
      this.values = out;
    } else {
      if (this.sigmoidValues.length < n) this.sigmoidValues = new Float64Array(n);
      const out = (this.values = this.sigmoidValues);
      // Straight into the output, not through sigmoidOf: a double returned by a call V8 did not inline is boxed (16 bytes).
      if (this.float32) {
        for (let i = 0; i < n; i++) {
          ONE_IN[0] = raw[i]!;
          sigmoidFloat32Into(ONE_IN, ONE_OUT);
          out[i] = ONE_OUT[0]!;
        }
      } else {
        for (let i = 0; i < n; i++) out[i] = sigmoidExact(raw[i]!);
      }
    }
  }
}

/** One metric's running state over an epoch. */
export interface MetricAccumulator {
  readonly name: MetricName;
  /** Class labels per row (accuracy) or prediction values (mse, mae, r2, binaryAccuracy through softmax). */
  readonly needs: 'labels' | 'entries';
  readonly needsValues: boolean;
  add(b: MetricBatch): void;
  /** The epoch's value (throws when there was nothing to score). */
  value(): number;
  reset(): void;
}

/** σ(v) with the bits of the sigmoid op: float32 arithmetic for float32 outputs, float64 otherwise. */
function sigmoidOf(v: number, float32: boolean): number {
  if (!float32) return sigmoidExact(v);
  ONE_IN[0] = v;
  sigmoidFloat32Into(ONE_IN, ONE_OUT); // one element: the TypeScript loop, same bits as the SIMD kernel
  return ONE_OUT[0]!;
}

/**
 * Whether σ(v) ≥ 0.5 as the sigmoid op rounds it. Away from 0 the sign decides: σ(±0.001) =
 * 0.5 ± 2.5e-4, far beyond the op's 2 ulp (1.2e-7) error, and σ is monotone. Near 0 (and for
 * NaN, whose σ is NaN, so "no") the op's own arithmetic decides: σ of a tiny negative float32
 * rounds up to 0.5.
 */
function sigmoidAtLeastHalf(v: number, float32: boolean): boolean {
  if (v >= 1e-3) return true;
  if (v <= -1e-3) return false;
  return sigmoidOf(v, float32) >= 0.5;
}

/** Index of the largest of d[o … o+k) (first one on ties; NaN never wins, so a leading NaN gives 0), as metrics' labelsOf. */
function argMax(d: ArrayLike<number>, o: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (d[o + j]! > d[o + best]!) best = j;
  return best;
}

/**
 * Logits closer than this to the row's maximum may get the same probability as it once the
 * softmax rounds (float32 spacing near a probability is ≤ 2⁻²³ ≈ 1.2e-7 of it, and e^−1e-5 is
 * 1e-5 below 1); farther ones get a strictly smaller one.
 */
const NEAR_MAX = 1e-5;

/**
 * The arg-max of softmax(row) as accuracy reads predict's probabilities: NaN anywhere or an
 * infinite maximum makes the whole row NaN (∞ − ∞), so class 0; otherwise the first largest
 * logit, unless an earlier logit is within NEAR_MAX of it, when the probabilities decide.
 */
function softmaxArgMax(d: TypedArray, o: number, k: number, row: TypedArray): number {
  let best = 0;
  let max = d[o]!;
  let nan = Number.isNaN(max);
  for (let j = 1; j < k; j++) {
    const v = d[o + j]!;
    if (v > max) {
      max = v;
      best = j;
    } else if (v !== v) nan = true;
  }
  if (nan || max === Infinity || max === -Infinity) return 0;
  for (let j = 0; j < best; j++) {
    if (max - d[o + j]! < NEAR_MAX) {
      softmaxRowInto(d, o, k, row, 0);
      return argMax(row, 0, k);
    }
  }
  return best;
}

function noValues(fn: string): RangeError {
  return new RangeError(`${fn}: there are no values to score`);
}

/** Fraction of rows whose predicted class equals the target class. */
export class AccuracyAccumulator implements MetricAccumulator {
  readonly name = 'accuracy';
  readonly needs = 'labels';
  readonly needsValues = false;
  private hits = 0;
  private rows = 0;
  add(b: MetricBatch): void {
    const p = b.predLabels;
    const t = b.targetLabels;
    let hits = 0;
    for (let r = 0; r < b.rows; r++) if (p[r] === t[r]) hits++;
    this.hits += hits;
    this.rows += b.rows;
  }
  value(): number {
    if (this.rows === 0) throw new RangeError('accuracy: there are no rows to score');
    return this.hits / this.rows;
  }
  reset(): void {
    this.hits = 0;
    this.rows = 0;
  }
}

/** Fraction of entries where (prediction ≥ 0.5) equals (target ≥ 0.5). */
export class BinaryAccuracyAccumulator implements MetricAccumulator {
  readonly name = 'binaryAccuracy';
  readonly needs = 'entries';
  readonly needsValues: boolean;
  private hits = 0;
  private count = 0;
  constructor(transform: Transform) {
    this.needsValues = transform === 'softmax';
  }
  add(b: MetricBatch): void {
    const n = b.rows * b.width;
    const t = b.target;
    let hits = 0;
    if (b.transform === 'sigmoid') {
      const raw = b.raw;
      for (let i = 0; i < n; i++) if (sigmoidAtLeastHalf(raw[i]!, b.float32) === t[i]! >= 0.5) hits++;
    } else {
      const v = b.values;
      for (let i = 0; i < n; i++) if (v[i]! >= 0.5 === t[i]! >= 0.5) hits++;
    }
    this.hits += hits;
    this.count += n;
  }
  value(): number {
    if (this.count === 0) throw noValues('binaryAccuracy');
    return this.hits / this.count;
  }
  reset(): void {
    this.hits = 0;
    this.count = 0;
  }
}

/** Mean of (p − t)² ('mse') or |p − t| ('mae'), summed in entry order as mse()/mae() sum. */
export class MeanErrorAccumulator implements MetricAccumulator {
  readonly needs = 'entries';
  readonly needsValues = true;
  private sum = 0;
  private count = 0;
  constructor(readonly name: 'mse' | 'mae') {}
  add(b: MetricBatch): void {
    const n = b.rows * b.width;
    const v = b.values;
    const t = b.target;
    let s = this.sum;
    if (this.name === 'mse') for (let i = 0; i < n; i++) s += (v[i]! - t[i]!) ** 2;
    else for (let i = 0; i < n; i++) s += Math.abs(v[i]! - t[i]!);
    this.sum = s;
    this.count += n;
  }
  value(): number {
    if (this.count === 0) throw noValues(this.name);
    return this.sum / this.count;
  }
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}

/**
 * Per column: rows, target mean and M2 = Σ(t − mean)² merged batch by batch with Chan et al.'s
 * parallel formula (each batch's own mean and M2 by two passes, as r2() does on the whole column),
 * SS_res = Σ(t − p)² in row order, and whether every target equals the first (SS_tot exactly 0).
 */
export class R2Accumulator implements MetricAccumulator {
  readonly name = 'r2';
  readonly needs = 'entries';
  readonly needsValues = true;
  private rows = 0;
  private mean = new Float64Array(0);
  private m2 = new Float64Array(0);
  private ssRes = new Float64Array(0);
  private first = new Float64Array(0);
  private constant = new Uint8Array(0);
  add(b: MetricBatch): void {
    const cols = b.width;
    const n = b.rows;
    if (n === 0) return;
    if (this.mean.length !== cols) this.size(cols);
    const v = b.values;
    const t = b.target;
    const before = this.rows;
    const total = before + n;
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let r = 0; r < n; r++) sum += t[r * cols + c]!;
      const batchMean = sum / n;
      let batchM2 = 0;
      let ssRes = this.ssRes[c]!;
      let constant = this.constant[c] === 1;
      const first = before === 0 ? t[c]! : this.first[c]!;
      for (let r = 0; r < n; r++) {
        const y = t[r * cols + c]!;
        batchM2 += (y - batchMean) ** 2;
        ssRes += (y - v[r * cols + c]!) ** 2;
        if (y !== first) constant = false;
      }
      const delta = batchMean - this.mean[c]!;
      this.mean[c] = before === 0 ? batchMean : this.mean[c]! + (delta * n) / total;
      this.m2[c] = before === 0 ? batchM2 : this.m2[c]! + batchM2 + ((delta * delta * before) / total) * n;
      this.ssRes[c] = ssRes;
      this.first[c] = first;
      this.constant[c] = constant ? 1 : 0;
    }
    this.rows = total;
  }
  value(): number {
    const cols = this.mean.length;
    if (this.rows === 0 || cols === 0) throw noValues('r2');
    let total = 0;
    for (let c = 0; c < cols; c++) {
      const ssTot = this.constant[c] === 1 ? 0 : this.m2[c]!;
      const ssRes = this.ssRes[c]!;
      total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
    }
    return total / cols;
  }
  reset(): void {
    this.rows = 0;
    this.mean.fill(0);
    this.m2.fill(0);
    this.ssRes.fill(0);
    this.constant.fill(1);
  }
  private size(cols: number): void {
    if (this.rows > 0) throw new RangeError(`r2: a batch has ${cols} values per row but earlier batches had ${this.mean.length}`);
    this.mean = new Float64Array(cols);
    this.m2 = new Float64Array(cols);
    this.ssRes = new Float64Array(cols);
    this.first = new Float64Array(cols);
    this.constant = new Uint8Array(cols).fill(1);
  }
}

/**
 * A fresh accumulator for a metric (as metricToCompute names it) of an output whose predictions come through `transform`.
 * @example const acc = accumulatorFor('accuracy', 'softmax');
 */
export function accumulatorFor(name: MetricName, transform: Transform): MetricAccumulator {
  switch (name) {
    case 'accuracy':
      return new AccuracyAccumulator();
    case 'binaryAccuracy':
      return new BinaryAccuracyAccumulator(transform);
    case 'mse':
    case 'mae':
      return new MeanErrorAccumulator(name);
    case 'r2':
      return new R2Accumulator();
    default:
      throw new RangeError(`unknown metric '${String(name)}'`);
  }
}

/** A class label as accuracy's labelsOf accepts it: an integer from 0 (the same error otherwise). */
function checkedLabel(v: number, row: number, what: string): number {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`accuracy: the ${what} in row ${row} is ${v}; class labels are integers from 0`);
  return v;
}
