// DESIGN.md's public contract, name by name, as an outside check would call it: every name is
// exported from the package root and behaves as documented.
import { describe, expect, it } from 'vitest';
import * as sloika from '../../src/index.js';
import {
  Adam, AdamW, add, bceLoss, bceWithLogitsLoss, concat, crossEntropyLoss, elu, leakyRelu, Linear, logSoftmax, matmul, mean,
  mseLoss, mul, noGrad, prelu, PReLU, relu, RMSprop, SGD, sigmoid, softmax, sub, sum, tanh, Tensor, tensor,
} from '../../src/index.js';

describe('public contract (DESIGN.md)', () => {
  it('exports every documented name from the package root', () => {
    const functions = [
      'tensor', 'matmul', 'add', 'sub', 'mul', 'sum', 'mean', 'concat', 'relu', 'leakyRelu', 'prelu', 'elu', 'sigmoid', 'tanh',
      'softmax', 'logSoftmax', 'bceLoss', 'bceWithLogitsLoss', 'crossEntropyLoss', 'mseLoss', 'noGrad', 'gradcheck',
    ];
    const classes = ['Tensor', 'Linear', 'PReLU', 'SGD', 'Adam', 'AdamW', 'RMSprop'];
    for (const name of [...functions, ...classes]) expect(typeof (sloika as Record<string, unknown>)[name], name).toBe('function');
  });

  it('tensor(): float32 by default, float64 on request; Tensor fields', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true, dtype: 'float64' });
    expect(x).toBeInstanceOf(Tensor);
    expect(x.shape).toEqual([2, 2]);
    expect(x.data).toBeInstanceOf(Float64Array);
    expect(x.grad).toBeNull();
    expect(x.requiresGrad).toBe(true);
    expect(tensor([1]).data).toBeInstanceOf(Float32Array);
  });

  it('toArray(): a number for a scalar, nested arrays otherwise', () => {
    expect(tensor(2).toArray()).toBe(2);
    expect(sum(tensor([1, 2])).toArray()).toBe(3);
    expect(tensor([[1, 2]]).toArray()).toEqual([[1, 2]]);
  });

  it('backward(grad?) fills grad, which accumulates until zeroGrad()', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    sum(mul(w, w)).backward();
    mul(w, 3).backward(tensor([1, 1]));
    expect(w.grad!.toArray()).toEqual([2 + 3, 4 + 3]);
    opt.zeroGrad();
    expect(w.grad!.toArray()).toEqual([0, 0]);
  });

  it('data may be replaced by a same-length array to load weights, before or after an optimizer exists', () => {
    const layer = new Linear(2, 1, { bias: true, seed: 0, dtype: 'float32' });
    const opt = new SGD(layer.parameters(), { lr: 1 });
    layer.weight.data = new Float32Array([1, 1]);
    layer.bias!.data = new Float32Array([0]);
    expect(layer.forward(tensor([[2, 3]])).toArray()).toEqual([[5]]);
    sum(layer.forward(tensor([[2, 3]]))).backward();
    opt.step();
    expect(layer.weight.toArray()).toEqual([[-1], [-2]]); // the optimizer updated the new arrays
    expect(layer.bias!.toArray()).toEqual([-1]);
  });

  it('ops with the documented signatures and broadcasting (scalars, [k] over [N, k])', () => {
    const x = tensor([[1, -2], [3, -4]]);
    const b = tensor([10, 20]);
    expect(add(x, b).toArray()).toEqual([[11, 18], [13, 16]]);
    expect(sub(x, 1).toArray()).toEqual([[0, -3], [2, -5]]);
    expect(mul(2, x).toArray()).toEqual([[2, -4], [6, -8]]);
    expect(matmul(x, tensor([[1], [1]])).toArray()).toEqual([[-1], [-1]]);
    expect(sum(x).toArray()).toBe(-2);
    expect(sum(x, 0).toArray()).toEqual([4, -6]);
    expect(mean(x, 1).toArray()).toEqual([-0.5, -0.5]);
    expect(concat([x, x], 1).shape).toEqual([2, 4]);
    expect(relu(x).toArray()).toEqual([[1, 0], [3, 0]]);
    expect(leakyRelu(x).data[1]).toBe(Math.fround(-0.02));
    expect(leakyRelu(x, 0.5).data[1]).toBe(-1);
    expect(prelu(x, tensor([0.5])).data[3]).toBe(-2);
    expect(prelu(x, tensor([0, 0.25])).toArray()).toEqual([[1, -0.5], [3, -1]]);
    expect(elu(tensor([0]), 2).toArray()).toEqual([0]);
    expect(sigmoid(tensor([0])).toArray()).toEqual([0.5]);
    expect(tanh(tensor([0])).toArray()).toEqual([0]);
    expect(softmax(tensor([[0, 0]])).toArray()).toEqual([[0.5, 0.5]]);
    expect(logSoftmax(tensor([[0, 0]], { dtype: 'float64' })).toArray()).toEqual([[-Math.LN2, -Math.LN2]]);
  });

  it('losses take the documented targets', () => {
    const z = tensor([[0, 0]]);
    expect(crossEntropyLoss(z, [1]).item()).toBeCloseTo(Math.LN2, 6);
    expect(crossEntropyLoss(z, new Int32Array([1])).item()).toBeCloseTo(Math.LN2, 6);
    expect(crossEntropyLoss(z, tensor([[0, 1]])).item()).toBeCloseTo(Math.LN2, 6);
    expect(bceLoss(tensor([[0.5]]), tensor([[1]])).item()).toBeCloseTo(Math.LN2, 6);
    expect(bceWithLogitsLoss(tensor([[0]]), tensor([[1]])).item()).toBeCloseTo(Math.LN2, 6);
    expect(mseLoss(tensor([[1, 3]]), tensor([[0, 0]])).item()).toBe(5);
  });

  it('Linear, PReLU and the optimizers construct as documented', () => {
    const l = new Linear(3, 2, { bias: false, seed: 1, dtype: 'float64' });
    expect(l.weight.shape).toEqual([3, 2]);
    expect(l.bias).toBeNull();
    expect(l.forward(tensor([[1, 2, 3]], { dtype: 'float64' })).shape).toEqual([1, 2]);
    expect(l.parameters()).toHaveLength(1);
    const p = new PReLU({ numParameters: 2, init: 0.1 });
    expect(Array.from(p.alpha.data)).toEqual([0.1, 0.1].map(Math.fround));
    expect(p.forward(tensor([[-1, -2]])).toArray()).toEqual([[-0.1, -0.2].map(Math.fround)]);
    const params = new Linear(2, 2, { seed: 1 }).parameters();
    for (const opt of [
      new SGD(params, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 1e-4 }),
      new Adam(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 }),
      new AdamW([{ params: [params[0]!] }, { params: [params[1]!], weightDecay: 0 }], { lr: 1e-3 }),
      new RMSprop(params, { lr: 0.01, alpha: 0.99, eps: 1e-8 }),
    ]) {
      expect(typeof opt.step).toBe('function');
      expect(typeof opt.zeroGrad).toBe('function');
    }
  });

  it('noGrad(fn) returns fn’s value and records nothing', () => {
    const w = tensor([1], { requiresGrad: true });
    const y = noGrad(() => mul(w, 2));
    expect(y.requiresGrad).toBe(false);
    expect(noGrad(() => 'done')).toBe('done');
  });
});
