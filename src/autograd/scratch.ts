import type { DType, TypedArray } from '../tensor/dtype.js';

// Buffers for values a backward rule needs only while it runs (a fused op's gradient of its
// pre-activation). The engine never runs two rules at once, so one buffer per size can be
// handed out again on the next call instead of allocating one per step.

const SLOTS = 8;
const buffers: TypedArray[] = [];
let next = 0;

/**
 * A buffer of exactly `length` elements whose contents are garbage, valid only until the
 * calling backward rule returns (the next rule may get the same buffer).
 * @example
 * const g = scratchBuffer('float32', M * N); // fill, use, and drop before returning
 */
export function scratchBuffer(dtype: DType, length: number): TypedArray {
  const float64 = dtype === 'float64';
  for (let i = 0; i < buffers.length; i++) {
    const buf = buffers[i]!;
    if (buf.length === length && buf instanceof Float64Array === float64) return buf;
  }
  const buf = float64 ? new Float64Array(length) : new Float32Array(length);
  // Only small buffers are kept: a large one would pin memory a big model needs elsewhere.
  if (length <= 65536) {
    buffers[next] = buf;
    next = (next + 1) % SLOTS;
  }
  return buf;
}
