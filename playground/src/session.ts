import type { DataPart, PreparedData } from './dataset.js';
import type { PlaygroundNet } from './model.js';
import {
  Adam, Random, SGD, abs, add, mul, noGrad, square, sum, tensor, totalLoss, type HeadTarget, type Tensor,
} from './sloika.js';
import type { PlaygroundState } from './state.js';

// Training in small slices: `advance` runs optimizer steps until its time budget is spent, so
// one animation frame never blocks for long, whatever the network's size. An epoch (one pass
// over the shuffled training set in batches) may span several frames.

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** Accuracy (classification) or R² (regression). */
  trainMetric: number;
  testMetric: number;
}

export interface Divergence {
  epoch: number;
  step: number;
}

type Optim = SGD | Adam;

function makeOptimizer(net: PlaygroundNet, s: PlaygroundState): Optim {
  const params = net.parameters();
  if (s.optimizer === 'adam') return new Adam(params, { lr: s.learningRate });
  return new SGD(params, { lr: s.learningRate, momentum: s.optimizer === 'momentum' ? 0.9 : 0 });
}

export class TrainingSession {
  epoch = 0;
  /** Optimizer steps taken so far. */
  steps = 0;
  readonly history: EpochRecord[] = [];
  diverged: Divergence | null = null;
  private optimizer: Optim;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  private readonly rng: Random;

  constructor(readonly net: PlaygroundNet, readonly data: PreparedData, private state: PlaygroundState) {
    this.optimizer = makeOptimizer(net, state);
    this.rng = new Random(state.seed + 17);
    this.history.push({ epoch: 0, ...this.measure() });
  }

  /** Take over learning rate, regularisation and batch size changes without a restart. */
  retune(state: PlaygroundState): void {
    const optimizerChanged = state.optimizer !== this.state.optimizer;
    this.state = state;
    if (optimizerChanged) this.optimizer = makeOptimizer(this.net, state);
    for (const g of this.optimizer.paramGroups) g.lr = state.learningRate;
  }

  /**
   * Train until `epochs` more epochs are complete or `budgetMs` has passed, whichever is first.
   * Returns the number of epochs completed in this call.
   */
  advance(budgetMs: number, epochs = 1): number {
    const n = this.data.train.samples.length;
    if (n === 0 || this.diverged) return 0;
    const start = performance.now();
    let done = 0;
    while (done < epochs && performance.now() - start < budgetMs) {
      if (this.cursor === 0) this.order = this.rng.permutation(n);
      const end = Math.min(this.cursor + this.state.batchSize, n);
      const loss = this.step(this.order.subarray(this.cursor, end));
      this.steps++;
      if (!Number.isFinite(loss)) {
        this.diverged = { epoch: this.epoch + 1, step: this.steps };
        return done;
      }
      this.cursor = end;
      if (this.cursor >= n) {
        this.cursor = 0;
        this.epoch++;
        done++;
        const record = { epoch: this.epoch, ...this.measure() };
        this.history.push(record);
        if (!Number.isFinite(record.trainLoss)) {
          this.diverged = { epoch: this.epoch, step: this.steps };
          return done;
        }
      }
    }
    return done;
  }

  /** One optimizer step on the rows `rows` of the training set; returns the batch loss. */
  private step(rows: Int32Array): number {
    const batch = takeRows(this.data.train, rows);
    this.optimizer.zeroGrad();
    let loss = this.objective(batch);
    const penalty = this.penalty();
    if (penalty) loss = add(loss, penalty);
    loss.backward();
    this.optimizer.step();
    return loss.item();
  }

  /** The heads' loss Σ weight·loss (no regularisation) through the graph model, recording gradients. */
  objective(part: DataPart): Tensor {
    const out = this.net.model.forward({ x: part.x });
    return totalLoss(this.net.heads(this.state), out, targetsOf(part, this.state));
  }

  private penalty(): Tensor | null {
    const { regularization: kind, regularizationRate: rate } = this.state;
    if (kind === 'none' || rate === 0) return null;
    const terms = this.net.weights().map((w) => (kind === 'l1' ? sum(abs(w)) : mul(sum(square(w)), 0.5)));
    return mul(terms.reduce((a, b) => add(a, b)), rate);
  }

  /** Loss and metric on both parts, without gradients. */
  measure(): Omit<EpochRecord, 'epoch'> {
    const [trainLoss, trainMetric] = this.lossAndMetric(this.data.train);
    const [testLoss, testMetric] = this.lossAndMetric(this.data.test);
    return { trainLoss, testLoss, trainMetric, testMetric };
  }

  private lossAndMetric(part: DataPart): [number, number] {
    if (part.samples.length === 0) return [NaN, NaN];
    return noGrad(() => {
      const out = this.net.model.forward({ x: part.x });
      const loss = totalLoss(this.net.heads(this.state), out, targetsOf(part, this.state)).item();
      return [loss, metric(this.state.problem, out.y!, part)];
    });
  }
}

/** Targets by output name: labels for a multiclass head, [N, 1] values otherwise. */
function targetsOf(part: DataPart, state: PlaygroundState): Record<string, HeadTarget> {
  return { y: state.problem === 'multiclass' ? part.labels : part.y, value: part.value };
}

/** Accuracy for classification (logit > 0, or arg-max), R² for regression. */
export function metric(problem: PlaygroundState['problem'], out: Tensor, part: DataPart): number {
  const d = out.data;
  const n = part.samples.length;
  if (problem === 'regression') {
    const y = part.y.data;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i]!;
    mean /= n;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < n; i++) {
      ssRes += (y[i]! - d[i]!) ** 2;
      ssTot += (y[i]! - mean) ** 2;
    }
    return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  const k = out.shape[1]!;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (k === 1) cls = d[i]! > 0 ? 1 : 0;
    else {
      cls = 0;
      for (let j = 1; j < k; j++) if (d[i * k + j]! > d[i * k + cls]!) cls = j;
    }
    if (cls === part.labels[i]) right++;
  }
  return right / n;
}

/** A batch: the given rows of a part, copied into new tensors. */
export function takeRows(part: DataPart, rows: Int32Array): DataPart {
  const f = part.x.shape[1]!;
  const x = new Float32Array(rows.length * f);
  const y = new Float32Array(rows.length);
  const value = new Float32Array(rows.length);
  const labels = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let j = 0; j < f; j++) x[i * f + j] = part.x.data[r * f + j]!;
    y[i] = part.y.data[r]!;
    value[i] = part.value.data[r]!;
    labels[i] = part.labels[r]!;
  }
  return {
    samples: Array.from(rows, (r) => part.samples[r]!),
    x: tensor(x, { shape: [rows.length, f] }),
    y: tensor(y, { shape: [rows.length, 1] }),
    value: tensor(value, { shape: [rows.length, 1] }),
    labels,
  };
}
