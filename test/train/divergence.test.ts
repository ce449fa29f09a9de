// Divergence: a NaN/±Infinity loss or parameter stops training at once, names the epoch and
// step, suggests a lower learning rate, and leaves the last finite weights in the model.
import { describe, expect, it } from 'vitest';
import { DivergenceError, fit, tensor, Trainer } from '../../src/index.js';
import { firstNonFinite } from '../../src/train/weights.js';
import { linearModel, weightsOf } from './fixtures.js';

// Targets in the hundreds and lr = 1e6: every SGD step multiplies the error by about −1e7.
const data = { x: tensor([[1, 2], [3, 4], [5, 6], [7, 8]]), y: [[100], [200], [300], [400]] };
const model = () => linearModel([[0.1], [0.2]], [0], { head: 'regression' });

describe('divergence', () => {
  it('lr = 1e6 throws a DivergenceError naming epoch and step; weights stay those of the last good step', () => {
    const m = model();
    const after: number[][][] = [];
    let err: unknown;
    try {
      fit(m, data, { epochs: 10, batchSize: 2, shuffle: false, optimizer: { name: 'sgd', lr: 1e6 }, callbacks: { onBatchEnd: () => void after.push(weightsOf(m)) } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    const d = err as DivergenceError;
    // Two steps per epoch: the failing step is the one after the last completed one.
    const done = after.length;
    expect([d.epoch, d.step]).toEqual([Math.floor(done / 2) + 1, (done % 2) + 1]);
    expect(d.message).toMatch(new RegExp(`^Training diverged at epoch ${d.epoch}, step ${d.step}: `));
    expect(d.message).toMatch(/Try a lower learning rate \(now 1000000; e\.g\. 100000\)/);
    expect(d.message).toMatch(/keeps its last finite weights/);
    for (const p of m.parameters()) for (const v of p.data) expect(Number.isFinite(v)).toBe(true);
    expect(weightsOf(m)).toEqual(after.at(-1));
    expect(d.history.divergence).toEqual(d.info);
    expect(d.history.stopReason).toBe('diverged');
  });

  it("onDivergence: 'stop' returns the history with the flag instead of throwing", () => {
    const m = model();
    const h = fit(m, data, { epochs: 10, batchSize: 2, optimizer: { name: 'sgd', lr: 1e6 }, onDivergence: 'stop' });
    expect(h.stopReason).toBe('diverged');
    expect(h.divergence!.message).toMatch(/^Training diverged at epoch \d+, step [12]: /);
    expect(h.epoch.length).toBe(h.divergence!.epoch - 1); // the broken epoch is not recorded
    expect(m.parameters().every((p) => p.data.every(Number.isFinite))).toBe(true);
  });

  it('an update that overflows a parameter is undone exactly (the loss was still finite)', () => {
    const m = model();
    const before = weightsOf(m);
    // float32 overflows: p − 1e38·g with |g| in the hundreds is −Infinity.
    const trainer = new Trainer(m, data, { epochs: 1, batchSize: 4, optimizer: { name: 'sgd', lr: 1e38 }, onDivergence: 'stop' });
    expect(trainer.trainBatch()).toBeNull();
    expect(trainer.done).toBe(true);
    expect(trainer.divergence).toMatchObject({ epoch: 1, step: 1, cause: 'parameters' });
    expect(trainer.divergence!.message).toMatch(/parameter 0 \(of 2, shape \[2, 1\]\) became NaN or infinite after the update/);
    expect(weightsOf(m)).toEqual(before);
  });

  it('a NaN in the data is caught as a NaN loss before any update', () => {
    const m = model();
    const before = weightsOf(m);
    const bad = { x: tensor([[1, 2], [NaN, 4]]), y: [[1], [2]] };
    expect(() => fit(m, bad, { batchSize: 2, optimizer: { name: 'sgd', lr: 0.01 } })).toThrow(/epoch 1, step 1: the loss became NaN/);
    expect(weightsOf(m)).toEqual(before);
  });
});

describe('firstNonFinite', () => {
  it('finds NaN and ±Infinity, and is not fooled by a float64 sum that overflows', () => {
    const t = (a: number[], f64 = false) => tensor(a, { dtype: f64 ? 'float64' : 'float32' });
    expect(firstNonFinite([t([1, 2]), t([3, 4])])).toBe(-1);
    expect(firstNonFinite([t([1, 2]), t([3, NaN])])).toBe(1);
    expect(firstNonFinite([t([-Infinity]), t([0])])).toBe(0);
    expect(firstNonFinite([t([1.5e308, 1.5e308], true)])).toBe(-1);
    expect(firstNonFinite([t([1.5e308, 0, 0, 0, 1.5e308], true)])).toBe(-1);
    // every position of the four running sums and of the tail
    for (let at = 0; at < 7; at++) {
      const v = [1, 2, 3, 4, 5, 6, 7];
      v[at] = Infinity;
      expect(firstNonFinite([t([0]), t(v)])).toBe(1);
    }
    expect(firstNonFinite([t([Infinity, -Infinity, 0, 0])])).toBe(0);
  });
});
