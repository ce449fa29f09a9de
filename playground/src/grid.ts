import { FEATURE_INFO, featureMatrix } from './features.js';
import type { PlaygroundNet } from './model.js';
import { classShade, diverging } from './palette.js';
import { RANGE, noGrad, tensor, type Tensor } from './sloika.js';
import type { FeatureName, Problem } from './state.js';

// The plane [-6, 6]² sampled on a square grid: one forward pass gives the output heatmap and
// every neuron's small heatmap at once.

export const GRID = 40;
/** The large output heatmap of a small network is evaluated on a finer grid. */
export const FINE_GRID = 64;
/** Up to this many parameters the network is cheap enough for the fine grid every frame. */
export const FINE_GRID_MAX_PARAMS = 200;

const cachedInputs = new Map<string, Tensor>();

/** Grid point (i, j) → plane coordinates; row 0 is the top (largest x2). */
export function gridPoint(i: number, j: number, n = GRID): [number, number] {
  const step = (2 * RANGE) / (n - 1);
  return [-RANGE + j * step, RANGE - i * step];
}

/** The `[n², F]` feature matrix of an n×n grid, cached for the same features and n. */
export function gridInputs(features: readonly FeatureName[], n = GRID): Tensor {
  const key = `${n}|${features.join(',')}`;
  let t = cachedInputs.get(key);
  if (!t) {
    const pts: { x1: number; x2: number }[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const [x1, x2] = gridPoint(i, j, n);
      pts.push({ x1, x2 });
    }
    t = featureMatrix(pts, features);
    cachedInputs.set(key, t);
  }
  return t;
}

/** The network's raw output on the fine grid, or null when the network is too big for it. */
export function evaluateFineOutput(net: PlaygroundNet, features: readonly FeatureName[]): Tensor | null {
  if (net.model.parameterCount() > FINE_GRID_MAX_PARAMS) return null;
  return noGrad(() => net.model.forward({ x: gridInputs(features, FINE_GRID) }).y!);
}

/** Evaluate every block on the grid. */
export function evaluateGrid(net: PlaygroundNet, features: readonly FeatureName[]): Map<string, Tensor> {
  return net.evaluate(gridInputs(features));
}

/** Paint column `col` of an `[n², k]` tensor as a diverging heatmap into `img` (n×n). */
export function paintUnit(t: Tensor, col: number, img: ImageData): void {
  const k = t.shape[1]!;
  const d = t.data;
  const cells = t.shape[0]!;
  for (let p = 0; p < cells; p++) diverging(d[p * k + col]!, img.data, p * 4);
}

/**
 * Paint the network's output as the page's big heatmap: binary → 2·sigmoid − 1, regression →
 * the value, multiclass → the winning class shaded by its probability. `discretize` shows
 * hard decisions only.
 */
export function paintOutput(out: Tensor, problem: Problem, discretize: boolean, img: ImageData): void {
  const d = out.data;
  const k = out.shape[1]!;
  const px = img.data;
  const cells = out.shape[0]!; // n² for an n×n image
  for (let p = 0; p < cells; p++) {
    if (problem === 'multiclass') {
      let best = 0;
      let max = d[p * k]!;
      for (let j = 1; j < k; j++) if (d[p * k + j]! > max) { max = d[p * k + j]!; best = j; }
      let z = 0;
      for (let j = 0; j < k; j++) z += Math.exp(d[p * k + j]! - max);
      const prob = 1 / z; // softmax of the winner
      classShade(best, discretize ? 0.8 : ((prob - 1 / k) / (1 - 1 / k)) * 0.8, px, p * 4);
    } else {
      const v = problem === 'binary' ? 2 / (1 + Math.exp(-d[p * k]!)) - 1 : d[p * k]!;
      diverging(discretize ? (v >= 0 ? 0.8 : -0.8) : v * 0.8, px, p * 4);
    }
  }
}

const featureGrids = new Map<FeatureName, Tensor>();

/** A feature's value over the grid, scaled to about [-1, 1] for drawing: `[GRID², 1]`. */
export function featureGrid(name: FeatureName): Tensor {
  let t = featureGrids.get(name);
  if (!t) {
    const info = FEATURE_INFO.find((f) => f.name === name)!;
    const scale = name.startsWith('sin') ? 1 : name === 'x1' || name === 'x2' ? RANGE : RANGE * RANGE;
    const col = new Float32Array(GRID * GRID);
    for (let i = 0; i < GRID; i++) for (let j = 0; j < GRID; j++) {
      const [x1, x2] = gridPoint(i, j);
      col[i * GRID + j] = info.fn(x1, x2) / scale;
    }
    t = tensor(col, { shape: [GRID * GRID, 1] });
    featureGrids.set(name, t);
  }
  return t;
}
