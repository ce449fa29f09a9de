import { checkHead, isHead } from './heads.js';
import { GraphNode, SymbolicTensor } from './symbolic.js';
import type { HeadSpec } from './types.js';
import type { ModelOptions, OutputItem } from './model.js';

// Assembling a Model from its options: which outputs (and names, and heads) were asked for,
// and which nodes they depend on.

/** An output as asked for: its symbol, its name when known, its head when it came from one. */
export interface RequestedOutput {
  symbol: SymbolicTensor;
  name?: string;
  head?: HeadSpec;
}

/** The outputs of `ModelOptions.outputs`, in order. */
export function collectOutputs(outputs: ModelOptions['outputs']): RequestedOutput[] {
  const one = (item: unknown, where: string, name?: string): RequestedOutput => {
    if (item instanceof SymbolicTensor) return { symbol: item, name };
    if (isHead(item)) {
      if (name !== undefined && name !== item.spec.output) {
        throw new RangeError(`Model: outputs key '${name}' holds the head named '${item.spec.output}'; use the same name`);
      }
      return { symbol: item.output, name: item.spec.output, head: item.spec };
    }
    throw new TypeError(`Model: ${where} is not a graph symbol or a head`);
  };
  if (outputs instanceof SymbolicTensor) return [{ symbol: outputs, name: 'y' }];
  if (isHead(outputs)) return [one(outputs, 'outputs')];
  if (Array.isArray(outputs)) {
    if (outputs.length === 0) throw new RangeError('Model: give at least one output');
    return outputs.map((o, i) => one(o, `outputs[${i}]`));
  }
  if (typeof outputs === 'object' && outputs !== null) {
    const entries = Object.entries(outputs as Record<string, OutputItem>);
    if (entries.length === 0) throw new RangeError('Model: give at least one output');
    return entries.map(([k, o]) => one(o, `outputs.${k}`, k));
  }
  throw new TypeError('Model: outputs must be a symbol, a head, an array of them or an object of them');
}

/** Every node the outputs depend on, sorted by creation (a topological order). */
export function reachable(roots: readonly GraphNode[]): GraphNode[] {
  const seen = new Set<GraphNode>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...n.inputs);
  }
  return [...seen].sort((a, b) => a.id - b.id);
}

/** The heads from head outputs and the `heads` option, with `lossWeights` applied, each checked. */
export function collectHeads(
  outs: { name?: string; head?: HeadSpec }[],
  extra: readonly HeadSpec[],
  lossWeights: Readonly<Record<string, number>>,
  featuresOf: (output: string) => number,
): HeadSpec[] {
  const heads: HeadSpec[] = [];
  for (const h of [...outs.flatMap((o) => (o.head ? [o.head] : [])), ...extra]) {
    if (heads.some((k) => k.output === h.output)) throw new RangeError(`Model: output '${h.output}' has two heads`);
    const weight = lossWeights[h.output] ?? h.weight;
    const spec: HeadSpec = { output: h.output, kind: h.kind, ...(weight !== undefined ? { weight } : {}) };
    checkHead(spec, featuresOf(h.output));
    heads.push(spec);
  }
  for (const name of Object.keys(lossWeights)) {
    if (!heads.some((h) => h.output === name)) throw new RangeError(`Model: lossWeights names '${name}', which is not an output with a head`);
  }
  return heads;
}
