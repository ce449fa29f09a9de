import { formatShape } from '../tensor/shape.js';
import { Tensor, tensor, type NestedArray } from '../tensor/tensor.js';

// Metrics as pure functions of predictions and targets: no autograd, plain numbers out.
// Predictions are what `predict` returns (probabilities for classification heads), though
// `accuracy` and `confusionMatrix` work as well on logits (the arg-max is the same).

/** Predictions or targets: a tensor, or plain (nested) arrays. */
export type MetricInput = Tensor | NestedArray;

/** The names fit/evaluate accept in `metrics`. */
export type MetricName = 'accuracy' | 'binaryAccuracy' | 'mse' | 'mae' | 'r2';
export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'binaryAccuracy', 'mse', 'mae', 'r2'];

/** Metrics where larger is better (early stopping watches them with mode 'max'). */
export function higherIsBetter(name: string): boolean {
  return /(accuracy|r2)$/i.test(name);
}

function asTensor(x: MetricInput, what: string, fn: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' || Array.isArray(x)) return tensor(x, { dtype: 'float64' });
  throw new TypeError(`${fn}: the ${what} must be a Tensor or an array of numbers`);
}

/** Number of rows: the first dimension (1 for a scalar). */
function rowsOf(t: Tensor): number {
  return t.rank === 0 ? 1 : t.shape[0]!;
}

/** Class labels of each row: the arg-max of a [N, K] score tensor, or the values of [N] / [N, 1]. */
function labelsOf(t: Tensor, fn: string, what: string): Int32Array {
  const n = rowsOf(t);
  const k = t.size / Math.max(n, 1);
  const out = new Int32Array(n);
  if (t.rank === 2 && k > 1) {
    const d = t.data;
    for (let r = 0; r < n; r++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (d[r * k + j]! > d[r * k + best]!) best = j;
      out[r] = best;
    }
    return out;
  }
  if (t.size !== n) throw new RangeError(`${fn}: the ${what} has shape ${formatShape(t.shape)}; give [N] labels, [N, 1] labels or [N, K] scores`);
  for (let r = 0; r < n; r++) {
    const v = t.data[r]!;
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${fn}: the ${what} in row ${r} is ${v}; class labels are integers from 0`);
    out[r] = v;
  }
  return out;
}

function sameRows(a: Tensor, b: Tensor, fn: string): void {
  if (rowsOf(a) !== rowsOf(b)) {
    throw new RangeError(`${fn}: the predictions have shape ${formatShape(a.shape)} but the targets have shape ${formatShape(b.shape)}; they need the same number of rows`);
  }
}

function sameSize(a: Tensor, b: Tensor, fn: string): void {
  if (a.size !== b.size) {
    throw new RangeError(`${fn}: the predictions have shape ${formatShape(a.shape)} but the targets have shape ${formatShape(b.shape)}; they must hold the same number of values`);
  }
  if (a.size === 0) throw new RangeError(`${fn}: there are no values to score`);
}

/** Predictions and targets as tensors holding the same number of values, for entry-wise metrics. */
function valuePair(pred: MetricInput, target: MetricInput, fn: string): [Tensor, Tensor] {
  const p = asTensor(pred, 'predictions', fn);
  const t = asTensor(target, 'targets', fn);
  sameSize(p, t, fn);
  return [p, t];
}

/** Predicted and target class labels, one per row, for class metrics. */
function labelPair(pred: MetricInput, target: MetricInput, fn: string): { p: Tensor; pl: Int32Array; tl: Int32Array } {
  const p = asTensor(pred, 'predictions', fn);
  const t = asTensor(target, 'targets', fn);
  sameRows(p, t, fn);
  return { p, pl: labelsOf(p, fn, 'prediction'), tl: labelsOf(t, fn, 'target') };
}

/** Mean of `error(prediction − target)` over all entries. */
function meanError(pred: MetricInput, target: MetricInput, fn: string, error: (diff: number) => number): number {
  const [p, t] = valuePair(pred, target, fn);
  let s = 0;
  for (let i = 0; i < p.size; i++) s += error(p.data[i]! - t.data[i]!);
  return s / p.size;
}

/**
 * Fraction of rows whose predicted class (arg-max of `[N, K]` scores) equals the target class
 * (labels `[N]`/`[N, 1]`, or the arg-max of a one-hot `[N, K]` target).
 * @example accuracy([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], [1, 0, 0]); // 2/3
 */
export function accuracy(pred: MetricInput, target: MetricInput): number {
  const { pl, tl } = labelPair(pred, target, 'accuracy');
  if (pl.length === 0) throw new RangeError('accuracy: there are no rows to score');
  let hits = 0;
  for (let i = 0; i < pl.length; i++) if (pl[i] === tl[i]) hits++;
  return hits / pl.length;
}

/**
 * Fraction of entries where (probability ≥ threshold) equals the 0/1 target. Pass
 * `threshold = 0` to score logits.
 * @example binaryAccuracy([[0.9], [0.4], [0.6]], [[1], [0], [0]]); // 2/3
 */
export function binaryAccuracy(pred: MetricInput, target: MetricInput, threshold = 0.5): number {
  const [p, t] = valuePair(pred, target, 'binaryAccuracy');
  let hits = 0;
  for (let i = 0; i < p.size; i++) if ((p.data[i]! >= threshold ? 1 : 0) === (t.data[i]! >= 0.5 ? 1 : 0)) hits++;
  return hits / p.size;
}

/**
 * Mean squared error over all entries.
 * @example mse([[1, 2]], [[0, 0]]); // 2.5
 */
export function mse(pred: MetricInput, target: MetricInput): number {
  return meanError(pred, target, 'mse', (d) => d ** 2);
}

/**
 * Mean absolute error over all entries.
 * @example mae([[1, -2]], [[0, 0]]); // 1.5
 */
export function mae(pred: MetricInput, target: MetricInput): number {
  return meanError(pred, target, 'mae', Math.abs);
}

/**
 * Coefficient of determination 1 − SS_res/SS_tot, per output column and then averaged over the
 * columns (scikit-learn's 'uniform_average'). A constant column scores 1 when predicted exactly
 * and 0 otherwise.
 * @example r2([1, 2, 3], [1, 2, 4]); // 1 − 1/(14/3) ≈ 0.7857
 */
export function r2(pred: MetricInput, target: MetricInput): number {
  const [p, t] = valuePair(pred, target, 'r2');
  const n = rowsOf(t);
  const cols = t.size / n;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let meanT = 0;
    for (let r = 0; r < n; r++) meanT += t.data[r * cols + c]!;
    meanT /= n;
    let ssRes = 0;
    let ssTot = 0;
    let constant = true;
    for (let r = 0; r < n; r++) {
      const y = t.data[r * cols + c]!;
      ssRes += (y - p.data[r * cols + c]!) ** 2;
      ssTot += (y - meanT) ** 2;
      if (y !== t.data[c]!) constant = false;
    }
    // A constant column's computed mean can miss its value in the last bit (ten 0.1s sum to
    // 0.9999999999999999), which left SS_tot ~1e-33 and r2 ~−1e30 instead of 0.
    if (constant) ssTot = 0;
    total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / cols;
}

/**
 * Counts `m[true][predicted]` over the rows. Predictions are labels or `[N, K]` scores; the
 * number of classes defaults to the largest label seen + 1 (or K).
 * @example confusionMatrix([0, 1, 1], [0, 1, 0]); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(pred: MetricInput, target: MetricInput, numClasses?: number): number[][] {
  const { p, pl, tl } = labelPair(pred, target, 'confusionMatrix');
  let k = numClasses ?? 0;
  if (numClasses === undefined) {
    if (p.rank === 2 && p.shape[1]! > 1) k = p.shape[1]!;
    for (const v of [...pl, ...tl]) k = Math.max(k, v + 1);
  }
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < pl.length; i++) {
    if (pl[i]! >= k || tl[i]! >= k) throw new RangeError(`confusionMatrix: row ${i} has class ${Math.max(pl[i]!, tl[i]!)} but numClasses is ${k}`);
    m[tl[i]!]![pl[i]!]! += 1;
  }
  return m;
}

/** Compute a metric by name. 'accuracy' on a binary head means binaryAccuracy. */
export function computeMetric(name: string, pred: Tensor, target: Tensor): number {
  switch (name) {
    case 'accuracy':
      return accuracy(pred, target);
    case 'binaryAccuracy':
      return binaryAccuracy(pred, target);
    case 'mse':
      return mse(pred, target);
    case 'mae':
      return mae(pred, target);
    case 'r2':
      return r2(pred, target);
    default:
      throw new RangeError(`unknown metric '${name}'; choose one of ${METRIC_NAMES.join(', ')}`);
  }
}
