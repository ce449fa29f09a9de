import { identity } from '../ops/activations.js';
import type { Tensor } from '../tensor/tensor.js';

// Information flow both ways: the forward values at every node and the gradient along every
// edge. Each edge's tensor is passed through an identity op that keeps its gradient, so a
// node read by two others shows two separate gradients, one per edge.

/** Summary of one node's last forward values. */
export interface ValueStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** The gradient that flowed backward along one edge: its L2 norm (null before backward). */
export interface EdgeTrace {
  from: string;
  to: string;
  gradNorm: number | null;
}

export interface GraphTrace {
  values: Record<string, ValueStats>;
  edges: EdgeTrace[];
}

/** Mean, (population) standard deviation, min and max of a tensor's values. */
export function valueStats(t: Tensor): ValueStats {
  const d = t.data;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = d.length ? sum / d.length : 0;
  let sq = 0;
  for (let i = 0; i < d.length; i++) sq += (d[i]! - mean) ** 2;
  return { mean, std: d.length ? Math.sqrt(sq / d.length) : 0, min, max };
}

function l2(t: Tensor): number {
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += t.data[i]! * t.data[i]!;
  return Math.sqrt(s);
}

/** Used by Model.forward while tracing is on. */
export class TraceRecorder {
  private values = new Map<string, ValueStats>();
  private edges = new Map<string, { from: string; to: string; tensor: Tensor }>();
  private withGrads = false;

  /** Start a forward pass; gradients are only watched while they are being recorded. */
  begin(withGrads: boolean): this {
    this.values.clear();
    this.withGrads = withGrads;
    if (withGrads) this.edges.clear();
    return this;
  }

  value(node: string, t: Tensor): void {
    this.values.set(node, valueStats(t));
  }

  /** The tensor to pass along the edge from → to: a watched copy when gradients are recorded. */
  edge(from: string, to: string, t: Tensor): Tensor {
    if (!this.withGrads || !t.requiresGrad) return t;
    const watched = identity(t).retainGrad();
    this.edges.set(`${from}->${to}`, { from, to, tensor: watched });
    return watched;
  }

  report(): GraphTrace {
    return {
      values: Object.fromEntries(this.values),
      edges: [...this.edges.values()].map(({ from, to, tensor }) => ({ from, to, gradNorm: tensor.grad ? l2(tensor.grad) : null })),
    };
  }
}
