import { featureMatrix } from './features.js';
import { datasetInfo, tensor, trainTestSplit, type Sample, type Tensor } from './sloika.js';
import { NUM_POINTS, type PlaygroundState } from './state.js';

// The state's data set as samples and as tensors ready for training.

/** Tensors for one part of the data (train or test). */
export interface DataPart {
  samples: Sample[];
  x: Tensor;
  /** Binary and regression: [N, 1] targets; multiclass: class labels. */
  y: Tensor;
  labels: Int32Array;
  /** Multi-task regression target: distance from the centre / 6. */
  value: Tensor;
}

export interface PreparedData {
  train: DataPart;
  test: DataPart;
}

/** Does the data set name fit the problem? ('custom' fits all.) */
export function datasetFits(name: string, problem: PlaygroundState['problem']): boolean {
  if (name === 'custom') return true;
  try {
    return datasetInfo(name).kind === problem;
  } catch {
    return false;
  }
}

/** The samples the state describes: the user's points, or a built-in set (same seed, same data). */
export function samplesFor(s: PlaygroundState): Sample[] {
  if (s.dataset === 'custom') return s.points.map((p) => ({ ...p }));
  const name = datasetFits(s.dataset, s.problem) ? s.dataset : defaultDatasetFor(s.problem);
  return datasetInfo(name).generate({ n: NUM_POINTS, noise: s.noise / 100, seed: s.seed, classes: s.classes });
}

export function defaultDatasetFor(problem: PlaygroundState['problem']): string {
  return problem === 'binary' ? 'circle' : problem === 'multiclass' ? 'blobs' : 'plane';
}

/** Distance from the centre, scaled to about [0, 1]: the multi-task head's target. */
export function valueTarget(x1: number, x2: number): number {
  return Math.hypot(x1, x2) / 6;
}

function part(samples: Sample[], s: PlaygroundState): DataPart {
  const n = samples.length;
  const y = new Float32Array(n);
  const labels = new Int32Array(n);
  const value = new Float32Array(n);
  samples.forEach((p, i) => {
    y[i] = p.y;
    labels[i] = p.y;
    value[i] = valueTarget(p.x1, p.x2);
  });
  return {
    samples,
    x: featureMatrix(samples, s.features),
    y: tensor(y, { shape: [n, 1] }),
    labels,
    value: tensor(value, { shape: [n, 1] }),
  };
}

/** Split (seeded) and turn into tensors. A custom set with fewer than two points trains on what it has. */
export function prepareData(s: PlaygroundState): PreparedData {
  const samples = samplesFor(s);
  if (samples.length < 2) return { train: part(samples, s), test: part([], s) };
  const { train, test } = trainTestSplit(samples, s.trainPercent / 100, s.seed);
  return { train: part(train, s), test: part(test, s) };
}
