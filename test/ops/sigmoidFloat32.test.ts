import { describe, expect, it } from 'vitest';
import { sigmoidFloat32Into } from '../../src/ops/sigmoidFloat32.js';

// Rounding across scales and the edges is checked through sigmoid() in activations-float32.test.ts;
// here: the doc example, writing in place, and the far ranges that leave the table.
describe('sigmoidFloat32Into', () => {
  it('gives the doc example and writes in place as well as into another array', () => {
    const y = new Float32Array(2);
    sigmoidFloat32Into(Float32Array.of(0, 2), y);
    expect(Array.from(y)).toEqual([0.5, Math.fround(1 / (1 + Math.exp(-2)))]);
    const xs = Float32Array.from({ length: 1000 }, (_, i) => (i - 500) / 37);
    const into = new Float32Array(xs.length);
    sigmoidFloat32Into(xs, into);
    sigmoidFloat32Into(xs, xs);
    expect(xs).toEqual(into);
  });

  it('beyond ±80: 1 above, e^x below (float32 denormals, then 0), NaN stays NaN', () => {
    const y = new Float32Array(6);
    sigmoidFloat32Into(Float32Array.of(80.5, 1e30, -90, -104, -1e30, NaN), y);
    expect(Array.from(y.subarray(0, 5))).toEqual([1, 1, Math.fround(Math.exp(-90)), Math.fround(Math.exp(-104)), 0]);
    expect(Math.fround(Math.exp(-90))).toBeGreaterThan(0);
    expect(Number.isNaN(y[5])).toBe(true);
  });
});
