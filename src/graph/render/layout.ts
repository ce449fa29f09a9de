import type { Model } from '../model.js';

// A small layered layout for drawing a model top to bottom: each node sits one row below its
// deepest inbound node; an edge that skips rows gets a thin invisible waypoint in each row it
// crosses (so it never runs through a box); rows are ordered by the mean position of their
// parents (barycentre sweeps), then centred. Enough for the handbook's graphs.

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
  /** Centres of the waypoints in the rows this edge crosses (empty between adjacent rows). */
  via: { x: number; y: number }[];
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
  /** Width reserved for a waypoint of a long edge. */
  waypointWidth: number;
}

export const DEFAULT_SIZES: LayoutSizes = { boxWidth: 170, boxHeight: 48, gapX: 36, gapY: 64, margin: 20, waypointWidth: 12 };

interface Slot {
  id: string;
  row: number;
  width: number;
  x: number;
  box: LayoutBox | null;
}

/** Place every node and output of a model. */
export function layoutModel(model: Model, sizes: LayoutSizes = DEFAULT_SIZES): Layout {
  const slots = new Map<string, Slot>();
  const add = (id: string, row: number, box: LayoutBox | null) =>
    slots.set(id, { id, row, width: box ? sizes.boxWidth : sizes.waypointWidth, x: 0, box });
  for (const n of model.nodes) {
    const row = n.inputs.length ? Math.max(...n.inputs.map((i) => slots.get(i)!.row)) + 1 : 0;
    const role: BoxRole = n.op === 'input' ? 'input' : n.op === 'concat' ? 'concat' : 'layer';
    add(n.name, row, { id: n.name, role, kind: n.kind, row, x: 0, y: 0 });
  }
  for (const [out, node] of Object.entries(model.outputNodes)) {
    const row = slots.get(node)!.row + 1;
    add(`output:${out}`, row, { id: `output:${out}`, role: 'output', kind: 'Output', row, x: 0, y: 0 });
  }
  // Long edges: one waypoint per crossed row, chained so ordering keeps them near their ends.
  const parents = new Map<string, string[]>();
  const link = (from: string, to: string) => parents.set(to, [...(parents.get(to) ?? []), from]);
  const edges = model.edges().map((e, k) => {
    const [a, b] = [slots.get(e.from)!, slots.get(e.to)!];
    const waypoints: string[] = [];
    let prev = e.from;
    for (let r = a.row + 1; r < b.row; r++) {
      const id = `~${k}:${r}`;
      add(id, r, null);
      link(prev, id);
      waypoints.push(id);
      prev = id;
    }
    link(prev, e.to);
    return { ...e, waypoints };
  });

  const rowCount = Math.max(...[...slots.values()].map((s) => s.row)) + 1;
  const rows: Slot[][] = Array.from({ length: rowCount }, () => []);
  for (const s of slots.values()) rows[s.row]!.push(s);
  const place = (row: Slot[]): void => {
    const total = row.reduce((w, s) => w + s.width, 0) + (row.length - 1) * sizes.gapX;
    let left = -total / 2;
    for (const s of row) {
      s.x = left + s.width / 2;
      left += s.width + sizes.gapX;
    }
  };
  place(rows[0]!);
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let r = 1; r < rowCount; r++) {
      const key = (s: Slot) => {
        const ps = parents.get(s.id) ?? [];
        return ps.length ? ps.reduce((sum, p) => sum + slots.get(p)!.x, 0) / ps.length : 0;
      };
      const keys = new Map(rows[r]!.map((s) => [s, key(s)]));
      rows[r]!.sort((a, b) => keys.get(a)! - keys.get(b)!);
      place(rows[r]!);
    }
  }

  const minX = Math.min(...[...slots.values()].map((s) => s.x - s.width / 2));
  const maxX = Math.max(...[...slots.values()].map((s) => s.x + s.width / 2));
  const width = maxX - minX + 2 * sizes.margin;
  const yOf = (row: number) => sizes.margin + row * (sizes.boxHeight + sizes.gapY) + sizes.boxHeight / 2;
  const boxes: LayoutBox[] = [];
  for (const s of slots.values()) {
    s.x += sizes.margin - minX;
    if (s.box) boxes.push(Object.assign(s.box, { x: s.x, y: yOf(s.row) }));
  }
  const height = sizes.margin * 2 + rowCount * sizes.boxHeight + (rowCount - 1) * sizes.gapY;
  return {
    boxes,
    edges: edges.map(({ waypoints, ...e }) => ({ ...e, via: waypoints.map((id) => ({ x: slots.get(id)!.x, y: yOf(slots.get(id)!.row) })) })),
    width,
    height,
  };
}
