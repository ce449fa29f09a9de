import type { OnnxAttribute, OnnxNode, OnnxTensorProto } from '../../../src/io/onnx/codec.js';
import { encodeModel } from '../../../src/io/onnx/codec.js';
import { AttributeType, DataType } from '../../../src/io/onnx/schema.js';
import { floatTensor } from '../../../src/io/onnx/tensors.js';

// Small hand-built ONNX files, as other tools would write them, for the importer's tests.

export const f = (name: string, value: number): OnnxAttribute => ({ name, type: AttributeType.FLOAT, f: value });
export const i = (name: string, value: number): OnnxAttribute => ({ name, type: AttributeType.INT, i: value });
export const weights = (name: string, dims: number[], values: number[]): OnnxTensorProto => floatTensor(name, dims, values);

/** An ONNX file with inputs/outputs [N, d] given as name → d. */
export function onnxFile(spec: {
  inputs: Record<string, number>;
  outputs: Record<string, number>;
  nodes: OnnxNode[];
  initializers?: OnnxTensorProto[];
  opset?: number;
  producer?: string;
}): Uint8Array {
  const info = (name: string, d: number) => ({
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: d }] } } },
  });
  return encodeModel({
    irVersion: 8,
    producerName: spec.producer ?? 'test',
    opsetImport: [{ version: spec.opset ?? 17 }],
    graph: {
      name: 'g',
      node: spec.nodes,
      initializer: spec.initializers ?? [],
      input: Object.entries(spec.inputs).map(([n, d]) => info(n, d)),
      output: Object.entries(spec.outputs).map(([n, d]) => info(n, d)),
    },
  });
}
