import { describe, expect, it } from 'vitest';
import { concat, mul, reshape, sum, tensor, transpose } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('concat', () => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[5], [6]]);

  it('joins features (axis 1 and -1) and rows (axis 0)', () => {
    expect(concat([a, b], 1).toArray()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(concat([a, b], -1).toArray()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(concat([a, tensor([[7, 8]])], 0).toArray()).toEqual([[1, 2], [3, 4], [7, 8]]);
  });

  it('routes each part of the gradient back to its input', () => {
    const x = tensor([[1, 2]], { requiresGrad: true });
    const y = tensor([[3]], { requiresGrad: true });
    sum(mul(concat([x, y], 1), tensor([[10, 20, 30]]))).backward();
    expect(x.grad!.toArray()).toEqual([[10, 20]]);
    expect(y.grad!.toArray()).toEqual([[30]]);
  });

  it('names the tensor whose sizes disagree', () => {
    expect(() => concat([a, tensor([[1, 2, 3]])], 1)).toThrow(/tensor 1 has shape \[1, 3\] but tensor 0 has \[2, 2\]/);
    expect(() => concat([], 0)).toThrow(/non-empty/);
  });

  it('passes gradcheck along axis 0, 1 and -1, with three parts and a repeated part', () => {
    expectGradcheck((x, y) => concat([x, y], 0), [rand([2, 3], 1), rand([4, 3], 2)]);
    expectGradcheck((x, y) => concat([x, y], 1), [rand([3, 2], 3), rand([3, 1], 4)]);
    expectGradcheck((x, y, z) => concat([x, y, z], -1), [rand([2, 1], 5), rand([2, 3], 6), rand([2, 2], 7)]);
    expectGradcheck((x) => concat([x, x], 1), [rand([2, 2], 8)]);
    expectGradcheck((x, y) => concat([x, y], 1), [rand([2, 2, 2], 9), rand([2, 1, 2], 10)]);
  });
});

describe('reshape and transpose', () => {
  it('reshape keeps the values and infers -1', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(reshape(x, [3, -1]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(reshape(x, [6]).shape).toEqual([6]);
    expect(() => reshape(x, [4, 2])).toThrow(/cannot view \[2, 3\] \(6 values\) as \[4, 2\]/);
  });

  it('transpose swaps rows and columns', () => {
    expect(transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(() => transpose(tensor([1, 2]))).toThrow(/needs a matrix, got shape \[2\]/);
  });

  it('pass gradcheck', () => {
    expectGradcheck((x) => reshape(x, [2, 6]), [rand([3, 4], 11)]);
    expectGradcheck((x) => mul(reshape(x, [-1]), reshape(x, [-1])), [rand([3, 4], 12)]);
    expectGradcheck((x) => transpose(x), [rand([3, 4], 13)]);
  });
});
