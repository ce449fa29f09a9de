import type { Model } from '../model.js';
import type { GraphTrace } from '../trace.js';
import { boxLines, compact, edgeShape } from './labels.js';
import { DEFAULT_SIZES, layoutModel, type BoxRole, type LayoutBox } from './layout.js';

// The model as an SVG string: plain text building, no DOM and no Graphviz, so it works in
// Node and in the browser alike.

export interface SvgOptions {
  /** Overlay a trace: `true` takes `model.lastTrace()`; or pass one. */
  trace?: GraphTrace | boolean | null;
  /** A title above the graph. */
  title?: string;
}

/** Fill and stroke per kind of box (one palette for the whole project). */
const COLOURS: Record<BoxRole | 'activation' | 'dropout', { fill: string; stroke: string }> = {
  input: { fill: '#dbe8f6', stroke: '#4e79a7' },
  layer: { fill: '#fde3c8', stroke: '#e07b1a' },
  activation: { fill: '#dcefd8', stroke: '#59a14f' },
  dropout: { fill: '#e8e8e8', stroke: '#8c8c8c' },
  concat: { fill: '#eadcf0', stroke: '#9d6b95' },
  output: { fill: '#f9d7d8', stroke: '#d1494b' },
};

function colourOf(box: LayoutBox): { fill: string; stroke: string } {
  if (box.role !== 'layer') return COLOURS[box.role];
  if (box.kind === 'Linear') return COLOURS.layer;
  if (box.kind === 'Dropout') return COLOURS.dropout;
  return COLOURS.activation;
}

/** Escape text for XML. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Draw a model: boxes by kind (inputs blue, Linear orange, activations green, concat purple,
 * outputs red), the shape on every edge, parameter counts, and optionally the last forward
 * statistics (μ, σ per node) and backward gradient norms (‖∇‖ per edge, thicker = larger).
 * @example writeFileSync('model.svg', toSvg(model));
 */
export function toSvg(model: Model, opts: SvgOptions = {}): string {
  const trace = opts.trace === true ? model.lastTrace() : opts.trace || null;
  const sizes = { ...DEFAULT_SIZES, boxHeight: trace ? 62 : DEFAULT_SIZES.boxHeight };
  const layout = layoutModel(model, sizes);
  const top = opts.title ? 28 : 0;
  const byId = new Map(layout.boxes.map((b) => [b.id, b]));
  const grads = new Map((trace?.edges ?? []).map((e) => [`${e.from}->${e.to}`, e.gradNorm]));
  const maxGrad = Math.max(0, ...[...grads.values()].map((g) => g ?? 0));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height + top}" viewBox="0 0 ${layout.width} ${layout.height + top}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
  );
  if (opts.title) out.push(`<text x="${layout.width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(opts.title)}</text>`);
  out.push(`<g transform="translate(0, ${top})">`);

  for (const e of layout.edges) {
    const a = byId.get(e.from)!;
    const b = byId.get(e.to)!;
    // Several edges into one box arrive side by side, in the order of the node's inputs.
    const siblings = layout.edges.filter((o) => o.to === e.to);
    const slot = siblings.indexOf(e) - (siblings.length - 1) / 2;
    const [x1, y1, x2, y2] = [a.x, a.y + sizes.boxHeight / 2, b.x + slot * 28, b.y - sizes.boxHeight / 2];
    // Through each waypoint straight down (the height of a box), smooth curves in between.
    const points = [{ x: x1, y: y1 }];
    for (const v of e.via) points.push({ x: v.x, y: v.y - sizes.boxHeight / 2 }, { x: v.x, y: v.y + sizes.boxHeight / 2 });
    points.push({ x: x2, y: y2 });
    let d = `M${x1},${y1}`;
    for (let i = 1; i < points.length; i++) {
      const [p, q] = [points[i - 1]!, points[i]!];
      const my = (p.y + q.y) / 2;
      d += i % 2 === 0 ? ` L${q.x},${q.y}` : ` C${p.x},${my} ${q.x},${my} ${q.x},${q.y}`;
    }
    const midY = (y1 + points[1]!.y) / 2;
    const grad = grads.get(`${e.from}->${e.to}`);
    const widthPx = grad != null && maxGrad > 0 ? 1.2 + 3.5 * (grad / maxGrad) : 1.4;
    out.push(
      `<path d="${d}" fill="none" stroke="#555" stroke-width="${widthPx.toFixed(2)}" marker-end="url(#arrow)"><title>${escapeXml(`${e.from} → ${e.to}`)}</title></path>`,
    );
    const lx = (x1 + points[1]!.x) / 2 + 6;
    out.push(`<text x="${lx}" y="${midY - 2}" fill="#333" font-size="11">${escapeXml(edgeShape(e.features))}</text>`);
    if (grad != null) out.push(`<text x="${lx}" y="${midY + 11}" fill="#b03a2e" font-size="10">‖∇‖ ${escapeXml(compact(grad))}</text>`);
  }

  for (const box of layout.boxes) {
    const { fill, stroke } = colourOf(box);
    const [w, h] = [sizes.boxWidth, sizes.boxHeight];
    const rx = box.role === 'input' || box.role === 'output' ? 16 : 5;
    const lines = boxLines(model, box.id);
    const stats = trace?.values[box.id];
    if (stats) lines.push(`μ ${compact(stats.mean)}  σ ${compact(stats.std)}`);
    out.push(`<g class="node ${box.role}" data-node="${escapeXml(box.id)}">`);
    out.push(`<rect x="${box.x - w / 2}" y="${box.y - h / 2}" width="${w}" height="${h}" rx="${rx}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`);
    const firstY = box.y - ((lines.length - 1) * 14) / 2 + 4;
    lines.forEach((line, i) => {
      const weight = i === 0 ? ' font-weight="bold"' : '';
      const colour = i === 2 ? ' fill="#1f5f99"' : '';
      out.push(`<text x="${box.x}" y="${firstY + i * 14}" text-anchor="middle"${weight}${colour}>${escapeXml(line)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</g>', '</svg>');
  return out.join('\n');
}
