// Small models and data sets shared by the training tests.
import {
  Linear, Random, Sequential, Tanh, Tensor, tensor, asTrainable,
  type HeadKind, type Module, type TensorMap, type TrainableModel,
} from '../../src/index.js';

/** The four XOR points and their 0/1 labels. */
export const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const XOR_Y = [0, 1, 1, 0];

/** A 2 → hidden → out tanh network wrapped for fit. */
export function mlp(out: number, head?: HeadKind, hidden = 8, seed = 1): ReturnType<typeof asTrainable> {
  return asTrainable(new Sequential(new Linear(2, hidden, { seed }), new Tanh(), new Linear(hidden, out, { seed: seed + 1 })), head ? { head } : {});
}

/** A single linear layer with given weights (in = w.length / out). */
export function linearModel(w: number[][], b: number[], opts: { head?: HeadKind; l1?: number; l2?: number } = {}): ReturnType<typeof asTrainable> {
  const layer = new Linear(w.length, w[0]!.length, { seed: 0, l1: opts.l1, l2: opts.l2 });
  layer.weight.data = Float32Array.from(w.flat());
  layer.bias!.data = Float32Array.from(b);
  return asTrainable(layer, opts.head ? { head: opts.head } : {});
}

/** `k` Gaussian blobs in 2-D, `perClass` points each, centres on a circle of radius 3. */
export function blobs(k: number, perClass: number, seed: number): { x: Tensor; labels: number[] } {
  const rng = new Random(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < k; c++) {
    const cx = 3 * Math.cos((2 * Math.PI * c) / k);
    const cy = 3 * Math.sin((2 * Math.PI * c) / k);
    for (let i = 0; i < perClass; i++) {
      rows.push([cx + rng.normal(0, 0.5), cy + rng.normal(0, 0.5)]);
      labels.push(c);
    }
  }
  return { x: tensor(rows), labels };
}

/** Copies of every parameter's values. */
export function weightsOf(model: { parameters(): Tensor[] }): number[][] {
  return model.parameters().map((p) => Array.from(p.data));
}

/**
 * A two-output model without the graph API: a shared input feeds a regression layer 'count'
 * ([N, 1]) and a 3-class layer 'breed'.
 */
export function twoHeadModel(weights: { count?: number; breed?: number } = {}): TrainableModel & { count: Linear; breed: Linear } {
  const count = new Linear(2, 1, { seed: 11 });
  const breed = new Linear(2, 3, { seed: 12 });
  const modules: Module[] = [count, breed];
  return {
    count,
    breed,
    inputNames: ['x'],
    outputNames: ['count', 'breed'],
    heads: [
      { output: 'count', kind: 'regression', weight: weights.count },
      { output: 'breed', kind: 'multiclass', weight: weights.breed },
    ],
    forward: (inputs: TensorMap) => ({ count: count.forward(inputs.x!), breed: breed.forward(inputs.x!) }),
    parameters: () => [...count.parameters(), ...breed.parameters()],
    train: (mode = true) => modules.forEach((m) => m.train(mode)),
    eval: () => modules.forEach((m) => m.eval()),
    regularization: () => null,
  };
}
