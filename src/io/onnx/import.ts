import { concat } from '../../graph/concat.js';
import { Model } from '../../graph/model.js';
import { input, type SymbolicTensor } from '../../graph/symbolic.js';
import type { HeadKind, HeadSpec } from '../../graph/types.js';
import { Sigmoid, Softmax } from '../../nn/activations.js';
import type { Module } from '../../nn/module.js';
import { decodeModel } from './codec.js';
import { META_HEADS, META_METADATA } from './names.js';
import { readPlan, type ImportPlan, type ImportStep } from './read.js';

// ONNX bytes → a sloika Model. A final Softmax (or a Sigmoid on one column) that only feeds
// an output becomes that output's multiclass (binary) head: `forward` gives the logits,
// `predict` the same probabilities the file computes, and `fit` trains with the matching
// loss. Other outputs get regression heads. Files written by toOnnx carry their heads
// and metadata, which are restored exactly.

/**
 * Read an ONNX model of the supported ops (Gemm, MatMul+Add, Relu, LeakyRelu, PRelu, Elu,
 * Sigmoid, Tanh, Softmax, LogSoftmax, Concat, Identity, Dropout) into a Model ready for
 * `predict`, `fit` and `summary`. An unsupported op fails with one line naming it and its node.
 * @example
 * const model = loadOnnx(await (await fetch('net.onnx')).arrayBuffer());
 * model.predict({ xa, xb }).probs.toArray();
 */
export function loadOnnx(bytes: Uint8Array | ArrayBuffer): Model {
  const plan = readPlan(decodeModel(bytes));
  const stored = parseJson(plan.metadata[META_HEADS]) as HeadSpec[] | undefined;
  const { heads, outputValue, dropped } = chooseHeads(plan, Array.isArray(stored) ? stored : undefined);

  const symbols = new Map<string, SymbolicTensor>();
  for (const i of plan.inputs) symbols.set(i.name, input({ name: i.name, features: i.features }));
  const names = new Set(plan.inputs.map((i) => i.name));
  const named = new Set<Module>();
  for (const step of plan.steps) {
    if (dropped.has(step)) continue;
    if (step.kind === 'concat') symbols.set(step.output, concat(step.inputs.map((v) => symbols.get(v)!)));
    else {
      if (!named.has(step.layer)) {
        named.add(step.layer);
        uniqueLayerName(step.layer, names);
      }
      symbols.set(step.output, step.layer.apply(symbols.get(step.input)!));
    }
  }
  const outputs: Record<string, SymbolicTensor> = {};
  for (const o of plan.outputs) outputs[o.name] = symbols.get(outputValue.get(o.name)!)!;
  const metadata = (parseJson(plan.metadata[META_METADATA]) as Record<string, unknown> | undefined) ?? {
    onnx: { producer: plan.producer, opset: plan.opset },
  };
  return new Model({ inputs: plan.inputs.map((i) => symbols.get(i.name)!), outputs, heads, metadata });
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A layer name that no input or other layer has (`a` → `a_2`). */
function uniqueLayerName(layer: Module, taken: Set<string>): void {
  const own = (layer as { name?: unknown }).name;
  if (typeof own !== 'string' || own === '') return;
  let name = own;
  for (let k = 2; taken.has(name); k++) name = `${own}_${k}`;
  (layer as { name?: string }).name = name;
  taken.add(name);
}

/**
 * Heads per output and the steps they replace: the head activation step is dropped and the
 * output reads its input (the logits) instead.
 */
function chooseHeads(plan: ImportPlan, stored: HeadSpec[] | undefined) {
  const producer = new Map<string, ImportStep>();
  const readCount = new Map<string, number>();
  for (const s of plan.steps) {
    producer.set(s.output, s);
    for (const v of s.kind === 'concat' ? s.inputs : [s.input]) readCount.set(v, (readCount.get(v) ?? 0) + 1);
  }
  for (const o of plan.outputs) readCount.set(o.value, (readCount.get(o.value) ?? 0) + 1);

  const heads: HeadSpec[] = [];
  const outputValue = new Map<string, string>();
  const dropped = new Set<ImportStep>();
  for (const o of plan.outputs) {
    const step = producer.get(o.value);
    const features = plan.features.get(o.value)!;
    let activation: HeadKind | null = null;
    if (step?.kind === 'layer' && readCount.get(o.value) === 1) {
      if (step.layer instanceof Softmax && features >= 2) activation = 'multiclass';
      if (step.layer instanceof Sigmoid && features === 1) activation = 'binary';
    }
    const kept = stored?.find((h) => h.output === o.name);
    const kind: HeadKind | null = stored ? (kept?.kind ?? null) : (activation ?? 'regression');
    if (kind !== null && kind !== 'regression' && kind === activation && step?.kind === 'layer') {
      dropped.add(step);
      outputValue.set(o.name, step.input);
    } else {
      outputValue.set(o.name, o.value);
    }
    if (kind !== null) {
      // A stored classification head whose activation is missing would apply it twice; keep the file's numbers.
      const usable = kind === 'regression' || kind === activation;
      const head: HeadSpec = { output: o.name, kind: usable ? kind : 'regression' };
      if (kept?.weight !== undefined) head.weight = kept.weight;
      heads.push(head);
    }
  }
  return { heads, outputValue, dropped };
}
