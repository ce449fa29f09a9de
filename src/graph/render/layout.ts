import type { Model } from '../model.js';

// A small layered layout for drawing a model top to bottom: each node sits one row below its
// deepest inbound node, rows are ordered to keep edges short (barycentre sweeps), then
// centred. Enough for the handbook's graphs; no crossing minimisation beyond that.

export type BoxRole = 'input' | 'layer' | 'concat' | 'output';

/** One box of the drawing: a node, or an output (`output:<name>`). */
export interface LayoutBox {
  id: string;
  role: BoxRole;
  kind: string;
  row: number;
  /** Centre, in pixels. */
  x: number;
  y: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
  features: number;
}

export interface Layout {
  boxes: LayoutBox[];
  edges: LayoutEdge[];
  width: number;
  height: number;
}

export interface LayoutSizes {
  boxWidth: number;
  boxHeight: number;
  /** Horizontal space between boxes of a row. */
  gapX: number;
  /** Vertical space between rows (edge labels live there). */
  gapY: number;
  margin: number;
}

export const DEFAULT_SIZES: LayoutSizes = { boxWidth: 170, boxHeight: 48, gapX: 36, gapY: 64, margin: 20 };

/** Place every node and output of a model. */
export function layoutModel(model: Model, sizes: LayoutSizes = DEFAULT_SIZES): Layout {
  const edges = model.edges();
  const boxes = new Map<string, LayoutBox>();
  for (const n of model.nodes) {
    const row = n.inputs.length ? Math.max(...n.inputs.map((i) => boxes.get(i)!.row)) + 1 : 0;
    const role: BoxRole = n.op === 'input' ? 'input' : n.op === 'concat' ? 'concat' : 'layer';
    boxes.set(n.name, { id: n.name, role, kind: n.kind, row, x: 0, y: 0 });
  }
  for (const [out, node] of Object.entries(model.outputNodes)) {
    boxes.set(`output:${out}`, { id: `output:${out}`, role: 'output', kind: 'Output', row: boxes.get(node)!.row + 1, x: 0, y: 0 });
  }
  const rowCount = Math.max(...[...boxes.values()].map((b) => b.row)) + 1;
  const rows: LayoutBox[][] = Array.from({ length: rowCount }, () => []);
  for (const b of boxes.values()) rows[b.row]!.push(b);

  // Order each row by the mean position of its boxes' parents (two sweeps settle small graphs).
  const parents = new Map<string, string[]>();
  for (const e of edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  const position = new Map<string, number>();
  rows[0]!.forEach((b, i) => position.set(b.id, i));
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let r = 1; r < rowCount; r++) {
      const key = (b: LayoutBox) => {
        const ps = parents.get(b.id) ?? [];
        return ps.length ? ps.reduce((s, p) => s + (position.get(p) ?? 0), 0) / ps.length : 0;
      };
      rows[r]!.sort((a, b) => key(a) - key(b));
      rows[r]!.forEach((b, i) => position.set(b.id, i - (rows[r]!.length - 1) / 2));
    }
    rows[0]!.forEach((b, i) => position.set(b.id, i - (rows[0]!.length - 1) / 2));
  }

  const widest = Math.max(...rows.map((r) => r.length));
  const width = sizes.margin * 2 + widest * sizes.boxWidth + (widest - 1) * sizes.gapX;
  rows.forEach((row, r) => {
    const rowWidth = row.length * sizes.boxWidth + (row.length - 1) * sizes.gapX;
    const left = (width - rowWidth) / 2;
    row.forEach((b, i) => {
      b.x = left + i * (sizes.boxWidth + sizes.gapX) + sizes.boxWidth / 2;
      b.y = sizes.margin + r * (sizes.boxHeight + sizes.gapY) + sizes.boxHeight / 2;
    });
  });
  const height = sizes.margin * 2 + rowCount * sizes.boxHeight + (rowCount - 1) * sizes.gapY;
  return { boxes: [...boxes.values()], edges, width, height };
}
