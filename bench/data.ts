// Seeded data and Glorot-uniform weights shared by every engine (zero biases, as Keras does).
import { Random } from '../src/tensor/random.js';
import type { BenchSpec, MlpSpec } from './spec.js';

export interface MlpData {
  spec: MlpSpec;
  /** [samples, sizes[0]] row-major. */
  x: Float32Array;
  /** One label per row: 0/1 for bceWithLogits, a class index for crossEntropy. */
  labels: Int32Array;
  /** weights[l] is [sizes[l], sizes[l+1]] row-major (sloika's [in, out]); biases[l] is [sizes[l+1]]. */
  weights: Float32Array[];
  biases: Float32Array[];
}

export function glorotWeights(sizes: number[], rng: Random): { weights: Float32Array[]; biases: Float32Array[] } {
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
    weights.push(w);
    biases.push(new Float32Array(fanOut));
  }
  return { weights, biases };
}

/** Two interleaved spirals-like blobs for W1; Gaussian features with random classes otherwise. */
export function mlpData(spec: MlpSpec, seed: number): MlpData {
  const rng = new Random(seed);
  const d = spec.sizes[0]!;
  const classes = spec.sizes[spec.sizes.length - 1]!;
  const x = new Float32Array(spec.samples * d);
  const labels = new Int32Array(spec.samples);
  for (let r = 0; r < spec.samples; r++) {
    const label = spec.loss === 'bceWithLogits' ? rng.int(2) : rng.int(classes);
    labels[r] = label;
    for (let j = 0; j < d; j++) x[r * d + j] = rng.normal(label === 0 ? -0.5 : 0.5, 1);
  }
  return { spec, x, labels, ...glorotWeights(spec.sizes, rng) };
}

export interface BenchData {
  W1: MlpData;
  W2: MlpData;
  W3: MlpData;
  /** I1 uses W3's net: weights for its sizes plus an input of bigBatch rows. */
  I1: { weights: Float32Array[]; biases: Float32Array[]; x: Float32Array };
  A1: Float32Array;
  /** G1: one pair of square matrices per size. */
  G1: { n: number; a: Float32Array; b: Float32Array }[];
}

function uniformArray(n: number, rng: Random, low = -1, high = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.range(low, high);
  return a;
}

export function benchData(spec: BenchSpec): BenchData {
  const rng = new Random(4);
  return {
    W1: mlpData(spec.W1, 1),
    W2: mlpData(spec.W2, 2),
    W3: mlpData(spec.W3, 3),
    I1: { ...glorotWeights(spec.I1.sizes, rng), x: uniformArray(spec.I1.bigBatch * spec.I1.sizes[0]!, rng, 0, 1) },
    A1: uniformArray(spec.A1.size, rng, -3, 3),
    G1: spec.G1.sizes.map((n) => ({ n, a: uniformArray(n * n, rng), b: uniformArray(n * n, rng) })),
  };
}
