// The handbook's non-linear graph, built from eager ops and trained end to end:
// X0 [N, 2] → two parallel Linear layers (ReLU on one branch, sigmoid on the other) →
// concatenation [N, 16+8] → Linear → softmax cross-entropy over 3 classes.
import { Adam, Linear, concat, crossEntropyLoss, noGrad, relu, sigmoid, tensor, Random } from 'sloika';

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

const { x, y } = spiral(100, 3, 7);
const X0 = tensor(x);
const relBranch = new Linear(2, 16, { seed: 1 });
const sigBranch = new Linear(2, 8, { seed: 2 });
const head = new Linear(24, 3, { seed: 3 });
const params = [...relBranch.parameters(), ...sigBranch.parameters(), ...head.parameters()];
const optimizer = new Adam(params, { lr: 0.02 });

const forward = () => head.forward(concat([relu(relBranch.forward(X0)), sigmoid(sigBranch.forward(X0))], 1));

const epochs = Number(process.env.SLOIKA_EPOCHS ?? 600);
for (let epoch = 0; epoch <= epochs; epoch++) {
  optimizer.zeroGrad();
  const loss = crossEntropyLoss(forward(), y);
  if (epoch % Math.max(1, Math.floor(epochs / 10)) === 0) console.log(`epoch ${String(epoch).padStart(4)}  loss ${loss.item().toFixed(4)}`);
  if (epoch === epochs) break;
  loss.backward();
  optimizer.step();
}

const logits = noGrad(forward);
let correct = 0;
for (let i = 0; i < y.length; i++) {
  const row = logits.data.subarray(i * 3, i * 3 + 3);
  const guess = row.indexOf(Math.max(...row));
  if (guess === y[i]) correct++;
}
console.log(`accuracy ${(correct / y.length).toFixed(3)} on ${y.length} points of 3 spiral arms`);
