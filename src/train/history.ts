import type { DivergenceInfo } from './divergence.js';

/** What one epoch produced; `metrics` keys are as in History ('accuracy', 'val.accuracy', 'count.loss', …). */
export interface EpochLogs {
  /** 1-based. */
  epoch: number;
  loss: number;
  valLoss?: number;
  lr: number;
  metrics: Record<string, number>;
}

/** What `History.toJSON()` returns and `History.fromJSON()` reads. */
export interface HistoryJson {
  epoch: number[];
  loss: number[];
  valLoss: number[];
  lr: number[];
  metrics: Record<string, number[]>;
  stopReason: StopReason;
  restoredEpoch: number | null;
  divergence: DivergenceInfo | null;
}

/** How training ended: all epochs run, early stopping, a callback's 'stop' or trainer.stop() ('stopped'), or divergence. */
export type StopReason = 'completed' | 'earlyStopping' | 'stopped' | 'diverged';

/**
 * Per-epoch values of a training run, ready to plot: `loss[i]` belongs to `epoch[i]`.
 * Metric keys: a metric's name for a single-output model ('accuracy'), 'output.metric' for
 * several outputs ('breed.accuracy', and each output's own loss as 'breed.loss'); validation
 * values carry the prefix 'val.' ('val.accuracy', 'val.breed.loss').
 * @example
 * const h = fit(model, data, { epochs: 3 });
 * h.loss.length; // 3
 * h.get('val.loss'); // same as h.valLoss
 */
export class History {
  readonly epoch: number[] = [];
  readonly loss: number[] = [];
  /** Empty when there is no validation data. */
  readonly valLoss: number[] = [];
  /** The learning rate of the first parameter group during each epoch. */
  readonly lr: number[] = [];
  readonly metrics: Record<string, number[]> = {};
  stopReason: StopReason = 'completed';
  /** 1-based epoch whose weights the model holds after early stopping restored them, else null. */
  restoredEpoch: number | null = null;
  divergence: DivergenceInfo | null = null;

  /**
   * A History back from `toJSON()` data (e.g. a saved training log, to plot it again).
   * @example History.fromJSON(JSON.parse(JSON.stringify(history))).loss; // same values
   */
  static fromJSON(json: HistoryJson): History {
    const series = (v: unknown, name: string): number[] => {
      if (!Array.isArray(v) || !v.every((n) => typeof n === 'number' || n === null)) throw new TypeError(`History.fromJSON: '${name}' must be an array of numbers`);
      return v.map((n) => (n === null ? NaN : n)); // JSON writes NaN as null
    };
    if (typeof json !== 'object' || json === null) throw new TypeError('History.fromJSON: expected an object from History.toJSON()');
    const h = new History();
    h.epoch.push(...series(json.epoch, 'epoch'));
    h.loss.push(...series(json.loss, 'loss'));
    h.valLoss.push(...series(json.valLoss ?? [], 'valLoss'));
    h.lr.push(...series(json.lr ?? [], 'lr'));
    for (const [k, v] of Object.entries(json.metrics ?? {})) h.metrics[k] = series(v, `metrics.${k}`);
    h.stopReason = json.stopReason ?? 'completed';
    h.restoredEpoch = json.restoredEpoch ?? null;
    h.divergence = json.divergence ?? null;
    return h;
  }

  /** Record one epoch. */
  push(logs: EpochLogs): void {
    this.epoch.push(logs.epoch);
    this.loss.push(logs.loss);
    if (logs.valLoss !== undefined) this.valLoss.push(logs.valLoss);
    this.lr.push(logs.lr);
    for (const [k, v] of Object.entries(logs.metrics)) (this.metrics[k] ??= []).push(v);
  }

  /** A series by name: 'loss', 'val.loss' (or 'valLoss'), 'lr', or a metric key. */
  get(name: string): number[] {
    if (name === 'loss') return this.loss;
    if (name === 'val.loss' || name === 'valLoss') return this.valLoss;
    if (name === 'lr') return this.lr;
    const series = this.metrics[name];
    if (series === undefined) throw new RangeError(`History: no series '${name}'; it has ${this.names().join(', ')}`);
    return series;
  }

  /** Every series name that `get` accepts. */
  names(): string[] {
    return ['loss', ...(this.valLoss.length ? ['val.loss'] : []), 'lr', ...Object.keys(this.metrics)];
  }

  /** Plain data for JSON files, the CLI and the playground. */
  toJSON(): HistoryJson {
    return {
      epoch: [...this.epoch],
      loss: [...this.loss],
      valLoss: [...this.valLoss],
      lr: [...this.lr],
      metrics: Object.fromEntries(Object.entries(this.metrics).map(([k, v]) => [k, [...v]])),
      stopReason: this.stopReason,
      restoredEpoch: this.restoredEpoch,
      divergence: this.divergence,
    };
  }
}
