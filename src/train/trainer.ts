import type { TensorMap, TrainableModel } from '../graph/types.js';
import { add } from '../ops/arithmetic.js';
import type { BaseOptions, Optimizer } from '../optim/optimizer.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { CompiledBatches, compiledStepFor } from './compiledTraining.js';
import { nameData, splitValidation, takeRowsOfMap, type Dataset, type NamedData } from './data.js';
import { DivergenceError, divergenceMessage, type DivergenceInfo } from './divergence.js';
import { EarlyStopping } from './earlyStopping.js';
import { EpochTotals, evaluatePlanned } from './evaluate.js';
import { checkTargets, computeLosses, planOutputs, type OutputPlan } from './heads.js';
import { History, type EpochLogs, type StopReason } from './history.js';
import { makeOptimizer } from './optimizers.js';
import type { BatchLogs, Callback, CallbackResult, FitOptions, TrainerView } from './options.js';
import type { LrSchedule } from './schedules.js';
import { clipGradNorm, firstNonFinite, WeightSnapshot } from './weights.js';

/**
 * The training loop, one step at a time, so that a page can train in small slices between
 * frames: `trainBatch()` runs one step and returns its logs (finishing the epoch after its last
 * batch), `trainBatches(n)` runs n steps without logs, `runEpoch()` one epoch, `run()`
 * everything. `fit` is `new Trainer(...).run()`. Once the compiled step is warm (see
 * usesCompiledStep), trainBatches, runEpoch and run allocate nothing per step, metrics on or
 * off: batches are gathered into tensors reused per batch size, losses and metrics kept as
 * running sums (metricAccumulators.ts) read from the step's own output buffer, and
 * BatchLogs made only for trainBatch() or a callback with onBatchEnd (each its own object).
 * @example
 * const trainer = new Trainer(model, { x, y }, { epochs: 50, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 } });
 * function frame() { trainer.trainBatches(10); if (!trainer.done) requestAnimationFrame(frame); }
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
  private readonly compiled: CompiledBatches | null;

  private epochIndex = 0; // epochs finished
  private stepIndex = 0; // batches finished in the current epoch
  private order: Int32Array | null = null;
  private stopRequested = false;
  private finished = false;
  private started = false;
  private targetsChecked = false;
  // Per-step state in storage made once, so a warm compiled step allocates nothing (issue 4):
  /** The epoch's running sums, and the last batch's losses in totals.batch. */
  private readonly totals: EpochTotals;
  /** The last batch's raw outputs and targets, for the metrics (outputs null: no output has metrics). */
  private batchOutputs: TensorMap | null = null;
  private batchTargets: TensorMap | null = null;
  /** Callbacks that take batch logs (when none, and the caller does not ask, no logs are made). */
  private readonly batchCallbacks: Callback[];
  /** Optimisation steps run so far (for trainBatches). */
  private batchesRun = 0;
  /** The EpochLogs of the epoch the last step ended, else null. */
  private endedEpoch: EpochLogs | null = null;

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
    const step = compiledStepFor(model, this.plans, opts);
    this.compiled = step === null ? null : new CompiledBatches(step, model, this.data, this.plans[0]!.output, this.params);
    this.batchCallbacks = this.callbacks.filter((c) => typeof c.onBatchEnd === 'function');
    this.totals = new EpochTotals(this.plans);
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

  /**
   * Run one optimisation step and return its logs (a new object each time, yours to keep); null
   * when training is already done (or diverged with onDivergence 'stop'). The logs are the only
   * thing a warm compiled step allocates: trainBatches(n) runs steps without them.
   */
  trainBatch(): BatchLogs | null {
    return this.nextBatch(true);
  }

  /**
   * Run up to `count` optimisation steps (fewer when training ends) and return how many ran.
   * Builds no BatchLogs unless a callback has onBatchEnd, so once the compiled step is warm
   * (see usesCompiledStep) a step allocates nothing, with metrics too; per-epoch work (shuffling,
   * history, validation, callbacks) still allocates once per epoch.
   * @example
   * function frame() { trainer.trainBatches(10); if (!trainer.done) requestAnimationFrame(frame); }
   */
  trainBatches(count: number): number {
    const before = this.batchesRun;
    for (let i = 0; i < count && !this.finished; i++) this.nextBatch(false);
    return this.batchesRun - before;
  }

  /** Run the rest of the current epoch (or a whole new one); null when already done. */
  runEpoch(): EpochLogs | null {
    while (!this.finished) {
      this.nextBatch(false);
      if (this.endedEpoch !== null) return this.endedEpoch;
    }
    return null;
  }

  /** Train to the end and return the history. */
  run(): History {
    while (!this.finished) this.nextBatch(false);
    return this.history;
  }

  /** One step; its logs when `wantLogs` or a callback takes them, else null (null too when done). */
  private nextBatch(wantLogs: boolean): BatchLogs | null {
    this.endedEpoch = null;
    if (this.finished) return null;
    if (!this.started && this.begin()) return null;
    if (this.stepIndex === 0) this.beginEpoch();
    const start = this.stepIndex * this.batchSize;
    const end = Math.min(this.data.rows, start + this.batchSize);
    const step = this.stepIndex + 1;
    if (!this.optimise(start, end, step)) return null;

    this.batchesRun++;
    const rows = end - start;
    this.totals.add(rows, this.batchOutputs, this.batchTargets);
    this.stepIndex = step;
    let logs: BatchLogs | null = null;
    if (wantLogs || this.batchCallbacks.length > 0) {
      logs = { epoch: this.epochIndex + 1, step, steps: this.stepsPerEpoch, size: rows, loss: this.totals.batch[0]!, losses: this.totals.batchLosses() };
      if (this.fireBatchEnd(logs)) this.stopRequested = true;
    }
    if (this.stepIndex >= this.stepsPerEpoch || this.stopRequested) {
      const epochLogs = this.endEpoch();
      if (logs !== null) logs.epochLogs = epochLogs;
    }
    return logs;
  }

  /** Start training (onTrainBegin); true when a callback stopped it. Not inline in nextBatch: an arrow function there makes V8 allocate a context at every call. */
  private begin(): boolean {
    this.started = true;
    if (!this.fire((c) => c.onTrainBegin?.(this))) return false;
    this.finish('stopped');
    return true;
  }

  /** Forward, loss (+ penalties), backward and update of rows [start, end), guarded against divergence; false when it diverged. */
  private optimise(start: number, end: number, step: number): boolean {
    this.model.train(true);
    const params = this.params;
    for (let i = 0; i < params.length; i++) params[i]!.zeroGrad();
    // The first step runs eagerly: it checks the targets against a real forward pass.
    const compiled = this.compiled;
    if (compiled !== null && this.targetsChecked && compiled.applies()) return this.optimiseCompiled(compiled, start, end, step);
    compiled?.eagerStepRan();
    const x = takeRowsOfMap(this.data.x, this.order, start, end);
    const y = takeRowsOfMap(this.data.y, this.order, start, end);
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
    if (!this.update(step)) return false;
    this.totals.batch[0] = loss;
    for (let i = 0; i < this.plans.length; i++) this.totals.batch[1 + i] = each[this.plans[i]!.output]!.item();
    this.batchOutputs = outputs;
    this.batchTargets = y;
    return true;
  }

  /**
   * The same step through the compiled forward/loss/backward: same values, no tape, and the
   * batch gathered into tensors reused for every batch of its size.
   */
  private optimiseCompiled(compiled: CompiledBatches, start: number, end: number, step: number): boolean {
    const plan = this.plans[0]!;
    compiled.forwardLoss(this.order, start, end);
    // Read from lossValue, not a returned number: a double returned from a call may be boxed.
    const loss = compiled.step.lossValue[0]!;
    if (!Number.isFinite(loss)) return this.diverge(step, 'loss', String(loss));
    compiled.step.backward();
    if (!this.update(step)) return false;
    this.totals.batch[0] = loss;
    this.totals.batch[1] = loss;
    this.batchOutputs = plan.metrics.length > 0 ? compiled.outputs(end - start) : null;
    this.batchTargets = compiled.targets;
    return true;
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

  private beginEpoch(): void {
    if (this.schedule) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const lr = this.schedule!(this.epochIndex, this.initialLrs[i]!);
        if (!(Number.isFinite(lr) && lr >= 0)) throw new RangeError(`lrSchedule gave lr = ${lr} for epoch ${this.epochIndex + 1}; it must be a finite number ≥ 0`);
        g.lr = lr;
      });
    }
    this.order = this.shuffle ? this.shuffledOrder() : null;
    this.totals.reset();
    if (this.fire((c) => c.onEpochBegin?.(this.epochIndex + 1, this))) this.stopRequested = true;
  }

  /** A new random order of the rows (as rng.permutation gives it), in the previous epoch's array. */
  private shuffledOrder(): Int32Array {
    const n = this.data.rows;
    const order = this.order ?? new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.rng.shuffle(order);
  }

  private endEpoch(): EpochLogs {
    const metrics: Record<string, number> = {};
    const loss = this.totals.close(metrics);
    const logs: EpochLogs = { epoch: this.epochIndex + 1, loss, lr: this.optimizer.paramGroups[0]!.lr, metrics };
    if (this.val) {
      const v = evaluatePlanned(this.model, this.plans, this.val, this.valBatchSize, 'val.');
      logs.valLoss = v.loss;
      Object.assign(metrics, v.metrics);
    }
    this.history.push(logs);
    this.epochIndex++;
    this.stepIndex = 0;
    this.batchOutputs = null;
    this.batchTargets = null;
    this.endedEpoch = logs;
    let reason: StopReason | null = null;
    if (this.fire((c) => c.onEpochEnd?.(logs, this)) || this.stopRequested) reason = 'stopped';
    if (reason === null && this.early?.update(logs)) reason = 'earlyStopping';
    if (reason === null && this.epochIndex >= this.epochs) reason = 'completed';
    if (reason !== null) this.finish(reason);
    return logs;
  }

  private diverge(step: number, cause: 'loss' | 'parameters', detail: string): false {
    const epoch = this.epochIndex + 1;
    const info: DivergenceInfo = { epoch, step, cause, message: divergenceMessage(epoch, step, cause, this.optimizer.paramGroups[0]!.lr, detail) };
    this.divergence = info;
    this.history.divergence = info;
    for (const p of this.params) p.zeroGrad();
    this.finish('diverged');
    if (this.onDivergence === 'throw') throw new DivergenceError(info, this.history);
    return false;
  }

  private finish(reason: StopReason): null {
    this.finished = true;
    this.history.stopReason = reason;
    if (this.early && reason !== 'diverged') this.history.restoredEpoch = this.early.restore(this.epochIndex);
    this.model.eval();
    for (const c of this.callbacks) c.onTrainEnd?.(this.history, this);
    return null;
  }

  /** onBatchEnd of every callback that has one (a loop, not fire's closure: it runs every step); true when one asked to stop. */
  private fireBatchEnd(logs: BatchLogs): boolean {
    let stop = false;
    const callbacks = this.batchCallbacks;
    for (let i = 0; i < callbacks.length; i++) if (callbacks[i]!.onBatchEnd!(logs, this) === 'stop') stop = true;
    return stop;
  }

  /** Call a hook on every callback; true when one of them asked to stop. */
  private fire(call: (c: Callback) => CallbackResult): boolean {
    let stop = false;
    for (const c of this.callbacks) if (call(c) === 'stop') stop = true;
    return stop;
  }
}
