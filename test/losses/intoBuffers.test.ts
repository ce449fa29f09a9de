// The losses' "value and gradient into given buffers" functions, which the loss ops and compiled
// training steps share: hand-worked values, the upstream scaling, and reuse of dirty buffers.
import { describe, expect, it } from 'vitest';
import { bceWithLogitsGradInto, bceWithLogitsInto } from '../../src/losses/bce.js';
import { softmaxCrossEntropyGradInto, softmaxCrossEntropyInto } from '../../src/losses/crossEntropy.js';
import { mseGradInto, squaredErrorInto } from '../../src/losses/mse.js';

describe('losses into buffers', () => {
  it('bceWithLogits: z = 0 against t = 1 is log 2, σ(0) = 0.5, gradient (0.5 − 1)·upstream/n', () => {
    const out = new Float64Array(1);
    const sig = new Float64Array(2).fill(NaN);
    bceWithLogitsInto(Float64Array.of(0, 0), [1, 0], sig, out);
    expect(out[0]).toBe(Math.LN2);
    expect(Array.from(sig)).toEqual([0.5, 0.5]);
    const gz = new Float64Array(2);
    bceWithLogitsGradInto(sig, [1, 0], 3, gz);
    expect(Array.from(gz)).toEqual([-0.75, 0.75]); // (±0.5)·3/2
  });

  it('bceWithLogits into a float32 slot rounds as the op does', () => {
    const out = new Float32Array(1);
    bceWithLogitsInto(Float32Array.of(2.5), [1], null, out);
    expect(out[0]).toBe(Math.fround(Math.log1p(Math.exp(-2.5))));
  });

  it('mse: [1, 2] against [0, 0] is 2.5, gradient 2·upstream·(p − t)/n', () => {
    const out = new Float64Array(1);
    squaredErrorInto(Float64Array.of(1, 2), [0, 0], out);
    expect(out[0]).toBe(2.5);
    const gp = new Float64Array(2);
    mseGradInto(Float64Array.of(1, 2), [0, 0], 0.5, gp);
    expect(Array.from(gp)).toEqual([0.5, 1]);
  });

  it('softmax cross-entropy: equal logits give log K; labels and one-hot rows agree; dirty buffers are overwritten', () => {
    const z = Float64Array.of(0, 0, 0, 2, 0, 0);
    const soft = new Float64Array(6).fill(7);
    const mass = new Float64Array(2).fill(7);
    const out = new Float64Array(1);
    softmaxCrossEntropyInto(z, 2, 3, [1, 0], null, soft, mass, out);
    const row2 = Math.log(1 + 2 * Math.exp(-2));
    expect(out[0]).toBeCloseTo((Math.log(3) + row2) / 2, 15);
    expect(Array.from(mass)).toEqual([1, 1]);
    const gz = new Float64Array(6);
    softmaxCrossEntropyGradInto(soft, mass, [1, 0], null, 1, 2, 3, gz);
    expect(gz[0]).toBeCloseTo(1 / 6, 15); // (1/3)/2
    expect(gz[1]).toBeCloseTo((1 / 3 - 1) / 2, 15);
    const oneHot = [0, 1, 0, 1, 0, 0];
    const soft2 = new Float64Array(6);
    const mass2 = new Float64Array(2).fill(7);
    const out2 = new Float64Array(1);
    softmaxCrossEntropyInto(z, 2, 3, null, oneHot, soft2, mass2, out2);
    expect(out2[0]).toBe(out[0]);
    const gz2 = new Float64Array(6);
    softmaxCrossEntropyGradInto(soft2, mass2, null, oneHot, 1, 2, 3, gz2);
    expect(Array.from(gz2)).toEqual(Array.from(gz));
  });
});
