import { describe, expect, it } from 'vitest';
import { add, div, mul, sub, sum, tensor } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('add / sub / mul / div values', () => {
  it('broadcast a [k] bias over [N, k]', () => {
    expect(add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).toArray()).toEqual([[11, 22], [13, 24]]);
    expect(sub(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray()).toEqual([[0, 1], [2, 3]]);
  });

  it('broadcast an [N, 1] column over [N, k] and a number over anything', () => {
    expect(mul(tensor([[1, 2], [3, 4]]), tensor([[2], [10]])).toArray()).toEqual([[2, 4], [30, 40]]);
    expect(div(tensor([[1, 2]]), 2).toArray()).toEqual([[0.5, 1]]);
    expect(sub(1, tensor([0.25, 3])).toArray()).toEqual([0.75, -2]);
  });

  it('sums the broadcast gradient back onto the smaller operand', () => {
    // d/db Σ (X + b) = N ones per column: N = 3 rows.
    const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const b = tensor([0.5, -0.5], { requiresGrad: true });
    sum(add(x, b)).backward();
    expect(b.grad!.toArray()).toEqual([3, 3]);
    expect(x.grad!.toArray()).toEqual([[1, 1], [1, 1], [1, 1]]);
  });

  it('computes in float64 when either side is float64', () => {
    expect(add(tensor([1], { dtype: 'float64' }), tensor([1])).dtype).toBe('float64');
    expect(mul(tensor([1], { dtype: 'float64' }), 3).dtype).toBe('float64');
    expect(mul(tensor([1]), 3).dtype).toBe('float32');
  });

  it('names both shapes when they cannot broadcast', () => {
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(/add: shapes \[1, 3\] and \[2\] cannot be broadcast/);
    expect(() => mul(tensor([[1, 2], [3, 4]]), tensor([[1], [2], [3]]))).toThrow(/\[2, 2\] and \[3, 1\]/);
  });

  it('rejects a plain array with a hint', () => {
    expect(() => add(tensor([1]), [1] as never)).toThrow(/wrap arrays with tensor/);
  });
});

describe('add / sub / mul / div gradients (float64 central differences)', () => {
  const ops = { add, sub, mul, div } as const;
  for (const [name, op] of Object.entries(ops)) {
    // Divisors are kept in [0.5, 2] so the quotient's derivative stays tame.
    const rhs = (shape: number[], seed: number) => (name === 'div' ? rand(shape, seed, 0.5, 2) : rand(shape, seed));
    it(`${name}: same shapes`, () => {
      expectGradcheck((a, b) => op(a, b), [rand([3, 4], 1), rhs([3, 4], 2)]);
    });
    it(`${name}: a [k] bias over [N, k], both ways round`, () => {
      expectGradcheck((a, b) => op(a, b), [rand([5, 3], 3), rhs([3], 4)]);
      expectGradcheck((a, b) => op(b, a), [rhs([5, 3], 5), rand([3], 6)]);
    });
    it(`${name}: an [N, 1] column over [N, k]`, () => {
      expectGradcheck((a, b) => op(a, b), [rand([4, 3], 7), rhs([4, 1], 8)]);
      expectGradcheck((a, b) => op(b, a), [rhs([4, 3], 9), rand([4, 1], 10)]);
    });
    it(`${name}: a scalar tensor and a plain number`, () => {
      expectGradcheck((a, b) => op(a, b), [rand([2, 3], 11), rhs([], 12)]);
      expectGradcheck((a) => op(a, 1.5), [rand([2, 3], 13)]);
      expectGradcheck((a) => op(0.75, a), [rhs([2, 3], 14)]);
    });
    it(`${name}: [N, 1] against [1, k] (both broadcast)`, () => {
      expectGradcheck((a, b) => op(a, b), [rand([3, 1], 15), rhs([1, 4], 16)]);
    });
  }

  it('one tensor on both sides (x·x, x − x)', () => {
    expectGradcheck((x) => mul(x, x), [rand([3, 2], 17)]);
    expectGradcheck((x) => sub(x, x), [rand([3, 2], 18)]);
    expectGradcheck((x) => div(x, x), [rand([3, 2], 19, 0.5, 2)]);
  });
});
