import { describe, expect, it } from 'vitest';
import { Linear, Model, ReLU, Sigmoid, concat, input, layoutModel, multiclassHead, tensor, toDot, toMermaid, toSvg } from '../../src/index.js';

function twoBranch(): Model {
  const x = input({ name: 'x', features: 2 });
  const a = new ReLU().apply(new Linear(2, 16, { seed: 1 }).apply(x));
  const b = new Sigmoid().apply(new Linear(2, 8, { seed: 2 }).apply(x));
  return new Model({ inputs: x, outputs: multiclassHead(concat([a, b]), { classes: 3, seed: 3 }) });
}

/** Every opened tag is closed in order: a small well-formedness check without a DOM. */
function expectBalancedXml(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
}

describe('layoutModel', () => {
  it('puts each node one row below its deepest input, the outputs below their nodes, without overlaps', () => {
    const layout = layoutModel(twoBranch());
    const row = Object.fromEntries(layout.boxes.map((b) => [b.id, b.row]));
    expect(row).toEqual({ x: 0, linear_1: 1, linear_2: 1, relu_1: 2, sigmoid_1: 2, concat_1: 3, y: 4, 'output:y': 5 });
    for (const a of layout.boxes) {
      for (const b of layout.boxes) if (a !== b && a.row === b.row) expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual(170);
      expect(a.x).toBeGreaterThan(0);
      expect(a.x).toBeLessThan(layout.width);
      expect(a.y).toBeLessThan(layout.height);
    }
    // The relu branch stays on the side of linear_1.
    const x = Object.fromEntries(layout.boxes.map((b) => [b.id, b.x]));
    expect(Math.sign(x.relu_1! - x.sigmoid_1!)).toBe(Math.sign(x.linear_1! - x.linear_2!));
  });
});

describe('layoutModel with an edge that skips rows', () => {
  it('routes it through a waypoint beside the boxes of each row it crosses', () => {
    const x = input({ name: 'x', features: 3 });
    const h = new ReLU().apply(new Linear(3, 4).apply(x));
    const model = new Model({ inputs: x, outputs: concat([h, x]) }); // x → concat skips two rows
    const layout = layoutModel(model);
    const skip = layout.edges.find((e) => e.from === 'x' && e.to === 'concat_1')!;
    expect(skip.via.map((v) => v.y)).toEqual([1, 2].map((r) => 20 + r * (48 + 64) + 24));
    for (const v of skip.via) {
      for (const b of layout.boxes.filter((b) => b.y === v.y)) expect(Math.abs(b.x - v.x)).toBeGreaterThan(85);
    }
    expect(layout.edges.find((e) => e.from === 'x' && e.to === 'linear_1')!.via).toEqual([]);
    expectBalancedXml(toSvg(model));
  });
});

describe('toSvg', () => {
  it('draws every node with its kind and parameters and the shape on every edge, as well-formed SVG', () => {
    const model = twoBranch();
    const svg = toSvg(model, { title: 'Two branches & a <head>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expectBalancedXml(svg);
    expect(svg).toContain('Two branches &amp; a &lt;head&gt;');
    for (const n of model.nodes) expect(svg).toContain(`data-node="${n.name}"`);
    expect(svg).toContain('data-node="output:y"');
    expect(svg).toContain('Linear · 48 params');
    expect(svg).toContain('Linear · 75 params');
    expect(svg).toContain('multiclass · softmax + CE');
    const edges = model.edges();
    expect(edges).toHaveLength(8);
    expect((svg.match(/marker-end=/g) ?? []).length).toBe(8);
    for (const shape of ['[N, 2]', '[N, 16]', '[N, 8]', '[N, 24]', '[N, 3]']) expect(svg).toContain(`>${shape}</text>`);
    expect(svg).toContain('fill="#dbe8f6"'); // inputs blue
    expect(svg).toContain('fill="#fde3c8"'); // Linear orange
    expect(svg).toContain('fill="#dcefd8"'); // activations green
    expect(svg).toContain('fill="#eadcf0"'); // concat purple
    expect(svg).not.toContain('‖∇‖');
  });

  it('overlays the last forward statistics per node and backward gradient norms per edge', () => {
    const model = twoBranch().setTracing(true);
    model.loss(model.forward({ x: tensor([[1, 2], [3, -1]]) }), { y: [0, 2] }).backward();
    const trace = model.lastTrace()!;
    const svg = toSvg(model, { trace: true });
    expectBalancedXml(svg);
    expect(svg).toMatch(/μ -?[0-9.e-]+ {2}σ [0-9.e-]+/);
    const withGrad = trace.edges.filter((e) => e.gradNorm !== null);
    expect(withGrad.length).toBe(6); // every edge but the two from x (an input needs no gradient)
    expect((svg.match(/‖∇‖/g) ?? []).length).toBe(6);
    expect(toSvg(model, { trace })).toBe(svg);
  });
});

describe('toMermaid and toDot', () => {
  it('write a flowchart with shapes on the edges', () => {
    const m = toMermaid(twoBranch());
    expect(m.split('\n').slice(0, 2)).toEqual(['flowchart TD', '  n_x(["x<br/>Input [N, 2]"])']);
    expect(m).toContain('  n_linear_1["linear_1<br/>Linear · 48 params"]');
    expect(m).toContain('  n_concat_1{{"concat_1<br/>Concat"}}');
    expect(m).toContain('  n_relu_1 -->|"[N, 16]"| n_concat_1');
    expect(m).toContain('  n_y -->|"[N, 3]"| n_output_y');
  });

  it('write DOT with escaped labels', () => {
    const d = toDot(twoBranch());
    expect(d.startsWith('digraph model {')).toBe(true);
    expect(d.trimEnd().endsWith('}')).toBe(true);
    expect(d).toContain('"linear_1" [label="linear_1\\nLinear · 48 params", fillcolor="#fde3c8"];');
    expect(d).toContain('"sigmoid_1" -> "concat_1" [label="[N, 8]"];');
    expect(d).toContain('"y" -> "output:y" [label="[N, 3]"];');
  });
});
