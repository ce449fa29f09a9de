// The metrics of the report, computed on answers in the user's units (labels, original values).

import type { Decoded, TargetSpec } from '../src/data/preprocess.js';

export interface ClassificationMetrics {
  accuracy: number;
  /** counts[true][predicted], classes in the model's order. */
  confusionMatrix: number[][];
  classes: string[];
  rows: number;
}

export interface TargetMetrics {
  rmse: number;
  mae: number;
  /** 1 − SS_res/SS_tot; null when the target is constant in these rows. */
  r2: number | null;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number | null;
  /** Per target column, in the model's order. */
  perTarget: Record<string, TargetMetrics>;
  rows: number;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

/**
 * Accuracy and confusion matrix from true and predicted class indices.
 * @example classificationMetrics(Int32Array.of(0, 1), Int32Array.of(0, 0), ['a', 'b']).accuracy; // 0.5
 */
export function classificationMetrics(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: string[]): ClassificationMetrics {
  const K = classes.length;
  const confusionMatrix = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let right = 0;
  for (let i = 0; i < truth.length; i++) {
    confusionMatrix[truth[i]!]![predicted[i]!]! += 1;
    if (truth[i] === predicted[i]) right++;
  }
  return { accuracy: truth.length ? right / truth.length : 0, confusionMatrix, classes, rows: truth.length };
}

/**
 * RMSE, MAE and R² per target column and averaged, from row-major [rows, targets] values.
 * @example regressionMetrics(Float64Array.of(1, 3), Float64Array.of(2, 2), ['y']).mae; // 1
 */
export function regressionMetrics(truth: ArrayLike<number>, predicted: ArrayLike<number>, columns: string[]): RegressionMetrics {
  const m = columns.length;
  const n = truth.length / m;
  const perTarget: Record<string, TargetMetrics> = {};
  for (let k = 0; k < m; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += truth[i * m + k]! / n;
    let se = 0;
    let ae = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      const d = truth[i * m + k]! - predicted[i * m + k]!;
      se += d * d;
      ae += Math.abs(d);
      tot += (truth[i * m + k]! - mean) ** 2;
    }
    perTarget[columns[k]!] = { rmse: Math.sqrt(se / n), mae: ae / n, r2: tot > 0 ? 1 - se / tot : null };
  }
  const all = Object.values(perTarget);
  const avg = (f: (t: TargetMetrics) => number): number => all.reduce((s, t) => s + f(t), 0) / m;
  const r2s = all.map((t) => t.r2).filter((r): r is number => r !== null);
  return {
    rmse: avg((t) => t.rmse),
    mae: avg((t) => t.mae),
    r2: r2s.length ? r2s.reduce((s, r) => s + r, 0) / r2s.length : null,
    perTarget,
    rows: n,
  };
}

/** Metrics of decoded predictions against the truth (class indices or original-unit values). */
export function metricsFor(target: TargetSpec, decoded: Decoded, truth: { labels: Int32Array | null; original: Float64Array | null }): Metrics {
  if (decoded.kind === 'regression') return regressionMetrics(truth.original!, decoded.values, decoded.columns);
  return classificationMetrics(truth.labels!, decoded.classIndex, target.kind === 'regression' ? [] : target.classes);
}
