// Fused Linear → activation pairs in graph Models: the same bits as the node-by-node pass, in
// values and in every gradient; pairs whose Linear output someone else can see stay apart.
import { describe, expect, it } from 'vitest';
import {
  ELU, Linear, Model, Random, ReLU, Sigmoid, Tanh, Tensor, concat, input, mul, noGrad, sum, add,
  topologicalOrder, type DType, type TensorMap,
} from '../../src/index.js';
import { planForward } from '../../src/graph/forwardPlan.js';

/**
 * x → la → Tanh → shared → ReLU ─┐            (la+tanh, shared+relu fuse)
 * x → lb → Sigmoid → shared → Sigmoid ─┤      (shared reused; both pairs fuse)
 * x → lc → ELU ─┤                              (ELU does not fuse)
 * x → ld ─→ Tanh ─┤ and ld ─→ ReLU ─┤          (ld feeds two nodes: no fusion)
 * x → le → Tanh ─┤, le is output 'z'           (le is an output: no fusion)
 * x → lp → Sigmoid = output 'p'                (the activation is an output: no fusion)
 * concat of the ┤ above → head = output 'y'
 */
function bigGraph(dtype: DType): Model {
  const o = (seed: number) => ({ seed, dtype });
  const x = input({ name: 'x', features: 4 });
  const shared = new Linear(6, 5, o(1));
  const a = new ReLU().apply(shared.apply(new Tanh().apply(new Linear(4, 6, o(2)).apply(x))));
  const b = new Sigmoid().apply(shared.apply(new Sigmoid().apply(new Linear(4, 6, o(3)).apply(x))));
  const c = new ELU().apply(new Linear(4, 3, o(4)).apply(x));
  const d = new Linear(4, 3, o(5)).apply(x);
  const e = new Linear(4, 2, o(6)).apply(x);
  const p = new Sigmoid().apply(new Linear(4, 2, o(7)).apply(x));
  const h = concat([a, b, c, new Tanh().apply(d), new ReLU().apply(d), new Tanh().apply(e)]);
  const y = new Linear(5 + 5 + 3 + 3 + 3 + 2, 3, o(8)).apply(h);
  return new Model({ inputs: x, outputs: { y, z: e, p } });
}

/** The unfused pass: every node by its own layer's forward, as the model did before fusion. */
function nodeByNode(model: Model, x: Tensor): TensorMap {
  const values = new Map<string, Tensor>([['x', x]]);
  for (const n of model.nodes) {
    if (n.op === 'concat') values.set(n.name, concat(n.inputs.map((i) => values.get(i)!), 1));
    else if (n.op === 'layer') values.set(n.name, n.layer!.forward(values.get(n.inputs[0]!)!));
  }
  return Object.fromEntries(Object.entries(model.outputNodes).map(([name, node]) => [name, values.get(node)!]));
}

function randomTensor(rng: Random, shape: number[], dtype: DType, requiresGrad = false): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal(0, 1.5);
  return new Tensor(data, shape, requiresGrad);
}

/** A loss that weighs every output entry differently, so every gradient is distinct. */
function weightedLoss(out: TensorMap, weights: Record<string, Tensor>): Tensor {
  return Object.keys(weights).map((k) => sum(mul(out[k]!, weights[k]!))).reduce((s, t) => add(s, t));
}

/** Bytes of a tensor's data: equal bytes = equal bits, NaN and −0 included. */
function bits(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function opCounts(loss: Tensor): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of topologicalOrder(loss)) if (t.gradFn) counts[t.gradFn.op] = (counts[t.gradFn.op] ?? 0) + 1;
  return counts;
}

describe('Model forward with fused Linear → activation pairs', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: outputs, the input gradient and every parameter gradient equal the node-by-node pass bit for bit`, () => {
      const model = bigGraph(dtype);
      const rng = new Random(11);
      const weights = { y: randomTensor(rng, [7, 3], dtype), z: randomTensor(rng, [7, 2], dtype), p: randomTensor(rng, [7, 2], dtype) };
      const xData = randomTensor(rng, [7, 4], dtype);

      const run = (forward: (x: Tensor) => TensorMap) => {
        model.zeroGrad();
        const x = new Tensor(xData.data.slice(), [7, 4], true);
        const out = forward(x);
        const loss = weightedLoss(out, weights);
        const ops = opCounts(loss);
        loss.backward();
        const grads = model.namedParameters().map(([name, p]) => [name, bits(p.grad!)] as const);
        return { out: Object.fromEntries(Object.entries(out).map(([k, t]) => [k, bits(t)])), dx: bits(x.grad!), grads, ops };
      };
      const fused = run((x) => model.forward({ x }));
      const reference = run((x) => nodeByNode(model, x));

      // Exactly the four eligible pairs fused; the Linears of ELU, two readers, and outputs stay plain.
      expect(fused.ops['linear+tanh']).toBe(1);
      expect(fused.ops['linear+relu']).toBe(1);
      expect(fused.ops['linear+sigmoid']).toBe(2);
      expect(fused.ops['linear']).toBe(5);
      expect(reference.ops['linear']).toBe(9);
      expect(reference.ops['linear+tanh']).toBeUndefined();

      expect(fused.out).toEqual(reference.out);
      expect(fused.dx).toEqual(reference.dx);
      expect(fused.grads.map(([n]) => n)).toEqual(reference.grads.map(([n]) => n));
      for (let i = 0; i < fused.grads.length; i++) expect(fused.grads[i]![1], fused.grads[i]![0]).toEqual(reference.grads[i]![1]);
    });
  }

  it('predict (no gradients recorded) gives the node-by-node values', () => {
    const model = bigGraph('float32');
    const x = randomTensor(new Random(3), [5, 4], 'float32');
    const got = model.predict({ x });
    const want = noGrad(() => nodeByNode(model, x));
    for (const k of ['y', 'z', 'p']) expect(bits(got[k]!), k).toEqual(bits(want[k]!));
  });

  it('tracing runs unfused, so the trace still shows the pre-activation node and its edge gradient', () => {
    const x = input({ name: 'x', features: 2 });
    const model = new Model({ inputs: x, outputs: new Linear(3, 1, { seed: 2 }).apply(new Tanh().apply(new Linear(2, 3, { seed: 1 }).apply(x))) });
    const data = randomTensor(new Random(5), [4, 2], 'float32');

    const plain = model.forward({ x: data }).y!;
    expect(opCounts(sum(plain))['linear+tanh']).toBe(1);

    model.setTracing(true);
    const traced = model.forward({ x: data }).y!;
    const loss = sum(traced);
    expect(opCounts(loss)['linear+tanh']).toBeUndefined();
    loss.backward();
    const trace = model.lastTrace()!;
    expect(Object.keys(trace.values)).toEqual(['x', 'linear_1', 'tanh_1', 'linear_2']);
    const edge = trace.edges.find((e) => e.from === 'linear_1' && e.to === 'tanh_1')!;
    expect(edge.gradNorm).toBeGreaterThan(0);
    expect(bits(traced)).toEqual(bits(plain));

    model.setTracing(false);
    expect(opCounts(sum(model.forward({ x: data }).y!))['linear+tanh']).toBe(1);
  });
});

describe('planForward', () => {
  const node = (name: string, op: 'input' | 'layer' | 'concat', layer: unknown, inputs: string[]) => ({ name, op, layer: layer as Linear | null, inputs });

  it('merges a Linear into its activation step, keeping the other steps in order with slot numbers', () => {
    const nodes = [node('x', 'input', null, []), node('linear_1', 'layer', new Linear(2, 3), ['x']), node('relu_1', 'layer', new ReLU(), ['linear_1']), node('linear_2', 'layer', new Linear(3, 1), ['relu_1'])];
    const steps = planForward(nodes, ['linear_2']);
    expect(steps.map((s) => [s.slot, s.op, s.inputs, s.activation])).toEqual([[0, 'input', [], null], [2, 'layer', [0], 'relu'], [3, 'layer', [2], null]]);
  });

  it('leaves a Linear read twice by one concat unfused (edges are counted, not consumers)', () => {
    const nodes = [node('x', 'input', null, []), node('linear_1', 'layer', new Linear(2, 3), ['x']), node('tanh_1', 'layer', new Tanh(), ['linear_1']), node('concat_1', 'concat', null, ['linear_1', 'tanh_1'])];
    expect(planForward(nodes, ['concat_1']).every((s) => s.activation === null)).toBe(true);
  });

  it('leaves a subclass whose forward differs (a custom activation) unfused', () => {
    class Clipped extends Tanh {
      override forward(t: Tensor): Tensor {
        return super.forward(t);
      }
    }
    const nodes = [node('x', 'input', null, []), node('linear_1', 'layer', new Linear(2, 3), ['x']), node('tanh_1', 'layer', new Clipped(), ['linear_1']), node('linear_2', 'layer', new Linear(3, 1), ['tanh_1'])];
    expect(planForward(nodes, ['linear_2']).map((s) => s.activation)).toEqual([null, null, null, null]);
  });
});
