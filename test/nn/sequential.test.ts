import { describe, expect, it } from 'vitest';
import {
  Dropout, ELU, Identity, LeakyReLU, Linear, LogSoftmax, noGrad, PReLU, ReLU, Sequential, Sigmoid, Softmax, Tanh,
  mul, sum, tensor, zeros, type Tensor,
} from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('Sequential and activation layers', () => {
  it('applies layers in order and collects every parameter once', () => {
    const l1 = new Linear(2, 3, { seed: 1 });
    const act = new PReLU();
    const net = new Sequential(l1, act, new Tanh(), l1);
    expect(net.parameters()).toEqual([l1.weight, l1.bias, act.alpha]);
    expect(net.parameterCount()).toBe(2 * 3 + 3 + 1);
    expect(() => new Sequential({} as never)).toThrow(/item 0 is not a layer/);
  });

  it('names parameters by path and switches train/eval mode everywhere', () => {
    const net = new Sequential(new Linear(2, 3, { seed: 1 }), new Dropout(0.5, { seed: 1 }), new Linear(3, 1, { bias: false, seed: 2 }));
    expect(net.namedParameters().map(([name]) => name)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.2.weight']);
    net.eval();
    expect(net.layers.every((l) => !l.training)).toBe(true);
    net.train();
    expect(net.layers.every((l) => l.training)).toBe(true);
  });

  it('activation layers compute their functions', () => {
    const x = tensor([[-1, 0, 2]], { dtype: 'float64' });
    expect(new ReLU().forward(x).toArray()).toEqual([[0, 0, 2]]);
    expect(new LeakyReLU(0.1).forward(x).toArray()).toEqual([[-0.1, 0, 2]]);
    expect(new ELU().forward(x).toArray()).toEqual([[Math.expm1(-1), 0, 2]]);
    expect(new Sigmoid().forward(tensor([[0]])).toArray()).toEqual([[0.5]]);
    expect(new Tanh().forward(tensor([[0]])).toArray()).toEqual([[0]]);
    expect(new Softmax().forward(tensor([[1, 1]])).toArray()).toEqual([[0.5, 0.5]]);
    expect(new LogSoftmax().forward(tensor([[1, 1]], { dtype: 'float64' })).toArray()).toEqual([[-Math.LN2, -Math.LN2]]);
    expect(new Identity().forward(x).toArray()).toEqual(x.toArray());
  });

  it('a whole MLP passes gradcheck with respect to its input', () => {
    const net = new Sequential(
      new Linear(3, 5, { seed: 1, dtype: 'float64' }), new Tanh(),
      new Linear(5, 4, { seed: 2, dtype: 'float64' }), new ELU(0.5),
      new Linear(4, 2, { seed: 3, dtype: 'float64' }), new Softmax(),
    );
    expectGradcheck((x) => net.forward(x), [rand([4, 3], 4)]);
  });

  it('Dropout: seeded masks, scaled by 1/(1 − p) in training, the identity in eval()', () => {
    const x = tensor(new Float32Array(1000).fill(1), { shape: [10, 100] });
    const d = new Dropout(0.25, { seed: 1 });
    const y = Array.from(d.forward(x).data);
    expect(new Set(y)).toEqual(new Set([0, 1 / 0.75].map(Math.fround)));
    expect(y.filter((v) => v === 0).length / 1000).toBeCloseTo(0.25, 1);
    expect(Array.from(new Dropout(0.25, { seed: 1 }).forward(x).data)).toEqual(y);
    const net = new Sequential(new Dropout(0.5, { seed: 2 }));
    net.eval();
    expect(net.forward(x)).toBe(x);
    expect(() => new Dropout(1)).toThrow(/rate 1 must be in \[0, 1\)/);
  });

  it('noGrad forward passes record nothing', () => {
    const net = new Sequential(new Linear(2, 2, { seed: 1 }), new ReLU());
    const y = noGrad(() => net.forward(zeros([1, 2])));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });
});

describe('Sequential fuses a Linear with the activation after it', () => {
  const build = () =>
    new Sequential(new Linear(3, 5, { seed: 1 }), new Tanh(), new Linear(5, 4, { seed: 2 }), new ReLU(), new Linear(4, 2, { seed: 3 }), new Sigmoid());
  const x = tensor([[0.5, -1, 2], [0, 0.25, -0.75], [1, 1, 1]]);

  it('runs each pair as one op, with the values and gradients of the layers one by one', () => {
    const fused = build();
    const separate = build();
    const y = fused.forward(x);
    expect(y.gradFn!.op).toBe('linear+sigmoid');
    expect(y.gradFn!.inputs[0]!.gradFn!.op).toBe('linear+relu');
    let h = x;
    for (const layer of separate.layers) h = layer.forward(h);
    expect(Array.from(y.data)).toEqual(Array.from(h.data));
    sum(y).backward();
    sum(h).backward();
    const grads = (net: Sequential) => net.parameters().map((p) => Array.from(p.grad!.data));
    expect(grads(fused)).toEqual(grads(separate));
  });

  it('leaves a layer whose forward is overridden alone, and keeps Linear’s input check', () => {
    class Doubling extends Tanh {
      override forward(t: Tensor): Tensor {
        return mul(super.forward(t), 2);
      }
    }
    const net = new Sequential(new Linear(3, 2, { seed: 1 }), new Doubling());
    expect(net.forward(x).gradFn!.op).toBe('mul');
    expect(() => build().forward(tensor([[1, 2]]))).toThrow('Linear(3, 5): expects input of shape [N, 3], got [1, 2]');
  });
});
