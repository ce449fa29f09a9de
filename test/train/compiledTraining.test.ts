// The Trainer's compiled path: an asTrainable(Sequential) with a built-in loss trains through
// compileStep after its first step, with exactly the weights and history of the eager path.
import { describe, expect, it } from 'vitest';
import {
  asTrainable, bceWithLogitsLoss, crossEntropyLoss, DivergenceError, Dropout, fit, Linear, mseLoss, ReLU, Sequential, Tanh, Tensor, tensor,
  Trainer, type FitOptions, type HeadKind, type LossFn,
} from '../../src/index.js';
import { blobs } from './fixtures.js';

function net(out: number, opts: { l2?: number; dtype?: 'float32' | 'float64'; dropout?: boolean } = {}): Sequential {
  return new Sequential(
    new Linear(2, 8, { seed: 1, l2: opts.l2, dtype: opts.dtype }), new Tanh(),
    ...(opts.dropout ? [new Dropout(0.2, { seed: 4 })] : []),
    new Linear(8, 6, { seed: 2, dtype: opts.dtype }), new ReLU(),
    new Linear(6, out, { seed: 3, dtype: opts.dtype }),
  );
}

function bits(s: Sequential): number[][] {
  return s.parameters().map((p) => Array.from(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)));
}

/** The same training twice: with the built-in loss (compiled) and as a function (always eager). */
function both(head: HeadKind, out: number, data: { x: Tensor; y: unknown }, builtIn: LossFn, opts: FitOptions, model: { l2?: number; dtype?: 'float32' | 'float64'; dropout?: boolean } = {}) {
  const a = net(out, model);
  const b = net(out, model);
  const ta = new Trainer(asTrainable(a, { head }), data as never, opts);
  const tb = new Trainer(asTrainable(b, { head }), data as never, { ...opts, loss: (o, t) => builtIn(o, t) });
  ta.run();
  tb.run();
  return { a, b, ta, tb };
}

const { x, labels } = blobs(3, 20, 7);
const binary = labels.map((c) => (c === 0 ? 1 : 0));
const BASE: FitOptions = { epochs: 4, batchSize: 16, seed: 3, optimizer: { name: 'adam', lr: 0.02 } };

describe('Trainer on a wrapped Sequential with a built-in loss', () => {
  it('binary head: same weights and history (accuracy, validation, clipping) as the eager path', () => {
    const opts: FitOptions = { ...BASE, metrics: ['accuracy'], validationSplit: 0.25, clipGradNorm: 0.5 };
    const r = both('binary', 1, { x, y: binary }, bceWithLogitsLoss as LossFn, opts);
    expect(r.ta.usesCompiledStep).toBe(true);
    expect(r.tb.usesCompiledStep).toBe(false);
    expect(bits(r.a)).toEqual(bits(r.b));
    expect(r.ta.history.toJSON()).toEqual(r.tb.history.toJSON());
    expect(r.ta.history.metrics['accuracy']![3]).toBeGreaterThan(0.5);
  });

  it('multiclass head, with [N] labels and with one-hot rows', () => {
    const oneHot = new Tensor(Float32Array.from(labels.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)))), [labels.length, 3]);
    for (const y of [labels, oneHot]) {
      const r = both('multiclass', 3, { x, y }, crossEntropyLoss as LossFn, { ...BASE, metrics: ['accuracy'] });
      expect(r.ta.usesCompiledStep).toBe(true);
      expect(bits(r.a)).toEqual(bits(r.b));
      expect(r.ta.history.toJSON()).toEqual(r.tb.history.toJSON());
    }
  });

  it('regression head (mse on two outputs), SGD with momentum and a last partial batch', () => {
    const y = tensor(Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(i)]));
    const r = both('regression', 2, { x, y }, mseLoss as LossFn, { ...BASE, batchSize: 25, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, metrics: ['mae', 'r2'] });
    expect(r.ta.usesCompiledStep).toBe(true);
    expect(bits(r.a)).toEqual(bits(r.b));
    expect(r.ta.history.toJSON()).toEqual(r.tb.history.toJSON());
  });

  it('weight penalties, float64 models on float32 data and dropout keep the eager path, with the same results', () => {
    for (const model of [{ l2: 1e-3 }, { dtype: 'float64' as const }]) {
      const r = both('binary', 1, { x, y: binary }, bceWithLogitsLoss as LossFn, BASE, model);
      expect(bits(r.a)).toEqual(bits(r.b));
      expect(r.ta.history.toJSON()).toEqual(r.tb.history.toJSON());
    }
    const dropped = new Trainer(asTrainable(net(1, { dropout: true }), { head: 'binary' }), { x, y: binary }, BASE);
    expect(dropped.usesCompiledStep).toBe(false);
    expect(fit(asTrainable(net(1, { dropout: true }), { head: 'binary' }), { x, y: binary }, BASE).loss).toHaveLength(4);
  });

  it('divergence is caught at the same step, with the weights restored', () => {
    const y = tensor(Array.from({ length: 60 }, (_, i) => [i * 100]));
    const opts: FitOptions = { epochs: 50, batchSize: 10, seed: 1, optimizer: { name: 'sgd', lr: 10 } };
    const a = net(1);
    const b = net(1);
    const errA = (() => { try { fit(asTrainable(a, { head: 'regression' }), { x, y }, opts); } catch (e) { return e; } })();
    const errB = (() => { try { fit(asTrainable(b, { head: 'regression' }), { x, y }, { ...opts, loss: (o, t) => mseLoss(o, t) }); } catch (e) { return e; } })();
    expect(errA).toBeInstanceOf(DivergenceError);
    expect((errA as DivergenceError).message).toBe((errB as DivergenceError).message);
    expect(bits(a)).toEqual(bits(b));
    for (const p of a.parameters()) expect(p.data.every(Number.isFinite)).toBe(true);
  });
});
