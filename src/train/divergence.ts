import type { History } from './history.js';

/** Where and why training diverged. */
export interface DivergenceInfo {
  /** 1-based epoch and step within that epoch. */
  epoch: number;
  step: number;
  /** 'loss' when the loss itself was NaN/±Infinity; 'parameters' when an update made one so. */
  cause: 'loss' | 'parameters';
  message: string;
}

/** The message a user sees: where it happened, what went wrong, and what to try. */
export function divergenceMessage(epoch: number, step: number, cause: 'loss' | 'parameters', lr: number, detail: string): string {
  const what = cause === 'loss' ? `the loss became ${detail}` : `parameter ${detail} became NaN or infinite after the update`;
  return (
    `Training diverged at epoch ${epoch}, step ${step}: ${what}. ` +
    `The model keeps its last finite weights. Try a lower learning rate (now ${lr}; e.g. ${lr / 10}) ` +
    'or standardised inputs.'
  );
}

/**
 * Thrown by fit (unless `onDivergence: 'stop'`) when the loss or a parameter becomes NaN or
 * infinite. `history` holds the epochs completed before it.
 */
export class DivergenceError extends Error {
  override readonly name = 'DivergenceError';
  constructor(
    readonly info: DivergenceInfo,
    readonly history: History,
  ) {
    super(info.message);
  }
  get epoch(): number {
    return this.info.epoch;
  }
  get step(): number {
    return this.info.step;
  }
}
