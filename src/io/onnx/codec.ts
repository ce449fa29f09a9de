import { ModelProtoType } from './schema.js';

// Plain, typed views of the ONNX messages sloika reads and writes, and the two functions
// that turn them into bytes and back. int64 fields are plain numbers here (shapes and
// attributes of fully-connected models are far below 2^53).

export interface OnnxDim {
  dimValue?: number;
  dimParam?: string;
}

export interface OnnxValueInfo {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDim[] } } };
}

export interface OnnxTensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  doubleData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  dataLocation?: number;
}

export interface OnnxAttribute {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensorProto;
  floats?: number[];
  ints?: number[];
}

export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}

export interface OnnxGraph {
  name?: string;
  node?: OnnxNode[];
  initializer?: OnnxTensorProto[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModel {
  irVersion?: number;
  opsetImport?: { domain?: string; version?: number }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph?: OnnxGraph;
  metadataProps?: { key: string; value: string }[];
}

/**
 * Serialise a ModelProto.
 * @example encodeModel({ irVersion: 8, opsetImport: [{ version: 13 }], graph: { name: 'g' } }).length > 0; // true
 */
export function encodeModel(model: OnnxModel): Uint8Array {
  const message = ModelProtoType.fromObject(model);
  const written = ModelProtoType.encode(message).finish();
  // In Node protobufjs may hand back a Buffer cut from a shared pool; return bytes of our own,
  // so `bytes.buffer` is exactly the file (for Blob, fetch bodies, transfer to workers).
  const own = new Uint8Array(written.length);
  own.set(written);
  return own;
}

/**
 * Parse ModelProto bytes; a file that is not one fails with a message saying so.
 * @example decodeModel(encodeModel({ producerName: 'sloika' })).producerName; // 'sloika'
 */
export function decodeModel(input: Uint8Array | ArrayBuffer): OnnxModel {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  if (!(bytes instanceof Uint8Array)) throw new TypeError('loadOnnx: expects the bytes of an .onnx file (a Uint8Array or an ArrayBuffer)');
  let message;
  try {
    message = ModelProtoType.decode(bytes);
  } catch (err) {
    throw new Error(`loadOnnx: these ${bytes.length} bytes are not an ONNX model (${(err as Error).message})`);
  }
  return ModelProtoType.toObject(message, { longs: Number, defaults: false, arrays: false }) as OnnxModel;
}
