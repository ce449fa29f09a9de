/** Element types a tensor can hold. float32 is the default; float64 exists for gradcheck and references. */
export type DType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array;

export function allocate(dtype: DType, length: number): TypedArray {
  const bytes = length * (dtype === 'float64' ? 8 : 4);
  if (bytes <= ON_HEAP_BYTES || bytes > SLAB_MAX_BYTES) {
    return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
  }
  // Small arrays are views into a shared 64 KB slab: a fresh backing store per array costs
  // about 1 µs in V8, a view a quarter of that, and tiny networks allocate dozens per step.
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const offset = slabUsed;
  slabUsed += (bytes + 15) & ~15;
  return dtype === 'float64' ? new Float64Array(slab, offset, length) : new Float32Array(slab, offset, length);
}

// V8 keeps typed arrays up to 64 bytes on its own heap (already cheap); larger ones below 1 KB
// come from the slab. A slab is freed once no view into it is alive.
const ON_HEAP_BYTES = 64;
const SLAB_MAX_BYTES = 1024;
const SLAB_BYTES = 65536;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** The wider of two dtypes: mixing float32 and float64 computes in float64. */
export function widerDType(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}
