// The low-rank bottleneck: two Linear layers in a row, m → k → n with k ≪ m, n and no
// activation between them. Their composition is one Linear layer m → n whose weight
// W = W1·W2 has rank ≤ k — fewer parameters, same kind of map.
// Sizes: SLOIKA_EPOCHS (default 300), SLOIKA_ROWS (default 200).
import { Linear, Model, Random, fit, input, matmul, noGrad, tensor, type Tensor } from 'sloika';

const [m, k, n] = [12, 2, 10];
const x = input({ name: 'x', features: m });
const down = new Linear(m, k, { seed: 1, name: 'down' }); // W1 [m, k]
const up = new Linear(k, n, { seed: 2, name: 'up' }); // W2 [k, n]
const model = new Model({ inputs: x, outputs: { y: up.apply(down.apply(x)) }, heads: [{ output: 'y', kind: 'regression' }] });
console.log(model.summary());
console.log(`one Linear(${m}, ${n}) would need ${m * n + n} parameters; the bottleneck has ${model.parameterCount()}`);
console.log();

// Targets from a hidden rank-k map plus a little noise: the bottleneck can fit them.
const rows = Number(process.env.SLOIKA_ROWS ?? 200);
const rng = new Random(3);
const A = Array.from({ length: m }, () => Array.from({ length: k }, () => rng.normal(0, 1)));
const B = Array.from({ length: k }, () => Array.from({ length: n }, () => rng.normal(0, 1)));
const X = Array.from({ length: rows }, () => Array.from({ length: m }, () => rng.normal(0, 1)));
const Y = X.map((row) => B[0]!.map((_, j) => A.reduce((s, a, i) => s + row[i]! * (a[0]! * B[0]![j]! + a[1]! * B[1]![j]!), 0) + rng.normal(0, 0.05)));
const epochs = Number(process.env.SLOIKA_EPOCHS ?? 300);
const every = Math.max(1, Math.floor(epochs / 5));
fit(model, { x: tensor(X), y: tensor(Y) }, {
  epochs,
  batchSize: 50,
  optimizer: { name: 'adam', lr: 0.02 },
  callbacks: { onEpochEnd: (l) => void (l.epoch === 1 || l.epoch % every === 0 ? console.log(`epoch ${String(l.epoch).padStart(4)}  loss ${l.loss.toFixed(4)}`) : 0) },
});

/** Rank by Gaussian elimination with partial pivoting, in float64, with a relative tolerance. */
function rank(t: Tensor, relTol = 1e-5): number {
  const [r, c] = t.shape as [number, number];
  const a = Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
  const tol = relTol * Math.max(...a.flat().map(Math.abs));
  let rk = 0;
  for (let col = 0; col < c && rk < r; col++) {
    let p = rk;
    for (let i = rk + 1; i < r; i++) if (Math.abs(a[i]![col]!) > Math.abs(a[p]![col]!)) p = i;
    if (Math.abs(a[p]![col]!) <= tol) continue;
    [a[rk], a[p]] = [a[p]!, a[rk]!];
    for (let i = rk + 1; i < r; i++) {
      const f = a[i]![col]! / a[rk]![col]!;
      for (let j = col; j < c; j++) a[i]![j]! -= f * a[rk]![j]!;
    }
    rk++;
  }
  return rk;
}

// The single equivalent layer: W = W1·W2, b = b1·W2 + b2.
const merged = new Linear(m, n);
noGrad(() => {
  merged.weight.data = matmul(down.weight, up.weight).data;
  merged.bias!.data = matmul(tensor([Array.from(down.bias!.data)]), up.weight).data.map((v, j) => v + up.bias!.data[j]!);
});
const probe = tensor(X.slice(0, 20));
const viaBottleneck = model.predict({ x: probe }).y!;
const viaMerged = noGrad(() => merged.forward(probe));
const diff = Math.max(...viaBottleneck.data.map((v, i) => Math.abs(v - viaMerged.data[i]!)));
console.log(`W = W1·W2 has shape [${merged.weight.shape.join(', ')}] and rank ${rank(merged.weight)} (≤ k = ${k})`);
console.log(`largest |bottleneck(x) − merged(x)| on 20 rows: ${diff.toExponential(2)}`);
