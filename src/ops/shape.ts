import { result } from '../autograd/record.js';
import { allocate, widerDType, type DType } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './operand.js';

/**
 * Join tensors along an axis (features: axis 1 or -1 for `[N, d]` inputs). All other sizes
 * must agree.
 * @example concat([tensor([[1]]), tensor([[2, 3]])], 1).toArray(); // [[1, 2, 3]]
 */
export function concat(tensors: readonly Tensor[], axis = -1): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new RangeError('concat: needs a non-empty array of tensors');
  tensors.forEach((t, i) => checkTensor(t, 'concat', `tensor at position ${i}`));
  const first = tensors[0]!;
  const rank = first.rank;
  const ax = normalizeAxis(axis, rank, 'concat');
  let dtype: DType = first.dtype;
  let total = 0;
  tensors.forEach((t, i) => {
    const ok = t.rank === rank && t.shape.every((s: number, k: number) => k === ax || s === first.shape[k]);
    if (!ok) {
      throw new RangeError(
        `concat: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(first.shape)}; all sizes except axis ${ax} must agree`,
      );
    }
    total += t.shape[ax]!;
    dtype = widerDType(dtype, t.dtype);
  });
  const shape = first.shape.slice();
  shape[ax] = total;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < ax; i++) outer *= shape[i]!;
  for (let i = ax + 1; i < rank; i++) inner *= shape[i]!;
  const out = allocate(dtype, sizeOf(shape));
  const rowOut = total * inner;
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const w = t.shape[ax]! * inner;
    offsets.push(offset);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < w; i++) out[o * rowOut + offset + i] = t.data[o * w + i]!;
    }
    offset += w;
  }
  return result(out, shape, 'concat', tensors, (g) =>
    tensors.map((t, k) => {
      if (!t.requiresGrad) return null;
      const w = t.shape[ax]! * inner;
      const gt = allocate(t.dtype, t.size);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < w; i++) gt[o * w + i] = g[o * rowOut + offsets[k]! + i]!;
      }
      return gt;
    }),
  );
}

/** The same values with another shape of the same size; one size may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'reshape');
  const known = shape.filter((s) => s !== -1).reduce((p, s) => p * s, 1);
  const resolved = shape.map((s) => (s === -1 ? x.size / known : s));
  if (sizeOf(resolved) !== x.size || resolved.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new RangeError(`reshape: cannot view ${formatShape(x.shape)} (${x.size} values) as ${formatShape(shape)}`);
  }
  return result(x.data, resolved, 'reshape', [x], (g) => [g]);
}

/** Transpose of a matrix. */
export function transpose(x: Tensor): Tensor {
  checkTensor(x, 'transpose');
  if (x.rank !== 2) throw new RangeError(`transpose: needs a matrix, got shape ${formatShape(x.shape)}`);
  const [R, C] = x.shape as [number, number];
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = d[r * C + c]!;
  return result(out, [C, R], 'transpose', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) gx[r * C + c] = g[c * R + r]!;
    return [gx];
  });
}
