import type { DataPart, PreparedData } from './dataset.js';
import type { PlaygroundNet } from './model.js';
import { Adam, SGD, Trainer, noGrad, tensor, totalLoss, type HeadTarget, type Tensor } from './sloika.js';
import type { PlaygroundState } from './state.js';

// Training with the library's stepping `Trainer`, in small slices: `advance` runs optimizer
// steps until its time budget is spent, so a slice never blocks for long whatever the
// network's size. An epoch (one pass over the shuffled training set in batches) may span
// several slices. Settings a Trainer fixes at creation (batch size, head weights) start a new
// Trainer on the same model and optimizer, so training carries on where it was.

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** Accuracy (classification) or R² (regression). */
  trainMetric: number;
  testMetric: number;
}

export interface Divergence {
  /** The epoch (1-based, over the whole session) and the optimizer step (over the whole session). */
  epoch: number;
  step: number;
  /** The library's explanation, e.g. "Training diverged at epoch 1, step 5: the loss became Infinity. …". */
  message: string;
}

type Optim = SGD | Adam;

function makeOptimizer(net: PlaygroundNet, s: PlaygroundState): Optim {
  const params = net.parameters();
  if (s.optimizer === 'adam') return new Adam(params, { lr: s.learningRate });
  return new SGD(params, { lr: s.learningRate, momentum: s.optimizer === 'momentum' ? 0.9 : 0 });
}

export class TrainingSession {
  /** Epochs finished so far (over every Trainer of this session). */
  epoch = 0;
  /** Optimizer steps taken so far. */
  steps = 0;
  readonly history: EpochRecord[] = [];
  diverged: Divergence | null = null;
  private optimizer: Optim;
  private trainer: Trainer;
  private seedOffset = 0;

  constructor(readonly net: PlaygroundNet, readonly data: PreparedData, private state: PlaygroundState) {
    this.optimizer = makeOptimizer(net, state);
    this.applyRegularization();
    this.trainer = this.newTrainer();
    this.history.push({ epoch: 0, ...this.measure() });
  }

  /** Take over learning rate, optimizer, regularisation, batch size and head weights without a restart. */
  retune(state: PlaygroundState): void {
    const before = this.state;
    this.state = state;
    if (state.optimizer !== before.optimizer) this.optimizer = makeOptimizer(this.net, state);
    for (const g of this.optimizer.paramGroups) g.lr = state.learningRate;
    this.applyRegularization();
    if (state.optimizer !== before.optimizer || state.batchSize !== before.batchSize || state.taskWeight !== before.taskWeight) {
      this.trainer = this.newTrainer();
    }
  }

  /** L1/L2 as the library's Linear penalties on the weights (l1·Σ|W| or l2·ΣW²; biases are free). */
  private applyRegularization(): void {
    const { regularization: kind, regularizationRate: rate } = this.state;
    for (const b of this.net.blocks) {
      b.linear.l1 = kind === 'l1' ? rate : 0;
      b.linear.l2 = kind === 'l2' ? rate : 0;
    }
  }

  /** A Trainer for the rest of the run: endless epochs, seeded shuffling, stop on divergence. */
  private newTrainer(): Trainer {
    const train = this.data.train;
    const multi = this.net.blocks.some((b) => b.head === 'value');
    const y: Record<string, Tensor> = { y: targetOf(train, this.state) };
    if (multi) y.value = train.value;
    return new Trainer(this.net.model, { x: { x: train.x }, y }, {
      epochs: Infinity,
      batchSize: this.state.batchSize,
      seed: this.state.seed + 17 + this.seedOffset++,
      optimizer: this.optimizer,
      onDivergence: 'stop',
      lossWeights: Object.fromEntries(this.net.heads(this.state).map((h) => [h.output, h.weight ?? 1])),
    });
  }

  /**
   * Train until `epochs` more epochs are complete or `budgetMs` has passed, whichever is first.
   * Returns the number of epochs completed in this call.
   */
  advance(budgetMs: number, epochs = 1): number {
    if (this.data.train.samples.length === 0 || this.diverged) return 0;
    const start = performance.now();
    let done = 0;
    while (done < epochs && performance.now() - start < budgetMs) {
      const logs = this.trainer.trainBatch();
      if (this.trainer.divergence || logs === null) {
        // The Trainer put the last finite weights back; say where it happened.
        const d = this.trainer.divergence;
        const epoch = this.epoch + 1;
        // The Trainer counts epochs from its own start; the page counts from the session's.
        const why = d ? d.message.slice(d.message.indexOf(': ') + 2) : 'training stopped.';
        this.diverged = { epoch, step: this.steps + (d ? 1 : 0), message: `Training diverged at epoch ${epoch}, step ${d?.step ?? 0}: ${why}` };
        return done;
      }
      this.steps++;
      if (logs.epochLogs) {
        this.epoch++;
        done++;
        this.history.push({ epoch: this.epoch, ...this.measure() });
      }
    }
    return done;
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

/** The main head's target: class labels `[N]` for multiclass, `[N, 1]` values otherwise. */
function targetOf(part: DataPart, state: PlaygroundState): Tensor {
  return state.problem === 'multiclass' ? tensor(Float32Array.from(part.labels), { shape: [part.labels.length] }) : part.y;
}

/** Targets by output name, for the library's totalLoss. */
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
