import { tensor, type Tensor } from './sloika.js';
import type { FeatureName } from './state.js';

// The input features TensorFlow Playground offers, computed from the raw coordinates.

export interface FeatureInfo {
  name: FeatureName;
  /** As the page shows it. */
  label: string;
  /** The same, as TypeScript (for the exported snippet). */
  code: string;
  fn(x1: number, x2: number): number;
}

export const FEATURE_INFO: readonly FeatureInfo[] = [
  { name: 'x1', label: 'X₁', code: 'x1', fn: (x1) => x1 },
  { name: 'x2', label: 'X₂', code: 'x2', fn: (_, x2) => x2 },
  { name: 'x1Squared', label: 'X₁²', code: 'x1 * x1', fn: (x1) => x1 * x1 },
  { name: 'x2Squared', label: 'X₂²', code: 'x2 * x2', fn: (_, x2) => x2 * x2 },
  { name: 'x1x2', label: 'X₁X₂', code: 'x1 * x2', fn: (x1, x2) => x1 * x2 },
  { name: 'sinX1', label: 'sin(X₁)', code: 'Math.sin(x1)', fn: (x1) => Math.sin(x1) },
  { name: 'sinX2', label: 'sin(X₂)', code: 'Math.sin(x2)', fn: (_, x2) => Math.sin(x2) },
];

/** Enabled features in the fixed display order (so the URL's order does not matter). */
export function orderedFeatures(enabled: readonly FeatureName[]): FeatureInfo[] {
  return FEATURE_INFO.filter((f) => enabled.includes(f.name));
}

/** Rows of [x1, x2] points as the `[N, F]` input matrix of the enabled features. */
export function featureMatrix(points: readonly { x1: number; x2: number }[], enabled: readonly FeatureName[]): Tensor {
  const fs = orderedFeatures(enabled);
  const data = new Float32Array(points.length * fs.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    for (let j = 0; j < fs.length; j++) data[i * fs.length + j] = fs[j]!.fn(p.x1, p.x2);
  }
  return tensor(data, { shape: [points.length, fs.length] });
}
