import type { Module } from '../nn/module.js';
import { layerKind } from '../nn/registry.js';
import type { GraphNode } from './symbolic.js';

// Names are given per model when it is built, in creation order, so the same code always
// gives the same names (linear_1, relu_1, concat_1 …) whatever was built before.

/** 'LeakyReLU' → 'leaky_relu', 'PReLU' → 'prelu'. */
export function snakeKind(kind: string): string {
  return kind.replace(/([a-z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function ownName(layer: Module): string | null {
  const name = (layer as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : null;
}

export interface GraphNames {
  nodes: Map<GraphNode, string>;
  layers: Map<Module, string>;
}

/**
 * Name every node and every distinct layer. A layer keeps its own `name` when it has one;
 * a layer applied twice gives nodes `enc` and `enc#2`.
 */
export function nameGraph(nodes: readonly GraphNode[]): GraphNames {
  const taken = new Set<string>();
  const claim = (name: string, what: string): string => {
    if (taken.has(name)) throw new RangeError(`two parts of the graph are named '${name}' (${what}); give each input and layer its own name`);
    taken.add(name);
    return name;
  };
  const layers = new Map<Module, string>();
  // Inputs and user-named layers first, so automatic names never take theirs.
  for (const n of nodes) if (n.op === 'input') claim(n.inputName!, 'an input');
  for (const n of nodes) {
    if (n.op !== 'layer' || layers.has(n.layer!)) continue;
    const own = ownName(n.layer!);
    if (own !== null) layers.set(n.layer!, claim(own, `a ${layerKind(n.layer!)} layer`));
  }
  const counters = new Map<string, number>();
  const auto = (prefix: string): string => {
    let k = counters.get(prefix) ?? 0;
    let name: string;
    do name = `${prefix}_${++k}`;
    while (taken.has(name));
    counters.set(prefix, k);
    taken.add(name);
    return name;
  };
  const names = new Map<GraphNode, string>();
  const uses = new Map<Module, number>();
  for (const n of nodes) {
    if (n.op === 'input') names.set(n, n.inputName!);
    else if (n.op === 'concat') names.set(n, auto('concat'));
    else {
      const layer = n.layer!;
      if (!layers.has(layer)) layers.set(layer, auto(snakeKind(layerKind(layer))));
      const use = (uses.get(layer) ?? 0) + 1;
      uses.set(layer, use);
      names.set(n, use === 1 ? layers.get(layer)! : claim(`${layers.get(layer)}#${use}`, 'a reused layer'));
    }
  }
  // Layers in order of first use (user-named ones were claimed first, above).
  const ordered = new Map<Module, string>();
  for (const n of nodes) if (n.layer && !ordered.has(n.layer)) ordered.set(n.layer, layers.get(n.layer)!);
  return { nodes: names, layers: ordered };
}
