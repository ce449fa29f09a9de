import type { Tensor } from '../tensor/tensor.js';
import type { EpochLogs } from './history.js';
import { higherIsBetter } from './metrics.js';
import { WeightSnapshot } from './weights.js';

export interface EarlyStoppingOptions {
  /** Series to watch: 'val.loss' (default when there is validation data), 'loss' (default otherwise), or a metric key such as 'val.accuracy'. */
  monitor?: string;
  /** Stop after this many epochs in a row without improvement (default 0, which acts as 1, as in Keras). */
  patience?: number;
  /** An improvement must beat the best value by more than this (default 0). */
  minDelta?: number;
  /** 'min' or 'max'; default 'max' for accuracy and r2, 'min' otherwise. */
  mode?: 'min' | 'max';
  /** Put back the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
}

/** A monitored value from an epoch's logs, by the History naming. */
export function monitoredValue(logs: EpochLogs, name: string): number | undefined {
  if (name === 'loss') return logs.loss;
  if (name === 'val.loss' || name === 'valLoss') return logs.valLoss;
  return logs.metrics[name];
}

/**
 * Stop when a monitored value stops improving (Keras' rule: the value must beat the best by
 * more than minDelta; after `patience` epochs without that, stop), keeping a copy of the best
 * epoch's weights when asked to restore them.
 */
export class EarlyStopping {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  best = NaN;
  bestEpoch = 0;
  private wait = 0;
  private readonly snapshot: WeightSnapshot | null;

  constructor(opts: EarlyStoppingOptions, hasValidation: boolean, params: readonly Tensor[]) {
    this.monitor = opts.monitor ?? (hasValidation ? 'val.loss' : 'loss');
    this.patience = opts.patience ?? 0;
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    this.mode = opts.mode ?? (higherIsBetter(this.monitor) ? 'max' : 'min');
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    if (!(Number.isInteger(this.patience) && this.patience >= 0)) throw new RangeError(`earlyStopping: patience must be an integer ≥ 0, got ${opts.patience}`);
    if (this.monitor.startsWith('val.') && !hasValidation) {
      throw new RangeError(`earlyStopping: monitor '${this.monitor}' needs validation data; pass validationSplit or validationData, or monitor 'loss'`);
    }
    this.snapshot = this.restoreBestWeights ? new WeightSnapshot(params) : null;
  }

  /** Look at one epoch's logs; true means stop now. */
  update(logs: EpochLogs): boolean {
    const value = monitoredValue(logs, this.monitor);
    if (value === undefined) {
      const known = ['loss', ...(logs.valLoss !== undefined ? ['val.loss'] : []), ...Object.keys(logs.metrics)];
      throw new RangeError(`earlyStopping: no value '${this.monitor}' to monitor; available: ${known.join(', ')}`);
    }
    const improved = Number.isNaN(this.best) || (this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = logs.epoch;
      this.wait = 0;
      this.snapshot?.save();
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
  }

  /** Put the best epoch's weights back; returns that epoch (null when nothing to restore). */
  restore(lastEpoch: number): number | null {
    if (this.snapshot === null || this.bestEpoch === 0) return null;
    if (this.bestEpoch !== lastEpoch) this.snapshot.restore();
    return this.bestEpoch;
  }
}
