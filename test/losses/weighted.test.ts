import { describe, expect, it } from 'vitest';
import { add, crossEntropyLoss, mseLoss, mul, tensor, weightedSum } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('multi-task losses', () => {
  it('hand-worked: 0.7·mse + 0.3·ce through weightedSum and through add/mul', () => {
    // mse([[1, 2]], 0) = 2.5; ce([[0, 0]], [0]) = ln 2; 0.7·2.5 + 0.3·ln 2 = 1.9579441541679836.
    const build = () => {
      const p = tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
      const z = tensor([[0, 0]], { dtype: 'float64', requiresGrad: true });
      return { p, z, l1: mseLoss(p, [[0, 0]]), l2: crossEntropyLoss(z, [0]) };
    };
    const a = build();
    const total = weightedSum([a.l1, a.l2], [0.7, 0.3]);
    expect(total.item()).toBeCloseTo(1.75 + 0.3 * Math.LN2, 15);
    total.backward();
    // 0.7·[1, 2] and 0.3·[−0.5, 0.5].
    [0.7, 1.4].forEach((w, i) => expect(a.p.grad!.data[i]).toBeCloseTo(w, 15));
    [-0.15, 0.15].forEach((w, i) => expect(a.z.grad!.data[i]).toBeCloseTo(w, 15));

    const b = build();
    const spelled = add(mul(b.l1, 0.7), mul(b.l2, 0.3));
    expect(spelled.item()).toBe(total.item());
    spelled.backward();
    expect(b.p.grad!.toArray()).toEqual(a.p.grad!.toArray());
  });

  it('asks for one weight per loss', () => {
    const l = mseLoss(tensor([[1]]), [[0]]);
    expect(() => weightedSum([l, l], [1])).toThrow(/2 losses and 1 weights; give one weight per loss/);
  });

  it('passes gradcheck when both heads share an input', () => {
    expectGradcheck(
      (x) => weightedSum([mseLoss(x, rand([3, 3], 2, -1, 1, false)), crossEntropyLoss(x, [0, 2, 1])], [0.7, 0.3]),
      [rand([3, 3], 1)],
    );
  });
});
