import { noGrad } from '../autograd/mode.js';
import type { TensorMap, TrainableModel } from '../graph/types.js';
import { add } from '../ops/arithmetic.js';
import type { BaseOptions, Optimizer } from '../optim/optimizer.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { CompiledStep } from './compiledStep.js';
import { compiledOutputs, compiledStepApplies, compiledStepFor, compiledTarget } from './compiledTraining.js';
import { nameData, splitValidation, takeRowsOfMap, type Dataset, type NamedData } from './data.js';
import { DivergenceError, divergenceMessage, type DivergenceInfo } from './divergence.js';
import { EarlyStopping } from './earlyStopping.js';
import { evaluatePlanned, metricsOf } from './evaluate.js';
import { checkTargets, computeLosses, metricTarget, planOutputs, type OutputPlan } from './heads.js';
import { History, type EpochLogs, type StopReason } from './history.js';
import { makeOptimizer } from './optimizers.js';
import type { BatchLogs, Callback, CallbackResult, FitOptions, TrainerView } from './options.js';
import type { LrSchedule } from './schedules.js';
import { clipGradNorm, firstNonFinite, WeightSnapshot } from './weights.js';

/**
 * The training loop, one step at a time, so that a page can train in small slices between
 * frames: `trainBatch()` runs one step (and finishes the epoch after its last batch),
 * `runEpoch()` one epoch, `run()` everything. `fit` is `new Trainer(...).run()`.
 * @example
 * const trainer = new Trainer(model, { x, y }, { epochs: 50, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 } });
 * function frame() { for (let i = 0; i < 10 && !trainer.done; i++) trainer.trainBatch(); if (!trainer.done) requestAnimationFrame(frame); }
 */
export class Trainer implements TrainerView {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer<BaseOptions>;
  readonly history = new History();
  readonly epochs: number;
  readonly batchSize: number;
  /** Set when training diverged (see onDivergence). */
  divergence: DivergenceInfo | null = null;

  private readonly plans: OutputPlan[];
  private readonly data: NamedData;
  private readonly val: NamedData | null;
  private readonly params: Tensor[];
  private readonly rng: Random;
  private readonly shuffle: boolean;
  private readonly schedule: LrSchedule | null;
  private readonly initialLrs: number[];
  private readonly callbacks: readonly Callback[];
  private readonly early: EarlyStopping | null;
  private readonly snapshot: WeightSnapshot | null;
  private readonly onDivergence: 'throw' | 'stop';
  private readonly valBatchSize: number;
  private readonly clipNorm: number | null;
  /** Forward, loss and backward without the tape for a wrapped Sequential or chain Model (see compiledTraining.ts); null: eager. */
  private readonly compiled: CompiledStep | null;

  private epochIndex = 0; // epochs finished
  private stepIndex = 0; // batches finished in the current epoch
  private order: Int32Array | null = null;
  private stopRequested = false;
  private finished = false;
  private started = false;
  private targetsChecked = false;
  private acc = emptyEpochSums();

  constructor(model: TrainableModel, data: Dataset, opts: FitOptions = {}) {
    this.model = model;
    this.epochs = opts.epochs ?? 1;
    this.batchSize = opts.batchSize ?? 32;
    if (!((Number.isInteger(this.epochs) && this.epochs >= 0) || this.epochs === Infinity)) throw new RangeError(`fit: epochs must be an integer ≥ 0 (or Infinity with a Trainer), got ${opts.epochs}`);
    if (!(Number.isInteger(this.batchSize) && this.batchSize > 0)) throw new RangeError(`fit: batchSize must be a positive integer, got ${opts.batchSize}`);
    if (opts.validationSplit !== undefined && opts.validationData !== undefined) {
      throw new RangeError('fit: give validationSplit or validationData, not both');
    }
    this.plans = planOutputs(model, opts);
    let all = nameData(data, model.inputNames, model.outputNames, 'fit data');
    this.val = opts.validationData ? nameData(opts.validationData, model.inputNames, model.outputNames, 'validationData') : null;
    if (opts.validationSplit !== undefined) {
      const { train, val } = splitValidation(all, opts.validationSplit);
      all = train;
      this.val = val;
    }
    this.data = all;
    this.params = model.parameters();
    if (this.params.length === 0) throw new RangeError('fit: the model has no trainable parameters');
    this.optimizer = makeOptimizer(opts.optimizer, this.params);
    this.initialLrs = this.optimizer.paramGroups.map((g) => g.lr);
    this.schedule = opts.lrSchedule ?? null;
    this.rng = new Random(opts.seed ?? 0);
    this.shuffle = opts.shuffle ?? true;
    this.callbacks = opts.callbacks === undefined ? [] : Array.isArray(opts.callbacks) ? (opts.callbacks as Callback[]) : [opts.callbacks as Callback];
    const es = opts.earlyStopping === true ? {} : opts.earlyStopping || null;
    this.early = es ? new EarlyStopping(es, this.val !== null, this.params) : null;
    this.snapshot = opts.checkFinite === false ? null : new WeightSnapshot(this.params);
    this.onDivergence = opts.onDivergence ?? 'throw';
    this.valBatchSize = opts.validationBatchSize ?? Math.max(this.batchSize, 256);
    this.clipNorm = opts.clipGradNorm ?? null;
    if (this.clipNorm !== null && !(this.clipNorm > 0)) throw new RangeError(`fit: clipGradNorm must be a number > 0, got ${opts.clipGradNorm}`);
    this.compiled = compiledStepFor(model, this.plans, opts);
    if (this.epochs === 0) this.finished = true;
  }

  /** True once training ended (all epochs, early stopping, a stop request or divergence). */
  get done(): boolean {
    return this.finished;
  }

  /** Epochs finished so far. */
  get epoch(): number {
    return this.epochIndex;
  }

  /** Batches finished in the current epoch. */
  get step(): number {
    return this.stepIndex;
  }

  /**
   * True when steps after the first run through a compiled step (compileStep: no tape, same
   * values): an asTrainable(Sequential) or a chain Model (sequentialModel) with one
   * bceWithLogits, crossEntropy or mse output.
   */
  get usesCompiledStep(): boolean {
    return this.compiled !== null;
  }

  /** Batches per epoch. */
  get stepsPerEpoch(): number {
    return Math.ceil(this.data.rows / this.batchSize);
  }

  /** Rows used for training and for validation (after validationSplit). */
  get sizes(): { train: number; validation: number } {
    return { train: this.data.rows, validation: this.val?.rows ?? 0 };
  }

  /** Ask training to stop after the current batch; the epoch in progress is recorded. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Run one optimisation step; returns null when training is already done (or diverged with onDivergence 'stop'). */
  trainBatch(): BatchLogs | null {
    if (this.finished) return null;
    if (!this.started) {
      this.started = true;
      if (this.fire((c) => c.onTrainBegin?.(this))) return this.finish('stopped');
    }
    if (this.stepIndex === 0) this.beginEpoch();
    const start = this.stepIndex * this.batchSize;
    const end = Math.min(this.data.rows, start + this.batchSize);
    const x = takeRowsOfMap(this.data.x, this.order, start, end);
    const y = takeRowsOfMap(this.data.y, this.order, start, end);
    const step = this.stepIndex + 1;
    const result = this.optimise(x, y, step);
    if (result === null) return null;

    const rows = end - start;
    const losses = this.accumulate(result.outputs, y, result.each, result.loss, rows);
    this.stepIndex = step;
    const logs: BatchLogs = { epoch: this.epochIndex + 1, step, steps: this.stepsPerEpoch, size: rows, loss: result.loss, losses };
    if (this.fire((c) => c.onBatchEnd?.(logs, this))) this.stopRequested = true;
    if (this.stepIndex >= this.stepsPerEpoch || this.stopRequested) logs.epochLogs = this.endEpoch();
    return logs;
  }

  /** Run the rest of the current epoch (or a whole new one); null when already done. */
  runEpoch(): EpochLogs | null {
    while (!this.finished) {
      const logs = this.trainBatch();
      if (logs?.epochLogs) return logs.epochLogs;
    }
    return null;
  }

  /** Train to the end and return the history. */
  run(): History {
    while (!this.finished) this.trainBatch();
    return this.history;
  }

  /** Forward, loss (+ penalties), backward and update, guarded against divergence. */
  private optimise(x: TensorMap, y: TensorMap, step: number): { outputs: TensorMap; each: Record<string, Tensor>; loss: number } | null {
    this.model.train(true);
    for (const p of this.params) p.zeroGrad();
    // The first step runs eagerly: it checks the targets against a real forward pass.
    const compiled = this.compiled;
    const input = compiled !== null && this.targetsChecked ? x[this.model.inputNames[0]!] : undefined;
    if (compiled !== null && input !== undefined && compiledStepApplies(compiled, this.model, input)) return this.optimiseCompiled(compiled, input, y, step);
    const outputs = this.model.forward(x);
    if (!this.targetsChecked) {
      this.targetsChecked = true;
      checkTargets(this.plans, outputs, this.data.y, 'fit data');
      if (this.val) checkTargets(this.plans, outputs, this.val.y, 'validation data');
    }
    const { total: dataLoss, each } = computeLosses(this.plans, outputs, y);
    const reg = this.model.regularization();
    const total = reg === null ? dataLoss : add(dataLoss, reg);
    const loss = total.item();
    if (!Number.isFinite(loss)) return this.diverge(step, 'loss', String(loss));
    total.backward();
    if (!this.update(step)) return null;
    return { outputs, each, loss };
  }

  /** The same step through the compiled forward/loss/backward: same values, no tape. */
  private optimiseCompiled(compiled: CompiledStep, input: Tensor, y: TensorMap, step: number): { outputs: TensorMap; each: Record<string, Tensor>; loss: number } | null {
    const plan = this.plans[0]!;
    const rows = input.shape[0]!;
    const loss = compiled.forwardLoss(input, compiledTarget(compiled, y[plan.output]!, rows));
    if (!Number.isFinite(loss)) return this.diverge(step, 'loss', String(loss));
    compiled.backward();
    if (!this.update(step)) return null;
    const outputs = plan.metrics.length > 0 ? compiledOutputs(compiled, plan.output, rows) : {};
    return { outputs, each: { [plan.output]: new Tensor(Float64Array.of(loss), []) }, loss };
  }

  /** Clip, update and check the parameters; false when they diverged (and were restored). */
  private update(step: number): boolean {
    if (this.clipNorm !== null) clipGradNorm(this.params, this.clipNorm);
    this.snapshot?.save();
    this.optimizer.step();
    if (this.snapshot) {
      const bad = firstNonFinite(this.params);
      if (bad >= 0) {
        this.snapshot.restore();
        this.diverge(step, 'parameters', `${bad} (of ${this.params.length}, shape [${this.params[bad]!.shape.join(', ')}])`);
        return false;
      }
    }
    return true;
  }

  /** Add a batch to the epoch's running sums (and its predictions, when metrics need them). */
  private accumulate(outputs: TensorMap, y: TensorMap, each: Record<string, Tensor>, loss: number, rows: number): Record<string, number> {
    const losses: Record<string, number> = {};
    this.acc.rows += rows;
    this.acc.loss += loss * rows;
    for (const p of this.plans) {
      losses[p.output] = each[p.output]!.item();
      this.acc.losses[p.output] = (this.acc.losses[p.output] ?? 0) + losses[p.output]! * rows;
      if (p.metrics.length === 0) continue;
      const raw = outputs[p.output]!;
      noGrad(() => {
        (this.acc.preds[p.output] ??= []).push(p.predict(raw).detach());
        (this.acc.targets[p.output] ??= []).push(metricTarget(p, raw, y[p.output]!));
      });
    }
    return losses;
  }

  private beginEpoch(): void {
    if (this.schedule) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const lr = this.schedule!(this.epochIndex, this.initialLrs[i]!);
        if (!(Number.isFinite(lr) && lr >= 0)) throw new RangeError(`lrSchedule gave lr = ${lr} for epoch ${this.epochIndex + 1}; it must be a finite number ≥ 0`);
        g.lr = lr;
      });
    }
    this.order = this.shuffle ? this.rng.permutation(this.data.rows) : null;
    this.acc = emptyEpochSums();
    if (this.fire((c) => c.onEpochBegin?.(this.epochIndex + 1, this))) this.stopRequested = true;
  }

  private endEpoch(): EpochLogs {
    const metrics: Record<string, number> = {};
    if (this.plans.length > 1) for (const p of this.plans) metrics[`${p.output}.loss`] = this.acc.losses[p.output]! / this.acc.rows;
    metricsOf(this.plans, this.acc.preds, this.acc.targets, metrics);
    const logs: EpochLogs = { epoch: this.epochIndex + 1, loss: this.acc.loss / this.acc.rows, lr: this.optimizer.paramGroups[0]!.lr, metrics };
    if (this.val) {
      const v = evaluatePlanned(this.model, this.plans, this.val, this.valBatchSize, 'val.');
      logs.valLoss = v.loss;
      Object.assign(metrics, v.metrics);
    }
    this.history.push(logs);
    this.epochIndex++;
    this.stepIndex = 0;
    this.acc = emptyEpochSums(); // let go of the epoch's predictions now, not at the next epoch
    let reason: StopReason | null = null;
    if (this.fire((c) => c.onEpochEnd?.(logs, this)) || this.stopRequested) reason = 'stopped';
    if (reason === null && this.early?.update(logs)) reason = 'earlyStopping';
    if (reason === null && this.epochIndex >= this.epochs) reason = 'completed';
    if (reason !== null) this.finish(reason);
    return logs;
  }

  private diverge(step: number, cause: 'loss' | 'parameters', detail: string): null {
    const epoch = this.epochIndex + 1;
    const info: DivergenceInfo = { epoch, step, cause, message: divergenceMessage(epoch, step, cause, this.optimizer.paramGroups[0]!.lr, detail) };
    this.divergence = info;
    this.history.divergence = info;
    for (const p of this.params) p.zeroGrad();
    this.finish('diverged');
    if (this.onDivergence === 'throw') throw new DivergenceError(info, this.history);
    return null;
  }

  private finish(reason: StopReason): null {
    this.finished = true;
    this.history.stopReason = reason;
    if (this.early && reason !== 'diverged') this.history.restoredEpoch = this.early.restore(this.epochIndex);
    this.model.eval();
    for (const c of this.callbacks) c.onTrainEnd?.(this.history, this);
    return null;
  }

  /** Call a hook on every callback; true when one of them asked to stop. */
  private fire(call: (c: Callback) => CallbackResult): boolean {
    let stop = false;
    for (const c of this.callbacks) if (call(c) === 'stop') stop = true;
    return stop;
  }
}

/** Running sums of an epoch: rows, row-weighted losses, and the batches' predictions and targets for the metrics. */
interface EpochSums {
  rows: number;
  loss: number;
  losses: Record<string, number>;
  preds: Record<string, Tensor[]>;
  targets: Record<string, Tensor[]>;
}

function emptyEpochSums(): EpochSums {
  return { rows: 0, loss: 0, losses: {}, preds: {}, targets: {} };
}
