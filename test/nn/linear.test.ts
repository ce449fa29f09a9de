import { describe, expect, it } from 'vitest';
import { INIT_NAMES, Linear, manualSeed, sum, tensor, zeros } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('Linear', () => {
  it('has weight [in, out] and bias [out], both learnable, and parameters() lists them', () => {
    const l = new Linear(4, 3, { seed: 1 });
    expect(l.weight.shape).toEqual([4, 3]);
    expect(l.bias!.shape).toEqual([3]);
    expect(l.parameters()).toEqual([l.weight, l.bias]);
    expect(l.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(l.forward(zeros([5, 4])).shape).toEqual([5, 3]);
  });

  it('computes x W + b', () => {
    const l = new Linear(2, 1, { seed: 1 });
    l.weight.data = new Float32Array([2, -1]);
    l.bias!.data = new Float32Array([0.5]);
    // [1, 3]·[2, −1] + 0.5 = −0.5
    expect(l.forward(tensor([[1, 3]])).toArray()).toEqual([[-0.5]]);
  });

  it('can go without a bias', () => {
    const l = new Linear(3, 2, { bias: false, seed: 1 });
    expect(l.bias).toBeNull();
    expect(l.parameters()).toEqual([l.weight]);
  });

  it('is deterministic for a seed, in both dtypes, and the global seed works too', () => {
    const a = new Linear(3, 2, { seed: 1 });
    expect(Array.from(new Linear(3, 2, { seed: 1 }).weight.data)).toEqual(Array.from(a.weight.data));
    expect(Array.from(a.weight.data)).not.toEqual(Array.from(new Linear(3, 2, { seed: 2 }).weight.data));
    // Pinned: the first weight of Linear(3, 2, seed 1), stored in float32.
    expect(a.weight.data[0]).toBe(Math.fround(-0.08585206419229507));
    const d = new Linear(3, 2, { seed: 1, dtype: 'float64' });
    expect(d.weight.dtype).toBe('float64');
    expect(Array.from(d.weight.data).map(Math.fround)).toEqual(Array.from(a.weight.data));
    manualSeed(3);
    const g1 = new Linear(3, 2);
    manualSeed(3);
    expect(Array.from(new Linear(3, 2).weight.data)).toEqual(Array.from(g1.weight.data));
  });

  it('default init: weight and bias in U(−1/√in, 1/√in), spread over the range', () => {
    const l = new Linear(16, 64, { seed: 4, dtype: 'float64' });
    const bound = 1 / Math.sqrt(16);
    for (const p of [l.weight, l.bias!]) {
      const v = Array.from(p.data);
      expect(Math.max(...v.map(Math.abs))).toBeLessThan(bound);
      expect(Math.max(...v)).toBeGreaterThan(0.8 * bound);
      expect(Math.min(...v)).toBeLessThan(-0.8 * bound);
    }
  });

  it('named inits: Glorot and He bounds or spreads, zero bias', () => {
    const [inF, outF] = [50, 30];
    const stats = (init: (typeof INIT_NAMES)[number]) => {
      const l = new Linear(inF, outF, { seed: 5, init, dtype: 'float64' });
      const v = Array.from(l.weight.data);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      return { maxAbs: Math.max(...v.map(Math.abs)), std, bias: Array.from(l.bias!.data) };
    };
    const glorot = stats('glorot');
    expect(glorot.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / (inF + outF)));
    expect(glorot.bias.every((b) => b === 0)).toBe(true);
    const heU = stats('heUniform');
    expect(heU.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / inF));
    expect(stats('he').std / Math.sqrt(2 / inF)).toBeCloseTo(1, 1);
    expect(stats('glorotNormal').std / Math.sqrt(2 / (inF + outF))).toBeCloseTo(1, 1);
    expect(stats('zeros').maxAbs).toBe(0);
    expect(() => new Linear(2, 2, { init: 'xavier' as never })).toThrow(/unknown init 'xavier'; choose one of default, glorot/);
  });

  it('names the layer and both shapes when the input width is wrong', () => {
    const l = new Linear(3, 2, { seed: 1 });
    expect(() => l.forward(zeros([4, 5]))).toThrow(/Linear\(3, 2\): expects input of shape \[N, 3\], got \[4, 5\]/);
    const named = new Linear(3, 2, { seed: 1, name: 'hidden' });
    expect(() => named.forward(zeros([3]))).toThrow(/Linear\(3, 2\) 'hidden': expects input of shape \[N, 3\], got \[3\]/);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => new Linear(0, 2)).toThrow(/inFeatures must be a positive integer, got 0/);
    expect(() => new Linear(2, 1.5)).toThrow(/outFeatures must be a positive integer, got 1.5/);
  });

  it('passes gradcheck through its input, weight and bias', () => {
    const l = new Linear(3, 4, { seed: 6, dtype: 'float64' });
    expectGradcheck((x, w, b) => {
      l.weight = w;
      l.bias = b;
      return l.forward(x);
    }, [rand([5, 3], 7), l.weight, l.bias!]);
  });

  it('accumulates parameter gradients until zeroGrad', () => {
    const l = new Linear(2, 1, { seed: 1 });
    const x = tensor([[1, 2]]);
    sum(l.forward(x)).backward();
    sum(l.forward(x)).backward();
    expect(l.weight.grad!.toArray()).toEqual([[2], [4]]);
    expect(l.bias!.grad!.toArray()).toEqual([2]);
    l.zeroGrad();
    expect(l.weight.grad!.toArray()).toEqual([[0], [0]]);
  });
});
