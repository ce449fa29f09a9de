import { allocate, widerDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor, or a plain number that acts as a constant scalar. */
export type Operand = Tensor | number;

/** Turn a number into a constant scalar tensor of the given dtype. */
export function asTensor(x: Operand, dtype: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') {
    throw new TypeError(`expected a Tensor or a number, got ${x === null ? 'null' : typeof x}; wrap arrays with tensor(...)`);
  }
  const data = allocate(dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}

export function commonDType(a: Operand, b: Operand): DType {
  const da = a instanceof Tensor ? a.dtype : 'float32';
  const db = b instanceof Tensor ? b.dtype : 'float32';
  if (!(a instanceof Tensor)) return db;
  if (!(b instanceof Tensor)) return da;
  return widerDType(da, db);
}

export function checkTensor(x: unknown, op: string, what = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: the ${what} must be a Tensor, got ${x === null ? 'null' : Array.isArray(x) ? 'an array (wrap it with tensor(...))' : typeof x}`);
  }
}
