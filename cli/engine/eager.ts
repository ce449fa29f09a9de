// A plain Sequential network and training loop on the eager core; used by the CLI until the
// graph API and src/train provide the same.

import {
  Adam, AdamW, Dropout, ELU, LeakyReLU, Linear, PReLU, RMSprop, ReLU, SGD, Sequential, Sigmoid, Tanh, Tensor,
  bceWithLogitsLoss, crossEntropyLoss, mseLoss, noGrad, type Module,
} from '../../src/index.js';
import type { EpochReport, Matrix, NetworkSpec, Targets, TrainHistory, TrainSettings } from './spec.js';

function activationLayer(spec: NetworkSpec): Module {
  switch (spec.activation) {
    case 'relu': return new ReLU();
    case 'leaky-relu': return new LeakyReLU();
    case 'prelu': return new PReLU();
    case 'elu': return new ELU();
    case 'sigmoid': return new Sigmoid();
    case 'tanh': return new Tanh();
  }
}

export function buildSequential(spec: NetworkSpec): Sequential {
  const layers: Module[] = [];
  let width = spec.inputs;
  spec.hidden.forEach((h, i) => {
    layers.push(new Linear(width, h, { seed: spec.seed + i, name: `hidden${i + 1}` }), activationLayer(spec));
    if (spec.dropout > 0) layers.push(new Dropout(spec.dropout, { seed: spec.seed + 1000 + i }));
    width = h;
  });
  layers.push(new Linear(width, spec.outputs, { seed: spec.seed + spec.hidden.length, name: spec.outputName }));
  return new Sequential(...layers);
}

function rowsOf(m: Matrix, idx: ArrayLike<number>): Tensor {
  const out = new Float32Array(idx.length * m.cols);
  for (let i = 0; i < idx.length; i++) out.set(m.data.subarray(idx[i]! * m.cols, (idx[i]! + 1) * m.cols), i * m.cols);
  return new Tensor(out, [idx.length, m.cols]);
}

function lossOf(spec: NetworkSpec, out: Tensor, y: Targets, idx: ArrayLike<number>): Tensor {
  if ('labels' in y) return crossEntropyLoss(out, Int32Array.from(idx, (i) => y.labels[i]!));
  const t = rowsOf(y.values, idx);
  return spec.head === 'binary' ? bceWithLogitsLoss(out, t) : mseLoss(out, t);
}

function metricOf(spec: NetworkSpec, out: Tensor, y: Targets): number {
  const n = out.shape[0]!;
  const k = out.shape[1]!;
  if ('labels' in y || spec.head === 'binary') {
    let right = 0;
    for (let i = 0; i < n; i++) {
      let pred: number;
      if (spec.head === 'binary') pred = out.data[i]! > 0 ? 1 : 0;
      else {
        pred = 0;
        for (let j = 1; j < k; j++) if (out.data[i * k + j]! > out.data[i * k + pred]!) pred = j;
      }
      const truth = 'labels' in y ? y.labels[i]! : y.values.data[i]!;
      if (pred === truth) right++;
    }
    return right / n;
  }
  let r2 = 0;
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y.values.data[i * k + j]! / n;
    let ssr = 0;
    let sst = 0;
    for (let i = 0; i < n; i++) {
      const t = y.values.data[i * k + j]!;
      ssr += (t - out.data[i * k + j]!) ** 2;
      sst += (t - mean) ** 2;
    }
    r2 += (sst > 0 ? 1 - ssr / sst : 0) / k;
  }
  return r2;
}

function optimizerFor(net: Sequential, s: TrainSettings) {
  const params = net.parameters();
  switch (s.optimizer) {
    case 'adam': return new Adam(params, { lr: s.lr, weightDecay: s.l2 });
    case 'adamw': return new AdamW(params, { lr: s.lr, weightDecay: s.l2 });
    case 'sgd': return new SGD(params, { lr: s.lr, weightDecay: s.l2 });
    case 'momentum': return new SGD(params, { lr: s.lr, momentum: 0.9, weightDecay: s.l2 });
    case 'rmsprop': return new RMSprop(params, { lr: s.lr, weightDecay: s.l2 });
  }
}

/** Mini-batch training with seeded shuffling; async so that Ctrl-C and the progress bar get a turn. */
export async function fitSequential(
  net: Sequential, spec: NetworkSpec, x: Matrix, y: Targets, s: TrainSettings,
  validation: { x: Matrix; y: Targets } | null, onEpoch: (r: EpochReport) => void,
): Promise<TrainHistory> {
  const opt = optimizerFor(net, s);
  const n = x.rows;
  const order = Array.from({ length: n }, (_, i) => i);
  let state = s.seed >>> 0 || 1;
  const random = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
  const history: TrainHistory = { loss: [], valLoss: [], valMetric: [], metricName: spec.head === 'regression' ? 'r2' : 'accuracy', epochsRun: 0, bestEpoch: 0 };
  let best = Infinity;
  let bestWeights: Float32Array[] | null = null;
  let sinceBest = 0;
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    net.train();
    let total = 0;
    for (let start = 0; start < n; start += s.batchSize) {
      const idx = order.slice(start, start + s.batchSize);
      opt.zeroGrad();
      const loss = lossOf(spec, net.forward(rowsOf(x, idx)), y, idx);
      loss.backward();
      opt.step();
      total += loss.data[0]! * idx.length;
    }
    const loss = total / n;
    if (!Number.isFinite(loss)) throw new Error(`training diverged at epoch ${epoch} (loss ${loss}); try a lower --lr`);
    history.loss.push(loss);
    let valLoss: number | null = null;
    let valMetric: number | null = null;
    if (validation) {
      net.eval();
      const all = Array.from({ length: validation.x.rows }, (_, i) => i);
      noGrad(() => {
        const out = net.forward(validation.x.data.length ? rowsOf(validation.x, all) : rowsOf(validation.x, all));
        valLoss = lossOf(spec, out, validation.y, all).data[0]!;
        valMetric = metricOf(spec, out, validation.y);
      });
      history.valLoss.push(valLoss!);
      history.valMetric.push(valMetric!);
    }
    history.epochsRun = epoch;
    onEpoch({ epoch, epochs: s.epochs, loss, valLoss, valMetric });
    await new Promise((r) => setImmediate(r));
    if (s.earlyStopping > 0 && valLoss !== null) {
      if (valLoss < best - 1e-7) {
        best = valLoss;
        history.bestEpoch = epoch;
        bestWeights = net.parameters().map((p) => Float32Array.from(p.data));
        sinceBest = 0;
      } else if (++sinceBest >= s.earlyStopping) break;
    }
  }
  if (bestWeights) net.parameters().forEach((p, i) => p.data.set(bestWeights![i]!));
  else history.bestEpoch = history.epochsRun;
  net.eval();
  return history;
}

/** Raw outputs (logits or standardised values) for every row, without recording gradients. */
export function predictSequential(net: Sequential, x: Matrix): Float32Array {
  net.eval();
  return noGrad(() => net.forward(new Tensor(x.data, [x.rows, x.cols])).data as Float32Array);
}
