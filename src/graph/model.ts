import { isGradEnabled, noGrad } from '../autograd/mode.js';
import type { Module } from '../nn/module.js';
import { layerKind } from '../nn/registry.js';
import { add } from '../ops/arithmetic.js';
import { concat as concatTensors } from '../ops/shape.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { collectHeads, collectOutputs, reachable } from './assemble.js';
import { planForward, runLayerStep, type ForwardStep } from './forwardPlan.js';
import { headActivation, totalLoss, type Head, type HeadTarget } from './heads.js';
import { nameGraph } from './naming.js';
import { summarize } from './summary.js';
import { SymbolicTensor, type NodeOp } from './symbolic.js';
import { TraceRecorder, type GraphTrace } from './trace.js';
import type { HeadSpec, TensorMap, TrainableModel } from './types.js';

/** One step of a built model, with its final name. */
export interface ModelNode {
  readonly name: string;
  readonly op: NodeOp;
  /** 'Input', 'Concat' or the layer's kind ('Linear', 'ReLU', …). */
  readonly kind: string;
  readonly layer: Module | null;
  /** The name of the layer object (shared by the nodes of a reused layer). */
  readonly layerName: string | null;
  /** Names of the inbound nodes, in order. */
  readonly inputs: readonly string[];
  /** The output has shape [N, features]. */
  readonly features: number;
}

/** A distinct layer object of a model, with its name. */
export interface ModelLayer {
  readonly name: string;
  readonly kind: string;
  readonly layer: Module;
}

/** An edge of the drawn graph: node → node, or node → `output:<name>`. */
export interface ModelEdge {
  readonly from: string;
  readonly to: string;
  readonly features: number;
}

/** What `outputs` may hold: a bare symbol or a head. */
export type OutputItem = SymbolicTensor | Head;

export interface ModelOptions {
  /** The input symbol(s) from `input()`; their names become the input names. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /**
   * The output symbol(s) or heads. Names: the keys of an object; a head's name; 'y' for a
   * single bare symbol; the node names for an array of bare symbols.
   */
  outputs: OutputItem | readonly OutputItem[] | Readonly<Record<string, OutputItem>>;
  /** Heads for bare outputs, e.g. [{ output: 'y', kind: 'multiclass' }]. */
  heads?: readonly HeadSpec[];
  /** Loss weight per output name (overrides the heads' `weight`). */
  lossWeights?: Readonly<Record<string, number>>;
  /** Free JSON saved with the model (the CLI keeps its preprocessing here). */
  metadata?: Record<string, unknown>;
}

/**
 * A graph of layers with named inputs and outputs, built from symbols.
 * @example
 * const x = input({ name: 'x', features: 2 });
 * const h = new ReLU().apply(new Linear(2, 8, { seed: 1 }).apply(x));
 * const model = new Model({ inputs: x, outputs: multiclassHead(h, { classes: 3 }) });
 * model.forward({ x: tensor([[0, 1]]) }).y.shape; // [1, 3]
 */
export class Model implements TrainableModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly heads: readonly HeadSpec[];
  /** Every node in a topological order (inputs first). */
  readonly nodes: readonly ModelNode[];
  /** Every distinct layer object, in order of first use. */
  readonly layers: readonly ModelLayer[];
  /** Output name → node name. */
  readonly outputNodes: Readonly<Record<string, string>>;
  metadata: Record<string, unknown>;
  training = true;
  private readonly byName: Map<string, ModelNode>;
  private recorder: TraceRecorder | null = null;
  /** The forward pass planned once: slots instead of names, Linear → activation pairs fused. */
  private readonly plan: readonly ForwardStep[];
  /** Output name → node index, in `outputNames` order. */
  private readonly outputSlots: readonly [string, number][];

  constructor(opts: ModelOptions) {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('Model: give { inputs, outputs }');
    const inputs = (Array.isArray(opts.inputs) ? opts.inputs : [opts.inputs]) as SymbolicTensor[];
    inputs.forEach((s, i) => {
      if (!(s instanceof SymbolicTensor) || s.node.op !== 'input') {
        throw new TypeError(`Model: inputs[${i}] is not a symbol made by input({ name, features })`);
      }
    });
    const outs = collectOutputs(opts.outputs);
    const graphNodes = reachable(outs.map((o) => o.symbol.node));
    const declared = new Set(inputs.map((s) => s.node));
    for (const n of graphNodes) {
      if (n.op === 'input' && !declared.has(n)) {
        throw new RangeError(`Model: the outputs depend on input '${n.inputName}', which is not listed in inputs`);
      }
    }
    for (const s of inputs) {
      if (!graphNodes.includes(s.node)) throw new RangeError(`Model: input '${s.node.inputName}' is not used by any output`);
    }
    const names = nameGraph(graphNodes);
    this.nodes = graphNodes.map((n) => ({
      name: names.nodes.get(n)!,
      op: n.op,
      kind: n.op === 'input' ? 'Input' : n.op === 'concat' ? 'Concat' : layerKind(n.layer!),
      layer: n.layer,
      layerName: n.layer ? names.layers.get(n.layer)! : null,
      inputs: n.inputs.map((i) => names.nodes.get(i)!),
      features: n.features,
    }));
    this.byName = new Map(this.nodes.map((n) => [n.name, n]));
    this.layers = [...names.layers].map(([layer, name]) => ({ name, kind: layerKind(layer), layer }));
    this.inputNames = inputs.map((s) => s.node.inputName!);
    if (new Set(this.inputNames).size !== this.inputNames.length) throw new RangeError('Model: the same input is listed twice');
    const outputNodes: Record<string, string> = {};
    for (const o of outs) {
      o.name ??= names.nodes.get(o.symbol.node)!;
      if (o.name in outputNodes) throw new RangeError(`Model: two outputs are named '${o.name}'`);
      outputNodes[o.name] = names.nodes.get(o.symbol.node)!;
    }
    this.outputNodes = outputNodes;
    this.outputNames = Object.keys(outputNodes);
    this.heads = collectHeads(outs, opts.heads ?? [], opts.lossWeights ?? {}, (name) => this.outputFeatures(name));
    this.metadata = opts.metadata ?? {};
    this.plan = planForward(this.nodes, Object.values(outputNodes));
    const slotOf = new Map(this.nodes.map((n, i) => [n.name, i]));
    this.outputSlots = Object.entries(outputNodes).map(([name, node]) => [name, slotOf.get(node)!]);
  }

  /** The node of that name (throws, listing the names, when there is none). */
  node(name: string): ModelNode {
    const n = this.byName.get(name);
    if (!n) throw new RangeError(`no node named '${name}'; the nodes are ${[...this.byName.keys()].join(', ')}`);
    return n;
  }

  /** Features of a named input. */
  inputFeatures(name: string): number {
    if (!this.inputNames.includes(name)) throw new RangeError(`no input named '${name}'; the inputs are ${this.inputNames.join(', ')}`);
    return this.node(name).features;
  }

  /** Features of a named output. */
  outputFeatures(name: string): number {
    const node = this.outputNodes[name];
    if (node === undefined) throw new RangeError(`no output named '${name}'; the outputs are ${this.outputNames.join(', ')}`);
    return this.node(node).features;
  }

  /** Every edge: between nodes, then from output nodes to `output:<name>`. */
  edges(): ModelEdge[] {
    const edges: ModelEdge[] = [];
    for (const n of this.nodes) for (const from of n.inputs) edges.push({ from, to: n.name, features: this.node(from).features });
    for (const [out, node] of Object.entries(this.outputNodes)) edges.push({ from: node, to: `output:${out}`, features: this.node(node).features });
    return edges;
  }

  /**
   * Evaluate the graph with the eager ops, so gradients flow back through it. Returns the raw
   * outputs (logits for classification heads). One input may be given as a bare Tensor.
   * A Linear read only by a Tanh/ReLU/Sigmoid node runs fused with it (same bits, one tape
   * node) unless either is an output or tracing is on (see forwardPlan.ts).
   */
  forward(inputs: TensorMap | Tensor): TensorMap {
    const given = this.checkInputs(inputs);
    if (this.recorder !== null) return this.tracedForward(given, this.recorder);
    // Fused pairs leave the Linear's slot empty; only its activation step ever read it.
    const values = new Array<Tensor>(this.nodes.length);
    for (const step of this.plan) {
      if (step.op === 'input') values[step.slot] = given[step.name]!;
      else if (step.op === 'concat') values[step.slot] = concatTensors(step.inputs.map((i) => values[i]!), 1);
      else values[step.slot] = runLayerStep(step, values[step.inputs[0]!]!);
    }
    const out: TensorMap = {};
    for (const [name, slot] of this.outputSlots) out[name] = values[slot]!;
    return out;
  }

  /** Node by node, unfused, so the trace sees every node's value and every edge's gradient. */
  private tracedForward(given: TensorMap, recorder: TraceRecorder): TensorMap {
    const trace = recorder.begin(isGradEnabled());
    const values = new Map<string, Tensor>();
    const arg = (from: string, to: string): Tensor => trace.edge(from, to, values.get(from)!);
    for (const node of this.nodes) {
      let value: Tensor;
      if (node.op === 'input') value = given[node.name]!;
      else if (node.op === 'concat') value = concatTensors(node.inputs.map((i) => arg(i, node.name)), 1);
      else value = node.layer!.forward(arg(node.inputs[0]!, node.name));
      values.set(node.name, value);
      trace.value(node.name, value);
    }
    const out: TensorMap = {};
    for (const [name, node] of Object.entries(this.outputNodes)) out[name] = arg(node, `output:${name}`);
    return out;
  }

  /**
   * Outputs as a user reads them, without recording gradients and with dropout off:
   * probabilities for binary (sigmoid) and multiclass (softmax) heads, values for the rest.
   */
  predict(inputs: TensorMap | Tensor): TensorMap {
    const before = this.layers.map((l) => l.layer.training);
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(() => {
        const raw = this.forward(inputs);
        for (const head of this.heads) raw[head.output] = headActivation(head.kind, raw[head.output]!);
        return raw;
      });
    } finally {
      this.layers.forEach((l, i) => (l.layer.training = before[i]!));
      this.training = wasTraining;
    }
  }

  /**
   * The heads' objective Σ weight·loss on raw outputs from `forward`.
   * @example const loss = model.loss(model.forward({ x }), { y: labels }); loss.backward();
   */
  loss(outputs: TensorMap, targets: Record<string, HeadTarget>): Tensor {
    return totalLoss(this.heads, outputs, targets);
  }

  /** Every learnable tensor, each once (a reused layer counts once). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Parameters named `<layer>.<field>`, e.g. `linear_1.weight`. */
  namedParameters(): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const { name, layer } of this.layers) {
      for (const [path, p] of layer.namedParameters(name)) {
        if (!seen.has(p)) {
          seen.add(p);
          out.push([path, p]);
        }
      }
    }
    return out;
  }

  /** Number of learnable values. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Training mode on or off for every layer (dropout). */
  train(mode = true): this {
    this.training = mode;
    for (const { layer } of this.layers) layer.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Σ of the layers' L1/L2 penalties, or null when no layer has one. */
  regularization(): Tensor | null {
    let total: Tensor | null = null;
    for (const { layer } of this.layers) {
      const own = (layer as { regularization?: () => Tensor | null }).regularization?.() ?? null;
      if (own !== null) total = total === null ? own : add(total, own);
    }
    return total;
  }

  /** A table of every node (name, kind, output shape, parameters, inbound nodes) and the totals. */
  summary(): string {
    return summarize(this);
  }

  /**
   * Record each forward pass's value statistics per node and, while gradients are recorded,
   * each edge's gradient for the next backward pass (read them with `lastTrace()`).
   */
  setTracing(on: boolean): this {
    this.recorder = on ? new TraceRecorder() : null;
    return this;
  }

  get tracing(): boolean {
    return this.recorder !== null;
  }

  /** Statistics of the last forward pass and gradient norms of the last backward pass, or null. */
  lastTrace(): GraphTrace | null {
    return this.recorder?.report() ?? null;
  }

  private checkInputs(inputs: TensorMap | Tensor): TensorMap {
    // Built only for error messages: forward runs once per batch.
    const expected = () => `{ ${this.inputNames.map((n) => `${n}: [N, ${this.node(n).features}]`).join(', ')} }`;
    let map: TensorMap;
    if (inputs instanceof Tensor) {
      if (this.inputNames.length !== 1) throw new TypeError(`Model.forward: the model has ${this.inputNames.length} inputs; give them by name: ${expected()}`);
      map = { [this.inputNames[0]!]: inputs };
    } else if (typeof inputs === 'object' && inputs !== null) map = inputs;
    else throw new TypeError(`Model.forward: expects ${expected()}`);
    for (const key of Object.keys(map)) {
      if (!this.inputNames.includes(key)) throw new RangeError(`Model.forward: unknown input '${key}'; the model takes ${expected()}`);
    }
    let rows: [string, number] | null = null;
    for (const name of this.inputNames) {
      const t = map[name];
      if (!(t instanceof Tensor)) throw new TypeError(`Model.forward: missing input '${name}' (a Tensor); the model takes ${expected()}`);
      const d = this.node(name).features;
      if (t.rank !== 2 || t.shape[1] !== d) {
        throw new RangeError(`Model.forward: input '${name}' must have shape [N, ${d}], got ${formatShape(t.shape)}`);
      }
      if (rows && rows[1] !== t.shape[0]) {
        throw new RangeError(`Model.forward: input '${name}' has ${t.shape[0]} rows but input '${rows[0]}' has ${rows[1]}; every input needs one row per example`);
      }
      rows ??= [name, t.shape[0]!];
    }
    return map;
  }
}
