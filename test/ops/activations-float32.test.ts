import { describe, expect, it } from 'vitest';
import { Random, relu, sigmoid, tanh, Tensor, tensor } from '../../src/index.js';
import { sigmoidGrad, tanhGrad } from '../../src/ops/activations.js';
import { wasmActivations } from '../../src/ops/fastExp.js';

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
    // σ′ = (1 − y)·y from the stored float32 y, in float32 (1 − y rounds to 1 but at y = 0.5).
    expect(Array.from(x.grad!.data)).toEqual([0.25, 0, Math.fround(9.357622968840175e-14), 0, 0, Math.fround(3.720075976020836e-44)]);
  });
});

describe('float32 backward rules at every size', () => {
  it("tanh′ = g·fround(1 − y²) and σ′ = fround(g·fround(1 − y))·y (torch's rules), whichever path runs", () => {
    for (const n of [10, 100, 300, 5000]) { // below and above the kernels' thresholds
      const xs = samples(n, n).slice(0, n);
      const gs = samples(n, n + 1).slice(0, n).map((v) => (Number.isNaN(v) ? 0.5 : v));
      for (const [name, f, rule] of [
        ['tanh', tanh, (y: number, g: number) => g * Math.fround(1 - y * y)],
        ['sigmoid', sigmoid, (y: number, g: number) => Math.fround(g * Math.fround(1 - y)) * y],
      ] as const) {
        const x = tensor(xs, { requiresGrad: true });
        const y = f(x);
        y.backward(tensor(gs));
        sameBits(x.grad!.data, Array.from(y.data, (v, i) => Math.fround(rule(v, gs[i]!))), (i) => `${name}′ at ${xs[i]}, n = ${n}`);
      }
    }
  });

  // Recorded from torch 1.13 (float32, CPU): x, g, then per activation torch's y and x.grad after
  // y.backward(g), as float32 bit patterns. The gradient rules take y, so they are fed torch's y.
  const TORCH = {
    g: [0xbd2b775f, 0x3f87b28a, 0xc028a6da, 0x3eaaca91, 0xbfaf8671, 0x4011c93b, 0xc0275777, 0x3f899c86, 0x400e1d2e, 0xbfd16b5c, 0x4017da25, 0x400eec4e, 0xc038e3af, 0x3f9f5b4a, 0xc03f8a11, 0x3ca5587c, 0xbec28f0f, 0xbfe3e6de, 0xbf8671ad, 0x3feb2c62, 0xbf8cf6fd, 0xc006c4e9, 0x3f98750c, 0xbe9e1291, 0x3fe595e5, 0xbfcb1f95, 0xbf8a67c7, 0x3fe64eb7, 0x3d2db4e3, 0x3d1ceaf5, 0xbfca9a58, 0xc03a6b07],
    sigmoid: {
      y: [0x3f000000, 0x3f0001a4, 0x3efffcb8, 0x3f130eaa, 0x3ed9e2ac, 0x3f617bea, 0x3df420a9, 0x3f7ff7ea, 0x3901637b, 0x3f800000, 0x3331cf19, 0x29d2b707, 0x0, 0x3f001062, 0x3f033307, 0x3f7993f6, 0x3f79cb87, 0x3f0bbcaa, 0x3d918c9d, 0x3b9a6a99, 0x3e4aa20d, 0x3e800725, 0x3b8b3f51, 0x3b9129d8, 0x3f7f5c59, 0x3f5c9025, 0x3d229d26, 0x3ea0dcc3, 0x3f7f2351, 0x3f7dda11, 0x3f7bf376, 0x3e5cd5c7],
      gx: [0xbc2b775f, 0x3e87b28a, 0xbf28a6da, 0x3da70161, 0xbeaba264, 0x3e74e7dd, 0xbe8c8ef3, 0x390b128f, 0x398fa352, 0x80000000, 0x33d2f156, 0x2a6b480e, 0x80000000, 0x3e9f5b48, 0xbf3f6b6f, 0x3a0166ee, 0xbc133f11, 0xbee1fc52, 0xbd8e0314, 0x3c0d2f7f, 0xbe32ff7e, 0xbeca2ee3, 0x3ba52617, 0xbab27966, 0x3b926663, 0xbe41cd63, 0xbd28da36, 0x3ec67fee, 0x39153d1c, 0x39a7211f, 0xbcc9d714, 0xbefc42ed],
    },
    tanh: {
      y: [0x0, 0x38d1b717, 0xb8d1b717, 0x3e9526ee, 0xbe9526ee, 0x3f76ca83, 0xbf76ca83, 0x3f800000, 0xbf800000, 0x3f800000, 0xbf800000, 0xbf800000, 0xbf800000, 0x3a83126c, 0x3d4ca127, 0x3f7fa946, 0x3f7faf2c, 0x3e3a39c9, 0xbf7d0546, 0xbf7ffd10, 0xbf62a05c, 0xbf4cc5f0, 0xbf7ffd9d, 0xbf7ffd68, 0x3f7fff2e, 0x3f731db7, 0xbf7f205c, 0xbf272f74, 0x3f7ffe81, 0x3f7ff69d, 0x3f7fde28, 0xbf5c0355],
      gx: [0xbd2b775f, 0x3f87b28a, 0xc028a6da, 0x3e9c4c23, 0xbfa0a12b, 0x3e24cc68, 0xbe3d2a4a, 0x0, 0x0, 0x80000000, 0x0, 0x0, 0x80000000, 0x3f9f5b3f, 0xc03f0fb0, 0x385fe97c, 0xba759083, 0xbfdc5d45, 0xbcc71daa, 0x392cb39a, 0xbe73f17d, 0xbf42286e, 0x38b5eed5, 0xb7ccff0b, 0x383c54a9, 0xbe1f72c0, 0xbbf16881, 0x3f8414f7, 0x3601f06f, 0x37381acf, 0xbad63892, 0xbf42e8c2],
    },
  };
  const fromBits = (bits: number[]): Float32Array => new Float32Array(Uint32Array.from(bits).buffer);

  for (const [name, grad] of [['sigmoid', sigmoidGrad], ['tanh', tanhGrad]] as const) {
    it(`${name}′ gives torch's float32 gradient bits, in the TypeScript loop and the SIMD kernel`, () => {
      const y = fromBits(TORCH[name].y);
      const g = fromBits(TORCH.g);
      const expected = Array.from(fromBits(TORCH[name].gx));
      const gx = new Float32Array(y.length);
      grad(y, g, gx, y.length);
      sameBits(gx, expected, (i) => `${name}′ (TypeScript) at y = ${y[i]}, g = ${g[i]}`);
      const kernel = wasmActivations?.backward(name, y, g);
      if (wasmActivations !== null) sameBits(kernel!, expected, (i) => `${name}′ (kernel) at y = ${y[i]}, g = ${g[i]}`);
    });
  }
});
