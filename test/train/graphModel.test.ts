// fit, evaluate and predict on graph Models: the two-branch graph, two named inputs, and the
// multi-task net whose total loss is Σ w·loss with weights from the heads or lossWeights.
import { describe, expect, it } from 'vitest';
import {
  Linear, Model, ReLU, Sigmoid, concat, crossEntropyLoss, evaluate, fit, input, mseLoss, multiclassHead,
  predict, predictAll, regressionHead, binaryHead, tensor, Random,
} from '../../src/index.js';
import { blobs } from './fixtures.js';

function twoBranch(): Model {
  const x = input({ name: 'x', features: 2 });
  const a = new ReLU().apply(new Linear(2, 16, { seed: 1 }).apply(x));
  const b = new Sigmoid().apply(new Linear(2, 8, { seed: 2 }).apply(x));
  return new Model({ inputs: x, outputs: multiclassHead(concat([a, b]), { classes: 3, name: 'y', seed: 3 }) });
}

function catsNet(weights: { count: number; breed: number }, lossWeights?: Record<string, number>): Model {
  const picture = input({ name: 'picture', features: 2 });
  const trunk = new ReLU().apply(new Linear(2, 8, { seed: 1 }).apply(picture));
  const count = regressionHead(trunk, { name: 'count', weight: weights.count, seed: 2 });
  const breed = multiclassHead(trunk, { name: 'breed', classes: 3, weight: weights.breed, seed: 3 });
  return new Model({ inputs: picture, outputs: [count, breed], ...(lossWeights ? { lossWeights } : {}) });
}

describe('fit on a graph Model', () => {
  it('trains the two-branch graph to 100% accuracy on three blobs; predict = model.predict', () => {
    const { x, labels } = blobs(3, 20, 3);
    const model = twoBranch();
    const h = fit(model, { x, y: labels }, { epochs: 25, batchSize: 20, seed: 1, optimizer: { name: 'adam', lr: 0.05 }, metrics: ['accuracy'] });
    expect(h.metrics.accuracy!.at(-1)).toBe(1);
    expect(evaluate(model, { x, y: labels }, { metrics: ['accuracy'] }).metrics.accuracy).toBe(1);
    expect(predict(model, x).toArray()).toEqual(model.predict(x).y!.toArray());
  });

  it('feeds two named inputs from { x: { image, extra } }', () => {
    const image = input({ name: 'image', features: 2 });
    const extra = input({ name: 'extra', features: 1 });
    const h = concat([new ReLU().apply(new Linear(2, 4, { seed: 1 }).apply(image)), new Linear(1, 2, { seed: 2 }).apply(extra)]);
    const model = new Model({ inputs: [image, extra], outputs: binaryHead(h, { name: 'y', seed: 3 }) });
    const rng = new Random(4);
    const rows = Array.from({ length: 32 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = rows.map((r) => (r[0]! + r[2]! > 0 ? 1 : 0));
    const data = { x: { image: tensor(rows.map((r) => [r[0]!, r[1]!])), extra: tensor(rows.map((r) => [r[2]!])) }, y };
    const hist = fit(model, data, { epochs: 60, batchSize: 8, optimizer: { name: 'adam', lr: 0.05 }, metrics: ['accuracy'] });
    expect(hist.metrics.accuracy!.at(-1)).toBeGreaterThanOrEqual(0.95);
    expect(() => fit(model, { x: tensor(rows), y })).toThrow(/the model has 2 inputs \(image, extra\); give \{ image: …, extra: … \}/);
  });
});

describe('multi-task graph Model', () => {
  const picture = tensor([[1, 0], [0, 1], [1, 1], [2, -1], [0.5, 0.5], [-1, 2]]);
  const count = [[1], [2], [3], [0], [1], [2]];
  const breed = [0, 2, 1, 0, 1, 2];
  const data = { x: picture, y: { count, breed } };

  function byHand(model: Model, w: { count: number; breed: number }): number {
    const out = model.forward({ picture });
    return w.count * mseLoss(out.count!, tensor(count)).item() + w.breed * crossEntropyLoss(out.breed!, breed).item();
  }

  it('the heads’ weights give the total Σ w·loss in evaluate and in the first epoch', () => {
    const model = catsNet({ count: 1, breed: 0.5 });
    const expected = byHand(model, { count: 1, breed: 0.5 });
    expect(evaluate(model, data).loss).toBeCloseTo(expected, 5);
    const h = fit(model, data, { batchSize: 6, optimizer: { name: 'sgd', lr: 0 } });
    expect(h.loss[0]).toBeCloseTo(expected, 5);
    expect(h.loss[0]).toBeCloseTo(h.metrics['count.loss']![0]! + 0.5 * h.metrics['breed.loss']![0]!, 5);
  });

  it('lossWeights (fit option or Model option) override the heads', () => {
    const model = catsNet({ count: 1, breed: 0.5 });
    expect(evaluate(model, data, { lossWeights: { count: 0.2, breed: 3 } }).loss).toBeCloseTo(byHand(model, { count: 0.2, breed: 3 }), 5);
    const weighted = catsNet({ count: 1, breed: 0.5 }, { count: 0.2, breed: 3 });
    expect(evaluate(weighted, data).loss).toBeCloseTo(byHand(weighted, { count: 0.2, breed: 3 }), 5);
  });

  it('trains both heads; predictAll gives counts and breed probabilities', () => {
    const model = catsNet({ count: 1, breed: 0.5 });
    const h = fit(model, data, { epochs: 150, batchSize: 6, optimizer: { name: 'adam', lr: 0.03 }, metrics: { breed: ['accuracy'], count: ['mae'] } });
    expect(h.loss.at(-1)!).toBeLessThan(h.loss[0]! / 3);
    expect(h.metrics['breed.accuracy']!.at(-1)).toBe(1);
    const p = predictAll(model, picture);
    expect(p.count!.shape).toEqual([6, 1]);
    for (const row of p.breed!.toArray() as number[][]) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });
});
