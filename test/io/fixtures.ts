// Small models shared by the io tests.
import { Dropout, ELU, LeakyReLU, Linear, Model, PReLU, ReLU, Sigmoid, Tanh, concat, input, multiclassHead, regressionHead, binaryHead } from '../../src/index.js';

/** The handbook's two-branch graph (2 → 16 relu | 8 sigmoid → concat → 3 classes). */
export function twoBranch(): Model {
  const x = input({ name: 'x', features: 2 });
  const a = new ReLU().apply(new Linear(2, 16, { seed: 1 }).apply(x));
  const b = new Sigmoid().apply(new Linear(2, 8, { seed: 2 }).apply(x));
  return new Model({ inputs: x, outputs: multiclassHead(concat([a, b]), { classes: 3, seed: 3 }) });
}

/** Two inputs, a shared layer, every layer kind with options, two weighted heads, metadata. */
export function everything(): Model {
  const image = input({ name: 'image', features: 4 });
  const extra = input({ name: 'extra', features: 4 });
  const shared = new Linear(4, 4, { seed: 4, name: 'shared' });
  const a = new PReLU({ numParameters: 4, init: 0.1 }).apply(shared.apply(image));
  const b = new ELU(0.5).apply(shared.apply(extra));
  const h = new Dropout(0.2).apply(new LeakyReLU(0.2).apply(new Linear(8, 6, { seed: 5, l2: 1e-3 } as never).apply(concat([a, b]))));
  const t = new Tanh().apply(h);
  const model = new Model({
    inputs: [image, extra],
    outputs: [regressionHead(t, { name: 'count', outputs: 2, seed: 6, weight: 0.7 }), binaryHead(h, { name: 'cat', seed: 7, weight: 0.3 })],
    metadata: { preprocessing: { standardize: { mean: [1, 2], std: [3, 4] } }, note: 'ünïcode ✓' },
  });
  // PReLU slopes that are not the initial value, so the round trip has something to prove.
  const prelu = model.layers.find((l) => l.kind === 'PReLU')!.layer as PReLU;
  prelu.alpha.data = new Float32Array([0.1, -0.2, 0.3, 0.45]);
  return model;
}
