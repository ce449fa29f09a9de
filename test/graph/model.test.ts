import { describe, expect, it } from 'vitest';
import {
  Dropout, Linear, Model, ReLU, Sigmoid, Tanh, binaryHead, concat, crossEntropyLoss, input, isGradEnabled, linear, mseLoss,
  multiclassHead, regressionHead, relu, sigmoid, softmax, tensor, concat as cat,
} from '../../src/index.js';

function twoBranch() {
  const x = input({ name: 'x', features: 2 });
  const l1 = new Linear(2, 4, { seed: 1 });
  const l2 = new Linear(2, 3, { seed: 2 });
  const h = concat([new ReLU().apply(l1.apply(x)), new Sigmoid().apply(l2.apply(x))]);
  const head = multiclassHead(h, { classes: 3, seed: 3 });
  return { x, l1, l2, model: new Model({ inputs: x, outputs: head }) };
}

const X = tensor([[0.5, -1], [2, 0.25], [-0.3, 0.8]]);

describe('Model', () => {
  it('forward evaluates the DAG with the eager ops: the same numbers as writing it by hand', () => {
    const { l1, l2, model } = twoBranch();
    const head = model.layers.at(-1)!.layer as Linear;
    const byHand = linear(cat([relu(linear(X, l1.weight, l1.bias)), sigmoid(linear(X, l2.weight, l2.bias))], 1), head.weight, head.bias);
    expect(Array.from(model.forward({ x: X }).y!.data)).toEqual(Array.from(byHand.data));
    expect(Array.from(model.forward(X).y!.data)).toEqual(Array.from(byHand.data)); // one input may be a bare tensor
  });

  it('gradients flow back through the graph to every layer', () => {
    const { model } = twoBranch();
    model.loss(model.forward({ x: X }), { y: [0, 2, 1] }).backward();
    for (const [name, p] of model.namedParameters()) expect(p.grad, name).not.toBeNull();
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'linear_1.weight', 'linear_1.bias', 'linear_2.weight', 'linear_2.bias', 'y.weight', 'y.bias',
    ]);
  });

  it('loss is the heads\' weighted sum of their losses', () => {
    const x = input({ name: 'x', features: 2 });
    const h = new Tanh().apply(new Linear(2, 4, { seed: 1 }).apply(x));
    const model = new Model({ inputs: x, outputs: [regressionHead(h, { name: 'count', weight: 2 }), multiclassHead(h, { name: 'breed', classes: 3, weight: 0.5 })] });
    const out = model.forward({ x: X });
    const count = tensor([[1], [2], [3]]);
    const expected = 2 * mseLoss(out.count!, count).item() + 0.5 * crossEntropyLoss(out.breed!, [0, 1, 2]).item();
    expect(model.loss(out, { count, breed: [0, 1, 2] }).item()).toBeCloseTo(expected, 6);
    expect(() => model.loss(out, { count })).toThrow("no target for output 'breed'; give targets as { count: …, breed: … }");
  });

  it('predict applies the heads (softmax, sigmoid), records no gradient and restores training mode', () => {
    const { model } = twoBranch();
    let recorded: boolean | null = null;
    const raw = model.forward({ x: X }).y!;
    const probs = model.predict({ x: X }).y!;
    expect(Array.from(probs.data)).toEqual(Array.from(softmax(raw).data));
    expect(probs.requiresGrad).toBe(false);
    expect(model.training).toBe(true);
    recorded = isGradEnabled();
    expect(recorded).toBe(true);

    const xb = input({ name: 'x', features: 2 });
    const drop = new Dropout(0.5, { seed: 1 });
    const bin = new Model({ inputs: xb, outputs: binaryHead(drop.apply(xb), { seed: 1 }) });
    const a = bin.predict({ x: X }).y!;
    expect(Array.from(bin.predict({ x: X }).y!.data)).toEqual(Array.from(a.data)); // dropout off while predicting
    expect(drop.training).toBe(true);
    const logits = bin.eval().forward({ x: X }).y!;
    expect(Array.from(a.data)).toEqual(Array.from(sigmoid(logits).data));
  });

  it('train()/eval() switch dropout in every layer', () => {
    const x = input({ name: 'x', features: 2 });
    const drop = new Dropout(0.5);
    const model = new Model({ inputs: x, outputs: drop.apply(x) });
    expect(model.eval().training).toBe(false);
    expect(drop.training).toBe(false);
    model.train();
    expect(drop.training).toBe(true);
  });

  it('a layer object applied twice shares its weights: one set of parameters, gradients from both uses', () => {
    const a = input({ name: 'a', features: 3 });
    const b = input({ name: 'b', features: 3 });
    const shared = new Linear(3, 2, { seed: 4, name: 'enc' });
    const model = new Model({ inputs: [a, b], outputs: { y: concat([shared.apply(a), shared.apply(b)]) } });
    expect(model.nodes.map((n) => n.name)).toEqual(['a', 'b', 'enc', 'enc#2', 'concat_1']);
    expect(model.layers).toHaveLength(1);
    expect(model.parameterCount()).toBe(8);
    const xa = tensor([[1, 0, 0]]);
    const xb = tensor([[0, 2, 0]]);
    const y = model.forward({ a: xa, b: xb }).y!;
    expect(y.shape).toEqual([1, 4]);
    y.backward(tensor([[1, 1, 1, 1]]));
    // dL/dW = aᵀ·1 + bᵀ·1 summed over both uses.
    expect(shared.weight.grad!.toArray()).toEqual([[1, 1], [2, 2], [0, 0]]);
  });

  it('names nodes per model, in creation order, whatever was built before', () => {
    new Linear(2, 2).apply(input({ name: 'unrelated', features: 2 }));
    const { model } = twoBranch();
    expect(model.nodes.map((n) => `${n.name}:${n.kind}:${n.features}:${n.inputs.join('+')}`)).toEqual([
      'x:Input:2:', 'linear_1:Linear:4:x', 'relu_1:ReLU:4:linear_1', 'linear_2:Linear:3:x', 'sigmoid_1:Sigmoid:3:linear_2',
      'concat_1:Concat:7:relu_1+sigmoid_1', 'y:Linear:3:concat_1',
    ]);
    expect(model.inputNames).toEqual(['x']);
    expect(model.outputNames).toEqual(['y']);
    expect(model.heads).toEqual([{ output: 'y', kind: 'multiclass' }]);
    expect(model.outputFeatures('y')).toBe(3);
    expect(model.inputFeatures('x')).toBe(2);
  });

  it('output names: object keys, head names, y for one bare symbol, node names for an array', () => {
    const x = input({ name: 'x', features: 2 });
    const h = new Linear(2, 3).apply(x);
    const t = new Tanh().apply(h);
    expect(new Model({ inputs: x, outputs: { hidden: h, out: t } }).outputNames).toEqual(['hidden', 'out']);
    expect(new Model({ inputs: x, outputs: t }).outputNames).toEqual(['y']);
    expect(new Model({ inputs: x, outputs: [h, t] }).outputNames).toEqual(['linear_1', 'tanh_1']);
  });

  it('checks its inputs by name and shape', () => {
    const a = input({ name: 'a', features: 2 });
    const b = input({ name: 'b', features: 1 });
    const model = new Model({ inputs: [a, b], outputs: concat([a, b]) });
    const takes = '{ a: [N, 2], b: [N, 1] }';
    expect(() => model.forward({ a: X })).toThrow(`Model.forward: missing input 'b' (a Tensor); the model takes ${takes}`);
    expect(() => model.forward({ a: X, b: tensor([[1], [2], [3]]), c: X })).toThrow(`Model.forward: unknown input 'c'; the model takes ${takes}`);
    expect(() => model.forward({ a: tensor([[1, 2, 3]]), b: tensor([[1]]) })).toThrow("Model.forward: input 'a' must have shape [N, 2], got [1, 3]");
    expect(() => model.forward({ a: X, b: tensor([[1], [2]]) })).toThrow("Model.forward: input 'b' has 2 rows but input 'a' has 3; every input needs one row per example");
    expect(() => model.forward(X)).toThrow(`Model.forward: the model has 2 inputs; give them by name: ${takes}`);
  });

  it('refuses graphs whose inputs and outputs do not match', () => {
    const a = input({ name: 'a', features: 2 });
    const b = input({ name: 'b', features: 2 });
    expect(() => new Model({ inputs: a, outputs: concat([a, b]) })).toThrow("Model: the outputs depend on input 'b', which is not listed in inputs");
    expect(() => new Model({ inputs: [a, b], outputs: new ReLU().apply(a) })).toThrow("Model: input 'b' is not used by any output");
    const a2 = input({ name: 'a', features: 2 });
    expect(() => new Model({ inputs: [a, a2], outputs: concat([a, a2]) })).toThrow("two parts of the graph are named 'a' (an input)");
    expect(() => new Model({ inputs: a, outputs: [] })).toThrow('Model: give at least one output');
    expect(() => new Model({ inputs: new ReLU().apply(a), outputs: a })).toThrow('Model: inputs[0] is not a symbol made by input({ name, features })');
  });

  it('checks heads against their outputs', () => {
    const x = input({ name: 'x', features: 2 });
    const h = new Linear(2, 3).apply(x);
    expect(() => new Model({ inputs: x, outputs: { y: h }, heads: [{ output: 'y', kind: 'binary' }] })).toThrow(
      "binary head on output 'y' needs one logit per row ([N, 1]) but the output has shape [N, 3]; use a multiclass head for 3 classes",
    );
    const one = new Linear(2, 1).apply(x);
    expect(() => new Model({ inputs: x, outputs: { y: one }, heads: [{ output: 'y', kind: 'multiclass' }] })).toThrow(
      "multiclass head on output 'y' needs K ≥ 2 logits per row but the output has shape [N, 1]; use a binary head for one logit",
    );
    expect(() => new Model({ inputs: x, outputs: { y: h }, heads: [{ output: 'z', kind: 'regression' }] })).toThrow("no output named 'z'; the outputs are y");
    expect(() => new Model({ inputs: x, outputs: { y: h }, heads: [{ output: 'y', kind: 'regression' }], lossWeights: { q: 1 } })).toThrow(
      "Model: lossWeights names 'q', which is not an output with a head",
    );
    expect(() => multiclassHead(x, { classes: 1 })).toThrow(/classes must be an integer ≥ 2, got 1/);
  });

  it('lossWeights override the heads\' weights', () => {
    const x = input({ name: 'x', features: 2 });
    const model = new Model({ inputs: x, outputs: regressionHead(x, { weight: 3 }), lossWeights: { y: 0.25 } });
    expect(model.heads).toEqual([{ output: 'y', kind: 'regression', weight: 0.25 }]);
  });

  it('regularization sums the layers\' penalties, each shared layer once', () => {
    const x = input({ name: 'x', features: 2 });
    const l = new Linear(2, 2, { seed: 1, l2: 0.5 } as never);
    const plain = new Model({ inputs: x, outputs: new Linear(2, 1).apply(x) });
    expect(plain.regularization()).toBeNull();
    const model = new Model({ inputs: x, outputs: l.apply(new ReLU().apply(l.apply(x))) });
    const w = Array.from(l.weight.data);
    expect(model.regularization()!.item()).toBeCloseTo(0.5 * w.reduce((s, v) => s + v * v, 0), 6);
  });
});
