import { describe, expect, it } from 'vitest';
import { toRows, trainTestSplit } from '../../src/data/index.js';

describe('trainTestSplit', () => {
  it('cuts at round(fraction·n), keeps every item once, and repeats for the same seed', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const a = trainTestSplit(items, 0.3, 5);
    expect(a.train.length).toBe(3);
    expect(a.test.length).toBe(7);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(items);
    expect(trainTestSplit(items, 0.3, 5)).toEqual(a);
    expect(trainTestSplit(items, 0.3, 6)).not.toEqual(a);
  });

  it('refuses fractions outside (0, 1)', () => {
    expect(() => trainTestSplit([1, 2], 50)).toThrow(/between 0 and 1/);
  });

  it('toRows gives input rows and targets', () => {
    expect(toRows([{ x1: 1, x2: 2, y: 0 }, { x1: -1, x2: 0.5, y: 1 }])).toEqual({ x: [[1, 2], [-1, 0.5]], y: [0, 1] });
  });
});
