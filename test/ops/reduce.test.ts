import { describe, expect, it } from 'vitest';
import { mean, sum, tensor } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('sum and mean', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it('reduce everything to a scalar', () => {
    expect(sum(x).shape).toEqual([]);
    expect(sum(x).toArray()).toBe(21);
    expect(mean(x).toArray()).toBe(3.5);
  });

  it('reduce along an axis, negative axes included', () => {
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, 1).toArray()).toEqual([6, 15]);
    expect(sum(x, -1).toArray()).toEqual([6, 15]);
    expect(mean(x, 0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(mean(x, 1).toArray()).toEqual([2, 5]);
  });

  it('keep the reduced axis with size 1 on request', () => {
    expect(sum(x, 1, true).shape).toEqual([2, 1]);
    expect(mean(x, 0, true).toArray()).toEqual([[2.5, 3.5, 4.5]]);
    expect(sum(x, undefined, true).shape).toEqual([1, 1]);
  });

  it('spread the gradient evenly (mean divides by the count)', () => {
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    mean(w).backward();
    expect(w.grad!.toArray()).toEqual([[0.25, 0.25], [0.25, 0.25]]);
  });

  it('name the axis that is out of range', () => {
    expect(() => sum(x, 2)).toThrow(/sum: axis 2 is out of range for a tensor of rank 2/);
    expect(() => mean(x, -3)).toThrow(/mean: axis -3/);
  });

  it('pass gradcheck over all, per axis and with keepDims', () => {
    for (const op of [sum, mean]) {
      expectGradcheck((x) => op(x), [rand([3, 4], 1)]);
      expectGradcheck((x) => op(x, 0), [rand([3, 4], 2)]);
      expectGradcheck((x) => op(x, 1), [rand([3, 4], 3)]);
      expectGradcheck((x) => op(x, -1, true), [rand([3, 4], 4)]);
      expectGradcheck((x) => op(x, 1), [rand([2, 3, 4], 5)]);
      expectGradcheck((x) => op(x, 0, true), [rand([2, 3, 4], 6)]);
    }
  });
});
