// Test helpers shared by the op, loss and layer tests: seeded float64 inputs and a gradcheck
// assertion that names the worst element when it fails.
import { expect } from 'vitest';
import { gradcheck, Random, Tensor, type GradcheckOptions } from '../../src/index.js';

/** A float64 tensor of the given shape with values drawn from U(low, high) by a seeded generator. */
export function rand(shape: number[], seed: number, low = -2, high = 2, requiresGrad = true): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.range(low, high);
  return new Tensor(data, shape, requiresGrad);
}

/** Like rand, but keeps every value at least `gap` away from zero (for kinks at 0). */
export function randAwayFromZero(shape: number[], seed: number, gap = 0.05): Tensor {
  const x = rand(shape, seed);
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i]!;
    if (Math.abs(v) < gap) x.data[i] = v < 0 ? -gap : gap;
  }
  return x;
}

/**
 * Assert that backward() agrees with central differences for `fn` at `inputs` (float64), and that
 * the worst error is small in absolute terms too. Returns the worst absolute error.
 */
export function expectGradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], maxAbs = 1e-7, opts: GradcheckOptions = {}): number {
  const r = gradcheck(fn, inputs, opts);
  expect(r.passed, `gradcheck failed; worst ${JSON.stringify(r.worst)}`).toBe(true);
  expect(r.maxAbsError, `worst ${JSON.stringify(r.worst)}`).toBeLessThan(maxAbs);
  return r.maxAbsError;
}
