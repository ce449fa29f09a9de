import { describe, expect, it } from 'vitest';
import { expSmallRange, FAST_EXP_LIMIT, tanhFloat32Into } from '../../src/ops/fastExp.js';
import { Random } from '../../src/tensor/random.js';

describe('expSmallRange', () => {
  it('matches Math.exp to a few 1e-16 relative over its whole range (Math.exp itself is within an ulp)', () => {
    const rng = new Random(11);
    const xs = [0, -0, 1e-300, -1e-300, 1e-10, 0.5, -0.5, 1, -1, Math.LN2 / 64, -Math.LN2 / 64, FAST_EXP_LIMIT, -FAST_EXP_LIMIT];
    for (let i = 0; i < 50000; i++) xs.push(rng.range(-FAST_EXP_LIMIT, FAST_EXP_LIMIT));
    for (let i = 0; i < 5000; i++) xs.push(rng.range(-1, 1) * 10 ** rng.range(-8, 0));
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, Math.abs(expSmallRange(x) - Math.exp(x)) / Math.exp(x));
    expect(worst).toBeLessThan(1e-15);
  });

  it('gives exact values where eˣ is exact, and NaN for NaN', () => {
    expect(expSmallRange(0)).toBe(1);
    expect(expSmallRange(1)).toBeCloseTo(Math.E, 15);
    expect(Number.isNaN(expSmallRange(NaN))).toBe(true);
  });
});

describe('tanhFloat32Into', () => {
  it('rounds as fround(Math.tanh), into another array or in place', () => {
    const rng = new Random(5);
    const src = new Float32Array(30000);
    for (let i = 0; i < src.length; i++) src[i] = rng.range(-1, 1) * 10 ** rng.range(-7, 1.6);
    src.set([0, -0, 1e-4, -1e-4, 20, -20, 21, Infinity, -Infinity, NaN], 0);
    const expected = Array.from(src, (v) => Math.fround(Math.tanh(v)));
    const out = new Float32Array(src.length);
    tanhFloat32Into(src, out);
    expect(Array.from(out)).toEqual(expected);
    tanhFloat32Into(src, src);
    expect(Array.from(src)).toEqual(expected);
  });
});
