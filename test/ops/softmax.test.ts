import { describe, expect, it } from 'vitest';
import { logSoftmax, softmax, sum, tensor } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('softmax and logSoftmax', () => {
  it('act on each row', () => {
    const y = softmax(tensor([[0, 0], [0, Math.log(3)]], { dtype: 'float64' })).toArray() as number[][];
    expect(y[0]).toEqual([0.5, 0.5]);
    expect(y[1]![0]).toBeCloseTo(0.25, 15);
    expect(y[1]![1]).toBeCloseTo(0.75, 15);
  });

  it('softmax of [1e4, 0] is [1, e^−1e4 = 0], finite, with finite gradients', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([[1e4, 0]], { dtype, requiresGrad: true });
      const y = softmax(x);
      expect(y.toArray()).toEqual([[1, 0]]);
      sum(y).backward(); // Σ softmax = 1, so its gradient is 0
      expect(x.grad!.toArray()).toEqual([[0, 0]]);
    }
  });

  it('logSoftmax of ±500 is finite: [0, −1000]', () => {
    const x = tensor([[500, -500], [-500, -500]], { dtype: 'float64', requiresGrad: true });
    const y = logSoftmax(x);
    expect(y.toArray()).toEqual([[0, -1000], [-Math.LN2, -Math.LN2]]);
    sum(y).backward();
    // dx = 1 − softmax·Σ1 = 1 − 2·softmax: row 1 → [−1, 1], row 2 → [0, 0].
    expect(x.grad!.toArray()).toEqual([[-1, 1], [0, 0]]);
  });

  it('a scalar has no row to normalise', () => {
    expect(() => softmax(tensor(1))).toThrow(/needs at least one axis/);
  });

  it('pass gradcheck on matrices, vectors and rows with a large offset', () => {
    expectGradcheck((x) => softmax(x), [rand([4, 5], 1)]);
    expectGradcheck((x) => logSoftmax(x), [rand([4, 5], 2)]);
    expectGradcheck((x) => softmax(x), [rand([3], 3)]);
    expectGradcheck((x) => logSoftmax(x), [rand([2, 3], 4, 300, 303)]);
  });
});
