import { Random } from '../tensor/random.js';
import type { Sample } from './types.js';

/** Training and test parts of a data set. */
export interface Split<T> {
  train: T[];
  test: T[];
}

/**
 * Shuffle with a seed, then cut: the first `round(trainFraction·n)` samples train, the rest test.
 * @example trainTestSplit([1, 2, 3, 4], 0.5, 1).train.length; // 2
 */
export function trainTestSplit<T>(items: readonly T[], trainFraction: number, seed = 0): Split<T> {
  if (!(trainFraction > 0 && trainFraction < 1)) {
    throw new RangeError(`trainTestSplit: trainFraction must be between 0 and 1 (e.g. 0.5), got ${trainFraction}`);
  }
  const order = new Random(seed).permutation(items.length);
  const cut = Math.round(trainFraction * items.length);
  const train: T[] = [];
  const test: T[] = [];
  for (let i = 0; i < order.length; i++) (i < cut ? train : test).push(items[order[i]!]!);
  return { train, test };
}

/**
 * Samples as row arrays ready for `tensor(...)`: inputs `[[x1, x2], ...]` and targets `[y, ...]`.
 * @example toRows([{ x1: 1, x2: 2, y: 0 }]); // { x: [[1, 2]], y: [0] }
 */
export function toRows(samples: readonly Sample[]): { x: number[][]; y: number[] } {
  return { x: samples.map((s) => [s.x1, s.x2]), y: samples.map((s) => s.y) };
}
