// The pieces of the allocation-free Trainer step: trainBatches, logs only when someone takes
// them, batches gathered into reused tensors, the epoch totals, gradients in kernel memory.
import { describe, expect, it } from 'vitest';
import { fit, Linear, tensor, Tensor, Trainer, type BatchLogs } from '../../src/index.js';
import { isResident, residencyAvailable } from '../../src/kernels/resident.js';
import { gradsInKernelMemory } from '../../src/train/compiledTraining.js';
import { BatchGatherer, takeRowsOfMap } from '../../src/train/data.js';
import { EpochTotals } from '../../src/train/evaluate.js';
import { planOutputs } from '../../src/train/heads.js';
import { mlp, twoHeadModel, weightsOf, XOR_X, XOR_Y } from './fixtures.js';

const data = { x: tensor(XOR_X), y: XOR_Y };
const opts = { epochs: 3, batchSize: 3, seed: 1, optimizer: { name: 'adam' as const, lr: 0.05 } };

describe('Trainer.trainBatches', () => {
  it('runs up to n steps across epochs, returns how many ran, and trains as trainBatch does', () => {
    const a = new Trainer(mlp(1, 'binary'), data, opts);
    const b = new Trainer(mlp(1, 'binary'), data, opts);
    expect(a.usesCompiledStep).toBe(true);
    expect(a.trainBatches(3)).toBe(3); // epoch 1 (2 steps) and the first step of epoch 2
    expect([a.epoch, a.step]).toEqual([1, 1]);
    expect(a.trainBatches(10)).toBe(3); // the 6 steps of 3 epochs are done
    expect([a.done, a.trainBatches(5)]).toEqual([true, 0]);
    while (!b.done) b.trainBatch();
    expect(weightsOf(a.model)).toEqual(weightsOf(b.model));
    expect(a.history.toJSON()).toEqual(b.history.toJSON());
  });

  it('a callback with onBatchEnd gets a new logs object per batch, kept values intact', () => {
    const kept: BatchLogs[] = [];
    const t = new Trainer(mlp(1, 'binary'), data, { ...opts, callbacks: { onBatchEnd: (l) => void kept.push(l) } });
    t.run();
    expect(kept.map((l) => [l.epoch, l.step, l.size])).toEqual([[1, 1, 3], [1, 2, 1], [2, 1, 3], [2, 2, 1], [3, 1, 3], [3, 2, 1]]);
    expect(new Set(kept).size).toBe(6);
    expect(new Set(kept.map((l) => l.losses)).size).toBe(6);
    for (const l of kept) expect(l.losses.y).toBe(l.loss);
    expect(kept.map((l) => l.epochLogs?.epoch)).toEqual([undefined, 1, undefined, 2, undefined, 3]);
    // The epoch loss is the row-weighted mean of the batch losses those logs kept.
    expect(t.history.loss[2]).toBeCloseTo((3 * kept[4]!.loss + kept[5]!.loss) / 4, 6);
  });

  it('a multi-output model (eager steps) reports each output loss per batch and per epoch', () => {
    const logs: BatchLogs[] = [];
    const t = new Trainer(twoHeadModel(), { x: tensor([[1, 2], [3, 4], [5, 6]]), y: { count: [[1], [2], [3]], breed: [0, 2, 1] } }, { epochs: 1, batchSize: 2, shuffle: false });
    expect(t.usesCompiledStep).toBe(false);
    while (!t.done) logs.push(t.trainBatch()!);
    expect(Object.keys(logs[0]!.losses)).toEqual(['count', 'breed']);
    expect(logs[0]!.loss).toBeCloseTo(logs[0]!.losses.count! + logs[0]!.losses.breed!, 6);
    const epochCount = (2 * logs[0]!.losses.count! + logs[1]!.losses.count!) / 3;
    expect(t.history.metrics['count.loss']![0]).toBeCloseTo(epochCount, 6);
  });
});

describe('BatchGatherer', () => {
  it('gathers the rows of an order into one reused tensor per batch size, equal to takeRows', () => {
    const map = { x: new Tensor(Float32Array.from({ length: 12 }, (_, i) => i), [6, 2]), y: new Tensor(Float32Array.of(0, 1, 2, 3, 4, 5), [6]) };
    const g = new BatchGatherer(map);
    const order = Int32Array.of(5, 2, 0, 4, 1, 3);
    const first = g.gather(order, 0, 4);
    expect(Array.from(first.x!.data)).toEqual([10, 11, 4, 5, 0, 1, 8, 9]);
    expect(first.x!.shape).toEqual([4, 2]);
    expect(Array.from(first.y!.data)).toEqual([5, 2, 0, 4]);
    expect(first.y!.shape).toEqual([4]);
    const last = g.gather(order, 4, 6);
    expect(Array.from(last.x!.data)).toEqual([2, 3, 6, 7]);
    expect(g.gather(null, 1, 5)).toBe(first); // same size: the same tensors, refilled
    expect(Array.from(first.x!.data)).toEqual(Array.from(takeRowsOfMap(map, null, 1, 5).x!.data));
  });
});

describe('EpochTotals', () => {
  it('row-weighted mean losses, each output loss by name, then starts over', () => {
    const model = twoHeadModel();
    const totals = new EpochTotals(planOutputs(model, {}));
    totals.batch.set([3, 1, 2]);
    totals.add(2, null, null);
    totals.batch.set([6, 4, 2]);
    totals.add(1, null, null);
    expect(totals.batchLosses()).toEqual({ count: 4, breed: 2 });
    const metrics: Record<string, number> = {};
    expect(totals.close(metrics)).toBe(4); // (2·3 + 1·6) / 3
    expect(metrics).toEqual({ 'count.loss': 2, 'breed.loss': 2 });
    totals.batch.set([1, 1, 0]);
    totals.add(4, null, null);
    expect(totals.close({})).toBe(1);
  });
});

describe('gradsInKernelMemory', () => {
  it('moves ordinary .grad arrays into the kernels’ memory, values kept', () => {
    const layer = new Linear(3, 2, { seed: 1 });
    const [w, b] = layer.parameters();
    w!.grad = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2]);
    gradsInKernelMemory([w!, b!]);
    expect(Array.from(w!.grad!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(w!.grad!.shape).toEqual([3, 2]);
    expect(b!.grad).toBeNull();
    expect(isResident(w!.grad!.data)).toBe(residencyAvailable());
  });

  it('fit leaves the gradients of a compiled run in kernel memory where there is one', () => {
    const m = mlp(1, 'binary');
    fit(m, data, opts);
    for (const p of m.parameters()) expect(isResident(p.grad!.data)).toBe(residencyAvailable());
  });
});
