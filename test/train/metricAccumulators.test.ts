// Streaming metrics: fed in batches of 1, 7 and all rows, OutputMetrics gives what the whole-array
// metrics give on predict's output and metricTarget of all rows at once (how evaluate and the
// Trainer computed them before): exactly for accuracy, binaryAccuracy, mse and mae (same
// arithmetic, same summation order), within 1e-12 for r2 (its SS_tot is merged batch by batch).
import { describe, expect, it } from 'vitest';
import { bytesAllocated } from '../../bench/allocation.js';
import { accuracy, asTrainable, Linear, Random, Sequential, Tensor } from '../../src/index.js';
import type { TypedArray } from '../../src/tensor/dtype.js';
import { EpochTotals, OutputMetrics, type MetricPlan } from '../../src/train/evaluate.js';
import { headTransform, metricTarget, metricToCompute, planOutputs, type OutputPlan } from '../../src/train/heads.js';
import { computeMetric, type MetricName } from '../../src/train/metrics.js';

type Kind = OutputPlan['kind'];

function plan(kind: Kind, metrics: MetricName[]): MetricPlan {
  return { output: 'y', kind, metrics, prefix: '' };
}

/** The metrics as evaluate computed them before streaming: predict(raw) and metricTarget of all rows, then the whole-array function. */
function wholeArray(p: MetricPlan, raw: Tensor, target: Tensor): Record<string, number> {
  const pred = headTransform(p.kind)(raw);
  const t = metricTarget(p as OutputPlan, raw, target);
  const out: Record<string, number> = {};
  for (const m of p.metrics) out[m] = computeMetric(metricToCompute(p as OutputPlan, m), pred, t);
  return out;
}

function rows(t: Tensor, start: number, end: number): Tensor {
  const w = t.size / t.shape[0]!;
  return new Tensor(t.data.slice(start * w, end * w), [end - start, ...t.shape.slice(1)]);
}

function streamed(p: MetricPlan, raw: Tensor, target: Tensor, batch: number, m = new OutputMetrics(p)): Record<string, number> {
  const n = raw.shape[0]!;
  for (let start = 0; start < n; start += batch) m.add(rows(raw, start, Math.min(n, start + batch)), rows(target, start, Math.min(n, start + batch)));
  const out: Record<string, number> = {};
  m.close(out);
  return out;
}

/** Streamed in batches of 1, 7 and all rows (and a second epoch on the same accumulators) equals the whole-array values. */
function expectSame(p: MetricPlan, raw: Tensor, target: Tensor): Record<string, number> {
  const want = wholeArray(p, raw, target);
  const reused = new OutputMetrics(p);
  for (const batch of [1, 7, raw.shape[0]!, 1]) {
    const got = streamed(p, raw, target, batch, reused);
    expect(Object.keys(got)).toEqual(p.metrics);
    for (const m of p.metrics) {
      if (metricToCompute(p as OutputPlan, m) === 'r2') {
        expect(Math.abs(got[m]! - want[m]!), `r2, batches of ${batch}: ${got[m]} vs ${want[m]}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[m]!)));
      } else {
        expect(got[m], `${m}, batches of ${batch}`).toBe(want[m]);
      }
    }
  }
  return want;
}

function randomArray(n: number, float32: boolean, value: (i: number) => number): TypedArray {
  return float32 ? Float32Array.from({ length: n }, (_, i) => value(i)) : Float64Array.from({ length: n }, (_, i) => value(i));
}

describe('OutputMetrics against the whole-array metrics', () => {
  const rng = new Random(11);
  const N = 53;

  for (const float32 of [true, false]) {
    const dtype = float32 ? 'float32' : 'float64';

    it(`regression (${dtype}): mse and mae exactly, r2 over 3 columns within 1e-12`, () => {
      const raw = new Tensor(randomArray(N * 3, float32, () => rng.normal(0, 2)), [N, 3]);
      const target = new Tensor(randomArray(N * 3, float32, (i) => raw.data[i]! + rng.normal(0, 1)), [N, 3]);
      const v = expectSame(plan('regression', ['mse', 'mae', 'r2']), raw, target);
      expect(v.r2!).toBeGreaterThan(0.5); // a real fit, not a degenerate score
      // [N] targets for an [N, 1] output are aligned as the loss aligns them.
      const column0 = (t: Tensor): TypedArray => t.data.filter((_, i) => i % 3 === 0);
      expectSame(plan('regression', ['mse', 'r2']), new Tensor(column0(raw), [N, 1]), new Tensor(column0(target), [N]));
    });

    it(`binary head (${dtype} logits): accuracy means binaryAccuracy, through the sigmoid's own rounding`, () => {
      // Logits near 0 too: σ of a float32 logit in (−3e-8, 0) rounds up to 0.5, which counts as class 1.
      const raw = new Tensor(randomArray(N, float32, (i) => (i % 4 === 0 ? -(2 ** -(24 + (i % 9))) : i % 4 === 1 ? rng.normal(0, 1e-3) : rng.normal(0, 2))), [N, 1]);
      const target = new Tensor(randomArray(N, float32, () => (rng.uniform() < 0.5 ? 0 : 1)), [N, 1]);
      expectSame(plan('binary', ['accuracy', 'binaryAccuracy', 'mse', 'mae', 'r2']), raw, target);
      expectSame(plan('binary', ['accuracy']), raw, new Tensor(target.data, [N])); // [N] targets
    });

    it(`multiclass (${dtype}): accuracy against [N] labels, [N, 1] labels and one-hot targets`, () => {
      const K = 4;
      const raw = new Tensor(randomArray(N * K, float32, () => rng.normal(0, 1)), [N, K]);
      const labels = Array.from({ length: N }, (_, r) => (rng.uniform() < 0.6 ? argMax(raw.data, r * K, K) : r % K));
      const oneHot = new Tensor(randomArray(N * K, float32, (i) => (labels[Math.floor(i / K)] === i % K ? 1 : 0)), [N, K]);
      const acc = expectSame(plan('multiclass', ['accuracy']), raw, new Tensor(Float64Array.from(labels), [N]));
      expect(acc.accuracy!).toBeGreaterThan(0.5);
      expectSame(plan('multiclass', ['accuracy']), raw, new Tensor(Float32Array.from(labels), [N, 1]));
      // One-hot targets also give softmax entries to score against.
      expectSame(plan('multiclass', ['accuracy', 'mse', 'mae', 'binaryAccuracy', 'r2']), raw, oneHot);
    });

    it(`multiclass (${dtype}): logits a hair apart, whose probabilities may round equal (first class wins)`, () => {
      const K = 3;
      const near = float32 ? [0, 1e-9, 3e-8, 6e-8, 1.2e-7, 1e-5, 1.1e-5] : [0, 1e-17, 1e-16, 2.3e-16, 5e-16, 1e-12, 1e-5];
      const raw = new Tensor(randomArray(200 * K, float32, () => near[Math.floor(rng.uniform() * near.length)]! + (rng.uniform() < 0.1 ? 3 : 0)), [200, K]);
      const labels = new Tensor(Float64Array.from({ length: 200 }, () => Math.floor(rng.uniform() * K)), [200]);
      const exact = new Tensor(Float64Array.from({ length: 200 }, (_, r) => argMax(softmaxOf(raw).data, r * K, K)), [200]);
      expectSame(plan('multiclass', ['accuracy']), raw, labels);
      expect(expectSame(plan('multiclass', ['accuracy']), raw, exact).accuracy).toBe(1);
      // Some rows do tie after rounding where the logits alone would pick a later class.
      expect(Array.from({ length: 200 }, (_, r) => argMax(raw.data, r * K, K) !== exact.data[r]).some(Boolean)).toBe(true);
    });
  }

  it('probabilities without a head (bce loss): binaryAccuracy thresholds them as given', () => {
    const raw = new Tensor(Float32Array.from({ length: N }, (_, i) => (i % 5 === 0 ? 0.5 : rng.uniform())), [N, 1]);
    const target = new Tensor(Float32Array.from({ length: N }, () => (rng.uniform() < 0.5 ? 0 : 1)), [N, 1]);
    expectSame(plan(null, ['binaryAccuracy', 'mse']), raw, target);
  });

  it('r2 of a constant target column: 1 when predicted exactly, 0 otherwise, next to an ordinary column', () => {
    // Column 0: targets all 0.1 (their computed mean is not exactly 0.1), predicted exactly;
    // column 1: all 0.1 again, predicted 0.1 except one row; column 2: ordinary.
    const t = Float64Array.from({ length: N * 3 }, (_, i) => (i % 3 < 2 ? 0.1 : rng.normal(0, 1)));
    const p = Float64Array.from(t, (v, i) => (i % 3 === 2 ? v + rng.normal(0, 0.5) : i === 3 * 17 + 1 ? 0.2 : v));
    const raw = new Tensor(p, [N, 3]);
    const target = new Tensor(t, [N, 3]);
    const v = expectSame(plan('regression', ['r2']), raw, target);
    const third = expectSame(plan('regression', ['r2']), new Tensor(p.filter((_, i) => i % 3 === 2), [N, 1]), new Tensor(t.filter((_, i) => i % 3 === 2), [N, 1])).r2!;
    expect(v.r2).toBeCloseTo((1 + 0 + third) / 3, 12);
    expect(expectSame(plan('regression', ['r2']), new Tensor(t.filter((_, i) => i % 3 === 0), [N, 1]), new Tensor(t.filter((_, i) => i % 3 === 0), [N, 1])).r2).toBe(1);
  });
});

const softmaxOf = headTransform('multiclass');

function argMax(d: ArrayLike<number>, o: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (d[o + j]! > d[o + best]!) best = j;
  return best;
}

describe('OutputMetrics keeps what predict + the metric did at ties, NaN and infinities', () => {
  it('multiclass: classes whose probabilities round equal go to the first; a row with NaN or +∞ is class 0', () => {
    // Row 0: logits 0 and 1e-9 have the same float32 probability, so class 0 (arg-max of the
    // logits alone would say 1). Row 1: NaN makes the whole softmax row NaN → class 0. Row 2: +∞
    // gives ∞ − ∞ = NaN, so class 0 too. Row 3: an ordinary row, class 2.
    const raw = new Tensor(Float32Array.of(0, 1e-9, -1, 5, NaN, 1, 0, Infinity, 1, 0, 1, 3), [4, 3]);
    const p = plan('multiclass', ['accuracy']);
    expect(expectSame(p, raw, new Tensor(Float32Array.of(1, 1, 1, 2), [4])).accuracy).toBe(0.25);
    expect(expectSame(p, raw, new Tensor(Float32Array.of(0, 0, 0, 2), [4])).accuracy).toBe(1);
  });

  it('binary: a NaN logit counts as class 0 (NaN ≥ 0.5 is false), +∞ as 1, −∞ as 0', () => {
    const raw = new Tensor(Float32Array.of(NaN, NaN, Infinity, -Infinity, -1e-9), [5, 1]);
    const p = plan('binary', ['accuracy']);
    expect(expectSame(p, raw, new Tensor(Float32Array.of(0, 1, 1, 0, 1), [5, 1])).accuracy).toBe(0.8);
  });

  it('mse, mae and r2 of a NaN prediction are NaN', () => {
    const raw = new Tensor(Float64Array.of(1, NaN, 3), [3, 1]);
    const target = new Tensor(Float64Array.of(1, 2, 4), [3, 1]);
    const m = new OutputMetrics(plan('regression', ['mse', 'mae', 'r2']));
    m.add(raw, target);
    const out: Record<string, number> = {};
    m.close(out);
    expect(out).toEqual({ mse: NaN, mae: NaN, r2: NaN });
  });
});

describe('OutputMetrics errors', () => {
  it('names epoch rows of a bad label, as the whole-array accuracy did', () => {
    const m = new OutputMetrics(plan('multiclass', ['accuracy']));
    m.add(new Tensor(Float32Array.of(1, 0, 0, 1), [2, 2]), new Tensor(Float32Array.of(0, 1), [2]));
    expect(() => m.add(new Tensor(Float32Array.of(1, 0), [1, 2]), new Tensor(Float32Array.of(0.5), [1]))).toThrow('accuracy: the target in row 2 is 0.5; class labels are integers from 0');
  });

  it('entry metrics of a multiclass output need one-hot targets: both shapes of the epoch at close', () => {
    const m = new OutputMetrics(plan('multiclass', ['accuracy', 'mse']));
    for (let i = 0; i < 3; i++) m.add(new Tensor(Float32Array.of(1, 0, 0, 0, 1, 0), [2, 3]), new Tensor(Float32Array.of(0, 1), [2]));
    expect(() => m.close({})).toThrow('mse: the predictions have shape [6, 3] but the targets have shape [6]; they must hold the same number of values');
  });

  it('a target that does not fit the output fails at once with the loss’s message', () => {
    const m = new OutputMetrics(plan('regression', ['mse']));
    expect(() => m.add(new Tensor(Float32Array.of(1, 2), [2, 1]), new Tensor(Float32Array.of(1, 2, 3), [3]))).toThrow(/output 'y' has shape \[2, 1\] but its target has shape \[3\]/);
  });

  it('nothing to score', () => {
    expect(() => new OutputMetrics(plan('multiclass', ['accuracy'])).close({})).toThrow('accuracy: there are no rows to score');
    expect(() => new OutputMetrics(plan('regression', ['r2'])).close({})).toThrow('r2: there are no values to score');
  });
});

describe('OutputMetrics allocates nothing per batch once it has seen the batch size', () => {
  const rng = new Random(3);
  const cases: [string, MetricPlan, Tensor, Tensor][] = [
    ['multiclass accuracy, labels', plan('multiclass', ['accuracy']), new Tensor(Float32Array.from({ length: 640 }, () => rng.normal(0, 1)), [64, 10]), new Tensor(Float32Array.from({ length: 64 }, (_, i) => i % 10), [64])],
    ['multiclass, one-hot, every metric', plan('multiclass', ['accuracy', 'binaryAccuracy', 'mse', 'mae', 'r2']), new Tensor(Float32Array.from({ length: 96 }, () => rng.normal(0, 1)), [32, 3]), new Tensor(Float32Array.from({ length: 96 }, (_, i) => (i % 4 === 0 ? 1 : 0)), [32, 3])],
    ['binary accuracy', plan('binary', ['accuracy', 'mse']), new Tensor(Float32Array.from({ length: 10 }, () => rng.normal(0, 1)), [10, 1]), new Tensor(Float32Array.from({ length: 10 }, (_, i) => i % 2), [10, 1])],
    ['regression mse, mae, r2 (float64)', plan('regression', ['mse', 'mae', 'r2']), new Tensor(Float64Array.from({ length: 96 }, () => rng.normal(0, 1)), [32, 3]), new Tensor(Float64Array.from({ length: 96 }, () => rng.normal(0, 1)), [32, 3])],
  ];
  const nothing = (): void => {};
  /**
   * Bytes per call of `fn` once V8 has optimised it: the smallest of up to 20 windows of 2,000
   * calls, each after 3,000 more calls. Until the optimising compiler takes a function (3,000 to
   * 21,000 calls here, varying from run to run), its doubles are boxed: ~160 B per call; and some
   * runs show ~600 B per window whatever its length, which 2,000 calls make 0.3 B per call.
   */
  const bytesPerCall = (fn: () => void): number => {
    let best = Infinity;
    for (let r = 0; r < 20 && best >= 1; r++) {
      for (let i = 0; i < 3000; i++) fn();
      best = Math.min(best, (bytesAllocated(fn, 2000) - bytesAllocated(nothing, 2000)) / 2000);
    }
    return best;
  };
  // The Trainer's side: EpochTotals.add of a batch with its losses, outputs and targets.
  const model = asTrainable(new Sequential(new Linear(2, 3, { seed: 1 })), { head: 'multiclass' });
  const totals = new EpochTotals(planOutputs(model, { metrics: ['accuracy'] }));
  const outputs = { y: cases[1]![2] };
  const targets = { y: new Tensor(Float32Array.from({ length: 32 }, (_, i) => i % 3), [32]) };
  it('EpochTotals.add with metrics', () => {
    const best = bytesPerCall(() => totals.add(32, outputs, targets));
    expect(best, `${best} bytes per batch`).toBeLessThan(1);
    const metrics: Record<string, number> = {};
    totals.close(metrics);
    expect(metrics.accuracy).toBe(accuracy(softmaxOf(outputs.y), targets.y));
  });
  for (const [name, p, raw, target] of cases) {
    it(name, () => {
      const m = new OutputMetrics(p);
      const best = bytesPerCall(() => m.add(raw, target));
      expect(best, `${best} bytes per batch`).toBeLessThan(1);
      const out: Record<string, number> = {};
      m.close(out);
      expect(Object.keys(out)).toEqual(p.metrics);
    });
  }
});
