import { fusedActivation } from '../nn/fusion.js';
import type { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import type { FusedActivation } from '../ops/linear.js';
import type { Tensor } from '../tensor/tensor.js';
import type { NodeOp } from './symbolic.js';

// A Model's forward pass worked out once, at construction: each node's inputs as slot numbers
// (no name lookups per batch) and Linear → Tanh/ReLU/Sigmoid pairs merged into one fused op,
// as Sequential does. A pair is merged only when nothing else can observe the Linear's own
// output: the activation is its only consumer and neither node is a model output. (Tracing
// does not use the plan: it shows every node's value and every edge's gradient.)

/** The part of a model node the plan reads. */
export interface PlanNode {
  readonly name: string;
  readonly op: NodeOp;
  readonly layer: Module | null;
  readonly inputs: readonly string[];
}

/** One step: fill `slot` (a node's index) from the values in `inputs` (node indices). */
export interface ForwardStep {
  readonly slot: number;
  readonly op: NodeOp;
  /** For an 'input' step: the input's name. */
  readonly name: string;
  readonly layer: Module | null;
  readonly inputs: readonly number[];
  /** Non-null: `layer` is a Linear run as `forwardWithActivation(x, activation)`; `slot` is the activation node's. */
  readonly activation: FusedActivation | null;
}

/**
 * The steps of a forward pass over `nodes` (in topological order), with fusable Linear →
 * activation pairs merged; `outputs` are the names of the nodes the model returns.
 * @example planForward(model.nodes, Object.values(model.outputNodes)).length; // nodes − fused pairs
 */
export function planForward(nodes: readonly PlanNode[], outputs: readonly string[]): ForwardStep[] {
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  // Count edges, not consumers: concat([h, h]) reads h twice.
  const reads = new Array<number>(nodes.length).fill(0);
  for (const n of nodes) for (const from of n.inputs) reads[index.get(from)!]!++;
  const isOutput = new Set(outputs.map((name) => index.get(name)!));

  // fusedInto[linear] = the activation node that absorbs it.
  const fusedInto = new Map<number, { slot: number; activation: FusedActivation }>();
  nodes.forEach((n, i) => {
    if (n.op !== 'layer' || n.inputs.length !== 1 || isOutput.has(i)) return;
    const from = index.get(n.inputs[0]!)!;
    const source = nodes[from]!;
    if (source.op !== 'layer' || reads[from] !== 1 || isOutput.has(from)) return;
    const activation = fusedActivation(source.layer!, n.layer!);
    if (activation !== null) fusedInto.set(from, { slot: i, activation });
  });
  const absorbed = new Set([...fusedInto.values()].map((f) => f.slot));

  const steps: ForwardStep[] = [];
  nodes.forEach((n, i) => {
    if (absorbed.has(i)) return;
    const inputs = n.inputs.map((from) => index.get(from)!);
    const fused = fusedInto.get(i);
    // The fused op runs where the Linear ran: its input is ready and the pair is a chain.
    steps.push({ slot: fused ? fused.slot : i, op: n.op, name: n.name, layer: n.layer, inputs, activation: fused ? fused.activation : null });
  });
  return steps;
}

/** Run one layer step on its input (fused or not). */
export function runLayerStep(step: ForwardStep, x: Tensor): Tensor {
  return step.activation === null ? step.layer!.forward(x) : (step.layer as Linear).forwardWithActivation(x, step.activation);
}
