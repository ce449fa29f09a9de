// Two inputs transformed differently, then joined: an "image" vector (16 numbers) goes
// through a wide ReLU layer, an "extra information" vector (3 numbers) through a small tanh
// layer; the two codes are concatenated and a binary head decides.
// Sizes: SLOIKA_EPOCHS (default 200), SLOIKA_ROWS (default 400).
import { Linear, Model, Random, ReLU, Tanh, binaryHead, concat, evaluate, fit, input, tensor } from 'sloika';

const image = input({ name: 'image', features: 16 });
const extra = input({ name: 'extra', features: 3 });
const imageCode = new ReLU().apply(new Linear(16, 8, { seed: 1 }).apply(image)); // [N, 8]
const extraCode = new Tanh().apply(new Linear(3, 4, { seed: 2 }).apply(extra)); // [N, 4]
const joined = concat([imageCode, extraCode]); // [N, 12]
const model = new Model({ inputs: [image, extra], outputs: binaryHead(joined, { name: 'label', seed: 3 }) });
console.log(model.summary());
console.log();

// The label needs both inputs: the brightness of the image's first half, shifted by the extra information.
const rows = Number(process.env.SLOIKA_ROWS ?? 400);
const rng = new Random(11);
const img: number[][] = [];
const ext: number[][] = [];
const label: number[][] = [];
for (let i = 0; i < rows; i++) {
  const a = Array.from({ length: 16 }, () => rng.normal(0, 1));
  const e = Array.from({ length: 3 }, () => rng.normal(0, 1));
  const brightness = a.slice(0, 8).reduce((s, v) => s + v, 0) / Math.sqrt(8);
  img.push(a);
  ext.push(e);
  label.push([brightness + 1.5 * e[0]! - e[1]! > 0 ? 1 : 0]);
}
const data = { x: { image: tensor(img), extra: tensor(ext) }, y: { label } };

const epochs = Number(process.env.SLOIKA_EPOCHS ?? 200);
const every = Math.max(1, Math.floor(epochs / 5));
fit(model, data, {
  epochs,
  batchSize: 64,
  optimizer: { name: 'adam', lr: 0.01 },
  callbacks: { onEpochEnd: (l) => void (l.epoch === 1 || l.epoch % every === 0 ? console.log(`epoch ${String(l.epoch).padStart(4)}  loss ${l.loss.toFixed(4)}`) : 0) },
});
const { metrics } = evaluate(model, data, { metrics: ['accuracy'] });
console.log(`accuracy ${metrics.accuracy!.toFixed(3)} on ${rows} rows (image + extra information)`);
