// The multi-task net: "how many cats are in the picture, and which breed are they?"
// One shared trunk, two heads: a regression head (the count, MSE) and a multiclass head
// (the breed, cross-entropy), trained on the weighted sum 1.0·MSE + 0.5·CE.
// Sizes: SLOIKA_EPOCHS (default 150), SLOIKA_ROWS (default 600).
import { Linear, Model, Random, ReLU, evaluate, fit, input, multiclassHead, regressionHead, tensor } from 'sloika';

const picture = input({ name: 'picture', features: 10 });
const trunk = new ReLU().apply(new Linear(10, 32, { seed: 1 }).apply(picture)); // shared [N, 32]
const count = regressionHead(trunk, { name: 'count', weight: 1.0, seed: 2 }); // [N, 1]
const breed = multiclassHead(trunk, { name: 'breed', classes: 3, weight: 0.5, seed: 3 }); // [N, 3]
const model = new Model({ inputs: picture, outputs: [count, breed] });
console.log(model.summary());
console.log();

// A toy "picture": features 0–2 say how much of each breed's colour there is, 3–5 how many
// cat-shaped blobs, the rest is noise.
const rows = Number(process.env.SLOIKA_ROWS ?? 600);
const rng = new Random(5);
const pictures: number[][] = [];
const counts: number[][] = [];
const breeds: number[] = [];
for (let i = 0; i < rows; i++) {
  const b = Math.floor(rng.uniform() * 3);
  const n = 1 + Math.floor(rng.uniform() * 4);
  const f = Array.from({ length: 10 }, () => rng.normal(0, 0.3));
  f[b] = f[b]! + 1.5;
  f[3] = f[3]! + n * 0.5;
  f[4] = f[4]! + n * 0.3;
  pictures.push(f);
  counts.push([n]);
  breeds.push(b);
}
const data = { x: tensor(pictures), y: { count: counts, breed: breeds } };

const epochs = Number(process.env.SLOIKA_EPOCHS ?? 150);
const every = Math.max(1, Math.floor(epochs / 5));
fit(model, data, {
  epochs,
  batchSize: 64,
  optimizer: { name: 'adam', lr: 0.01 },
  callbacks: {
    onEpochEnd: (l) => {
      if (l.epoch !== 1 && l.epoch % every !== 0) return;
      console.log(`epoch ${String(l.epoch).padStart(4)}  loss ${l.loss.toFixed(4)}  (count MSE ${l.metrics['count.loss']!.toFixed(4)}, breed CE ${l.metrics['breed.loss']!.toFixed(4)})`);
    },
  },
});
const { metrics } = evaluate(model, data, { metrics: { count: ['mae'], breed: ['accuracy'] } });
console.log(`count: mean absolute error ${metrics['count.mae']!.toFixed(3)} cats`);
console.log(`breed: accuracy ${metrics['breed.accuracy']!.toFixed(3)}`);
