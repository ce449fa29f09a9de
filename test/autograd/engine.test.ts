import { describe, expect, it } from 'vitest';
import { add, matmul, mul, noGrad, sum, tanh, tensor } from '../../src/index.js';

describe('backward', () => {
  it('accumulates the gradients of a tensor used by several consumers', () => {
    // y = x·x + 3x at x = 2 → dy/dx = 2x + 3 = 7
    const x = tensor(2, { requiresGrad: true, dtype: 'float64' });
    const y = add(mul(x, x), mul(x, 3));
    y.backward();
    expect(x.grad!.item()).toBe(7);
  });

  it('accumulates over backward calls until zeroGrad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    sum(mul(x, 2)).backward();
    sum(mul(x, 2)).backward();
    expect(x.grad!.toArray()).toEqual([4, 4]);
    x.zeroGrad();
    expect(x.grad!.toArray()).toEqual([0, 0]);
  });

  it('refuses a non-scalar root without a gradient, naming the shape', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    expect(() => tanh(x).backward()).toThrow(/shape \[2, 3\], not a single value/);
  });

  it('records nothing inside noGrad', () => {
    const w = tensor([[1], [2]], { requiresGrad: true });
    const y = noGrad(() => matmul(tensor([[1, 1]]), w));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });
});
