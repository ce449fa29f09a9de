import type { OnnxTensorProto } from './codec.js';
import { DataType } from './schema.js';

// Moving numbers between sloika's row-major typed arrays and ONNX TensorProto. Written
// as raw little-endian bytes (what ONNX Runtime and PyTorch write); read from raw bytes
// or from the typed repeated fields, whichever the producer used.

/** A constant read from a model: its shape and its values as float32. */
export interface ConstantValue {
  dims: number[];
  data: Float32Array;
}

/**
 * Read a float tensor (float32, float64 or int64) into float32.
 * @example readTensor(floatTensor('w', [2], Float32Array.of(1, 2))).data; // Float32Array [1, 2]
 */
export function readTensor(t: OnnxTensorProto, what: string): ConstantValue {
  const dims = (t.dims ?? []).map(Number);
  const size = dims.reduce((a, b) => a * b, 1);
  if (t.dataLocation === 1) throw new Error(`loadOnnx: ${what} keeps its data in an external file; save the model with its weights inside`);
  const type = t.dataType ?? DataType.FLOAT;
  const data = new Float32Array(size);
  const raw = t.rawData;
  if (raw !== undefined && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const width = type === DataType.FLOAT ? 4 : type === DataType.DOUBLE || type === DataType.INT64 ? 8 : 0;
    if (width === 0) throw new Error(`loadOnnx: ${what} has ONNX data type ${type}; only float32, float64 and int64 constants are read`);
    if (raw.length !== size * width) throw new Error(`loadOnnx: ${what} should hold ${size} values of ${width} bytes, but has ${raw.length} bytes`);
    for (let i = 0; i < size; i++) {
      if (type === DataType.FLOAT) data[i] = view.getFloat32(i * 4, true);
      else if (type === DataType.DOUBLE) data[i] = view.getFloat64(i * 8, true);
      else data[i] = Number(view.getBigInt64(i * 8, true));
    }
    return { dims, data };
  }
  const values = t.floatData ?? t.doubleData ?? t.int64Data ?? t.int32Data ?? [];
  if (values.length !== size) throw new Error(`loadOnnx: ${what} should hold ${size} values, but has ${values.length}`);
  for (let i = 0; i < size; i++) data[i] = Number(values[i]);
  return { dims, data };
}

/**
 * A named float32 initializer, stored as raw little-endian bytes.
 * @example floatTensor('b', [3], new Float32Array(3)).rawData?.length; // 12
 */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, dims, dataType: DataType.FLOAT, rawData: bytes };
}
