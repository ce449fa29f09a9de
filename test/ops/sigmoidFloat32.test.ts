import { describe, expect, it } from 'vitest';
import { sigmoidFloat32Into } from '../../src/ops/sigmoidFloat32.js';

// Accuracy over all scales is checked through sigmoid() in activations-float32.test.ts, and the
// WebAssembly kernel against this loop in test/kernels/wasm/elementwise.test.ts; here: the doc
// example, writing in place, the steps worked by hand at a few points, and the far ranges.
describe('sigmoidFloat32Into', () => {
  it('gives the doc example and writes in place as well as into another array', () => {
    const y = new Float32Array(2);
    sigmoidFloat32Into(Float32Array.of(0, 2), y);
    expect(y[0]).toBe(0.5);
    expect(Math.abs(y[1]! - 1 / (1 + Math.exp(-2)))).toBeLessThanOrEqual(2 ** -24);
    for (const n of [10, 1000]) { // the TypeScript loop, then the WebAssembly kernel
      const xs = Float32Array.from({ length: n }, (_, i) => (i - n / 2) / 37);
      const into = new Float32Array(xs.length);
      sigmoidFloat32Into(xs, into);
      sigmoidFloat32Into(xs, xs);
      expect(xs).toEqual(into);
    }
  });

  it('σ(±1): within 1 ulp of the float64 values, on the TypeScript loop and the kernel alike', () => {
    // The float32 steps round e⁻¹, 1 + e⁻¹ and the quotient: 0.26894140243530273 against the exact
    // 0.2689414213699951, and 0.7310585975646973 against 0.7310585786300049 (1 ulp: 2.98e-8, 5.96e-8).
    for (const n of [2, 100]) {
      const x = new Float32Array(n);
      x.set([-1, 1]);
      const y = new Float32Array(n);
      sigmoidFloat32Into(x, y);
      expect([y[0], y[1]]).toEqual([0.26894140243530273, 0.7310585975646973]);
    }
  });

  it('beyond ±80: 1 above, e^x below (float32 denormals, then +0 from −104 down), NaN stays NaN', () => {
    const far = [80.5, 1e30, -90, -103.9, -104, -1e30, Infinity, -Infinity, NaN];
    for (const n of [far.length, 700]) { // the TypeScript loop, then the kernel
      const x = new Float32Array(n);
      x.set(far);
      const y = new Float32Array(n);
      sigmoidFloat32Into(x, y);
      expect(Array.from(y.subarray(0, 8))).toEqual([1, 1, Math.fround(Math.exp(-90)), Math.fround(1e-45), 0, 0, 1, 0]);
      expect(Math.fround(Math.exp(-90))).toBeGreaterThan(0); // a denormal, not flushed
      expect(Number.isNaN(y[8])).toBe(true);
    }
  });
});
