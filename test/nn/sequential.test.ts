import { describe, expect, it } from 'vitest';
import {
  Dropout, ELU, Identity, LeakyReLU, Linear, LogSoftmax, noGrad, PReLU, ReLU, Sequential, Sigmoid, Softmax, Tanh,
  mul, sum, tensor, Tensor, zeros,
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

describe('Sequential inference with reused hidden buffers (noGrad)', () => {
  /** A float32 batch (no gradient): what an inference call gets. */
  function input(rows: number, cols: number, seed: number): Tensor {
    return new Tensor(Float32Array.from(rand([rows, cols], seed).data), [rows, cols]);
  }

  function bits(t: Tensor): number[] {
    return Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));
  }

  it('gives the bits of the recording pass, for every activation, nesting and layer between', () => {
    const net = new Sequential(
      new Linear(30, 40, { seed: 1 }), new ReLU(),
      new Linear(40, 33, { seed: 2 }), new Tanh(),
      new Linear(33, 20, { seed: 3 }),
      new Linear(20, 17, { seed: 4 }), new Sigmoid(),
      new Sequential(new Linear(17, 25, { seed: 5 }), new ReLU(), new Linear(25, 9, { seed: 6 })),
      new LeakyReLU(),
      new Linear(9, 12, { seed: 7 }), new ReLU(),
      new Linear(12, 3, { seed: 8 }),
    );
    for (const rows of [1, 5, 64, 300]) {
      const x = input(rows, 30, rows);
      const recorded = net.forward(x);
      const inference = noGrad(() => net.forward(x));
      expect(inference.requiresGrad).toBe(false);
      expect(bits(inference), `${rows} rows`).toEqual(bits(recorded));
    }
  });

  it('returns outputs that later passes leave alone', () => {
    const net = new Sequential(new Linear(8, 64, { seed: 1 }), new ReLU(), new Linear(64, 64, { seed: 2 }), new ReLU(), new Linear(64, 4, { seed: 3 }));
    const a = input(100, 8, 1);
    const b = input(100, 8, 2);
    const first = noGrad(() => net.forward(a));
    const firstBits = bits(first);
    const second = noGrad(() => net.forward(b));
    expect(bits(first)).toEqual(firstBits);
    expect(bits(second)).not.toEqual(firstBits);
    expect(bits(noGrad(() => net.forward(a)))).toEqual(firstBits);
  });

  it('leaves a Linear subclass with its own forward on fresh arrays (it may keep its input)', () => {
    const seen: Tensor[] = [];
    class Keeping extends Linear {
      override forward(x: Tensor): Tensor {
        seen.push(x);
        return super.forward(x);
      }
    }
    const net = new Sequential(new Linear(6, 50, { seed: 1 }), new ReLU(), new Keeping(50, 50, { seed: 2 }), new ReLU(), new Linear(50, 2, { seed: 3 }));
    noGrad(() => net.forward(input(40, 6, 1)));
    const kept = bits(seen[0]!);
    noGrad(() => net.forward(input(40, 6, 2)));
    expect(bits(seen[0]!)).toEqual(kept);
  });

  it('reports a wrong input shape as the layer does', () => {
    const net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    expect(() => noGrad(() => net.forward(zeros([5, 2])))).toThrow(/expects input of shape \[N, 3\], got \[5, 2\]/);
    expect(() => noGrad(() => net.forward(zeros([3])))).toThrow(/expects input of shape \[N, 3\], got \[3\]/);
  });
});
