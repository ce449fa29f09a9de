import { describe, expect, it } from 'vitest';
import { abs, exp, log, neg, sqrt, square, sum, tensor } from '../../src/index.js';
import { expectGradcheck, rand, randAwayFromZero } from '../autograd/check.js';

describe('unary ops', () => {
  it('compute the values', () => {
    const x = tensor([-2, 0, 3], { dtype: 'float64' });
    expect(neg(x).toArray()).toEqual([2, -0, -3]);
    expect(square(x).toArray()).toEqual([4, 0, 9]);
    expect(abs(x).toArray()).toEqual([2, 0, 3]);
    expect(exp(tensor([0, 1], { dtype: 'float64' })).toArray()).toEqual([1, Math.E]);
    expect(log(tensor([1, Math.E], { dtype: 'float64' })).toArray()).toEqual([0, 1]);
    expect(sqrt(tensor([4, 9], { dtype: 'float64' })).toArray()).toEqual([2, 3]);
  });

  it('abs has derivative 0 at exactly 0 (torch sign)', () => {
    const x = tensor([-1, 0, 2], { requiresGrad: true });
    sum(abs(x)).backward();
    expect(x.grad!.toArray()).toEqual([-1, 0, 1]);
  });

  it('pass gradcheck in float64', () => {
    expectGradcheck((x) => neg(x), [rand([3, 4], 1)]);
    expectGradcheck((x) => exp(x), [rand([3, 4], 2)]);
    expectGradcheck((x) => log(x), [rand([3, 4], 3, 0.2, 3)]);
    expectGradcheck((x) => square(x), [rand([3, 4], 4)]);
    expectGradcheck((x) => sqrt(x), [rand([3, 4], 5, 0.2, 3)]);
    expectGradcheck((x) => abs(x), [randAwayFromZero([3, 4], 6)]);
  });
});
