import type { ModelNode } from '../../graph/model.js';
import type { Linear } from '../../nn/linear.js';
import type { PReLU } from '../../nn/prelu.js';
import type { OnnxAttribute, OnnxNode, OnnxTensorProto } from './codec.js';
import { AttributeType } from './schema.js';
import { floatTensor } from './tensors.js';

// One sloika layer → the ONNX node(s) computing it. Weights become initializers named
// `<layer>.weight`, `<layer>.bias`, `<layer>.alpha`; a layer applied twice shares them.

/** What a layer rule writes into: nodes, and initializers added once per name. */
export interface ExportSink {
  node(node: OnnxNode): void;
  initializer(tensor: OnnxTensorProto): void;
}

export const floatAttr = (name: string, f: number): OnnxAttribute => ({ name, type: AttributeType.FLOAT, f });
export const intAttr = (name: string, i: number): OnnxAttribute => ({ name, type: AttributeType.INT, i });

type LayerRule = (node: ModelNode, input: string, output: string, sink: ExportSink) => void;

const simple = (opType: string, attribute?: (node: ModelNode) => OnnxAttribute[]): LayerRule => (node, input, output, sink) =>
  sink.node({ opType, name: node.name, input: [input], output: [output], ...(attribute ? { attribute: attribute(node) } : {}) });

/** Alpha as the layer holds it: ONNX's defaults are not always the layer's, so it is always written. */
const alphaOf = (node: ModelNode): number => (node.layer as unknown as { alpha: number }).alpha;

const rules: Record<string, LayerRule> = {
  Linear(node, input, output, sink) {
    const layer = node.layer as Linear;
    // Gemm with W as sloika stores it, [in, out], so transB = 0: Y = X·W + b.
    const weight = `${node.layerName}.weight`;
    sink.initializer(floatTensor(weight, [layer.inFeatures, layer.outFeatures], layer.weight.data));
    const inputs = [input, weight];
    if (layer.bias) {
      const bias = `${node.layerName}.bias`;
      sink.initializer(floatTensor(bias, [layer.outFeatures], layer.bias.data));
      inputs.push(bias);
    }
    sink.node({
      opType: 'Gemm',
      name: node.name,
      input: inputs,
      output: [output],
      attribute: [floatAttr('alpha', 1), floatAttr('beta', 1), intAttr('transA', 0), intAttr('transB', 0)],
    });
  },
  PReLU(node, input, output, sink) {
    const alpha = (node.layer as PReLU).alpha;
    // Shape [d] (or [1]) broadcasts over [N, d] by ONNX's trailing-axis rule: one slope per feature.
    const slope = `${node.layerName}.alpha`;
    sink.initializer(floatTensor(slope, [alpha.size], alpha.data));
    sink.node({ opType: 'PRelu', name: node.name, input: [input, slope], output: [output] });
  },
  ReLU: simple('Relu'),
  LeakyReLU: simple('LeakyRelu', (n) => [floatAttr('alpha', alphaOf(n))]),
  ELU: simple('Elu', (n) => [floatAttr('alpha', alphaOf(n))]),
  Sigmoid: simple('Sigmoid'),
  Tanh: simple('Tanh'),
  Softmax: simple('Softmax', () => [intAttr('axis', -1)]),
  LogSoftmax: simple('LogSoftmax', () => [intAttr('axis', -1)]),
  Identity: simple('Identity'),
  // An exported model is for inference: dropout passes values through.
  Dropout: simple('Identity'),
};

/** Layer kinds the exporter writes. */
export const EXPORTABLE_KINDS = Object.keys(rules);

/**
 * Write one layer node; an unknown kind fails naming the node and the kinds that work.
 * @example exportLayer(model.node('relu_1'), 'linear_1', 'relu_1', sink); // adds a Relu node
 */
export function exportLayer(node: ModelNode, input: string, output: string, sink: ExportSink): void {
  const rule = rules[node.kind];
  if (!rule) {
    throw new Error(`toOnnx: layer '${node.name}' is a ${node.kind}, which has no ONNX form here; the exporter writes ${EXPORTABLE_KINDS.join(', ')}`);
  }
  rule(node, input, output, sink);
}
