// The Trainer's compiled path: an asTrainable(Sequential) with a built-in loss trains through
// compileStep after its first step, with exactly the weights and history of the eager path.
import { describe, expect, it } from 'vitest';
import {
  asTrainable, bceWithLogitsLoss, binaryHead, concat, crossEntropyLoss, DivergenceError, Dropout, fit, input, Linear, Model, mseLoss, ReLU,
  Sequential, sequentialModel, Tanh, Tensor, tensor, Trainer, type FitOptions, type HeadKind, type LossFn, type SequentialModelOptions,
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

describe('Trainer on a chain graph Model (sequentialModel)', () => {
  function modelBits(m: Model): number[][] {
    return m.parameters().map((p) => Array.from(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)));
  }
  const cases: [string, SequentialModelOptions, unknown, LossFn][] = [
    ['binary, tanh', { inputs: 2, hidden: [8, 8], activation: 'tanh', head: 'binary', seed: 1 }, binary, bceWithLogitsLoss as LossFn],
    ['multiclass, relu', { inputs: 2, hidden: [6], head: { kind: 'multiclass', classes: 3 }, seed: 2 }, labels, crossEntropyLoss as LossFn],
    ['regression, sigmoid', { inputs: 2, hidden: [5], activation: 'sigmoid', head: 'regression', seed: 3 }, labels.map((c) => c / 2), mseLoss as LossFn],
  ];
  for (const [name, spec, y, builtIn] of cases) {
    it(`${name}: compiled, with the eager path's weights and history`, () => {
      const a = sequentialModel(spec);
      const b = sequentialModel(spec);
      const opts: FitOptions = { ...BASE, metrics: spec.head === 'regression' ? ['mae'] : ['accuracy'], validationSplit: 0.2 };
      const ta = new Trainer(a, { x, y } as never, opts);
      const tb = new Trainer(b, { x, y } as never, { ...opts, loss: (o, t) => builtIn(o, t) });
      expect(ta.usesCompiledStep).toBe(true);
      ta.run();
      tb.run();
      expect(modelBits(a)).toEqual(modelBits(b));
      expect(ta.history.toJSON()).toEqual(tb.history.toJSON());
    });
  }

  it('graphs that are not one chain, dropout and penalties stay eager', () => {
    const xi = input({ name: 'x', features: 2 });
    const h1 = new Linear(2, 4, { seed: 1 }).apply(xi);
    const h2 = new Linear(2, 4, { seed: 2 }).apply(xi);
    const branched = new Model({ inputs: xi, outputs: binaryHead(concat([h1, h2]), { name: 'y', seed: 3 }) });
    expect(new Trainer(branched, { x, y: binary }, BASE).usesCompiledStep).toBe(false);
    expect(new Trainer(sequentialModel({ inputs: 2, hidden: [4], dropout: 0.1, head: 'binary' }), { x, y: binary }, BASE).usesCompiledStep).toBe(false);
    // Penalties are checked per step: the model compiles, and each step with an l2 runs eagerly.
    const a = sequentialModel({ inputs: 2, hidden: [4], l2: 1e-3, head: 'binary', seed: 1 });
    const b = sequentialModel({ inputs: 2, hidden: [4], l2: 1e-3, head: 'binary', seed: 1 });
    fit(a, { x, y: binary }, BASE);
    fit(b, { x, y: binary }, { ...BASE, loss: (o, t) => bceWithLogitsLoss(o, t) });
    expect(modelBits(a)).toEqual(modelBits(b));
  });

  it('a model that starts tracing mid-training takes the eager path, so the trace sees every node', () => {
    const m = sequentialModel({ inputs: 2, hidden: [4], activation: 'tanh', head: 'binary', seed: 1 });
    const t = new Trainer(m, { x, y: binary }, { ...BASE, epochs: 1 });
    t.trainBatch();
    t.trainBatch(); // compiled: nothing traced
    expect(m.lastTrace()).toBeNull();
    m.setTracing(true);
    t.trainBatch();
    const trace = m.lastTrace()!;
    expect(Object.keys(trace.values)).toEqual(['x', 'linear_1', 'tanh_1', 'y']);
    expect(trace.edges.find((e) => e.from === 'linear_1' && e.to === 'tanh_1')!.gradNorm).toBeGreaterThan(0);
  });
});
