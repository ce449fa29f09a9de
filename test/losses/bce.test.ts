import { describe, expect, it } from 'vitest';
import { bceLoss, bceWithLogitsLoss, noGrad, sigmoid, tensor } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

const f64 = { dtype: 'float64', requiresGrad: true } as const;

describe('bceLoss on probabilities (mean over all B×M entries)', () => {
  it('hand-worked: one prediction p = 0.5 for y = 1', () => {
    // −log 0.5 = ln 2; grad (p − y)/(p(1 − p))/n = −0.5/0.25/1 = −2.
    const p = tensor([[0.5]], f64);
    const loss = bceLoss(p, [[1]]);
    expect(loss.item()).toBe(Math.LN2);
    loss.backward();
    expect(p.grad!.toArray()).toEqual([[-2]]);
  });

  it('hand-worked: p = [0.8, 0.4] for y = [1, 0]', () => {
    // (−log 0.8 − log 0.6)/2 = (0.2231435513142097 + 0.5108256237659907)/2 = 0.7339691750802004/2 = 0.3669845875401002
    // grads: (0.8 − 1)/(0.8·0.2)/2 = −0.625; (0.4 − 0)/(0.4·0.6)/2 = 0.8333…
    const p = tensor([[0.8], [0.4]], f64);
    const loss = bceLoss(p, tensor([[1], [0]], { dtype: 'float64' }));
    expect(loss.item()).toBeCloseTo(0.3669845875401002, 15);
    loss.backward();
    const g = p.grad!.data;
    expect(g[0]).toBeCloseTo(-0.625, 14);
    expect(g[1]).toBeCloseTo(0.8333333333333334, 14);
  });

  it('p exactly 0 and 1 give finite torch values: each wrong log clamped at −100', () => {
    // mean(100, 100, 0, 0) = 50; the gradient's denominator is clamped at float32(1e-12).
    for (const dtype of ['float32', 'float64'] as const) {
      const p = tensor([[0], [1], [0], [1]], { dtype, requiresGrad: true });
      const loss = bceLoss(p, tensor([[1], [0], [0], [1]], { dtype }));
      expect(loss.item()).toBe(50);
      loss.backward();
      const big = 1 / Math.fround(1e-12) / 4; // 250000000998.95…
      const g = Array.from(p.grad!.data);
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g[0]! / -big).toBeCloseTo(1, 6);
      expect(g[1]! / big).toBeCloseTo(1, 6);
      expect(g.slice(2)).toEqual([0, 0]);
    }
  });

  it('refuses probabilities outside [0, 1] and names the entry', () => {
    expect(() => bceLoss(tensor([[0.5], [1.5]]), [[1], [0]])).toThrow(/entry 1 of the probabilities is 1.5, outside \[0, 1\]/);
  });

  it('names both shapes when the target does not match', () => {
    expect(() => bceLoss(tensor([[0.5], [0.5]]), tensor([1, 0]))).toThrow(/shape \[2, 1\] but the target has shape \[2\]/);
  });

  it('passes gradcheck', () => {
    expectGradcheck((p) => bceLoss(p, rand([4, 3], 2, 0, 1, false)), [rand([4, 3], 1, 0.05, 0.95)], 1e-6);
    expectGradcheck((z) => bceLoss(sigmoid(z), rand([5, 1], 4, 0, 1, false)), [rand([5, 1], 3)]);
  });
});

describe('bceWithLogitsLoss on logits (stable for any size)', () => {
  it('hand-worked: z = 0 for y = 1', () => {
    // max(0,0) − 0 + log(1 + e⁰) = ln 2; grad (σ(0) − 1)/1 = −0.5.
    const z = tensor([[0]], f64);
    const loss = bceWithLogitsLoss(z, [[1]]);
    expect(loss.item()).toBe(Math.LN2);
    loss.backward();
    expect(z.grad!.toArray()).toEqual([[-0.5]]);
  });

  it('hand-worked: z = [2, −1] for y = [1, 0]', () => {
    // row 1: 2 − 2 + log1p(e⁻²) = 0.1269280110429725; row 2: 0 − 0 + log1p(e⁻¹) = 0.31326168751822286
    // mean 0.22009484928059768; grads (σ(2) − 1)/2 = −0.05960146101105877, σ(−1)/2 = 0.13447071068499755
    const z = tensor([[2], [-1]], f64);
    const loss = bceWithLogitsLoss(z, [[1], [0]]);
    expect(loss.item()).toBeCloseTo(0.22009484928059768, 15);
    loss.backward();
    expect(z.grad!.data[0]).toBeCloseTo(-0.05960146101105877, 15);
    expect(z.grad!.data[1]).toBeCloseTo(0.13447071068499755, 15);
  });

  it('logits of ±500 give finite values and gradients', () => {
    // z = 500, y = 0 costs 500; z = −500, y = 1 costs 500; the right-signed ones cost e^−500 ≈ 0.
    for (const dtype of ['float32', 'float64'] as const) {
      const z = tensor([[500], [-500], [500], [-500]], { dtype, requiresGrad: true });
      const loss = bceWithLogitsLoss(z, tensor([[0], [1], [1], [0]], { dtype }));
      expect(loss.item()).toBe(250);
      loss.backward();
      // (σ(z) − y)/4: [1/4, −1/4, 0, 0] (σ(−500) = 7e−218 is 0 at this scale).
      expect(Array.from(z.grad!.data).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0.25, -0.25, 0, 0]);
    }
  });

  it('float32 gradient: σ(z) − y computed unrounded, then scaled and rounded once', () => {
    // The forward keeps σ(z) (from its one e^−|z|) in float64 for backward.
    const zs = [-3, 0.5, 40, -0.25, 7];
    const ys = [0, 1, 1, 1, 0];
    const z = tensor(zs, { requiresGrad: true });
    bceWithLogitsLoss(z, tensor(ys)).backward();
    const sigma = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    expect(Array.from(z.grad!.data)).toEqual(zs.map((v, i) => Math.fround((1 / 5) * (sigma(v) - ys[i]!))));
  });

  it('records no history for logits that need no gradient, or inside noGrad', () => {
    expect(bceWithLogitsLoss(tensor([[1]]), [[1]]).gradFn).toBeNull();
    expect(noGrad(() => bceWithLogitsLoss(tensor([[1]], { requiresGrad: true }), [[1]])).gradFn).toBeNull();
  });

  it('passes gradcheck, including large logits', () => {
    expectGradcheck((z) => bceWithLogitsLoss(z, rand([4, 3], 2, 0, 1, false)), [rand([4, 3], 1, -4, 4)]);
    expectGradcheck((z) => bceWithLogitsLoss(z, rand([2, 2], 4, 0, 1, false)), [rand([2, 2], 3, 20, 40)]);
  });
});
