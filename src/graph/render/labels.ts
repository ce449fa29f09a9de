import type { Model } from '../model.js';

// The words inside each box and on each edge, shared by SVG, Mermaid and DOT.

const HEAD_WORDS = { binary: 'binary · sigmoid + log loss', multiclass: 'multiclass · softmax + CE', regression: 'regression · MSE' } as const;

/** Lines of text for a box id (a node name or `output:<name>`). */
export function boxLines(model: Model, id: string): string[] {
  if (id.startsWith('output:')) {
    const out = id.slice('output:'.length);
    const head = model.heads.find((h) => h.output === out);
    const weight = head?.weight !== undefined ? ` ×${head.weight}` : '';
    return [`output ${out}`, head ? HEAD_WORDS[head.kind] + weight : 'raw output'];
  }
  const n = model.node(id);
  if (n.op === 'input') return [n.name, `Input [N, ${n.features}]`];
  const count = n.layer ? n.layer.parameterCount() : 0;
  const reused = n.layerName !== null && n.layerName !== n.name ? ` (= ${n.layerName})` : '';
  return [n.name, `${n.kind}${count ? ` · ${count.toLocaleString('en-US')} params` : ''}${reused}`];
}

/** `[N, 16]`: the shape carried by an edge. */
export function edgeShape(features: number): string {
  return `[N, ${features}]`;
}

/** A compact number for overlays: 3 significant digits, exponent when tiny or huge. */
export function compact(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(2);
}
