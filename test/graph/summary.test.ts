import { describe, expect, it } from 'vitest';
import { Linear, Model, ReLU, Sigmoid, concat, input, multiclassHead, regressionHead } from '../../src/index.js';

/** The handbook's two-branch graph: X0 [N, d] → relu branch [N, h1] and sigmoid branch [N, h2] → concat → K classes. */
function handbookGraph(d: number, h1: number, h2: number, K: number): Model {
  const X0 = input({ name: 'X0', features: d });
  const A1 = new ReLU().apply(new Linear(d, h1).apply(X0));
  const A2 = new Sigmoid().apply(new Linear(d, h2).apply(X0));
  return new Model({ inputs: X0, outputs: multiclassHead(concat([A1, A2]), { classes: K }) });
}

describe('summary()', () => {
  it('walks through the dimensions of the two-branch graph, node by node, with the totals', () => {
    expect(handbookGraph(2, 16, 8, 3).summary()).toBe(
      [
        'node       kind     output   params  inputs',
        '─────────  ───────  ───────  ──────  ─────────────────',
        'X0         Input    [N, 2]        0',
        'linear_1   Linear   [N, 16]      48  X0',
        'relu_1     ReLU     [N, 16]       0  linear_1',
        'linear_2   Linear   [N, 8]       24  X0',
        'sigmoid_1  Sigmoid  [N, 8]        0  linear_2',
        'concat_1   Concat   [N, 24]       0  relu_1, sigmoid_1',
        'y          Linear   [N, 3]       75  concat_1',
        '',
        "output 'y' ← y [N, 3]  (multiclass: softmax, cross-entropy)",
        'trainable parameters: 147',
        'weights in memory: 588 B (float32)',
      ].join('\n'),
    );
  });

  it('counts parameters as d·h + h per Linear and reports memory in KB past 1024 bytes', () => {
    const s = handbookGraph(30, 64, 32, 10).summary();
    // (30·64 + 64) + (30·32 + 32) + (96·10 + 10) = 1984 + 992 + 970 = 3946 values = 15,784 bytes.
    expect(s).toContain('trainable parameters: 3,946');
    expect(s).toContain('weights in memory: 15,784 B = 15.41 KB (float32)');
    expect(s).toContain('concat_1   Concat   [N, 96]');
  });

  it('marks a reused layer as shared instead of counting it twice, and shows loss weights', () => {
    const x = input({ name: 'x', features: 3 });
    const enc = new Linear(3, 3, { name: 'enc' });
    const h = enc.apply(new ReLU().apply(enc.apply(x)));
    const s = new Model({ inputs: x, outputs: regressionHead(h, { name: 'v', weight: 0.5 }) }).summary();
    expect(s).toContain('enc#2   Linear  [N, 3]  (shared with enc)  relu_1');
    expect(s).toContain('trainable parameters: 16');
    expect(s).toContain("output 'v' ← v [N, 1]  (regression: identity, mean squared error, loss weight 0.5)");
  });
});
