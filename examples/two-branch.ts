// The handbook's non-linear graph, built with the graph API and trained end to end:
// X0 [N, 2] → two parallel Linear layers (ReLU on one branch, sigmoid on the other) →
// concatenation [N, 16+8] → Linear → softmax cross-entropy over 3 classes.
// Sizes: SLOIKA_EPOCHS (default 600) and SLOIKA_POINTS per class (default 100).
import { Linear, Model, Random, ReLU, Sigmoid, concat, evaluate, fit, input, multiclassHead, tensor } from 'sloika';

/** Three interleaved spiral arms: a problem no straight border can solve. */
function spiral(perClass: number, classes: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / perClass;
      const t = (c * 2 * Math.PI) / classes + r * 4 + rng.normal(0, 0.15);
      x.push([r * Math.sin(t), r * Math.cos(t)]);
      y.push(c);
    }
  }
  return { x, y };
}

// The graph: shapes are checked as it is built, before any data.
const X0 = input({ name: 'X0', features: 2 });
const A1 = new ReLU().apply(new Linear(2, 16, { seed: 1 }).apply(X0)); // [N, h1]
const A2 = new Sigmoid().apply(new Linear(2, 8, { seed: 2 }).apply(X0)); // [N, h2]
const H = concat([A1, A2]); // [N, h1 + h2]
const model = new Model({ inputs: X0, outputs: multiclassHead(H, { classes: 3, name: 'y', seed: 3 }) });
console.log(model.summary());
console.log();

const { x, y } = spiral(Number(process.env.SLOIKA_POINTS ?? 100), 3, 7);
const data = { x: tensor(x), y };
const epochs = Number(process.env.SLOIKA_EPOCHS ?? 600);
const every = Math.max(1, Math.floor(epochs / 10));
fit(model, data, {
  epochs,
  batchSize: x.length, // full batch, as in the handbook
  optimizer: { name: 'adam', lr: 0.02 },
  callbacks: {
    onEpochEnd: (logs) => {
      if (logs.epoch === 1 || logs.epoch % every === 0) console.log(`epoch ${String(logs.epoch).padStart(4)}  loss ${logs.loss.toFixed(4)}`);
    },
  },
});
const { metrics } = evaluate(model, data, { metrics: ['accuracy'] });
console.log(`accuracy ${metrics.accuracy!.toFixed(3)} on ${x.length} points of 3 spiral arms`);
