// The engine reads an explicit seed gradient in place and lets a leaf adopt a gradient buffer
// it owns instead of copying it. These tests pin down what must never happen as a result: a
// .grad that shares memory with the caller's seed or with another tensor's gradient, a seed
// that a backward pass changed, or a sum that goes wrong on the second backward call.
import { describe, expect, it } from 'vitest';
import {
  add, concat, div, elu, exp, identity, leakyRelu, linear, linearActivation, log, logSoftmax, matmul, mul, neg, prelu, relu, reshape,
  sigmoid, softmax, sqrt, square, sub, sum, tanh, tensor, Tensor, transpose,
} from '../../src/index.js';

/** Every pair of arrays in `arrays` uses separate memory. */
function expectNoSharedMemory(arrays: Float32Array[] | Float64Array[]): void {
  for (let i = 0; i < arrays.length; i++) {
    for (let j = i + 1; j < arrays.length; j++) {
      const a = arrays[i]!;
      const b = arrays[j]!;
      const overlap = a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
      expect(overlap, `arrays ${i} and ${j} share memory`).toBe(false);
    }
  }
}

const seedValues = [0.5, -2, 3, 1];

describe('an explicit seed gradient', () => {
  it('is left unchanged by backward through pass-through and fresh-buffer ops alike', () => {
    const ops: [string, (x: Tensor) => Tensor][] = [
      ['identity', identity],
      ['reshape', (x) => reshape(x, [2, 2])],
      ['add(x, x)', (x) => add(x, x)],
      ['sub(x, x)', (x) => sub(x, x)],
      ['relu', relu],
      ['sigmoid', sigmoid],
      ['tanh', tanh],
      ['square', square],
      ['softmax', (x) => softmax(reshape(x, [2, 2]))],
      ['logSoftmax', (x) => logSoftmax(reshape(x, [2, 2]))],
      ['transpose', (x) => transpose(reshape(x, [2, 2]))],
      ['concat', (x) => concat([reshape(x, [2, 2]), reshape(x, [2, 2])], 0)],
      ['matmul', (x) => matmul(reshape(x, [2, 2]), reshape(x, [2, 2]))],
      ['mul, div', (x) => div(mul(x, x), add(square(x), 1))],
      ['linear', (x) => linear(reshape(x, [2, 2]), reshape(x, [2, 2]), tensor([0.5, -0.5]))],
      ...(['tanh', 'relu', 'sigmoid'] as const).map((a): [string, (x: Tensor) => Tensor] => [
        `linear+${a}`,
        (x) => linearActivation(reshape(x, [2, 2]), reshape(x, [2, 2]), tensor([0.5, -0.5]), a),
      ]),
    ];
    for (const [name, f] of ops) {
      const x = tensor([1, -1, 2, 0.25], { requiresGrad: true });
      const y = f(x);
      const values = Array.from({ length: y.size }, (_, i) => seedValues[i % 4]!);
      const g = tensor(values, { shape: y.shape });
      y.backward(g);
      expect(Array.from(g.data), name).toEqual(values);
      expectNoSharedMemory([x.grad!.data as Float32Array, g.data as Float32Array]);
    }
  });

  it('of a leaf root is copied into .grad, not adopted', () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const g = tensor(seedValues);
    x.backward(g);
    expect(x.grad!.toArray()).toEqual(seedValues);
    x.grad!.data[0] = 100;
    expect(g.data[0]).toBe(0.5);
  });

  it('of another dtype is converted to the root’s dtype first', () => {
    const x = tensor([1, -1], { requiresGrad: true });
    relu(x).backward(tensor([0.1, 0.1], { dtype: 'float64' }));
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.toArray()).toEqual([Math.fround(0.1), 0]);
  });
});

describe('a leaf adopting a fresh gradient buffer', () => {
  it('never shares it with another leaf, a retained intermediate or the seed', () => {
    const a = tensor([1, -2, 3], { requiresGrad: true });
    const b = tensor([-1, 2, 0.5], { requiresGrad: true });
    const h = relu(a).retainGrad();
    const k = identity(h).retainGrad();
    const y = add(mul(k, b), sigmoid(b));
    const g = tensor([1, 1, 1]);
    y.backward(g);
    expectNoSharedMemory([a.grad!.data, b.grad!.data, h.grad!.data, k.grad!.data, g.data] as Float32Array[]);
    // dy/da = b ⊙ [a > 0]; dy/dh = dy/dk = b; dy/db = relu(a) + σ′(b).
    expect(a.grad!.toArray()).toEqual([-1, 0, 0.5]);
    expect(h.grad!.toArray()).toEqual([-1, 2, 0.5]);
    expect(k.grad!.toArray()).toEqual([-1, 2, 0.5]);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const expected = [1, 0, 3].map((r, i) => Math.fround(r + Math.fround(sig([-1, 2, 0.5][i]!)) * (1 - Math.fround(sig([-1, 2, 0.5][i]!)))));
    b.grad!.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('accumulates correctly over two backward calls, for every op that hands over fresh buffers', () => {
    const cases: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
      ['relu', relu, (v) => (v > 0 ? 1 : 0)],
      ['leakyRelu', (x) => leakyRelu(x, 0.1), (v) => (v > 0 ? 1 : 0.1)],
      ['elu', elu, (v) => (v > 0 ? 1 : Math.exp(v))],
      ['sigmoid', sigmoid, (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
      ['tanh', tanh, (v) => 1 - Math.tanh(v) ** 2],
      ['neg', neg, () => -1],
      ['exp', exp, (v) => Math.exp(v)],
      ['log', log, (v) => 1 / v],
      ['square', square, (v) => 2 * v],
      ['sqrt', sqrt, (v) => 0.5 / Math.sqrt(v)],
      ['prelu', (x) => prelu(x, tensor([0.25], { dtype: 'float64' })), (v) => (v > 0 ? 1 : 0.25)],
    ];
    const values = [0.5, 2, 1.5];
    const signed = [0.5, -2, 1.5];
    for (const [name, f, slope] of cases) {
      const points = name === 'log' || name === 'sqrt' ? values : signed;
      const x = tensor(points, { dtype: 'float64', requiresGrad: true });
      sum(f(x)).backward();
      const first = x.grad!.data;
      sum(f(x)).backward();
      expect(x.grad!.data, `${name}: .grad keeps its buffer`).toBe(first);
      x.grad!.data.forEach((v, i) => expect(v, `${name} at ${points[i]}`).toBeCloseTo(2 * slope(points[i]!), 12));
    }
  });

  it('sums two fresh contributions to one leaf without touching either consumer’s output', () => {
    const x = tensor([1, -1, 2], { requiresGrad: true });
    const r = relu(x);
    const t = tanh(x);
    add(r, t).backward(tensor([1, 1, 1]));
    expect(Array.from(r.data)).toEqual([1, 0, 2]);
    const expected = [1, -1, 2].map((v) => (v > 0 ? 1 : 0) + (1 - Math.fround(Math.tanh(v)) ** 2));
    x.grad!.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('prelu hands x and alpha separate buffers, even when both are the same tensor', () => {
    const x = tensor([-2], { dtype: 'float64', requiresGrad: true });
    // y = α·x with α = x: dy/dx = α (from x) + x (from α) = 2x = −4.
    prelu(x, x).backward();
    expect(x.grad!.toArray()).toEqual([-4]);
  });

  it('leaves a gradient that was zeroed (not dropped) in place and sums into it', () => {
    const x = tensor([3, -3], { requiresGrad: true });
    relu(x).backward(tensor([1, 1]));
    const buffer = x.grad!.data;
    x.zeroGrad();
    relu(x).backward(tensor([2, 2]));
    expect(x.grad!.data).toBe(buffer);
    expect(x.grad!.toArray()).toEqual([2, 0]);
  });
});
