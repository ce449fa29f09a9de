import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../../src/io/onnx/codec.js';
import { DataType } from '../../../src/io/onnx/schema.js';
import { floatTensor, readTensor } from '../../../src/io/onnx/tensors.js';

// The schema subset against a file written by the real protobuf schema (PyTorch's exporter).
const pytorch = new Uint8Array(readFileSync(new URL('../../../../shared/onnx/two_input_two_head.onnx', import.meta.url)));

describe('ONNX protobuf codec', () => {
  it('decodes every field sloika uses from a PyTorch file', () => {
    const m = decodeModel(pytorch);
    expect(m.irVersion).toBe(7);
    expect(m.producerName).toBe('pytorch');
    expect(m.opsetImport).toEqual([{ version: 13 }]);
    const g = m.graph!;
    expect(g.node!.map((n) => n.opType)).toEqual(['Gemm', 'Tanh', 'Gemm', 'PRelu', 'Concat', 'LeakyRelu', 'Gemm', 'Softmax', 'Gemm']);
    expect(g.node![0]!.attribute!.find((a) => a.name === 'transB')).toEqual({ name: 'transB', type: 2, i: 1 });
    expect(g.node![5]!.attribute![0]!.f).toBeCloseTo(0.1, 7);
    expect(g.node![7]!.attribute![0]!.i).toBe(-1);
    expect(g.input!.map((v) => v.type!.tensorType!.shape!.dim)).toEqual([
      [{ dimParam: 'N' }, { dimValue: 3 }],
      [{ dimParam: 'N' }, { dimValue: 2 }],
    ]);
    const w = readTensor(g.initializer![0]!, 'a.weight');
    expect(w.dims).toEqual([4, 3]);
    expect(w.data).toHaveLength(12);
  });

  it('re-encodes a decoded PyTorch model to bytes that decode the same', () => {
    // Bytes fields come back as Buffer or Uint8Array depending on the platform: compare contents.
    const plain = (v: unknown): string => JSON.stringify(v, (_, x) => (x instanceof Uint8Array ? Array.from(x) : x?.type === 'Buffer' ? x.data : x));
    const m = decodeModel(pytorch);
    expect(plain(decodeModel(encodeModel(m)))).toBe(plain(m));
  });

  it('reads tensors from raw bytes, float_data, double_data and int64_data', () => {
    expect(Array.from(readTensor(floatTensor('a', [2], [1.5, -2]), 'a').data)).toEqual([1.5, -2]);
    expect(Array.from(readTensor({ dims: [2], dataType: DataType.FLOAT, floatData: [3, 4] }, 'b').data)).toEqual([3, 4]);
    expect(Array.from(readTensor({ dims: [1], dataType: DataType.DOUBLE, doubleData: [0.25] }, 'c').data)).toEqual([0.25]);
    const raw = new Uint8Array(16);
    new DataView(raw.buffer).setFloat64(8, -7, true);
    expect(Array.from(readTensor({ dims: [2], dataType: DataType.DOUBLE, rawData: raw }, 'd').data)).toEqual([0, -7]);
    expect(Array.from(readTensor({ dims: [1], dataType: DataType.INT64, int64Data: [5] }, 'e').data)).toEqual([5]);
    expect(() => readTensor({ name: 'f', dims: [3], dataType: DataType.FLOAT, floatData: [1] }, "initializer 'f'")).toThrow(
      "loadOnnx: initializer 'f' should hold 3 values, but has 1",
    );
  });
});
