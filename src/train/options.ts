import type { Dataset } from './data.js';
import type { EarlyStoppingOptions } from './earlyStopping.js';
import type { ObjectiveOptions } from './heads.js';
import type { EpochLogs, History } from './history.js';
import type { OptimizerSpec } from './optimizers.js';
import type { LrSchedule } from './schedules.js';

/** What one training step produced. Steps and epochs are 1-based. */
export interface BatchLogs {
  epoch: number;
  step: number;
  /** Batches per epoch. */
  steps: number;
  /** Rows in this batch. */
  size: number;
  /** Total loss of the batch (Σ wᵢ·lossᵢ + regularisation). */
  loss: number;
  /** Each output's own loss. */
  losses: Record<string, number>;
  /** Set when this batch finished an epoch. */
  epochLogs?: EpochLogs;
}

/** What a callback may return: 'stop' ends training after the current batch or epoch. */
export type CallbackResult = void | 'stop';

/**
 * Hooks into the training loop. The trainer is passed so a hook can also call `trainer.stop()`.
 * @example { onEpochEnd: (logs) => console.log(logs.epoch, logs.loss) }
 */
export interface Callback {
  onTrainBegin?(trainer: TrainerView): CallbackResult;
  onEpochBegin?(epoch: number, trainer: TrainerView): CallbackResult;
  /** A 'stop' here ends the current epoch early (it is recorded with the batches done). */
  onBatchEnd?(logs: BatchLogs, trainer: TrainerView): CallbackResult;
  onEpochEnd?(logs: EpochLogs, trainer: TrainerView): CallbackResult;
  onTrainEnd?(history: History, trainer: TrainerView): void;
}

/** The part of the Trainer that callbacks see. */
export interface TrainerView {
  readonly history: History;
  /** Ask training to stop after the current batch (its epoch is recorded). */
  stop(): void;
}

export interface FitOptions extends ObjectiveOptions {
  /** Passes over the training data (default 1). Infinity suits a Trainer that a page steps until the user stops it. */
  epochs?: number;
  /** Rows per step (default 32; larger than the data means full batch). */
  batchSize?: number;
  /** Shuffle the rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling; same seed, same batches (default 0). */
  seed?: number;
  /** Hold out the last fraction of the rows (before shuffling) for validation. */
  validationSplit?: number;
  /** Separate validation data, keyed like the training data. */
  validationData?: Dataset;
  /** Optimizer instance, name, or { name, ...options } (default 'adam', lr 1e-3). */
  optimizer?: OptimizerSpec;
  /** Learning rate per epoch: stepDecay, cosineDecay, exponentialDecay or your own function. */
  lrSchedule?: LrSchedule;
  /** Stop when a monitored value stops improving (true: the defaults). */
  earlyStopping?: EarlyStoppingOptions | boolean;
  callbacks?: Callback | readonly Callback[];
  /** On NaN/±Infinity in the loss or a parameter: throw a DivergenceError (default) or just stop. */
  onDivergence?: 'throw' | 'stop';
  /** Rescale the gradients so that their global L2 norm is at most this (PyTorch's clip_grad_norm_). */
  clipGradNorm?: number;
  /** Check parameters after every update and keep a copy to fall back on (default true). */
  checkFinite?: boolean;
  /** Rows per batch for the validation pass (default: max(batchSize, 256)). */
  validationBatchSize?: number;
}
