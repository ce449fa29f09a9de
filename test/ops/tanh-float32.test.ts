import { describe, expect, it } from 'vitest';
import { tanh } from '../../src/ops/activations.js';
import { tensor } from '../../src/tensor/tensor.js';
import { Random } from '../../src/tensor/random.js';

// float32 tanh is computed from one exp (faster than Math.tanh in V8); it must round exactly as
// Math.tanh rounded to float32 does, edge cases included.
describe('tanh on float32', () => {
  it('equals fround(Math.tanh(x)) across scales and at the edges', () => {
    const rng = new Random(3);
    const xs: number[] = [0, -0, 1e-30, -1e-30, 1e-4, -1e-4, 9.99e-5, 1.0001e-4, 0.5, -0.5, 9, -9, 19.9, 20, 20.1, -20.1, 50, -50, Infinity, -Infinity];
    for (let i = 0; i < 20000; i++) xs.push(rng.range(-1, 1) * 10 ** rng.range(-6, 1.5));
    const x = tensor(xs);
    const y = tanh(x).data;
    xs.forEach((v, i) => expect(Object.is(y[i], Math.fround(Math.tanh(Math.fround(v)))), `tanh(${v})`).toBe(true));
    expect(Number.isNaN(tanh(tensor([NaN])).data[0])).toBe(true);
  });
});
