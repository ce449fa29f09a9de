import { ELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../../nn/activations.js';
import { Linear } from '../../nn/linear.js';
import type { Module } from '../../nn/module.js';
import { PReLU } from '../../nn/prelu.js';
import type { OnnxAttribute, OnnxNode } from './codec.js';
import type { ConstantValue } from './tensors.js';

// One ONNX node (or MatMul followed by Add) → one sloika layer. Each rule checks the
// attributes that would change the meaning and fails with a line naming op and node.

/** What the reader knows while converting a node. */
export interface NodeContext {
  node: OnnxNode;
  /** Constant (initializer or Constant node) by value name, or undefined for computed values. */
  constant(name: string): ConstantValue | undefined;
  /** Features of a computed value, [N, features]. */
  features(name: string): number;
  opset: number;
}

/** `Gemm node '/a/Gemm'`: how messages name a node. */
export function nodeLabel(node: OnnxNode): string {
  return `${node.opType} node '${node.name || node.output?.[0] || '?'}'`;
}

/** An error about a model file, one line naming the node. */
export function nodeError(node: OnnxNode, message: string): Error {
  return new Error(`loadOnnx: ${nodeLabel(node)}: ${message}`);
}

function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute?.find((a) => a.name === name);
}

export function intAttribute(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.i !== undefined ? Number(a.i) : fallback;
}

export function floatAttribute(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.f !== undefined ? a.f : fallback;
}

/** Name for the layer: PyTorch's `a.weight` gives `a`, else the node's name. */
function layerName(ctx: NodeContext, weightName: string): string | undefined {
  const fromWeight = weightName.endsWith('.weight') ? weightName.slice(0, -'.weight'.length) : '';
  return fromWeight || ctx.node.name || undefined;
}

/**
 * A Linear layer from a weight constant and an optional bias constant.
 * `transposed`: the file stores W as [out, in] (Gemm transB=1, PyTorch's layout).
 */
export function linearFrom(
  ctx: NodeContext,
  input: string,
  weightName: string,
  biasName: string | undefined,
  transposed: boolean,
  alpha = 1,
  beta = 1,
): Linear {
  const { node } = ctx;
  const w = ctx.constant(weightName);
  if (!w) throw nodeError(node, `the weight '${weightName}' is computed, not a constant; only layers with stored weights are supported`);
  if (w.dims.length !== 2) throw nodeError(node, `the weight '${weightName}' has shape [${w.dims.join(', ')}]; a matrix is expected`);
  const [rows, cols] = w.dims as [number, number];
  const inF = transposed ? cols : rows;
  const outF = transposed ? rows : cols;
  const features = ctx.features(input);
  if (features !== inF) throw nodeError(node, `input '${input}' has ${features} features but the weight '${weightName}' expects ${inF}`);
  let bias: ConstantValue | undefined;
  if (biasName) {
    bias = ctx.constant(biasName);
    if (!bias) throw nodeError(node, `the bias '${biasName}' is computed, not a constant`);
    if (bias.data.length !== outF && bias.data.length !== 1) {
      throw nodeError(node, `the bias '${biasName}' has ${bias.data.length} values; ${outF} (one per output) are expected`);
    }
  }
  const layer = new Linear(inF, outF, { bias: bias !== undefined, init: 'zeros', name: layerName(ctx, weightName) });
  const weight = layer.weight.data; // zeros, written in place: it may live in the kernels' memory
  for (let i = 0; i < inF; i++) {
    for (let j = 0; j < outF; j++) weight[i * outF + j] = alpha * w.data[transposed ? j * inF + i : i * outF + j]!;
  }
  if (bias && layer.bias) layer.bias.data = Float32Array.from({ length: outF }, (_, j) => beta * bias.data[bias.data.length === 1 ? 0 : j]!);
  return layer;
}

function prelu(ctx: NodeContext): Module {
  const { node } = ctx;
  const [x, slopeName] = node.input ?? [];
  const slope = ctx.constant(slopeName!);
  if (!slope) throw nodeError(node, `the slope '${slopeName}' is computed, not a constant`);
  const features = ctx.features(x!);
  // [1], [d], [1, d] all broadcast one slope (or one per feature) over [N, d].
  const n = slope.data.length;
  if (n !== 1 && n !== features) throw nodeError(node, `the slope '${slopeName}' has ${n} values; 1 or ${features} (one per feature) are expected`);
  const layer = new PReLU({ numParameters: n });
  layer.alpha.data = Float32Array.from(slope.data);
  return layer;
}

function softmaxAxisOk(ctx: NodeContext): boolean {
  // Over [N, d], axis 1 and axis −1 are the same; before opset 13 axis 1 (the default)
  // flattened the trailing axes, which on a matrix is again the last axis.
  const axis = intAttribute(ctx.node, 'axis', ctx.opset >= 13 ? -1 : 1);
  return axis === -1 || axis === 1;
}

/** Op types with one data input → the layer that computes them. */
const singleInput: Record<string, (ctx: NodeContext) => Module> = {
  Relu: () => new ReLU(),
  LeakyRelu: (ctx) => new LeakyReLU(floatAttribute(ctx.node, 'alpha', 0.01)),
  Elu: (ctx) => new ELU(floatAttribute(ctx.node, 'alpha', 1)),
  PRelu: prelu,
  Sigmoid: () => new Sigmoid(),
  Tanh: () => new Tanh(),
  Identity: () => new Identity(),
  Softmax: (ctx) => {
    if (!softmaxAxisOk(ctx)) throw nodeError(ctx.node, 'softmax over the batch axis is not supported (use axis -1)');
    return new Softmax();
  },
  LogSoftmax: (ctx) => {
    if (!softmaxAxisOk(ctx)) throw nodeError(ctx.node, 'log-softmax over the batch axis is not supported (use axis -1)');
    return new LogSoftmax();
  },
};

/** The layer for a one-input op, or undefined when the op is not one of them. */
export function layerForNode(ctx: NodeContext): Module | undefined {
  const rule = singleInput[ctx.node.opType];
  return rule ? rule(ctx) : undefined;
}

/** Every op type the reader understands, for the unsupported-op message. */
export const SUPPORTED_OPS = ['Gemm', ...Object.keys(singleInput), 'MatMul', 'Add (after MatMul)', 'Concat', 'Dropout', 'Flatten', 'Constant', 'Identity/Transpose/Reshape/Squeeze/Unsqueeze of a constant'];
