import { result } from '../autograd/record.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './operand.js';

/** Sizes around an axis: the array is [outer, n, inner] with the axis in the middle. */
function split(shape: readonly number[], axis: number): [outer: number, n: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

function reduce(x: Tensor, axis: number | undefined, keepDims: boolean, scaleByCount: boolean, op: string): Tensor {
  checkTensor(x, op);
  const d = x.data;
  if (axis === undefined) {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i]!;
    const scale = scaleByCount ? 1 / d.length : 1;
    const out = allocate(x.dtype, 1);
    out[0] = s * scale;
    const shape = keepDims ? x.shape.map(() => 1) : [];
    return result(out, shape, op, [x], (g) => {
      const gx = allocate(x.dtype, d.length);
      gx.fill(g[0]! * scale);
      return [gx];
    });
  }
  const ax = normalizeAxis(axis, x.rank, op);
  const [outer, n, inner] = split(x.shape, ax);
  const scale = scaleByCount ? 1 / n : 1;
  const out = allocate(x.dtype, outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const base = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) out[o * inner + i] += d[base + i]!;
    }
  }
  if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] *= scale;
  const shape = keepDims ? x.shape.map((s, i) => (i === ax ? 1 : s)) : x.shape.filter((_, i) => i !== ax);
  return result(out, shape, op, [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        const base = (o * n + k) * inner;
        for (let i = 0; i < inner; i++) gx[base + i] = g[o * inner + i]! * scale;
      }
    }
    return [gx];
  });
}

/**
 * Sum of all elements (a scalar), or along one axis.
 * @example sum(tensor([[1, 2], [3, 4]]), 0).toArray(); // [4, 6]
 */
export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduce(x, axis, keepDims, false, 'sum');
}

/**
 * Mean of all elements (a scalar), or along one axis.
 * @example mean(tensor([[1, 2], [3, 4]]), 1).toArray(); // [1.5, 3.5]
 */
export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduce(x, axis, keepDims, true, 'mean');
}
