// Issue 4's target for the library's own loop: once the compiled step is warm, a Trainer step
// allocates nothing (per-epoch work — shuffling, the history entry, callbacks — may).
// Bytes allocated are measured as in compiledStep.memory.test.ts: heap after − heap before +
// what every collection in between freed, less the same measurement around an empty function,
// the smallest of several windows (a stray JIT recompilation or GC accounting hiccup in one
// window does not count). Both models train in this one file, so the shared Trainer code is
// polymorphic, as in an app with several models (that is what found V8's per-call contexts).
import { describe, expect, it } from 'vitest';
import { asTrainable, Linear, Random, ReLU, Sequential, Tanh, Tensor, Trainer, type FitOptions } from '../../src/index.js';
import { bytesAllocated } from '../../bench/allocation.js';


const nothing = (): void => {};

/**
 * Bytes per call of `fn` over windows of `calls` calls, each placed by `position()`: the
 * smallest of up to `rounds` windows, with `warm()` before each, stopping at the first window
 * under `enough` bytes per call. A W2 step runs ~1,750 times under vitest before V8 has
 * optimised everything it calls (interpreted code boxes doubles), so warming is part of it.
 */
function perCall(fn: () => void, calls: number, position: () => void, opts: { warm?: () => void; rounds?: number; enough?: number } = {}): number {
  let best = Infinity;
  for (let r = 0; r < (opts.rounds ?? 5) && best >= (opts.enough ?? 0); r++) {
    opts.warm?.();
    position();
    best = Math.min(best, (bytesAllocated(fn, calls) - bytesAllocated(nothing, calls)) / calls);
  }
  return best;
}

/** W1: 2-8-8-1 tanh, binary head, SGD lr 0.03, batch 10, 500 rows (50 steps per epoch). */
function w1Trainer(opts: FitOptions = {}): Trainer {
  const rng = new Random(5);
  const x = new Tensor(Float32Array.from({ length: 1000 }, () => rng.normal(0, 1)), [500, 2]);
  const y = new Tensor(Float32Array.from({ length: 500 }, (_, i) => (x.data[2 * i]! * x.data[2 * i + 1]! > 0 ? 1 : 0)), [500, 1]);
  const model = asTrainable(new Sequential(new Linear(2, 8, { seed: 1 }), new Tanh(), new Linear(8, 8, { seed: 2 }), new Tanh(), new Linear(8, 1, { seed: 3 })), { head: 'binary' });
  return new Trainer(model, { x, y }, { epochs: Infinity, batchSize: 10, optimizer: { name: 'sgd', lr: 0.03 }, ...opts });
}

/** W2: 64-128-64-10 ReLU, multiclass head, Adam, batch 64, 3,200 rows (50 steps per epoch). */
function w2Trainer(opts: FitOptions = {}): Trainer {
  const rng = new Random(6);
  const x = new Tensor(Float32Array.from({ length: 3200 * 64 }, () => rng.normal(0, 1)), [3200, 64]);
  const y = Array.from({ length: 3200 }, (_, i) => i % 10);
  const model = asTrainable(new Sequential(new Linear(64, 128, { seed: 1 }), new ReLU(), new Linear(128, 64, { seed: 2 }), new ReLU(), new Linear(64, 10, { seed: 3 })), { head: 'multiclass' });
  return new Trainer(model, { x, y }, { epochs: Infinity, batchSize: 64, optimizer: { name: 'adam', lr: 0.001 }, ...opts });
}

const CASES: [string, (opts?: FitOptions) => Trainer][] = [
  ['W1', w1Trainer],
  ['W2', w2Trainer],
];

describe('a warm Trainer step allocates nothing', () => {
  // Both models train in this file before either is measured, so the shared code has seen both.
  const trainers = CASES.map(([name, make]) => [name, make()] as const);
  for (const [, t] of trainers) t.trainBatches(500);
  for (const [name, t] of trainers) {
    const step = (): void => {
      t.trainBatches(1);
    };
    /** To step 3 of an epoch: the window then stays inside it. */
    const midEpoch = (): void => {
      while (t.step !== 3) t.trainBatches(1);
    };

    it(`${name}: uses the compiled step, and < 1 byte per trainBatches(1) mid-epoch`, () => {
      expect(t.usesCompiledStep).toBe(true);
      expect(t.stepsPerEpoch).toBe(50);
      // Warm in slices of 250 steps until a window is clean (at most 6,000 steps).
      expect(perCall(step, 44, midEpoch, { warm: () => t.trainBatches(250), rounds: 24, enough: 1 })).toBeLessThan(1);
    });

    it(`${name}: across epoch boundaries only the per-epoch work allocates (< 4 KB per epoch)`, () => {
      const toEpochStart = (): void => {
        while (t.step !== 0) t.trainBatches(1);
      };
      const epochs = 4;
      const perEpoch = perCall(step, epochs * t.stepsPerEpoch, toEpochStart, { rounds: 3 }) * t.stepsPerEpoch;
      expect(perEpoch).toBeLessThan(4096);
      expect(t.history.epoch.length).toBeGreaterThan(epochs);
    });

    it(`${name}: trainBatch() allocates only the BatchLogs it returns (< 400 bytes)`, () => {
      const batch = (): void => {
        t.trainBatch();
      };
      for (let i = 0; i < 200; i++) batch();
      const bytes = perCall(batch, 44, midEpoch);
      expect(bytes).toBeGreaterThan(50); // a new object per call, the user's to keep
      expect(bytes).toBeLessThan(400);
    });
  }

});

describe('a warm Trainer step with metrics allocates nothing', () => {
  // The epoch's metrics are running counts and sums (OutputMetrics), read from the compiled
  // step's own output buffer (one tensor over it per batch size). Before the metrics streamed, a
  // step kept its predictions and targets: 2,080 and 1,991 B per step, and an epoch's worth of
  // them in memory; then a copy of each batch's outputs: 528 and 472 B.
  const trainers = CASES.map(([name, make]) => [name, make({ metrics: ['accuracy'] })] as const);
  for (const [, t] of trainers) t.trainBatches(500);
  for (const [name, t] of trainers) {
    it(`${name} with metrics ['accuracy']: 0 bytes per trainBatches(1) mid-epoch, the metrics in the history`, () => {
      expect(t.usesCompiledStep).toBe(true);
      const midEpoch = (): void => {
        while (t.step !== 3) t.trainBatches(1);
      };
      const bytes = perCall(() => void t.trainBatches(1), 44, midEpoch, { warm: () => t.trainBatches(250), rounds: 24, enough: 1 });
      expect(bytes).toBeLessThan(1);
      const history = t.history.metrics.accuracy!;
      expect(history.length).toBeGreaterThan(10);
      expect(history.every((a) => a >= 0 && a <= 1)).toBe(true);
    });
  }
});
