import { describe, expect, it } from 'vitest';
import { Random, relu, sigmoid, tanh, Tensor, tensor } from '../../src/index.js';

// On float32 tensors ReLU runs on the bit patterns (a mask, no branch) or in the WebAssembly
// kernels, and must give what the plain definition gives, bit for bit, special values included.
// Sigmoid runs in float32 arithmetic (sigmoidFloat32.ts) and must stay within 2 ulp of the
// float64 value, with the same bits at every size (TypeScript loop or WebAssembly kernel).

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
  it('gives x < 0 ? +0 : x for every value (NaN and −0 pass, as PyTorch), slope 0 only where y = ±0', () => {
    const xs = samples(5000, 11);
    const x = tensor(xs, { requiresGrad: true });
    const y = relu(x);
    sameBits(y.data, xs.map((v) => (v < 0 ? 0 : v)), (i) => `relu(${xs[i]})`);
    // PyTorch: relu(NaN) = NaN, relu(−0) = −0, and threshold_backward keeps g where y ≤ 0 fails (NaN too).
    expect(xs.some(Number.isNaN) && xs.some((v) => Object.is(v, -0))).toBe(true);
    // Gradient values with specials of their own: NaN and ±∞ pass where y > 0 or NaN, vanish elsewhere.
    const gs = xs.map((_, i) => [2.5, -0.75, NaN, Infinity, -Infinity, -0][i % 6]!);
    y.backward(tensor(gs));
    sameBits(x.grad!.data, xs.map((v, i) => (v > 0 || Number.isNaN(v) ? gs[i]! : 0)), (i) => `relu'(${xs[i]}) · ${gs[i]}`);
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
    sameBits(y.data, Array.from(all.subarray(5, 205), (v) => (v < 0 ? 0 : v)), (i) => `element ${i}`);
  });
});

describe('sigmoid on float32', () => {
  /** 1/(1 + e⁻ˣ) in float64 through Math.exp, the reference the float32 path must round like. */
  const exact = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

  /** |a − exact| in units of the float32 ulp at the exact value (denormal spacing below 2⁻¹²⁶). */
  function ulps(a: number, exactValue: number): number {
    const m = Math.abs(exactValue);
    let e = Math.max(Math.floor(Math.log2(m)), -126);
    if (2 ** e > m) e--; // log2 rounded up at the top of a binade
    return Math.abs(a - exactValue) / 2 ** (Math.max(e, -126) - 23);
  }

  it('is within 2 ulp of the float64 value over 2 million inputs of every scale and the edges', () => {
    const xs = samples(2_000_000, 13);
    const y = sigmoid(tensor(xs)).data;
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      if (Number.isNaN(v)) {
        expect(Number.isNaN(y[i])).toBe(true);
        continue;
      }
      const err = ulps(y[i]!, exact(v));
      if (err > worst) worst = err;
      if (err > 2) expect(err, `sigmoid(${v}) = ${y[i]}, exact ${exact(v)}`).toBeLessThanOrEqual(2);
    }
    expect(worst).toBeGreaterThan(0.5); // it does round: not the exact float64 path any more
  });

  it('is within 2 ulp on every 1021st float32 bit pattern (4.2 million, denormals and huge values included)', () => {
    const x = new Float32Array(Math.ceil(2 ** 32 / 1021));
    const bits = new Uint32Array(x.buffer);
    for (let i = 0; i < bits.length; i++) bits[i] = i * 1021;
    const y = sigmoid(new Tensor(x, [x.length])).data;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) expect(Number.isNaN(y[i])).toBe(true);
      else if (ulps(y[i]!, exact(v)) > 2) expect(y[i], `sigmoid(${v})`).toBe(Math.fround(exact(v)));
    }
  });

  it('gives the same bits from tensors of every size (TypeScript loop below 16 elements, kernel above)', () => {
    const xs = samples(100_000, 14);
    const whole = sigmoid(tensor(xs)).data;
    for (const piece of [1, 7, 15, 16, 33, 1000]) {
      const parts: number[] = [];
      for (let k = 0; k < xs.length; k += piece) parts.push(...sigmoid(tensor(xs.slice(k, k + piece))).data);
      sameBits(parts, whole, (i) => `sigmoid(${xs[i]}) in pieces of ${piece}`);
    }
  });

  it('at 0, ±30, ±500 and −100: 0.5, fround(1 − 9.4e-14) = 1, 9.357623e-14, exactly 1 and 0, a denormal', () => {
    const x = tensor([0, 30, -30, 500, -500, -100], { requiresGrad: true });
    const y = sigmoid(x);
    expect(Array.from(y.data)).toEqual([0.5, 1, Math.fround(9.357622968840175e-14), 1, 0, Math.fround(3.720075976020836e-44)]);
    y.backward(tensor([1, 1, 1, 1, 1, 1]));
    // σ′ = y(1 − y) from the stored float32 y.
    expect(Array.from(x.grad!.data)).toEqual([0.25, 0, Math.fround(Math.fround(9.357622968840175e-14) * (1 - Math.fround(9.357622968840175e-14))), 0, 0, Math.fround(3.720075976020836e-44)]);
  });
});

describe('float32 backward rules at every size', () => {
  it('tanh′ = g·(1 − y²) and σ′ = g·y·(1 − y) in float64, rounded once, whichever path runs', () => {
    for (const n of [10, 100, 300, 5000]) { // below and above the kernels' thresholds
      const xs = samples(n, n).slice(0, n);
      const gs = samples(n, n + 1).slice(0, n).map((v) => (Number.isNaN(v) ? 0.5 : v));
      for (const [name, f, rule] of [
        ['tanh', tanh, (y: number, g: number) => g * (1 - y * y)],
        ['sigmoid', sigmoid, (y: number, g: number) => g * y * (1 - y)],
      ] as const) {
        const x = tensor(xs, { requiresGrad: true });
        const y = f(x);
        y.backward(tensor(gs));
        sameBits(x.grad!.data, Array.from(y.data, (v, i) => Math.fround(rule(v, gs[i]!))), (i) => `${name}′ at ${xs[i]}, n = ${n}`);
      }
    }
  });
});
