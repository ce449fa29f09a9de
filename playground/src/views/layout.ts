import type { PlaygroundNet } from '../model.js';
import { FEATURE_INFO } from '../features.js';
import type { FeatureName } from '../state.js';

// Where each node of the network diagram sits. Column 0 holds the seven input features (the
// disabled ones faded); then one column per hidden layer, or in graph mode one column with
// branch A above branch B; then the output head(s).

export const NODE = 34;
const GAP = 10;
/** Space between branch A and branch B: room for B's own header. */
const GROUP_GAP = 94;
const TOP = 86;
/** Room left of the feature column for the feature names. */
const LEFT = 50;

export interface NodePos {
  /** 'feature:x1', or '<block id>:<unit>'. */
  key: string;
  x: number;
  y: number;
  blockId: string | null;
  unit: number;
  feature: FeatureName | null;
  enabled: boolean;
}

export interface ColumnPos {
  x: number;
  blockIds: string[];
}

export interface Layout {
  nodes: NodePos[];
  columns: ColumnPos[];
  width: number;
  height: number;
  byKey: Map<string, NodePos>;
}

export function layoutNetwork(net: PlaygroundNet, enabled: readonly FeatureName[], width: number): Layout {
  const hidden = net.blocks.filter((b) => !b.head);
  const heads = net.blocks.filter((b) => b.head);
  const graph = net.state.mode === 'graph';
  const columnsOfBlocks: string[][] = graph ? [hidden.map((b) => b.id)] : hidden.map((b) => [b.id]);
  columnsOfBlocks.push(heads.map((b) => b.id));
  const nCols = columnsOfBlocks.length + 1;
  // Deep networks get at least 64 px per column; the network panel scrolls sideways then.
  width = Math.max(width, nCols * 64 + LEFT + 12);
  const spacing = (width - NODE - LEFT - 12) / Math.max(1, nCols - 1);
  const colX = (c: number) => LEFT + c * spacing;
  const nodes: NodePos[] = [];
  let height = 0;
  FEATURE_INFO.forEach((f, i) => {
    nodes.push({
      key: `feature:${f.name}`, x: colX(0), y: TOP + i * (NODE + GAP), blockId: null, unit: i,
      feature: f.name, enabled: enabled.includes(f.name),
    });
  });
  height = TOP + FEATURE_INFO.length * (NODE + GAP);
  const columns: ColumnPos[] = [{ x: colX(0), blockIds: ['input'] }];
  columnsOfBlocks.forEach((ids, c) => {
    let y = TOP;
    for (const id of ids) {
      const b = net.block(id);
      for (let u = 0; u < b.units; u++) {
        nodes.push({ key: `${id}:${u}`, x: colX(c + 1), y, blockId: id, unit: u, feature: null, enabled: true });
        y += NODE + GAP;
      }
      y += GROUP_GAP;
    }
    height = Math.max(height, y);
    columns.push({ x: colX(c + 1), blockIds: ids });
  });
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  return { nodes, columns, width, height: height + 10, byKey };
}

/** Keys of the nodes feeding a block, in the order of its weight rows. */
export function sourceKeys(net: PlaygroundNet, blockId: string, enabled: readonly FeatureName[]): string[] {
  const b = net.block(blockId);
  const features = FEATURE_INFO.filter((f) => enabled.includes(f.name));
  return net.fanIn(b).map(([src, i]) => (src === 'input' ? `feature:${features[i]!.name}` : `${src}:${i}`));
}
