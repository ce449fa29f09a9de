import { describe, expect, it } from 'vitest';
import { full, ones, Tensor, tensor, zeros } from '../../src/index.js';

describe('tensor()', () => {
  it('infers the shape of nested arrays and stores row-major float32 by default', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe('float32');
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('stores float64 on request, keeping values float32 would round', () => {
    const x = tensor([0.1, 1 - 1e-9], { dtype: 'float64' });
    expect(x.dtype).toBe('float64');
    expect(x.data).toBeInstanceOf(Float64Array);
    expect(x.toArray()).toEqual([0.1, 1 - 1e-9]);
    expect(tensor([0.1]).toArray()).toEqual([Math.fround(0.1)]);
  });

  it('makes a scalar from a number; its toArray() is a number', () => {
    const s = tensor(3.5, { requiresGrad: true });
    expect(s.shape).toEqual([]);
    expect(s.toArray()).toBe(3.5);
    expect(s.item()).toBe(3.5);
    expect(s.requiresGrad).toBe(true);
  });

  it('toArray() mirrors the shape for ranks 1 to 3', () => {
    expect(tensor([1, 2]).toArray()).toEqual([1, 2]);
    expect(tensor([[1], [2]]).toArray()).toEqual([[1], [2]]);
    expect(tensor([[[1, 2]], [[3, 4]]]).toArray()).toEqual([[[1, 2]], [[3, 4]]]);
  });

  it('copies a typed array (with an optional shape), keeping float64 arrays float64', () => {
    const src = new Float64Array([1, 2, 3, 4]);
    const x = tensor(src, { shape: [2, 2] });
    expect(x.dtype).toBe('float64');
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
    src[0] = 99;
    expect(x.data[0]).toBe(1);
  });

  it('names both sizes when data and shape disagree', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/the data has 5 values but shape \[2, 3\] needs 6/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/3 values but shape \[2, 2\] needs 4/);
  });

  it('names the ragged row', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged array: value\[1\] has 1 entries, expected 2/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/value\[1\] has a number, expected 2/);
    expect(() => tensor([[1, [2]]] as never)).toThrow(/value\[0\]\[1\] is an array where a number was expected/);
    expect(() => tensor(['a'] as never)).toThrow(/value\[0\] is string/);
    expect(() => tensor([[1, 2], [3, '4']] as never)).toThrow(/value\[1\]\[1\] is the string '4' where a number was expected/);
    expect(() => tensor([[1, 2], [3, null]] as never)).toThrow(/value\[1\]\[1\] is null/);
  });

  it('zeros, ones and full', () => {
    expect(zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones([3], { dtype: 'float64' }).toArray()).toEqual([1, 1, 1]);
    expect(full([1, 2], 7, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('item() refuses a tensor of several values', () => {
    expect(() => tensor([1, 2]).item()).toThrow(/shape \[2\], not one value/);
  });

  it('data may be replaced with a new array of the same length (how checks load weights)', () => {
    const w = tensor([[1, 2]], { requiresGrad: true });
    w.data = new Float32Array([3, 4]);
    expect(w.toArray()).toEqual([[3, 4]]);
  });

  it('detach() copies the values and drops the history', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    d.data[0] = 5;
    expect(x.data[0]).toBe(1);
  });
});
