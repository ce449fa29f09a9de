// Metrics worked out by hand.
import { describe, expect, it } from 'vitest';
import { accuracy, binaryAccuracy, confusionMatrix, mae, mse, r2, tensor } from '../../src/index.js';

describe('accuracy', () => {
  it('compares the arg-max of [N, K] scores with labels', () => {
    // predicted classes 1, 0, 1, 2 against 1, 0, 0, 2: three of four.
    const p = [[0.1, 0.9, 0], [0.8, 0.1, 0.1], [0.3, 0.6, 0.1], [0, 0.2, 0.8]];
    expect(accuracy(p, [1, 0, 0, 2])).toBe(0.75);
    expect(accuracy(tensor(p), tensor([[1], [0], [0], [2]]))).toBe(0.75);
  });

  it('accepts one-hot targets and logits (same arg-max)', () => {
    expect(accuracy([[2, -1], [-3, 4]], [[1, 0], [1, 0]])).toBe(0.5);
  });

  it('names a bad label and its row', () => {
    expect(() => accuracy([[1, 0]], [0.5])).toThrow(/row 0 is 0.5/);
  });
});

describe('binaryAccuracy', () => {
  it('thresholds probabilities at 0.5 (inclusive) by default', () => {
    expect(binaryAccuracy([[0.9], [0.4], [0.6], [0.5]], [[1], [0], [0], [1]])).toBe(0.75);
  });

  it('scores logits with threshold 0 and [N] targets against [N, 1] predictions', () => {
    expect(binaryAccuracy(tensor([[2], [-1], [0.5]]), [1, 1, 1], 0)).toBeCloseTo(2 / 3, 12);
  });

  it('names both shapes when sizes differ', () => {
    expect(() => binaryAccuracy([[1], [0]], [1, 0, 1])).toThrow(/\[2, 1\].*\[3\]/);
  });
});

describe('mse, mae', () => {
  it('average over all entries', () => {
    expect(mse([[1, 2], [3, 4]], [[0, 2], [3, 2]])).toBe((1 + 0 + 0 + 4) / 4);
    expect(mae([[1, -2], [3, 4]], [[0, 0], [3, 2]])).toBe((1 + 2 + 0 + 2) / 4);
  });
});

describe('r2', () => {
  it('is 1 − SS_res/SS_tot', () => {
    // targets 1, 2, 4: mean 7/3, SS_tot = 16/9 + 1/9 + 25/9 = 14/3; SS_res = 0 + 0 + 1 = 1.
    expect(r2([1, 2, 3], [1, 2, 4])).toBeCloseTo(1 - 1 / (14 / 3), 12);
  });

  it('averages over output columns (uniform average)', () => {
    // column 0 exact (1); column 1 predicts the mean (0).
    expect(r2([[1, 5], [2, 5], [3, 5]], [[1, 4], [2, 5], [3, 6]])).toBeCloseTo(0.5, 12);
  });

  it('is 1 for an exactly predicted constant column, 0 otherwise', () => {
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 3], [2, 2])).toBe(0);
  });

  it('knows a column of equal values is constant even when its computed mean misses them', () => {
    // Ten 0.1s sum to 0.9999999999999999, so the mean was 0.09999999999999999, SS_tot ≈ 2e-33
    // instead of 0, and a wrong prediction scored about −5e31 instead of 0.
    const t = new Array<number>(10).fill(0.1);
    expect(r2(t, t)).toBe(1);
    expect(r2(new Array<number>(10).fill(0.2), t)).toBe(0);
  });
});

describe('confusionMatrix', () => {
  it('counts m[true][predicted]', () => {
    expect(confusionMatrix([0, 1, 1, 2, 2], [0, 1, 0, 2, 1])).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('takes [N, K] scores and a class count', () => {
    expect(confusionMatrix([[0.9, 0.1], [0.2, 0.8]], [1, 1], 3)).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
  });
});
