import { describe, expect, it } from 'vitest';
import { Random, relu, sigmoid, Tensor, tensor } from '../../src/index.js';

// On float32 tensors of 128 or more elements ReLU works on the bit patterns (a mask, no branch)
// and sigmoid uses the inlined exp. Both must give what the plain definitions give, rounded to
// float32, bit for bit, special values included.

const SPECIALS = [
  0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1.1754943508222875e-38, -1.1754943508222875e-38,
  3.4028234663852886e38, -3.4028234663852886e38, 30, -30, 80, -80, 80.0001, -80.0001, 87, -87, 88.8, -88.8, 103, -103,
  104, -104, 500, -500, 1e-30, -1e-30,
];

/** SPECIALS, then random values of both signs from 1e-6 to ~30, as float32. */
function samples(count: number, seed: number): number[] {
  const rng = new Random(seed);
  const xs = SPECIALS.map(Math.fround);
  for (let i = 0; i < count; i++) xs.push(Math.fround(rng.range(-1, 1) * 10 ** rng.range(-6, 1.5)));
  return xs;
}

function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: (i: number) => string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const same = Number.isNaN(e) ? Number.isNaN(a) : Object.is(a, e);
    if (!same) expect(a, what(i)).toBe(e);
  }
}

describe('relu on float32 bit patterns', () => {
  it('gives x > 0 ? x : +0 for every value, NaN → 0, and slope 1 only where x > 0', () => {
    const xs = samples(5000, 11);
    const x = tensor(xs, { requiresGrad: true });
    const y = relu(x);
    sameBits(y.data, xs.map((v) => (v > 0 ? v : 0)), (i) => `relu(${xs[i]})`);
    // Gradient values with specials of their own: NaN and ±∞ pass where x > 0, vanish elsewhere.
    const gs = xs.map((_, i) => [2.5, -0.75, NaN, Infinity, -Infinity, -0][i % 6]!);
    y.backward(tensor(gs));
    sameBits(x.grad!.data, xs.map((v, i) => (v > 0 ? gs[i]! : 0)), (i) => `relu'(${xs[i]}) · ${gs[i]}`);
  });

  it('agrees with the plain loop used for small tensors', () => {
    const xs = samples(200, 12).slice(0, 150);
    const big = relu(tensor(xs)).data;
    const pieces = [];
    for (let k = 0; k < xs.length; k += 10) pieces.push(...relu(tensor(xs.slice(k, k + 10))).data);
    sameBits(big, pieces, (i) => `relu(${xs[i]})`);
  });

  it('reads views at an offset (a tensor whose data is a subarray)', () => {
    const all = new Float32Array(300).map((_, i) => (i % 3) - 1);
    const y = relu(new Tensor(all.subarray(5, 205), [200]));
    sameBits(y.data, Array.from(all.subarray(5, 205), (v) => (v > 0 ? v : 0)), (i) => `element ${i}`);
  });
});

describe('sigmoid on float32', () => {
  /** 1/(1 + e⁻ˣ) in float64 through Math.exp, the reference the float32 path must round like. */
  const exact = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

  it('equals fround of the float64 value across scales and at the edges', () => {
    const xs = samples(30000, 13);
    const y = sigmoid(tensor(xs)).data;
    sameBits(y, xs.map((v) => Math.fround(exact(v))), (i) => `sigmoid(${xs[i]})`);
  });

  it('at 0, ±30 and ±500: 0.5, fround(1 − 9.4e-14) = 1, 9.357623e-14, exactly 1 and 0', () => {
    const x = tensor([0, 30, -30, 500, -500, -100], { requiresGrad: true });
    const y = sigmoid(x);
    expect(Array.from(y.data)).toEqual([0.5, 1, Math.fround(9.357622968840175e-14), 1, 0, Math.fround(3.720075976020836e-44)]);
    y.backward(tensor([1, 1, 1, 1, 1, 1]));
    // σ′ = y(1 − y) from the stored float32 y.
    expect(Array.from(x.grad!.data)).toEqual([0.25, 0, Math.fround(Math.fround(9.357622968840175e-14) * (1 - Math.fround(9.357622968840175e-14))), 0, 0, Math.fround(3.720075976020836e-44)]);
  });
});
