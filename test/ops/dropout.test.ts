import { describe, expect, it } from 'vitest';
import { dropout, mul, Random, sum, tensor } from '../../src/index.js';

describe('dropout (inverted)', () => {
  it('zeroes about p of the entries, scales the rest by 1/(1 − p), and is reproducible by seed', () => {
    const x = tensor(new Float64Array(2000).fill(2), { shape: [20, 100] });
    const y = Array.from(dropout(x, 0.3, new Random(4)).data);
    expect(new Set(y)).toEqual(new Set([0, 2 / 0.7]));
    expect(y.filter((v) => v === 0).length / 2000).toBeCloseTo(0.3, 1);
    expect(Array.from(dropout(x, 0.3, new Random(4)).data)).toEqual(y);
  });

  it('passes the gradient through the same mask', () => {
    const x = tensor([[1, 2, 3, 4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    const c = tensor([[1, -1, 2, -2, 3, -3]], { dtype: 'float64' });
    const y = dropout(x, 0.5, new Random(1));
    sum(mul(y, c)).backward();
    // dy/dx is the kept mask times 2 (= 1/(1 − 0.5)): exactly y/x elementwise.
    for (let i = 0; i < 6; i++) expect(x.grad!.data[i]).toBe((y.data[i]! / x.data[i]!) * c.data[i]!);
  });

  it('p = 0 is the identity; p outside [0, 1) is refused', () => {
    const x = tensor([1, 2]);
    expect(dropout(x, 0, new Random(1))).toBe(x);
    expect(() => dropout(x, 1, new Random(1))).toThrow(/rate 1 must be in \[0, 1\)/);
    expect(() => dropout(x, -0.1, new Random(1))).toThrow(/rate -0.1/);
  });
});
