import type { TrainableModel } from '../graph/types.js';
import type { Dataset } from './data.js';
import type { History } from './history.js';
import type { FitOptions } from './options.js';
import { Trainer } from './trainer.js';

/**
 * Train a model on data and return the per-epoch history. Synchronous; see `fitAsync` and
 * `Trainer` to train without blocking a page.
 * @example
 * const history = fit(model, { x, y }, { epochs: 200, batchSize: 4, optimizer: { name: 'adam', lr: 0.05 }, metrics: ['accuracy'] });
 * history.metrics.accuracy.at(-1); // 1
 */
export function fit(model: TrainableModel, data: Dataset, opts: FitOptions = {}): History {
  return new Trainer(model, data, opts).run();
}

/**
 * `fit` that hands control back to the event loop every `yieldEveryMs` milliseconds of
 * training (default 16: about one frame), so a page stays responsive and progress bars redraw.
 * @example const history = await fitAsync(model, { x, y }, { epochs: 100, callbacks: { onEpochEnd: draw } });
 */
export async function fitAsync(model: TrainableModel, data: Dataset, opts: FitOptions & { yieldEveryMs?: number } = {}): Promise<History> {
  const trainer = new Trainer(model, data, opts);
  const slice = opts.yieldEveryMs ?? 16;
  let last = Date.now();
  while (!trainer.done) {
    trainer.trainBatch();
    if (Date.now() - last >= slice) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = Date.now();
    }
  }
  return trainer.history;
}
