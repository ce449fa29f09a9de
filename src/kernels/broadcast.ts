import { stridesOf, type Shape } from '../tensor/shape.js';

/**
 * For a broadcast from `inShape` to `outShape`, the flat input index of every output element.
 * The same map serves forward (gather) and backward (scatter-add = sum over broadcast axes).
 */
export function broadcastIndexMap(inShape: Shape, outShape: Shape): Int32Array {
  let total = 1;
  for (const d of outShape) total *= d;
  const map = new Int32Array(total);
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  // Stride 0 along axes where the input has size 1 (or is missing).
  const eff = new Array<number>(rank).fill(0);
  for (let i = 0; i < rank; i++) {
    const j = i - (rank - inShape.length);
    if (j >= 0 && inShape[j] !== 1) eff[i] = inStrides[j]!;
  }
  const idx = new Array<number>(rank).fill(0);
  let pos = 0;
  for (let k = 0; k < total; k++) {
    map[k] = pos;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      pos += eff[d]!;
      if (idx[d]! < outShape[d]!) break;
      pos -= eff[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return map;
}
