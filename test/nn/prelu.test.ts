import { describe, expect, it } from 'vitest';
import { PReLU, sum, tensor } from '../../src/index.js';
import { expectGradcheck, randAwayFromZero } from '../autograd/check.js';

describe('PReLU', () => {
  it('starts at alpha 0.25 (one shared slope) and learns it', () => {
    const p = new PReLU();
    expect(p.alpha.toArray()).toEqual([0.25]);
    expect(p.parameters()).toEqual([p.alpha]);
    const y = p.forward(tensor([[-4, 2]]));
    expect(y.toArray()).toEqual([[-1, 2]]);
    sum(y).backward();
    expect(p.alpha.grad!.toArray()).toEqual([-4]);
  });

  it('one slope per feature with numParameters, custom init', () => {
    const p = new PReLU({ numParameters: 3, init: 0.5 });
    expect(p.alpha.toArray()).toEqual([0.5, 0.5, 0.5]);
    expect(() => p.forward(tensor([[1, 2]]))).toThrow(/alpha has shape \[3\]; it must be \[1\] or \[2\]/);
    expect(() => new PReLU({ numParameters: 0 })).toThrow(/positive integer, got 0/);
  });

  it('passes gradcheck for input and per-feature alpha', () => {
    const p = new PReLU({ numParameters: 4, dtype: 'float64' });
    expectGradcheck((x, a) => {
      p.alpha = a;
      return p.forward(x);
    }, [randAwayFromZero([3, 4], 1), p.alpha]);
  });
});
