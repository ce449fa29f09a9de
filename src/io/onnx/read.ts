import { Identity } from '../../nn/activations.js';
import type { Linear } from '../../nn/linear.js';
import type { Module } from '../../nn/module.js';
import type { OnnxModel, OnnxNode, OnnxValueInfo } from './codec.js';
import { FOLDABLE, foldConstant } from './constants.js';
import { floatAttribute, intAttribute, layerForNode, linearFrom, nodeError, SUPPORTED_OPS, type NodeContext } from './importOps.js';
import { META_HEADS, SLOIKA_PREFIX } from './names.js';
import { readTensor, type ConstantValue } from './tensors.js';

// The reader: an ONNX graph of the supported ops becomes a plan of sloika steps (a layer
// applied to one value, or a concatenation), in topological order, with the features of
// every value worked out on the way. Turning the plan into a Model is a separate step.

/** One step of an imported graph. */
export type ImportStep =
  | { kind: 'layer'; layer: Module; input: string; output: string; node: string }
  | { kind: 'concat'; inputs: string[]; output: string; node: string };

export interface ImportPlan {
  inputs: { name: string; features: number }[];
  /** Graph outputs: the ONNX name and the value that holds it (after pass-through nodes). */
  outputs: { name: string; value: string }[];
  steps: ImportStep[];
  /** The model's metadata_props as key → value. */
  metadata: Record<string, string>;
  producer: string;
  opset: number;
  /** Features of every value (inputs and step outputs). */
  features: Map<string, number>;
}

function featuresOf(info: OnnxValueInfo): number | undefined {
  const dims = info.type?.tensorType?.shape?.dim;
  if (!dims || dims.length !== 2) return undefined;
  const d = dims[1]!.dimValue;
  return d !== undefined && d > 0 ? Number(d) : undefined;
}

function defaultOpset(model: OnnxModel): number {
  const entry = model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry?.version !== undefined ? Number(entry.version) : 13;
}

/**
 * Read an ONNX model into an import plan.
 * @example readPlan(decodeModel(bytes)).steps.map((s) => s.kind); // ['layer', 'layer', 'concat', …]
 */
export function readPlan(model: OnnxModel): ImportPlan {
  const graph = model.graph;
  if (!graph) throw new Error('loadOnnx: the file has no graph');
  const opset = defaultOpset(model);
  const constants = new Map<string, ConstantValue>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', readTensor(t, `initializer '${t.name}'`));

  const features = new Map<string, number>();
  const inputs: ImportPlan['inputs'] = [];
  for (const info of graph.input ?? []) {
    if (constants.has(info.name)) continue; // old exporters list initializers as inputs too
    const d = featuresOf(info);
    if (d === undefined) {
      const dims = (info.type?.tensorType?.shape?.dim ?? []).map((x) => x.dimParam ?? x.dimValue ?? '?');
      throw new Error(`loadOnnx: input '${info.name}' has shape [${dims.join(', ')}]; sloika reads inputs of shape [N, features] with a fixed number of features`);
    }
    features.set(info.name, d);
    inputs.push({ name: info.name, features: d });
  }

  const nodes = graph.node ?? [];
  // How many nodes read each value: MatMul+Add fuses only when the Add is the sole reader.
  const readers = new Map<string, OnnxNode[]>();
  for (const n of nodes) for (const i of n.input ?? []) readers.set(i, [...(readers.get(i) ?? []), n]);
  for (const o of graph.output ?? []) readers.set(o.name, [...(readers.get(o.name) ?? []), { opType: '(graph output)' }]);

  const steps: ImportStep[] = [];
  const fused = new Set<OnnxNode>();
  // Values that are another value under a new name (pass-through nodes sloika wrote itself).
  const aliases = new Map<string, string>();
  const resolve = (name: string): string => aliases.get(name) ?? name;
  const sharedLinears = new Map<string, Linear>();
  const fromSloika = model.producerName === 'sloika' && model.metadataProps?.some((p) => p.key === META_HEADS);
  const known = (node: OnnxNode, name: string): number => {
    const d = features.get(resolve(name));
    if (d === undefined) throw nodeError(node, `its input '${name}' is neither a graph input nor computed by an earlier node`);
    return d;
  };
  const add = (node: OnnxNode, layer: Module, input: string, output: string): void => {
    steps.push({ kind: 'layer', layer, input: resolve(input), output, node: node.name || output });
    const type = (layer as { outFeatures?: number }).outFeatures;
    features.set(output, type ?? known(node, input));
  };
  /** A Linear per distinct (weight, bias, layout): a weight used by two nodes stays one layer. */
  const linear = (ctx: NodeContext, input: string, w: string, b: string | undefined, transposed: boolean, alpha = 1, beta = 1): Linear => {
    const key = JSON.stringify([w, b ?? null, transposed, alpha, beta]);
    let layer = sharedLinears.get(key);
    if (!layer) sharedLinears.set(key, (layer = linearFrom(ctx, input, w, b, transposed, alpha, beta)));
    else if (known(ctx.node, input) !== layer.inFeatures) linearFrom(ctx, input, w, b, transposed, alpha, beta); // throws the shape error
    return layer;
  };

  for (const node of nodes) {
    if (fused.has(node)) continue;
    if (node.domain && node.domain !== 'ai.onnx') throw nodeError(node, `operators of domain '${node.domain}' are not supported`);
    const ctx: NodeContext = { node, opset, constant: (n) => constants.get(n), features: (n) => known(node, n) };
    const [first, second] = node.input ?? [];
    const out = node.output?.[0];
    if (!out) throw nodeError(node, 'the node has no output');
    if (FOLDABLE.has(node.opType)) {
      const folded = foldConstant(node, (n) => constants.get(n));
      if (folded) {
        constants.set(out, folded);
        continue;
      }
    }
    if (fromSloika && isSloikaPassThrough(node)) {
      // Standardisation written by toOnnx: the metadata keeps it, the network starts after it.
      aliases.set(out, resolve(first!));
      continue;
    }
    if (node.opType === 'Flatten' && intAttribute(node, 'axis', 1) === 1) {
      add(node, new Identity(), first!, out); // [N, d] is already flat
      continue;
    }
    if (node.opType === 'Concat') {
      const parts = node.input ?? [];
      const rank2Axis = intAttribute(node, 'axis', 1);
      if (rank2Axis !== 1 && rank2Axis !== -1) throw nodeError(node, `concatenation along axis ${rank2Axis} is not supported; sloika joins [N, d] values along the features (axis 1)`);
      const total = parts.reduce((s, p) => s + known(node, p), 0);
      steps.push({ kind: 'concat', inputs: parts.map(resolve), output: out, node: node.name || out });
      features.set(out, total);
      continue;
    }
    if (node.opType === 'Dropout') {
      add(node, new Identity(), first!, out); // inference graphs: dropout passes values through
      continue;
    }
    if (node.opType === 'MatMul') {
      const next = readers.get(out);
      const addNode = next?.length === 1 && next[0]!.opType === 'Add' ? next[0]! : undefined;
      const biasName = addNode?.input?.find((i) => i !== out);
      if (addNode && biasName !== undefined && constants.has(biasName)) {
        fused.add(addNode);
        add(node, linear(ctx, first!, second!, biasName, false), first!, addNode.output![0]!);
      } else {
        add(node, linear(ctx, first!, second!, undefined, false), first!, out);
      }
      continue;
    }
    if (node.opType === 'Gemm') {
      if (intAttribute(node, 'transA', 0) !== 0) throw nodeError(node, 'transA=1 (a transposed batch) is not supported');
      const transposed = intAttribute(node, 'transB', 0) === 1;
      add(node, linear(ctx, first!, second!, node.input?.[2] || undefined, transposed, floatAttribute(node, 'alpha', 1), floatAttribute(node, 'beta', 1)), first!, out);
      continue;
    }
    const layer = layerForNode(ctx);
    if (!layer) {
      throw nodeError(node, `unsupported op '${node.opType}'; sloika reads ${SUPPORTED_OPS.join(', ')}`);
    }
    add(node, layer, first!, out);
  }

  const outputs = (graph.output ?? []).map((o) => ({ name: o.name, value: resolve(o.name) }));
  for (const o of outputs) {
    if (!features.has(o.value)) throw new Error(`loadOnnx: output '${o.name}' is not computed by any node`);
  }
  const metadata: Record<string, string> = {};
  for (const { key, value } of model.metadataProps ?? []) metadata[key] = value;
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  return { inputs, outputs, steps, metadata, features, producer, opset };
}

/** Nodes toOnnx adds around the network (standardisation, output renaming). */
function isSloikaPassThrough(node: OnnxNode): boolean {
  const name = node.name ?? '';
  if (name.startsWith(`${SLOIKA_PREFIX}_standardize/`) || name.startsWith(`${SLOIKA_PREFIX}_destandardize/`)) return true;
  return name.startsWith(`${SLOIKA_PREFIX}_head/`) && node.opType === 'Identity';
}
