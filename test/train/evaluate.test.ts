// evaluate and predict: batched, no gradient recording, head transforms; multi-head losses.
import { describe, expect, it } from 'vitest';
import {
  crossEntropyLoss, evaluate, fit, mseLoss, predict, predictAll, sigmoid, softmax, tensor, binaryAccuracy,
  accuracy, mae, mse, r2,
} from '../../src/index.js';
import { blobs, linearModel, mlp, twoHeadModel } from './fixtures.js';

describe('predict', () => {
  const x = tensor([[1, 2], [-1, 0.5], [0, -3], [2, 2], [0.5, 0.5]]);

  it('applies sigmoid for a binary head, softmax for multiclass, nothing for regression', () => {
    const bin = linearModel([[0.5], [-0.25]], [0.1], { head: 'binary' });
    expect(predict(bin, x).toArray()).toEqual(sigmoid(bin.forward({ x }).y!).toArray());
    expect(predict(bin, x, { raw: true }).toArray()).toEqual(bin.forward({ x }).y!.toArray());
    const multi = linearModel([[0.5, 0, -1], [0.2, 0.3, 0.1]], [0, 0.1, 0], { head: 'multiclass' });
    expect(predict(multi, x).toArray()).toEqual(softmax(multi.forward({ x }).y!).toArray());
    const reg = linearModel([[1], [2]], [3], { head: 'regression' });
    expect(predict(reg, x).toArray()).toEqual([[8], [3], [-3], [9], [4.5]]);
  });

  it('gives the same values batch by batch, records no gradients', () => {
    const m = mlp(3, 'multiclass');
    const p1 = predict(m, x, { batchSize: 2 });
    expect(p1.toArray()).toEqual(predict(m, x).toArray());
    expect(p1.requiresGrad).toBe(false);
    expect(p1.gradFn).toBeNull();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('needs an output name for a model with several', () => {
    const m = twoHeadModel();
    expect(() => predict(m, x)).toThrow(/the model has 2 outputs \(count, breed\); pass \{ output: '…' \} or use predictAll/);
    const all = predictAll(m, x);
    expect(Object.keys(all)).toEqual(['count', 'breed']);
    expect(predict(m, x, { output: 'breed' }).toArray()).toEqual(all.breed!.toArray());
  });
});

describe('evaluate', () => {
  it('averages batch losses by rows: equals the full-batch loss', () => {
    const { x, labels } = blobs(3, 5, 2);
    const m = mlp(3, 'multiclass');
    const full = crossEntropyLoss(m.forward({ x }).y!, labels).item();
    const ev = evaluate(m, { x, y: labels }, { batchSize: 4, metrics: ['accuracy'] });
    expect(ev.loss).toBeCloseTo(full, 6);
    expect(ev.losses).toEqual({ y: ev.loss });
    expect(ev.metrics.accuracy).toBeGreaterThanOrEqual(0);
  });

  it("'accuracy' on a binary head is binary accuracy of the probabilities", () => {
    const m = linearModel([[1], [-1]], [0], { head: 'binary' });
    const x = tensor([[2, 1], [1, 2], [3, 0], [0, 0.5]]);
    const y = [1, 1, 0, 0]; // predicted 1, 0, 1, 0
    expect(evaluate(m, { x, y }, { metrics: ['accuracy', 'binaryAccuracy'] }).metrics).toEqual({ accuracy: 0.5, binaryAccuracy: 0.5 });
    expect(binaryAccuracy(predict(m, x), y)).toBe(0.5);
  });

  it("rejects 'accuracy' on a regression output", () => {
    const m = linearModel([[1], [2]], [3], { head: 'regression' });
    expect(() => evaluate(m, { x: tensor([[1, 1]]), y: [1] }, { metrics: ['accuracy'] })).toThrow(/'accuracy' needs a classification output, but 'y' is regression; use mse, mae or r2/);
  });
});

describe('several heads', () => {
  const x = tensor([[1, 0], [0, 1], [1, 1], [2, -1]]);
  const count = [[1], [2], [3], [0]];
  const breed = [0, 2, 1, 0]; // separable: scores 2(x−y), 2(x+y)−3, 2(y−x)

  it('total loss = Σ head.weight · lossᵢ; lossWeights override the heads', () => {
    const m = twoHeadModel({ count: 0.7, breed: 0.3 });
    const out = m.forward({ x });
    const lc = mseLoss(out.count!, tensor(count)).item();
    const lb = crossEntropyLoss(out.breed!, breed).item();
    const ev = evaluate(m, { x, y: { count, breed } });
    expect(ev.losses.count).toBeCloseTo(lc, 6);
    expect(ev.losses.breed).toBeCloseTo(lb, 6);
    expect(ev.loss).toBeCloseTo(0.7 * lc + 0.3 * lb, 6);
    expect(evaluate(m, { x, y: { count, breed } }, { lossWeights: { breed: 2 } }).loss).toBeCloseTo(0.7 * lc + 2 * lb, 6);
  });

  it('fit trains both and records per-output losses and metrics by "output.metric"', () => {
    const m = twoHeadModel({ count: 1, breed: 0.5 });
    const h = fit(m, { x, y: { count, breed } }, {
      epochs: 150, batchSize: 4, optimizer: { name: 'adam', lr: 0.05 },
      metrics: { count: ['mae'], breed: ['accuracy'] }, validationData: { x, y: { count, breed } },
    });
    expect(h.names()).toEqual(['loss', 'val.loss', 'lr', 'count.loss', 'breed.loss', 'count.mae', 'breed.accuracy', 'val.count.loss', 'val.breed.loss', 'val.count.mae', 'val.breed.accuracy']);
    const last = (k: string) => h.get(k).at(-1)!;
    expect(last('loss')).toBeCloseTo(last('count.loss') + 0.5 * last('breed.loss'), 5);
    expect(last('breed.accuracy')).toBe(1);
    expect(last('val.breed.accuracy')).toBe(1);
    expect(h.loss.at(-1)!).toBeLessThan(h.loss[0]! / 2);
  });

  it('a zero loss weight leaves that head untouched', () => {
    const m = twoHeadModel();
    const before = Array.from(m.breed.weight.data);
    fit(m, { x, y: { count, breed } }, { epochs: 2, lossWeights: { breed: 0 }, optimizer: { name: 'sgd', lr: 0.1 } });
    expect(Array.from(m.breed.weight.data)).toEqual(before);
    expect(() => fit(m, { x, y: { count, breed } }, { lossWeights: { cats: 1 } })).toThrow(/lossWeights: 'cats' is not one of the model's outputs \(count, breed\)/);
  });

  it('needs targets for every output, by name', () => {
    const m = twoHeadModel();
    expect(() => fit(m, { x, y: count })).toThrow(/the model has 2 outputs \(count, breed\); give \{ count: …, breed: … \}/);
  });
});



describe('metrics batch by batch (evaluate and the Trainer keep no predictions)', () => {
  const { x, labels } = blobs(3, 17, 4); // 51 rows: batches of 7 leave a batch of 2

  it('evaluate gives the whole-array metrics of predict for any batch size', () => {
    const m = mlp(3, 'multiclass');
    const want = accuracy(predict(m, x), labels);
    for (const batchSize of [1, 7, 51, 256]) expect(evaluate(m, { x, y: labels }, { batchSize, metrics: ['accuracy'] }).metrics).toEqual({ accuracy: want });
    const two = twoHeadModel();
    const out = predictAll(two, x);
    const count = tensor(labels.map((c, i) => [c + 0.1 * (i % 5)]));
    for (const batchSize of [1, 7, 51]) {
      const got = evaluate(two, { x, y: { count, breed: labels } }, { batchSize, metrics: { count: ['mse', 'mae', 'r2'], breed: ['accuracy'] } }).metrics;
      // mse and mae sum in the same order as the whole-array functions; r2's SS_tot is merged per batch.
      expect(got['count.mse']).toBe(mse(out.count!, count));
      expect(got['count.mae']).toBe(mae(out.count!, count));
      expect(got['count.r2']).toBeCloseTo(r2(out.count!, count), 12);
      expect(got['breed.accuracy']).toBe(accuracy(out.breed!, labels));
    }
  });

  it("the Trainer's epoch metrics are the whole epoch's, also through the compiled step (lr 0: the model stays as it is)", () => {
    for (const [head, y] of [['multiclass', labels], ['binary', labels.map((c) => (c === 0 ? 1 : 0))]] as const) {
      const m = mlp(head === 'binary' ? 1 : 3, head);
      const want = head === 'binary' ? binaryAccuracy(predict(m, x), y) : accuracy(predict(m, x), y);
      const h = fit(m, { x, y: [...y] }, { epochs: 3, batchSize: 7, optimizer: { name: 'sgd', lr: 0 }, metrics: ['accuracy'], validationData: { x, y: [...y] } });
      expect(h.get('accuracy')).toEqual([want, want, want]);
      expect(h.get('val.accuracy')).toEqual([want, want, want]);
    }
  });
});
