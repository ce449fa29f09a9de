import { describe, expect, it } from 'vitest';
import { Identity, Linear, Model, concat, input, mul, sum, tensor, valueStats } from '../../src/index.js';

describe('tracing', () => {
  it('valueStats: mean, population std, min and max', () => {
    expect(valueStats(tensor([[1, 3], [5, 7]]))).toEqual({ mean: 4, std: Math.sqrt(5), min: 1, max: 7 });
  });

  it('records each node\'s values and a separate gradient for each edge leaving a node', () => {
    // y = concat(x·W, x·W) where the two uses are weighted differently by the loss: the two
    // edges out of the shared node carry different gradients.
    const x = input({ name: 'x', features: 1 });
    const lin = new Linear(1, 1, { bias: false });
    lin.weight.data = new Float32Array([2]);
    const h = lin.apply(x);
    const model = new Model({ inputs: x, outputs: concat([new Identity().apply(h), h]) }).setTracing(true);
    expect(model.tracing).toBe(true);
    const y = model.forward({ x: tensor([[1], [3]]) }).y!;
    expect(y.toArray()).toEqual([[2, 2], [6, 6]]);
    // loss = Σ y ⊙ G with G = [[1, 10], [1, 10]]: gradient 1 per row on the identity path, 10 on the direct one.
    sum(mul(y, tensor([[1, 10], [1, 10]]))).backward();
    const trace = model.lastTrace()!;
    expect(trace.values.linear_1).toEqual({ mean: 4, std: 2, min: 2, max: 6 });
    const grads = Object.fromEntries(trace.edges.map((e) => [`${e.from}->${e.to}`, e.gradNorm]));
    expect(grads['linear_1->identity_1']).toBeCloseTo(Math.sqrt(2), 6);
    expect(grads['linear_1->concat_1']).toBeCloseTo(Math.sqrt(200), 6);
    expect(grads['concat_1->output:y']).toBeCloseTo(Math.sqrt(202), 6);
    // The weight still gets the sum of both paths: dL/dW = Σ x·(1 + 10) = 44.
    expect(lin.weight.grad!.item()).toBeCloseTo(44, 5);
  });

  it('keeps the last gradients through a prediction, and is off by default', () => {
    const x = input({ name: 'x', features: 2 });
    const model = new Model({ inputs: x, outputs: new Linear(2, 1, { seed: 1 }).apply(x) });
    expect(model.lastTrace()).toBeNull();
    model.setTracing(true);
    sum(model.forward({ x: tensor([[1, 1]]) }).y!).backward();
    model.predict({ x: tensor([[5, 5]]) });
    const trace = model.lastTrace()!;
    expect(trace.edges).toEqual([{ from: 'linear_1', to: 'output:y', gradNorm: 1 }]);
    expect(trace.values.x!.mean).toBe(5);
    model.setTracing(false);
    expect(model.lastTrace()).toBeNull();
  });
});
