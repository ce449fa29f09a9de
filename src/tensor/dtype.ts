/** Element types a tensor can hold. float32 is the default; float64 exists for gradcheck and references. */
export type DType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array;

export function allocate(dtype: DType, length: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** The wider of two dtypes: mixing float32 and float64 computes in float64. */
export function widerDType(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}
