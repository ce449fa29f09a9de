import { Model } from '../../graph/model.js';
import { input } from '../../graph/symbolic.js';
import { Sequential } from '../../nn/sequential.js';
import { encodeModel, type OnnxGraph, type OnnxNode, type OnnxTensorProto, type OnnxValueInfo } from './codec.js';
import { exportLayer, intAttr, type ExportSink } from './exportOps.js';
import { inputStandardization, outputStandardization, type Standardization } from './preprocessing.js';
import { BATCH_DIM, IR_VERSION, META_HEADS, META_METADATA, ONNX_OPSET, SLOIKA_PREFIX } from './names.js';
import { DataType } from './schema.js';
import { floatTensor } from './tensors.js';

// Model → ONNX (opset 13: Softmax over the last axis, as sloika computes it). The ONNX
// outputs are what `model.predict` returns: probabilities for binary and multiclass heads
// (a Sigmoid or Softmax node is appended), values for the rest. With the CLI's
// preprocessing in the metadata, standardisation is added in front (Sub, Div) and a
// regression target's is undone behind (Mul, Add), so the file takes raw features.

export interface ToOnnxOptions {
  /** Add the preprocessing kept in the metadata as ops (default true). */
  preprocessing?: boolean;
  /** Name of the ONNX graph (default 'sloika'). */
  graphName?: string;
}

const valueInfo = (name: string, features: number): OnnxValueInfo => ({
  name,
  type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: BATCH_DIM }, { dimValue: features }] } } },
});

/**
 * Serialise a graph model as an ONNX file (bytes) that ONNX Runtime, and anything else that
 * reads ONNX, can run. Inputs and outputs keep their names and shapes `[N, d]`. A Sequential
 * is written as input `x` → output `y` (what its forward returns).
 * @example
 * const bytes = toOnnx(model); // Uint8Array
 * // Node: fs.writeFileSync('model.onnx', bytes); then onnxruntime: session.run({ x }) → { y }
 */
export function toOnnx(modelOrLayers: Model | Sequential, opts: ToOnnxOptions = {}): Uint8Array {
  const model = modelOrLayers instanceof Sequential ? sequentialAsModel(modelOrLayers) : modelOrLayers;
  if (!(model instanceof Model)) throw new TypeError('toOnnx: expects a graph Model or a Sequential (build a Model with input(), layers and new Model({ inputs, outputs }))');
  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxTensorProto>();
  const sink: ExportSink = {
    node: (n) => nodes.push(n),
    initializer: (t) => {
      if (!initializers.has(t.name!)) initializers.set(t.name!, t);
    },
  };
  const taken = new Set<string>([...model.nodes.map((n) => n.name), ...model.outputNames]);
  const fresh = (base: string): string => {
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };

  const headOf = new Map(model.heads.map((h) => [h.output, h.kind]));
  const withPrep = opts.preprocessing ?? true;
  const inStd = withPrep ? inputStandardization(model.metadata) : null;
  const outStd = withPrep ? outputStandardization(model.metadata) : null;
  if (inStd && model.inputNames.length !== 1) {
    throw new Error(`toOnnx: the metadata holds standardisation for one input, but the model has ${model.inputNames.length}; pass { preprocessing: false }`);
  }

  // Value name of each node. An output read as it is names its node's value (as PyTorch
  // does); any other node keeps its own name, renamed `_raw` if an output took that name.
  const destandardized = outStd && model.outputNames.length === 1 && outStd.mean.length === model.outputFeatures(model.outputNames[0]!);
  const transformed = (out: string): boolean => headOf.get(out) === 'binary' || headOf.get(out) === 'multiclass' || !!destandardized;
  const valueOf = new Map<string, string>();
  for (const [out, node] of Object.entries(model.outputNodes)) {
    if (model.inputNames.includes(out)) throw new Error(`toOnnx: input '${out}' and an output share that name; ONNX needs distinct names, rename one`);
    if (model.node(node).op !== 'input' && !transformed(out) && !valueOf.has(node)) valueOf.set(node, out);
  }
  for (const n of model.nodes) {
    if (!valueOf.has(n.name)) valueOf.set(n.name, model.outputNames.includes(n.name) ? fresh(`${n.name}_raw`) : n.name);
  }

  const graphInputs = model.inputNames.map((name) => valueInfo(name, model.inputFeatures(name)));
  if (inStd) {
    const name = model.inputNames[0]!;
    if (inStd.mean.length !== model.inputFeatures(name)) {
      throw new Error(`toOnnx: the metadata standardises ${inStd.mean.length} columns but input '${name}' has ${model.inputFeatures(name)} features; pass { preprocessing: false }`);
    }
    valueOf.set(name, affine(name, inStd, 'standardize', fresh, sink));
  }

  for (const n of model.nodes) {
    if (n.op === 'input') continue;
    const output = valueOf.get(n.name)!;
    const inputs = n.inputs.map((i) => valueOf.get(i)!);
    if (n.op === 'concat') sink.node({ opType: 'Concat', name: n.name, input: inputs, output: [output], attribute: [intAttr('axis', 1)] });
    else exportLayer(n, inputs[0]!, output, sink);
  }

  const graphOutputs: OnnxValueInfo[] = [];
  for (const [out, node] of Object.entries(model.outputNodes)) {
    const raw = valueOf.get(node)!;
    const kind = headOf.get(out);
    const label = `${SLOIKA_PREFIX}_head/${out}`;
    if (kind === 'binary') sink.node({ opType: 'Sigmoid', name: label, input: [raw], output: [out] });
    else if (kind === 'multiclass') sink.node({ opType: 'Softmax', name: label, input: [raw], output: [out], attribute: [intAttr('axis', -1)] });
    else if (destandardized) {
      const restored = affine(raw, outStd!, 'destandardize', fresh, sink);
      sink.node({ opType: 'Identity', name: `${SLOIKA_PREFIX}_head/${out}`, input: [restored], output: [out] });
    } else if (raw !== out) sink.node({ opType: 'Identity', name: label, input: [raw], output: [out] });
    graphOutputs.push(valueInfo(out, model.outputFeatures(out)));
  }

  const graph: OnnxGraph = {
    name: opts.graphName ?? 'sloika',
    node: nodes,
    initializer: [...initializers.values()],
    input: graphInputs,
    output: graphOutputs,
  };
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImport: [{ version: ONNX_OPSET }],
    producerName: 'sloika',
    producerVersion: '0.1.0',
    graph,
    metadataProps: [
      { key: META_HEADS, value: JSON.stringify(model.heads) },
      { key: META_METADATA, value: JSON.stringify(model.metadata ?? {}) },
    ],
  });
}

/** A Sequential as a Model with input 'x' (features from its first Linear) and output 'y' (what forward returns). */
function sequentialAsModel(net: Sequential): Model {
  const first = net.layers.find((l) => typeof (l as { inFeatures?: unknown }).inFeatures === 'number') as { inFeatures: number } | undefined;
  if (!first) throw new TypeError('toOnnx: this Sequential has no Linear layer, so its number of input features is unknown; build a Model with input({ name, features })');
  const x = input({ name: 'x', features: first.inFeatures });
  return new Model({ inputs: x, outputs: { y: net.apply(x) } });
}

/**
 * (x − mean) / std, or y·std + mean, as two nodes on constants; returns the result's name.
 * Nodes are named `sloika_<what>/…` so loadOnnx recognises and removes them.
 */
function affine(from: string, s: Standardization, what: 'standardize' | 'destandardize', fresh: (b: string) => string, sink: ExportSink): string {
  const d = s.mean.length;
  const mean = fresh(`${SLOIKA_PREFIX}_${what}/${from}.mean`);
  const std = fresh(`${SLOIKA_PREFIX}_${what}/${from}.std`);
  sink.initializer(floatTensor(mean, [d], s.mean));
  sink.initializer(floatTensor(std, [d], s.std));
  const mid = fresh(`${SLOIKA_PREFIX}_${what}/${from}.step1`);
  const out = fresh(`${SLOIKA_PREFIX}_${what}/${from}.out`);
  if (what === 'standardize') {
    sink.node({ opType: 'Sub', name: `${SLOIKA_PREFIX}_${what}/${from}/sub`, input: [from, mean], output: [mid] });
    sink.node({ opType: 'Div', name: `${SLOIKA_PREFIX}_${what}/${from}/div`, input: [mid, std], output: [out] });
  } else {
    sink.node({ opType: 'Mul', name: `${SLOIKA_PREFIX}_${what}/${from}/mul`, input: [from, std], output: [mid] });
    sink.node({ opType: 'Add', name: `${SLOIKA_PREFIX}_${what}/${from}/add`, input: [mid, mean], output: [out] });
  }
  return out;
}
