import { describe, expect, it } from 'vitest';
import {
  Dropout, ELU, Identity, LeakyReLU, Linear, Module, PReLU, ReLU, Sequential, Sigmoid, Softmax, SymbolicTensor, Tanh,
  concat, input, tensor, type Tensor,
} from '../../src/index.js';

describe('input()', () => {
  it('makes a symbol [N, d] that remembers its name', () => {
    const x = input({ name: 'x', features: 12 });
    expect(x).toBeInstanceOf(SymbolicTensor);
    expect(x.shape).toEqual(['N', 12]);
    expect(x.features).toBe(12);
    expect(String(x)).toBe("SymbolicTensor([N, 12], input 'x')");
  });

  it('rejects a missing name and a bad feature count', () => {
    expect(() => input({ name: '', features: 2 })).toThrow(/non-empty name/);
    expect(() => input({ name: 'x', features: 0 })).toThrow("input 'x': features must be a positive integer, got 0");
    expect(() => input({ name: 'x', features: 2.5 })).toThrow(/positive integer, got 2.5/);
  });
});

describe('layer.apply on symbols', () => {
  it('infers the shape through every built-in layer kind', () => {
    const x = input({ name: 'x', features: 5 });
    expect(new Linear(5, 3).apply(x).shape).toEqual(['N', 3]);
    for (const layer of [new ReLU(), new LeakyReLU(0.2), new ELU(), new Sigmoid(), new Tanh(), new Softmax(), new Identity(), new Dropout(0.3), new PReLU(), new PReLU({ numParameters: 5 })]) {
      expect(layer.apply(x).shape, layer.constructor.name).toEqual(['N', 5]);
    }
  });

  it('on a Tensor, apply is forward', () => {
    expect(new ReLU().apply(tensor([[-1, 2]])).toArray()).toEqual([[0, 2]]);
    const l = new Linear(2, 1, { seed: 1 });
    const x = tensor([[1, 2]]);
    expect((l.apply(x) as Tensor).toArray()).toEqual(l.forward(x).toArray());
  });

  it('a wrong input size fails at once, naming the layer, the input it came from and both shapes', () => {
    const x = input({ name: 'x', features: 12 });
    expect(() => new Linear(16, 8).apply(x)).toThrow("Linear(16, 8) expects input of shape [N, 16], but it was applied to input 'x', of shape [N, 12]");
    const h = new ReLU().apply(new Linear(12, 12, { name: 'enc' }).apply(x));
    expect(() => new Linear(16, 8, { name: 'head' }).apply(h)).toThrow(
      "Linear(16, 8) 'head' expects input of shape [N, 16], but it was applied to the output of ReLU (on input 'x'), of shape [N, 12]",
    );
    expect(() => new PReLU({ numParameters: 3 }).apply(x)).toThrow("PReLU expects input of shape [N, 3] (one slope per feature), but it was applied to input 'x', of shape [N, 12]");
  });

  it('names every input a concatenation depends on in errors', () => {
    const a = input({ name: 'a', features: 2 });
    const b = input({ name: 'b', features: 3 });
    expect(() => new Linear(4, 1).apply(concat([a, b]))).toThrow("Linear(4, 1) expects input of shape [N, 4], but it was applied to the output of concat (on inputs 'a', 'b'), of shape [N, 5]");
  });

  it('a Sequential is unrolled into one node per layer, and its shape errors name the inner layer', () => {
    const x = input({ name: 'x', features: 2 });
    const y = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 3)).apply(x);
    expect(y.shape).toEqual(['N', 3]);
    expect(y.node.op).toBe('layer');
    expect(y.node.inputs[0]!.inputs[0]!.layer).toBeInstanceOf(Linear);
    expect(() => new Sequential(new Linear(3, 1)).apply(x)).toThrow(/Linear\(3, 1\) expects input of shape \[N, 3\].*input 'x', of shape \[N, 2\]/);
  });

  it('an unregistered layer class says how to register it', () => {
    class Square extends Module {
      forward(t: Tensor): Tensor {
        return t;
      }
    }
    expect(() => new Square().apply(input({ name: 'x', features: 2 }))).toThrow(/Square is not a registered layer kind.*registerLayer/);
  });

  it('apply rejects what is neither a tensor nor a symbol', () => {
    expect(() => new ReLU().apply([1, 2] as unknown as Tensor)).toThrow('ReLU.apply: expects a Tensor or a graph symbol from input(), got object');
  });
});

describe('concat', () => {
  it('joins symbols along the features', () => {
    const a = input({ name: 'a', features: 2 });
    const b = input({ name: 'b', features: 3 });
    const h = concat([a, b]);
    expect(h.shape).toEqual(['N', 5]);
    expect(h.node.op).toBe('concat');
    expect(concat([a, b], 1).features).toBe(5);
  });

  it('is still the eager op on tensors (any axis)', () => {
    expect(concat([tensor([[1]]), tensor([[2, 3]])]).toArray()).toEqual([[1, 2, 3]]);
    expect(concat([tensor([[1, 2]]), tensor([[3, 4]])], 0).toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('refuses to mix symbols and tensors, or another axis', () => {
    const a = input({ name: 'a', features: 2 });
    expect(() => concat([a, tensor([[1]])] as never)).toThrow('concat: item 1 is not a graph symbol; do not mix symbols from input() with tensors');
    expect(() => concat([a, a], 0)).toThrow('concat: graph symbols [N, d] join along the features (axis 1 or -1), not axis 0');
  });
});
