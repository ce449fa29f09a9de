// fit end to end: default losses from heads, optimizers by name, seeded shuffling, validation,
// callbacks, dropout, regularisation and the classic problems that must be solved.
import { describe, expect, it } from 'vitest';
import {
  Dropout, Linear, Sequential, SGD, asTrainable, bceWithLogitsLoss, crossEntropyLoss, evaluate, fit,
  fitAsync, mseLoss, predict, tensor, Tensor, Trainer, Random, Adam, AdamW, RMSprop, makeOptimizer,
} from '../../src/index.js';
import { blobs, linearModel, mlp, weightsOf, XOR_X, XOR_Y } from './fixtures.js';

describe('fit: default loss from the head', () => {
  // One full-batch epoch: the recorded loss is the loss of the initial weights.
  const x = tensor([[1, 2], [-1, 0.5], [0, -3]]);

  it('binary head → bceWithLogitsLoss on [N] 0/1 targets', () => {
    const m = linearModel([[0.5], [-0.25]], [0.1], { head: 'binary' });
    const expected = bceWithLogitsLoss(m.forward({ x }).y!, tensor([[1], [0], [1]])).item();
    const h = fit(m, { x, y: [1, 0, 1] }, { epochs: 1, batchSize: 3, optimizer: { name: 'sgd', lr: 0 } });
    expect(h.loss[0]).toBeCloseTo(expected, 7);
  });

  it('multiclass head → crossEntropyLoss with labels or one-hot rows', () => {
    const m = linearModel([[0.5, 0, -1], [0.2, 0.3, 0.1]], [0, 0.1, 0], { head: 'multiclass' });
    const expected = crossEntropyLoss(m.forward({ x }).y!, [2, 0, 1]).item();
    expect(fit(m, { x, y: [2, 0, 1] }, { batchSize: 3, optimizer: { name: 'sgd', lr: 0 } }).loss[0]).toBeCloseTo(expected, 7);
    const oneHot = tensor([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(fit(m, { x, y: oneHot }, { batchSize: 3, optimizer: { name: 'sgd', lr: 0 } }).loss[0]).toBeCloseTo(expected, 7);
  });

  it('regression head → mseLoss', () => {
    const m = linearModel([[1, 0], [0, 1]], [0, 0], { head: 'regression' });
    // predictions are x itself; targets 0 ⇒ mean of squares (1+4+1+0.25+0+9)/6.
    const h = fit(m, { x, y: tensor([[0, 0], [0, 0], [0, 0]]) }, { batchSize: 3, optimizer: { name: 'sgd', lr: 0 } });
    expect(h.loss[0]).toBeCloseTo(15.25 / 6, 6);
  });

  it('a loss option overrides the head, by name or as a function', () => {
    const m = linearModel([[1], [0]], [0], { head: 'regression' });
    // predictions 1, −1, 0 against 0: mae 2/3.
    const opts = { batchSize: 3, optimizer: { name: 'sgd' as const, lr: 0 } };
    expect(fit(m, { x, y: [0, 0, 0] }, { ...opts, loss: 'mae' }).loss[0]).toBeCloseTo(2 / 3, 6);
    expect(fit(m, { x, y: [0, 0, 0] }, { ...opts, loss: (o, t) => mseLoss(o, tensor([[0], [0], [0]])) }).loss[0]).toBeCloseTo(2 / 3, 6);
  });

  it('a model without a head needs a loss, and says so', () => {
    const m = linearModel([[1], [0]], [0]);
    expect(() => fit(m, { x, y: [0, 0, 0] })).toThrow(/output 'y' has no head and no loss; pass loss: \{ y: 'mse' \}/);
  });
});

describe('fit: optimizers', () => {
  const x = tensor([[1, 2], [3, -1]]);
  const y = [[1], [0]];

  it("{ name: 'sgd', lr } takes exactly one PyTorch SGD step per batch", () => {
    const a = linearModel([[0.5], [-0.5]], [0.25], { head: 'regression' });
    const b = linearModel([[0.5], [-0.5]], [0.25], { head: 'regression' });
    fit(a, { x, y }, { batchSize: 2, optimizer: { name: 'sgd', lr: 0.1 } });
    const opt = new SGD(b.parameters(), { lr: 0.1 });
    mseLoss(b.forward({ x }).y!, tensor(y)).backward();
    opt.step();
    expect(weightsOf(a)).toEqual(weightsOf(b));
  });

  it('builds each named optimizer with its options; an instance is used as given', () => {
    const params = linearModel([[1]], [0]).parameters();
    expect(makeOptimizer('adam', params)).toBeInstanceOf(Adam);
    expect(makeOptimizer(undefined, params).paramGroups[0]!.lr).toBe(1e-3);
    expect(makeOptimizer({ name: 'adamw', lr: 0.5 }, params)).toBeInstanceOf(AdamW);
    expect(makeOptimizer('rmsprop', params)).toBeInstanceOf(RMSprop);
    const mom = makeOptimizer('momentum', params) as SGD;
    expect([mom.paramGroups[0]!.momentum, mom.paramGroups[0]!.lr]).toEqual([0.9, 0.01]);
    const own = new SGD(params, { lr: 3 });
    expect(makeOptimizer(own, params)).toBe(own);
    expect(() => makeOptimizer('lbfgs' as never, params)).toThrow(/unknown name 'lbfgs'; choose one of sgd, momentum, adam, adamw, rmsprop/);
  });
});

describe('fit: clipGradNorm', () => {
  it('scales the gradient to the given global norm before the step', () => {
    // One row x = [3, 4], target 1, initial prediction 0: the MSE gradients are
    // dW = 2·(0 − 1)·[3, 4] = [−6, −8] and db = −2, so ‖g‖ = √(36 + 64 + 4) = √104.
    const m = linearModel([[0], [0]], [0], { head: 'regression' });
    fit(m, { x: tensor([[3, 4]]), y: [1] }, { optimizer: { name: 'sgd', lr: 1 }, clipGradNorm: 1 });
    const s = 1 / (Math.sqrt(104) + 1e-6);
    const [w, b] = m.parameters();
    expect(w!.data[0]).toBeCloseTo(6 * s, 6);
    expect(w!.data[1]).toBeCloseTo(8 * s, 6);
    expect(b!.data[0]).toBeCloseTo(2 * s, 6);
  });

  it('leaves a gradient below the norm alone, and refuses a non-positive norm', () => {
    const a = linearModel([[0], [0]], [0], { head: 'regression' });
    const b = linearModel([[0], [0]], [0], { head: 'regression' });
    const data = { x: tensor([[3, 4]]), y: [1] };
    fit(a, data, { optimizer: { name: 'sgd', lr: 0.01 }, clipGradNorm: 100 });
    fit(b, data, { optimizer: { name: 'sgd', lr: 0.01 } });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(() => fit(a, data, { clipGradNorm: 0 })).toThrow(/clipGradNorm must be a number > 0, got 0/);
  });
});

describe('fit: batches and seeded shuffling', () => {
  // Targets are the row numbers, so a loss that records its targets reveals each batch.
  const n = 10;
  const x = tensor(Array.from({ length: n }, (_, i) => [i, 1]));
  const rowIds = Array.from({ length: n }, (_, i) => i);

  function batchesOf(opts: { shuffle?: boolean; seed?: number; batchSize: number; epochs: number }): number[][] {
    const seen: number[][] = [];
    const m = linearModel([[0], [0]], [0]);
    fit(m, { x, y: rowIds }, { ...opts, optimizer: { name: 'sgd', lr: 0 }, loss: (o, t) => { seen.push(Array.from(t.data)); return mseLoss(o, new Tensor(t.data, o.shape)); } });
    return seen;
  }

  it('without shuffling, batches are consecutive rows and the last one is smaller', () => {
    expect(batchesOf({ shuffle: false, batchSize: 4, epochs: 1 })).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('with a seed, each epoch follows Random(seed).permutation and repeats exactly', () => {
    const a = batchesOf({ seed: 7, batchSize: 5, epochs: 2 });
    const rng = new Random(7);
    const p1 = Array.from(rng.permutation(n));
    const p2 = Array.from(rng.permutation(n));
    expect(a).toEqual([p1.slice(0, 5), p1.slice(5), p2.slice(0, 5), p2.slice(5)]);
    expect(p1).not.toEqual(p2);
    expect(batchesOf({ seed: 7, batchSize: 5, epochs: 2 })).toEqual(a);
    expect(batchesOf({ seed: 8, batchSize: 5, epochs: 2 })).not.toEqual(a);
  });

  it('the same seed gives the same weights to the bit', () => {
    const { x: bx, labels } = blobs(3, 10, 1);
    const run = (seed: number) => {
      const m = mlp(3, 'multiclass');
      fit(m, { x: bx, y: labels }, { epochs: 3, batchSize: 8, seed, optimizer: { name: 'adam', lr: 0.01 } });
      return weightsOf(m);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});

describe('fit: validation', () => {
  const x = tensor([[1, 0], [0, 1], [1, 1], [2, 0], [0, 2]]);
  const y = [[1], [2], [3], [4], [5]];

  it('validationSplit holds out the last rows; valLoss is evaluate() on them after the epoch', () => {
    const m = linearModel([[0.5], [0.5]], [0], { head: 'regression' });
    const h = fit(m, { x, y }, { validationSplit: 0.4, batchSize: 2, optimizer: { name: 'sgd', lr: 0.05 }, metrics: ['mae'] });
    const held = evaluate(m, { x: tensor([[2, 0], [0, 2]]), y: [[4], [5]] }, { metrics: ['mae'] });
    expect(h.valLoss).toEqual([held.loss]);
    expect(h.metrics['val.mae']).toEqual([held.metrics.mae]);
    const trainer = new Trainer(m, { x, y }, { validationSplit: 0.4 });
    expect(trainer.sizes).toEqual({ train: 3, validation: 2 });
  });

  it('validationData is evaluated as given', () => {
    const m = linearModel([[0.5], [0.5]], [0], { head: 'regression' });
    const val = { x: tensor([[3, 3]]), y: [[6]] };
    const h = fit(m, { x, y }, { validationData: val, epochs: 2, optimizer: { name: 'sgd', lr: 0.01 } });
    expect(h.valLoss.length).toBe(2);
    expect(h.valLoss[1]).toBe(evaluate(m, val).loss);
  });

  it('refuses a split that leaves no training or validation rows', () => {
    const m = linearModel([[0.5], [0.5]], [0], { head: 'regression' });
    expect(() => fit(m, { x, y }, { validationSplit: 0.9 })).toThrow(/validationSplit 0.9 of 5 rows leaves 0 for training and 5 for validation/);
  });
});

describe('fit: data forms', () => {
  it('accepts plain nested arrays for inputs and targets, in fit, evaluate and predict', () => {
    const a = linearModel([[0.5], [-0.5]], [0.25], { head: 'regression' });
    const b = linearModel([[0.5], [-0.5]], [0.25], { head: 'regression' });
    const opts = { batchSize: 2, optimizer: { name: 'sgd' as const, lr: 0.1 } };
    fit(a, { x: [[1, 2], [3, -1]], y: [1, 0] }, opts);
    fit(b, { x: tensor([[1, 2], [3, -1]]), y: tensor([[1], [0]]) }, opts);
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(evaluate(a, { x: [[1, 2]], y: [1] }).loss).toBe(evaluate(b, { x: tensor([[1, 2]]), y: tensor([[1]]) }).loss);
    expect(predict(a, [[1, 2]]).toArray()).toEqual(predict(b, tensor([[1, 2]])).toArray());
  });

  it('a custom loss receives [N] targets in the output’s [N, 1] shape', () => {
    const shapes: number[][] = [];
    const m = linearModel([[1], [0]], [0]);
    fit(m, { x: tensor([[1, 2]]), y: [3] }, { loss: (o, t) => (shapes.push(t.shape), mseLoss(o, t)) });
    expect(shapes).toEqual([[1, 1]]);
  });
});

describe('fit: data errors name the input or output', () => {
  const m = linearModel([[1], [1]], [0], { head: 'regression' });

  it('row counts must agree', () => {
    expect(() => fit(m, { x: tensor([[1, 2], [3, 4]]), y: [1, 2, 3] })).toThrow(/target 'y' has shape \[3\] but input 'x' has 2 rows/);
  });

  it('names must be the model’s', () => {
    expect(() => fit(m, { x: { image: tensor([[1, 2]]) }, y: [1] })).toThrow(/no data for the model's input 'x'; it has image/);
  });

  it('class labels are checked against K in the data’s own row numbers, before any step', () => {
    const c = linearModel([[1, 0, 0], [0, 1, 0]], [0, 0, 0], { head: 'multiclass' });
    const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);
    expect(() => fit(c, { x, y: [0, 2, 1, 3] }, { batchSize: 2 })).toThrow(/fit data: output 'y' has 3 classes, so its labels must be integers from 0 to 2, but row 3 has 3/);
    expect(() => fit(c, { x, y: [0, 1, 1, 0] }, { validationData: { x, y: [0, 1.5, 0, 0] } })).toThrow(/validation data: .* row 1 has 1.5/);
    expect(() => evaluate(c, { x, y: [0, 1, -1, 0] })).toThrow(/evaluate: .* row 2 has -1/);
  });

  it('binary targets must lie in [0, 1]; NaN targets are named', () => {
    const b = linearModel([[1], [0]], [0], { head: 'binary' });
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => fit(b, { x, y: [1, 2] })).toThrow(/output 'y' is a binary head, so its targets must be 0 or 1 \(or a probability\), but row 1 has 2/);
    expect(() => fit(m, { x, y: [NaN, 1] })).toThrow(/the target of output 'y' is NaN in row 0; fill or drop missing values first/);
  });

  it('targets must fit the output', () => {
    expect(() => fit(m, { x: tensor([[1, 2]]), y: [[1, 2]] })).toThrow(/output 'y' has shape \[1, 1\] but its target has shape \[1, 2\]/);
  });
});

describe('fit: solves small problems', () => {
  it('XOR reaches 100% accuracy', () => {
    const m = mlp(1, 'binary');
    const h = fit(m, { x: tensor(XOR_X), y: XOR_Y }, { epochs: 300, batchSize: 4, optimizer: { name: 'adam', lr: 0.05 }, metrics: ['accuracy'] });
    expect(h.metrics.accuracy!.at(-1)).toBe(1);
    const p = predict(m, tensor(XOR_X)).toArray() as number[][];
    expect(p.map((r) => Math.round(r[0]!))).toEqual(XOR_Y);
  });

  it('three blobs reach 100% validation accuracy, and predict gives softmax rows', () => {
    const { x, labels } = blobs(3, 40, 5);
    const order = new Random(9).permutation(120); // mix the classes before the split
    const xs = tensor(Array.from(order, (i) => (x.toArray() as number[][])[i]!));
    const ys = Array.from(order, (i) => labels[i]!);
    const m = mlp(3, 'multiclass');
    const h = fit(m, { x: xs, y: ys }, { epochs: 30, batchSize: 16, validationSplit: 0.25, optimizer: { name: 'adam', lr: 0.05 }, metrics: ['accuracy'] });
    expect(h.metrics['val.accuracy']!.at(-1)).toBe(1);
    const p = predict(m, xs).toArray() as number[][];
    for (const row of p) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });
});

describe('fit: regularisation', () => {
  it('adds exactly l2·ΣW² to the loss (evaluate and fit)', () => {
    const w = [[1, -2], [0.5, 3]];
    const plain = linearModel(w, [0.1, 0.2], { head: 'regression' });
    const reg = linearModel(w, [0.1, 0.2], { head: 'regression', l2: 0.01 });
    const data = { x: tensor([[1, 1], [2, -1]]), y: tensor([[0, 1], [1, 0]]) };
    // ΣW² = 1 + 4 + 0.25 + 9 = 14.25
    expect(evaluate(reg, data).loss - evaluate(plain, data).loss).toBeCloseTo(0.01 * 14.25, 6);
    const opts = { batchSize: 2, optimizer: { name: 'sgd' as const, lr: 0 } };
    expect(fit(reg, data, opts).loss[0]! - fit(plain, data, opts).loss[0]!).toBeCloseTo(0.1425, 6);
  });

  it('its gradient 2·l2·W joins the data gradient in the step', () => {
    const w = [[1, -2], [0.5, 3]];
    const plain = linearModel(w, [0, 0], { head: 'regression' });
    const reg = linearModel(w, [0, 0], { head: 'regression', l2: 0.5 });
    const data = { x: tensor([[1, 1]]), y: tensor([[2, 1]]) };
    const opts = { batchSize: 1, optimizer: { name: 'sgd' as const, lr: 0.1 } };
    fit(plain, data, opts);
    fit(reg, data, opts);
    // W' differs by −lr·2·l2·W = −0.1·W.
    const a = plain.parameters()[0]!.data;
    const b = reg.parameters()[0]!.data;
    w.flat().forEach((wi, i) => expect(b[i]! - a[i]!).toBeCloseTo(-0.1 * wi, 6));
    expect(Array.from(reg.parameters()[1]!.data)).toEqual(Array.from(plain.parameters()[1]!.data));
  });
});

describe('fit: dropout', () => {
  it('is on while training and off for evaluate, predict and after fit', () => {
    const drop = new Dropout(0.5, { seed: 1 });
    const net = new Sequential(new Linear(2, 4, { seed: 1 }), drop, new Linear(4, 1, { seed: 2 }));
    const m = asTrainable(net, { head: 'regression' });
    const modes: boolean[] = [];
    const x = tensor([[1, 2], [3, 4]]);
    fit(m, { x, y: [1, 2] }, { epochs: 2, batchSize: 2, loss: (o, t) => { modes.push(drop.training); return mseLoss(o, new Tensor(t.data, o.shape)); } });
    expect(modes).toEqual([true, true]);
    expect(drop.training).toBe(false);
    const a = predict(m, x).toArray();
    expect(predict(m, x).toArray()).toEqual(a); // no random mask
    expect(a).toEqual(net.forward(x).toArray());
  });
});

describe('fitAsync', () => {
  it('gives the same history and weights as fit', async () => {
    const a = mlp(1, 'binary');
    const b = mlp(1, 'binary');
    const opts = { epochs: 20, batchSize: 2, seed: 3, optimizer: { name: 'adam' as const, lr: 0.05 }, metrics: ['accuracy' as const], yieldEveryMs: 0 };
    const ha = fit(a, { x: tensor(XOR_X), y: XOR_Y }, opts);
    const hb = await fitAsync(b, { x: tensor(XOR_X), y: XOR_Y }, opts);
    expect(hb.toJSON()).toEqual(ha.toJSON());
    expect(weightsOf(b)).toEqual(weightsOf(a));
  });
});
