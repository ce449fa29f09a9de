import { result } from '../autograd/record.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './operand.js';

// Softmax and log-softmax over the last axis. Both subtract the row maximum first, so
// logits of 1e4 or ±500 give finite results.

function rowsOf(x: Tensor, op: string): [rows: number, cols: number] {
  checkTensor(x, op);
  if (x.rank === 0) throw new RangeError(`${op}: needs at least one axis, got a scalar`);
  const cols = x.shape[x.rank - 1]!;
  return [cols === 0 ? 0 : x.size / cols, cols];
}

/** eˣ / Σ eˣ over each row (the last axis). @example softmax(tensor([[0, 0]])).toArray(); // [[0.5, 0.5]] */
export function softmax(x: Tensor): Tensor {
  const [rows, cols] = rowsOf(x, 'softmax');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let r = 0; r < rows; r++) softmaxRowInto(d, r * cols, cols, out, r * cols);
  return result(out, x.shape, 'softmax', [x], (g) => {
    // dx = y ⊙ (g − Σ g⊙y) per row.
    const gx = allocate(x.dtype, d.length);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += g[o + j]! * out[o + j]!;
      for (let j = 0; j < cols; j++) gx[o + j] = out[o + j]! * (g[o + j]! - dot);
    }
    return [gx];
  });
}

/**
 * The softmax of d[o … o+cols) into out[at … at+cols): e^(v − max) stored (rounded to out's type),
 * summed unrounded, then each stored value divided by the sum. The softmax op runs it per row;
 * the streaming metrics run it to get predict's probabilities bit for bit.
 * @example softmaxRowInto(Float64Array.of(0, 0), 0, 2, out, 0); // out = [0.5, 0.5]
 */
export function softmaxRowInto(d: ArrayLike<number>, o: number, cols: number, out: TypedArray, at: number): void {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) if (d[o + j]! > max) max = d[o + j]!;
  let s = 0;
  for (let j = 0; j < cols; j++) {
    const e = Math.exp(d[o + j]! - max);
    out[at + j] = e;
    s += e;
  }
  for (let j = 0; j < cols; j++) out[at + j] /= s;
}

/** x − log Σ eˣ over each row, computed stably. */
export function logSoftmax(x: Tensor): Tensor {
  const [rows, cols] = rowsOf(x, 'logSoftmax');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) if (d[o + j]! > max) max = d[o + j]!;
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(d[o + j]! - max);
    // (x − max) − log s, as torch: forming max + log s first would round away bits at |x| ~ 500.
    const logS = Math.log(s);
    for (let j = 0; j < cols; j++) out[o + j] = d[o + j]! - max - logS;
  }
  return result(out, x.shape, 'logSoftmax', [x], (g) => {
    // dx = g − softmax ⊙ Σ g per row.
    const gx = allocate(x.dtype, d.length);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += g[o + j]!;
      for (let j = 0; j < cols; j++) gx[o + j] = g[o + j]! - Math.exp(out[o + j]!) * s;
    }
    return [gx];
  });
}
