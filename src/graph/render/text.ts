import type { Model } from '../model.js';
import { boxLines, edgeShape } from './labels.js';

// The model as Mermaid and Graphviz DOT text, for READMEs, notebooks and `dot -Tpng`.

/** A Mermaid-safe identifier for a node name. */
function mermaidId(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;');
}

/**
 * A Mermaid flowchart (top to bottom), with the shape on each edge.
 * @example console.log(toMermaid(model)); // flowchart TD …
 */
export function toMermaid(model: Model): string {
  const lines = ['flowchart TD'];
  const box = (id: string, open: string, close: string) =>
    `  ${mermaidId(id)}${open}"${mermaidText(boxLines(model, id).join('<br/>'))}"${close}`;
  for (const n of model.nodes) lines.push(n.op === 'input' ? box(n.name, '([', '])') : n.op === 'concat' ? box(n.name, '{{', '}}') : box(n.name, '[', ']'));
  for (const out of model.outputNames) lines.push(box(`output:${out}`, '([', '])'));
  for (const e of model.edges()) lines.push(`  ${mermaidId(e.from)} -->|"${edgeShape(e.features)}"| ${mermaidId(e.to)}`);
  return lines.join('\n');
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const DOT_FILL: Record<string, string> = { Input: '#dbe8f6', Linear: '#fde3c8', Concat: '#eadcf0', Dropout: '#e8e8e8', Output: '#f9d7d8' };

/**
 * Graphviz DOT text; render with `dot -Tsvg model.dot`.
 * @example console.log(toDot(model)); // digraph model { … }
 */
export function toDot(model: Model): string {
  const lines = ['digraph model {', '  rankdir=TB;', '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=10];'];
  const node = (id: string, kind: string) =>
    `  ${dotString(id)} [label=${dotString(boxLines(model, id).join('\n'))}, fillcolor="${DOT_FILL[kind] ?? '#dcefd8'}"];`;
  for (const n of model.nodes) lines.push(node(n.name, n.kind));
  for (const out of model.outputNames) lines.push(node(`output:${out}`, 'Output'));
  for (const e of model.edges()) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(edgeShape(e.features))}];`);
  lines.push('}');
  return lines.join('\n');
}
