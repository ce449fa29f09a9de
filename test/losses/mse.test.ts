import { describe, expect, it } from 'vitest';
import { maeLoss, mseLoss, tensor } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

const f64 = { dtype: 'float64', requiresGrad: true } as const;

describe('mseLoss (mean over all B×M entries)', () => {
  it('hand-worked: [1, 2] against [0, 0]', () => {
    // (1² + 2²)/2 = 2.5; grad 2·(pred − target)/2 = [1, 2].
    const p = tensor([[1, 2]], f64);
    const loss = mseLoss(p, [[0, 0]]);
    expect(loss.item()).toBe(2.5);
    loss.backward();
    expect(p.grad!.toArray()).toEqual([[1, 2]]);
  });

  it('hand-worked: a column of three with one exact hit', () => {
    // residuals [0, 2, −3]: (0 + 4 + 9)/3 = 13/3; grad 2·r/3 = [0, 4/3, −2].
    const p = tensor([[1], [2], [3]], f64);
    const loss = mseLoss(p, tensor([[1], [0], [6]], { dtype: 'float64' }));
    expect(loss.item()).toBeCloseTo(13 / 3, 15);
    loss.backward();
    [0, 4 / 3, -2].forEach((w, i) => expect(p.grad!.data[i]).toBeCloseTo(w, 15));
  });

  it('gives the target a gradient when it requires one', () => {
    const p = tensor([[3]], f64);
    const y = tensor([[1]], f64);
    mseLoss(p, y).backward();
    expect(p.grad!.item()).toBe(4);
    expect(y.grad!.item()).toBe(-4);
  });

  it('asks for [N, 1] targets when given [N]', () => {
    expect(() => mseLoss(tensor([[1], [2]]), tensor([1, 2]))).toThrow(/reshape \[N\] targets to \[N, 1\]/);
  });

  it('passes gradcheck for prediction and target', () => {
    expectGradcheck((p, y) => mseLoss(p, y), [rand([5, 3], 1), rand([5, 3], 2)]);
  });
});

describe('maeLoss', () => {
  it('hand-worked: |1| + |−2| over 2 = 1.5, slope sign/n', () => {
    const p = tensor([[1, -2]], f64);
    const loss = maeLoss(p, [[0, 0]]);
    expect(loss.item()).toBe(1.5);
    loss.backward();
    expect(p.grad!.toArray()).toEqual([[0.5, -0.5]]);
  });

  it('passes gradcheck away from zero residuals', () => {
    expectGradcheck((p) => maeLoss(p, rand([3, 2], 4, -0.1, 0.1, false)), [rand([3, 2], 3, 0.5, 2)]);
  });
});
