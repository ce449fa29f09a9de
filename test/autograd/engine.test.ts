import { describe, expect, it } from 'vitest';
import { add, identity, isGradEnabled, matmul, mul, noGrad, reshape, sum, tanh, tensor, type Tensor } from '../../src/index.js';

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

describe('backward over a DAG', () => {
  it('runs each node’s backward exactly once, after all its consumers (a diamond)', async () => {
    const { result } = await import('../../src/autograd/record.js');
    const calls: string[] = [];
    // A pass-through op that logs when its backward runs.
    const tap = (x: Tensor, label: string): Tensor =>
      result(x.data.slice(), x.shape, label, [x], (g) => {
        calls.push(label);
        return [g];
      });
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const shared = tap(x, 'shared');
    const left = tap(mul(shared, 2), 'left');
    const right = tap(mul(shared, 3), 'right');
    sum(add(left, right)).backward();
    expect(calls.filter((c) => c === 'shared')).toHaveLength(1);
    expect(calls.indexOf('shared')).toBeGreaterThan(Math.max(calls.indexOf('left'), calls.indexOf('right')));
    expect(x.grad!.toArray()).toEqual([5, 5]);
  });

  it('does not corrupt a gradient that an op passed through unchanged (identity, reshape)', () => {
    // identity and reshape hand their output gradient on as is; summing two such paths must copy.
    const x = tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
    const a = identity(x);
    const b = reshape(identity(x), [2, 1]);
    const y = add(sum(mul(a, 3)), sum(mul(reshape(b, [1, 2]), a)));
    y.backward();
    // y = 3Σx + Σx² → dy/dx = 3 + 2x = [5, 7]
    expect(x.grad!.toArray()).toEqual([[5, 7]]);
  });

  it('takes an explicit upstream gradient for a non-scalar root, and checks its shape', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = mul(x, 2);
    y.backward(tensor([1, 0, -1]));
    expect(x.grad!.toArray()).toEqual([2, 0, -2]);
    expect(() => mul(x, 2).backward(tensor([1, 2]))).toThrow(/gradient has shape \[2\] but the tensor has shape \[3\]/);
  });

  it('says so when nothing requires a gradient', () => {
    expect(() => sum(tensor([1, 2])).backward()).toThrow(/does not require a gradient/);
  });

  it('keeps an intermediate gradient only on request (retainGrad)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = mul(x, 3).retainGrad();
    const k = mul(x, 4);
    sum(add(mul(h, h), k)).backward();
    expect(h.grad!.toArray()).toEqual([6, 12]); // d(h²)/dh = 2h
    expect(k.grad).toBeNull();
  });

  it('handles a 20,000-op chain without overflowing the stack', () => {
    const x = tensor([0.5], { dtype: 'float64', requiresGrad: true });
    let h = x;
    for (let i = 0; i < 20_000; i++) h = add(h, 0.001);
    sum(h).backward();
    expect(x.grad!.toArray()).toEqual([1]);
  });

  it('noGrad nests and restores recording even when fn throws', () => {
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      noGrad(() => expect(isGradEnabled()).toBe(false));
      expect(isGradEnabled()).toBe(false);
    });
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => 42)).toBe(42);
  });
});

describe('regression: one gradient buffer handed to several inputs', () => {
  it('add passing one (accumulated) buffer to both sides must not let a later sum leak into the other side', () => {
    // s = a + b is used twice, so the engine sums its gradient into a buffer of its own; add's
    // backward then hands that same buffer to a and to b. When a later receives 5·a′s gradient,
    // the sum must not be written into the buffer b still holds. Every order of the four terms.
    const orders = [[0, 1, 2, 3], [2, 3, 0, 1], [2, 3, 1, 0], [3, 2, 0, 1], [3, 2, 1, 0], [1, 3, 2, 0]];
    for (const order of orders) {
      const x = tensor([0.3], { dtype: 'float64', requiresGrad: true });
      const z = tensor([0.7], { dtype: 'float64', requiresGrad: true });
      const a = tanh(x);
      const b = tanh(z);
      const s = add(a, b);
      const parts = [sum(mul(s, 2)), sum(mul(s, 3)), sum(mul(a, 5)), sum(mul(b, 7))];
      let loss = parts[order[0]!]!;
      for (const i of order.slice(1)) loss = add(loss, parts[i]!);
      loss.backward();
      // dL/da = 2 + 3 + 5, dL/db = 2 + 3 + 7, times tanh′.
      expect(x.grad!.item(), `order ${order}`).toBeCloseTo((1 - Math.tanh(0.3) ** 2) * 10, 14);
      expect(z.grad!.item(), `order ${order}`).toBeCloseTo((1 - Math.tanh(0.7) ** 2) * 12, 14);
    }
  });
});

describe('a parameter reached by several kinds of op', () => {
  it('sums a matrix-product gradient and an elementwise one (data term + L2 penalty)', () => {
    // L = Σ (x W) + 0.5·Σ W²  →  dL/dW = xᵀ·1 + W. x = [[1, 2]], W = [[3], [4]] → [[1 + 3], [2 + 4]].
    for (const dtype of ['float32', 'float64'] as const) {
      const w = tensor([[3], [4]], { dtype, requiresGrad: true });
      const loss = add(sum(matmul(tensor([[1, 2]], { dtype }), w)), mul(sum(mul(w, w)), 0.5));
      loss.backward();
      expect(w.grad!.toArray()).toEqual([[4], [6]]);
      loss.backward();
      expect(w.grad!.toArray()).toEqual([[8], [12]]);
    }
  });
});

describe('backward bookkeeping between passes', () => {
  it('starts clean after a backward rule threw, and refuses a backward started from inside one', async () => {
    const { result } = await import('../../src/autograd/record.js');
    const x = tensor([1, 2], { requiresGrad: true });
    let mode: 'throw' | 'nested' | 'pass' = 'throw';
    const probe = (t: Tensor): Tensor =>
      result(t.data.slice(), t.shape, 'probe', [t], (g) => {
        if (mode === 'throw') throw new Error('rule failed');
        if (mode === 'nested') sum(mul(x, 1)).backward();
        return [g];
      });
    // x feeds the probe twice, so a leftover pending gradient from the failed pass would show.
    const y = () => sum(add(probe(mul(x, 2)), probe(mul(x, 3))));
    expect(() => y().backward()).toThrow('rule failed');
    mode = 'nested';
    expect(() => y().backward()).toThrow('called while another backward() is running');
    mode = 'pass';
    x.grad = null;
    y().backward();
    expect(x.grad!.toArray()).toEqual([5, 5]);
  });
});
