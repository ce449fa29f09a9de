// The stepping API, callbacks and the History object.
import { describe, expect, it } from 'vitest';
import { fit, History, tensor, Trainer, type BatchLogs } from '../../src/index.js';
import { mlp, weightsOf, XOR_X, XOR_Y } from './fixtures.js';

const data = { x: tensor(XOR_X), y: XOR_Y };
const opts = { epochs: 3, batchSize: 3, seed: 1, optimizer: { name: 'adam' as const, lr: 0.05 }, metrics: ['accuracy' as const] };

describe('Trainer', () => {
  it('trainBatch steps through epochs (1-based) and ends them after the last batch', () => {
    const t = new Trainer(mlp(1, 'binary'), data, opts);
    expect(t.stepsPerEpoch).toBe(2); // 4 rows, batches of 3 and 1
    const logs: BatchLogs[] = [];
    while (!t.done) logs.push(t.trainBatch()!);
    expect(logs.map((l) => [l.epoch, l.step, l.size])).toEqual([[1, 1, 3], [1, 2, 1], [2, 1, 3], [2, 2, 1], [3, 1, 3], [3, 2, 1]]);
    expect(logs.map((l) => l.epochLogs?.epoch)).toEqual([undefined, 1, undefined, 2, undefined, 3]);
    expect(t.trainBatch()).toBeNull();
    expect(t.history.epoch).toEqual([1, 2, 3]);
    // The epoch loss is the row-weighted mean of its batch losses.
    expect(t.history.loss[0]).toBeCloseTo((3 * logs[0]!.loss + logs[1]!.loss) / 4, 6);
  });

  it('stepping, runEpoch and fit give identical weights and history', () => {
    const a = mlp(1, 'binary');
    const b = mlp(1, 'binary');
    const c = mlp(1, 'binary');
    const ha = fit(a, data, opts);
    const tb = new Trainer(b, data, opts);
    while (!tb.done) tb.trainBatch();
    const tc = new Trainer(c, data, opts);
    const epochs = [];
    for (let e; (e = tc.runEpoch()); ) epochs.push(e.epoch);
    expect(epochs).toEqual([1, 2, 3]);
    expect(weightsOf(b)).toEqual(weightsOf(a));
    expect(weightsOf(c)).toEqual(weightsOf(a));
    expect(tb.history.toJSON()).toEqual(ha.toJSON());
    expect(tc.history.toJSON()).toEqual(ha.toJSON());
  });

  it('epochs: Infinity runs until stop() (the playground’s play button)', () => {
    const t = new Trainer(mlp(1, 'binary'), data, { ...opts, epochs: Infinity });
    for (let i = 0; i < 9; i++) t.trainBatch();
    expect([t.epoch, t.step, t.done]).toEqual([4, 1, false]);
    t.stop();
    const last = t.trainBatch()!;
    expect(last.epochLogs!.epoch).toBe(5);
    expect([t.done, t.history.stopReason, t.history.epoch.length]).toEqual([true, 'stopped', 5]);
    expect(() => new Trainer(mlp(1, 'binary'), data, { epochs: 2.5 })).toThrow(/epochs must be an integer ≥ 0 \(or Infinity with a Trainer\), got 2.5/);
  });

  it('epochs: 0 trains nothing', () => {
    const m = mlp(1, 'binary');
    const before = weightsOf(m);
    expect(fit(m, data, { epochs: 0 }).epoch).toEqual([]);
    expect(weightsOf(m)).toEqual(before);
  });
});

describe('callbacks', () => {
  it('are called in order with 1-based logs; onEpochEnd returning "stop" ends training', () => {
    const calls: string[] = [];
    const h = fit(mlp(1, 'binary'), data, {
      ...opts,
      epochs: 10,
      callbacks: [
        {
          onTrainBegin: () => void calls.push('begin'),
          onEpochBegin: (e) => void calls.push(`e${e}`),
          onBatchEnd: (l) => void calls.push(`b${l.epoch}.${l.step}`),
          onEpochEnd: (l) => (calls.push(`end${l.epoch}`), l.epoch === 2 ? 'stop' : undefined),
          onTrainEnd: (hist) => void calls.push(`done:${hist.stopReason}`),
        },
      ],
    });
    expect(calls).toEqual(['begin', 'e1', 'b1.1', 'b1.2', 'end1', 'e2', 'b2.1', 'b2.2', 'end2', 'done:stopped']);
    expect(h.epoch).toEqual([1, 2]);
    expect(h.stopReason).toBe('stopped');
  });

  it('trainer.stop() from onBatchEnd ends the epoch after that batch (recorded with the rows seen)', () => {
    const seen: number[] = [];
    const h = fit(mlp(1, 'binary'), data, {
      ...opts,
      batchSize: 1,
      callbacks: { onBatchEnd: (l, trainer) => { seen.push(l.loss); if (l.step === 2) trainer.stop(); } },
    });
    expect(seen.length).toBe(2);
    expect(h.epoch).toEqual([1]);
    expect(h.loss[0]).toBeCloseTo((seen[0]! + seen[1]!) / 2, 6);
  });
});

describe('History', () => {
  it('holds per-epoch series by name and serialises to plain JSON', () => {
    const h = fit(mlp(1, 'binary'), data, { ...opts, validationData: data });
    expect(h.names()).toEqual(['loss', 'val.loss', 'lr', 'accuracy', 'val.accuracy']);
    expect(h.get('val.loss')).toBe(h.valLoss);
    expect(h.get('valLoss')).toBe(h.valLoss);
    expect(h.get('lr')).toEqual([0.05, 0.05, 0.05]);
    const json = JSON.parse(JSON.stringify(h));
    expect(Object.keys(json)).toEqual(['epoch', 'loss', 'valLoss', 'lr', 'metrics', 'stopReason', 'restoredEpoch', 'divergence']);
    expect(json.metrics.accuracy).toEqual(h.metrics.accuracy);
    expect(json.epoch).toEqual([1, 2, 3]);
    expect(() => h.get('r2')).toThrow(/no series 'r2'; it has loss, val.loss, lr, accuracy, val.accuracy/);
  });

  it('fromJSON reads back what toJSON wrote', () => {
    const h = fit(mlp(1, 'binary'), data, { ...opts, validationData: data });
    const back = History.fromJSON(JSON.parse(JSON.stringify(h)));
    expect(back.toJSON()).toEqual(h.toJSON());
    expect(back.get('val.accuracy')).toEqual(h.get('val.accuracy'));
    expect(() => History.fromJSON({ epoch: 'x' } as never)).toThrow(/'epoch' must be an array of numbers/);
  });

  it('push appends one epoch', () => {
    const h = new History();
    h.push({ epoch: 1, loss: 0.5, lr: 0.1, metrics: { mae: 0.25 } });
    expect(h.toJSON()).toMatchObject({ epoch: [1], loss: [0.5], valLoss: [], lr: [0.1], metrics: { mae: [0.25] } });
  });
});
