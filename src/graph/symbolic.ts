import type { Module } from '../nn/module.js';
import { layerTypeOf, layerKind } from '../nn/registry.js';
import { Sequential } from '../nn/sequential.js';
import type { LayerApplicable } from '../nn/symbolic.js';

// Symbolic tensors: placeholders of shape [N, d] (N, the batch, unknown until data arrives).
// Applying a layer to one records a node and checks the shapes at once; a Model later walks
// the nodes with real tensors.

/** How a node computes: a named input, one layer applied to one node, or a concatenation. */
export type NodeOp = 'input' | 'layer' | 'concat';

let nextNodeId = 0;

/** One step of a graph. Nodes are immutable and know their inbound nodes. */
export class GraphNode {
  /** Creation order: inbound nodes always have smaller ids, so sorting by id is topological. */
  readonly id = nextNodeId++;

  constructor(
    readonly op: NodeOp,
    readonly inputs: readonly GraphNode[],
    /** Number of features: the node's output has shape [N, features]. */
    readonly features: number,
    /** The layer of a 'layer' node (the same object may serve several nodes: shared weights). */
    readonly layer: Module | null = null,
    /** The name of an 'input' node. */
    readonly inputName: string | null = null,
  ) {}

  /** How errors refer to this node before the model names it: `input 'x'`, `the output of ReLU (on input 'x')`. */
  describe(): string {
    if (this.op === 'input') return `input '${this.inputName}'`;
    const roots = [...this.rootInputs()].map((n) => `'${n}'`);
    const what = this.op === 'concat' ? 'concat' : layerLabel(this.layer!);
    return `the output of ${what} (on input${roots.length > 1 ? 's' : ''} ${roots.join(', ')})`;
  }

  /** Names of the inputs this node depends on, in creation order. */
  rootInputs(): string[] {
    const found: GraphNode[] = [];
    const stack: GraphNode[] = [this];
    const seen = new Set<GraphNode>();
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      if (n.op === 'input') found.push(n);
      stack.push(...n.inputs);
    }
    return found.sort((a, b) => a.id - b.id).map((n) => n.inputName!);
  }
}

/** `Linear(16, 8) 'encoder'`, `ReLU`: a layer as errors and drawings name it. */
export function layerLabel(layer: Module): string {
  const kind = layerKind(layer);
  const named = (layer as { name?: unknown }).name;
  const suffix = typeof named === 'string' && named ? ` '${named}'` : '';
  const dims = layer as { inFeatures?: unknown; outFeatures?: unknown };
  if (typeof dims.inFeatures === 'number' && typeof dims.outFeatures === 'number') {
    return `${kind}(${dims.inFeatures}, ${dims.outFeatures})${suffix}`;
  }
  return kind + suffix;
}

/**
 * A placeholder `[N, features]` in a graph under construction. Apply layers to it
 * (`layer.apply(x)`), join several with `concat`, then make a `Model`.
 * @example
 * const x = input({ name: 'x', features: 4 });
 * new Linear(4, 2).apply(x).shape; // ['N', 2]
 */
export class SymbolicTensor implements LayerApplicable<SymbolicTensor> {
  constructor(readonly node: GraphNode) {}

  get features(): number {
    return this.node.features;
  }

  /** `['N', features]`: the batch size is symbolic. */
  get shape(): readonly ['N', number] {
    return ['N', this.node.features];
  }

  /** Called by `layer.apply(symbol)`: records the layer and checks its input shape. */
  applyLayer(layer: Module): SymbolicTensor {
    // A Sequential is unrolled, so every layer inside it becomes a node of its own.
    if (layer instanceof Sequential) return layer.layers.reduce<SymbolicTensor>((h, l) => h.applyLayer(l), this);
    const type = layerTypeOf(layer);
    if (!type) {
      throw new TypeError(
        `${layer.constructor.name} is not a registered layer kind, so it cannot be used in a graph; call registerLayer({ kind, layerClass, config, create, outputFeatures }) first`,
      );
    }
    const out = type.outputFeatures(layer, this.features);
    if (typeof out !== 'number') {
      throw new RangeError(
        `${layerLabel(layer)} expects input of shape ${out.expects}, but it was applied to ${this.node.describe()}, of shape [N, ${this.features}]`,
      );
    }
    return new SymbolicTensor(new GraphNode('layer', [this.node], out, layer));
  }

  toString(): string {
    return `SymbolicTensor([N, ${this.features}], ${this.node.describe()})`;
  }
}

/**
 * A named input of a graph: a symbol of shape [N, features].
 * @example const x = input({ name: 'x', features: 2 }); // shape ['N', 2]
 */
export function input(opts: { name: string; features: number }): SymbolicTensor {
  const { name, features } = opts ?? ({} as { name: string; features: number });
  if (typeof name !== 'string' || name === '') throw new TypeError('input: give it a non-empty name, e.g. input({ name: \'x\', features: 4 })');
  if (!Number.isInteger(features) || features < 1) {
    throw new RangeError(`input '${name}': features must be a positive integer, got ${features}`);
  }
  return new SymbolicTensor(new GraphNode('input', [], features, null, name));
}

/** Join symbols along the features: [N, a] and [N, b] give [N, a + b]. */
export function concatSymbols(parts: readonly SymbolicTensor[]): SymbolicTensor {
  const features = parts.reduce((n, p) => n + p.features, 0);
  return new SymbolicTensor(new GraphNode('concat', parts.map((p) => p.node), features));
}
