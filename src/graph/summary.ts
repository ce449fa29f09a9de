import type { HeadKind } from './types.js';
import type { Model } from './model.js';

// The model as a table: what each node computes, the shape it hands on (batch N symbolic),
// its parameters and where its input comes from — the handbook's dimension walk-through.

const HEAD_TEXT: Record<HeadKind, string> = {
  binary: 'binary: sigmoid, log loss on the logit',
  multiclass: 'multiclass: softmax, cross-entropy',
  regression: 'regression: identity, mean squared error',
};

/** "588 B", "2.31 KB", "1.20 MB" (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const numeric = rows[0]!.map((h) => h === 'params');
  const line = (r: string[]) =>
    r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
}

/** The text of `model.summary()`. */
export function summarize(model: Model): string {
  const counted = new Set<unknown>();
  const rows = [['node', 'kind', 'output', 'params', 'inputs']];
  for (const n of model.nodes) {
    let params = '0';
    if (n.layer) {
      params = counted.has(n.layer) ? `(shared with ${n.layerName})` : String(n.layer.parameterCount());
      counted.add(n.layer);
    }
    rows.push([n.name, n.kind, `[N, ${n.features}]`, params, n.inputs.join(', ')]);
  }
  const lines = table(rows);
  lines.push('');
  for (const [out, node] of Object.entries(model.outputNodes)) {
    const head = model.heads.find((h) => h.output === out);
    const what = head ? `${HEAD_TEXT[head.kind]}${head.weight !== undefined ? `, loss weight ${head.weight}` : ''}` : 'no head';
    lines.push(`output '${out}' ← ${node} [N, ${model.node(node).features}]  (${what})`);
  }
  const params = model.parameters();
  const count = params.reduce((s, p) => s + p.size, 0);
  const bytes = params.reduce((s, p) => s + p.size * p.data.BYTES_PER_ELEMENT, 0);
  const dtypes = [...new Set(params.map((p) => p.dtype))].join(', ') || 'float32';
  lines.push(`trainable parameters: ${count.toLocaleString('en-US')}`);
  const size = bytes < 1024 ? `${bytes} B` : `${bytes.toLocaleString('en-US')} B = ${formatBytes(bytes)}`;
  lines.push(`weights in memory: ${size} (${dtypes})`);
  return lines.join('\n');
}
