// L1/L2 weight penalties: values worked out by hand, gradients added to the data gradient.
import { describe, expect, it } from 'vitest';
import { Dropout, Linear, Module, Sequential, Tanh, type Tensor } from '../../src/index.js';

function setWeights(layer: Linear, w: number[], b: number[]): void {
  layer.weight.data = Float32Array.from(w);
  layer.bias!.data = Float32Array.from(b);
}

describe('Module.regularization', () => {
  it('is null when no layer sets a penalty', () => {
    expect(new Sequential(new Linear(2, 2, { seed: 1 }), new Tanh()).regularization()).toBeNull();
  });

  it('adds l1·Σ|W| + l2·ΣW² over the weights only, not the biases', () => {
    const a = new Linear(2, 2, { seed: 1, l2: 0.1 });
    setWeights(a, [1, -2, 3, 0.5], [100, 100]);
    const b = new Linear(2, 1, { seed: 2, l1: 0.01, l2: 0.5 });
    setWeights(b, [-1, 2], [-50]);
    const net = new Sequential(a, new Tanh(), b);
    // a: 0.1·(1 + 4 + 9 + 0.25) = 1.425; b: 0.01·3 + 0.5·5 = 2.53.
    expect(net.regularization()!.item()).toBeCloseTo(1.425 + 2.53, 5);
  });

  it('counts a layer used twice once', () => {
    const shared = new Linear(2, 2, { seed: 1, l2: 1 });
    setWeights(shared, [1, 1, 1, 1], [0, 0]);
    expect(new Sequential(shared, new Tanh(), shared).regularization()!.item()).toBeCloseTo(4, 6);
  });

  it('has gradient l1·sign(W) + 2·l2·W on the weight and none on the bias', () => {
    const layer = new Linear(2, 1, { seed: 3, l1: 0.5, l2: 0.25 });
    setWeights(layer, [2, -4], [7]);
    layer.regularization()!.backward();
    // 0.5·[1, −1] + 2·0.25·[2, −4] = [1.5, −2.5]
    expect(Array.from(layer.weight.grad!.data)).toEqual([1.5, -2.5]);
    expect(layer.bias!.grad).toBeNull();
  });

  it('rejects a negative or non-finite penalty, naming it', () => {
    expect(() => new Linear(2, 2, { l2: -1 })).toThrow(/l2 must be a number ≥ 0, got -1/);
    expect(() => new Linear(2, 2, { l1: NaN })).toThrow(/l1 must be a number ≥ 0/);
  });
});

describe('Module tree walks (train/eval and penalties) through nested fields and arrays', () => {
  it('reaches modules held in fields, arrays and nested Sequentials, in first-met order', () => {
    class Block extends Module {
      inner = new Sequential(new Linear(2, 2, { seed: 1, l2: 1 }), new Dropout(0.5));
      extra = [new Linear(2, 2, { seed: 2, l1: 1 })];
      forward(x: Tensor): Tensor {
        return this.extra[0]!.forward(this.inner.forward(x));
      }
    }
    const block = new Block();
    block.eval();
    expect([block.training, block.inner.training, block.inner.layers[1]!.training, block.extra[0]!.training]).toEqual([false, false, false, false]);
    block.train();
    expect(block.inner.layers[1]!.training).toBe(true);
    // l2·ΣW² of the inner layer, then l1·Σ|W| of the extra one.
    const w1 = Array.from(block.inner.layers[0]!.parameters()[0]!.data);
    const w2 = Array.from(block.extra[0]!.weight.data);
    const expected = w1.reduce((s, v) => s + v * v, 0) + w2.reduce((s, v) => s + Math.abs(v), 0);
    expect(block.regularization()!.item()).toBeCloseTo(expected, 5);
  });
});
