import { describe, expect, it } from 'vitest';
import { gradcheck, Linear, mul, sum, tanh, tensor, Tensor } from '../../src/index.js';
import { result } from '../../src/autograd/record.js';
import { allocate } from '../../src/tensor/dtype.js';

/** An op with a deliberately wrong derivative: y = x², backward says 3x. */
function badSquare(x: Tensor): Tensor {
  const out = allocate('float64', x.size);
  for (let i = 0; i < x.size; i++) out[i] = x.data[i]! * x.data[i]!;
  return result(out, x.shape, 'badSquare', [x], (g) => {
    const gx = allocate('float64', x.size);
    for (let i = 0; i < x.size; i++) gx[i] = 3 * x.data[i]! * g[i]!;
    return [gx];
  });
}

describe('gradcheck', () => {
  it('passes a correct op and reports a tiny error', () => {
    const x = tensor([[0.5, -1.2], [2, 0.1]], { dtype: 'float64', requiresGrad: true });
    const r = gradcheck((x) => tanh(x), [x]);
    expect(r.passed).toBe(true);
    expect(r.maxAbsError).toBeLessThan(1e-9);
  });

  it('catches a wrong derivative and says where', () => {
    const x = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
    const r = gradcheck((x) => badSquare(x), [x]);
    expect(r.passed).toBe(false);
    // At x = -2 the true gradient is 2x = -4 and the op claims 3x = -6: error 2 (times the weight).
    expect(r.worst!.index).toBe(1);
    expect(r.worst!.analytic / r.worst!.numeric).toBeCloseTo(1.5, 6);
  });

  it('checks every input and leaves their grads cleared', () => {
    const a = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([3, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a, b) => sum(mul(a, b)), [a, b]).passed).toBe(true);
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
    expect(Array.from(a.data)).toEqual([1, 2]); // perturbations restored
  });

  it('restores gradients the caller already had', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    sum(mul(x, 5)).backward();
    expect(gradcheck((x) => tanh(x), [x]).passed).toBe(true);
    expect(x.grad!.toArray()).toEqual([5, 5]);
  });

  it('refuses a function that computes in float32, with a hint', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    // A layer built without dtype inside fn computes in float32.
    const layer = new Linear(2, 1, { seed: 1 });
    expect(() => gradcheck((x) => layer.forward(tensor([Array.from(x.data)])), [x])).toThrow(/fn must return a float64 Tensor, got a float32 one/);
  });

  it('refuses float32 inputs with a hint', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((x) => tanh(x), [x])).toThrow(/input 0 must be a float64 Tensor/);
  });
});
