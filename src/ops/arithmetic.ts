import { result } from '../autograd/record.js';
import { broadcastIndexMap } from '../kernels/broadcast.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, commonDType, type Operand } from './operand.js';

type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

/** Sum a gradient of the broadcast output shape back onto an input through its index map. */
function scatterAdd(g: TypedArray, map: Int32Array | null, inSize: number): TypedArray {
  if (map === null) return g;
  const out = allocate(g instanceof Float64Array ? 'float64' : 'float32', inSize);
  for (let i = 0; i < g.length; i++) out[map[i]!] += g[i]!;
  return out;
}

function binary(kind: BinaryKind, x: Operand, y: Operand): Tensor {
  const dtype = commonDType(x, y);
  const a = asTensor(x, dtype);
  const b = asTensor(y, dtype);
  const same = sameShape(a.shape, b.shape);
  const shape = same ? a.shape : broadcastShapes(a.shape, b.shape);
  if (shape === null) {
    throw new RangeError(`${kind}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be broadcast together`);
  }
  const n = shape.reduce((p, d) => p * d, 1);
  // Index maps only where an operand is actually broadcast.
  const ma = same || a.size === n ? null : broadcastIndexMap(a.shape, shape);
  const mb = same || b.size === n ? null : broadcastIndexMap(b.shape, shape);
  const ad = a.data;
  const bd = b.data;
  const out = allocate(dtype, n);
  switch (kind) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = ad[ma ? ma[i]! : i]! + bd[mb ? mb[i]! : i]!;
      break;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = ad[ma ? ma[i]! : i]! - bd[mb ? mb[i]! : i]!;
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = ad[ma ? ma[i]! : i]! * bd[mb ? mb[i]! : i]!;
      break;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = ad[ma ? ma[i]! : i]! / bd[mb ? mb[i]! : i]!;
      break;
  }
  return result(out, shape, kind, [a, b], (g) => {
    let ga: TypedArray | null = null;
    let gb: TypedArray | null = null;
    if (kind === 'add' || kind === 'sub') {
      if (a.requiresGrad) ga = scatterAdd(g, ma, a.size);
      if (b.requiresGrad) {
        gb = scatterAdd(g, mb, b.size);
        if (kind === 'sub') {
          if (gb === g) gb = g.slice();
          for (let i = 0; i < gb.length; i++) gb[i] = -gb[i]!;
        }
      }
      return [ga, gb];
    }
    if (a.requiresGrad) {
      const t = allocate(dtype, n);
      if (kind === 'mul') for (let i = 0; i < n; i++) t[i] = g[i]! * bd[mb ? mb[i]! : i]!;
      else for (let i = 0; i < n; i++) t[i] = g[i]! / bd[mb ? mb[i]! : i]!;
      ga = scatterAdd(t, ma, a.size);
    }
    if (b.requiresGrad) {
      const t = allocate(dtype, n);
      if (kind === 'mul') for (let i = 0; i < n; i++) t[i] = g[i]! * ad[ma ? ma[i]! : i]!;
      else {
        for (let i = 0; i < n; i++) {
          const bv = bd[mb ? mb[i]! : i]!;
          t[i] = (-g[i]! * ad[ma ? ma[i]! : i]!) / (bv * bv);
        }
      }
      gb = scatterAdd(t, mb, b.size);
    }
    return [ga, gb];
  });
}

/**
 * Elementwise sum with NumPy broadcasting (a `[k]` bias over `[N, k]`, a number over anything).
 * @example add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).toArray(); // [[11, 22], [13, 24]]
 */
export function add(a: Operand, b: Operand): Tensor {
  return binary('add', a, b);
}

/** Elementwise difference with broadcasting. @example sub(tensor([3, 4]), 1).toArray(); // [2, 3] */
export function sub(a: Operand, b: Operand): Tensor {
  return binary('sub', a, b);
}

/** Elementwise product with broadcasting. @example mul(tensor([1, 2]), 0.5).toArray(); // [0.5, 1] */
export function mul(a: Operand, b: Operand): Tensor {
  return binary('mul', a, b);
}

/** Elementwise quotient with broadcasting. @example div(tensor([1, 2]), 2).toArray(); // [0.5, 1] */
export function div(a: Operand, b: Operand): Tensor {
  return binary('div', a, b);
}
