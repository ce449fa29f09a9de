import { allocate, widerDType, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
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

/** Check two matrices can be multiplied, naming both shapes and the op in the message. */
export function checkMatmul(a: Tensor, b: Tensor, op: string): void {
  checkTensor(a, op, 'first input');
  checkTensor(b, op, 'second input');
  if (a.rank !== 2 || b.rank !== 2) {
    throw new RangeError(`${op}: needs two matrices, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(
      `${op}: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: the inner sizes ${a.shape[1]} and ${b.shape[0]} differ`,
    );
  }
}
