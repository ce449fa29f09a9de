// Issue 4's memory target: no allocation per step once a compiled training loop is warm.
// Measured with V8's GC profiler: bytes on the heap after the loop − before + whatever every
// collection during it freed = bytes allocated (JS objects and typed arrays on the heap; the
// slab's ArrayBuffers are counted through their wrappers and seen separately below).
import { describe, expect, it } from 'vitest';
import {
  Adam, AdamW, bceWithLogitsLoss, compileStep, Linear, RMSprop, Sequential, SGD, Tanh, Tensor, type Optimizer,
} from '../../src/index.js';
import { bytesAllocated } from '../../bench/allocation.js';

/** Bytes allocated per call of `fn`, over `calls` calls (the smallest of `rounds` rounds, so a stray JIT recompilation does not count). */
function allocatedPerCall(fn: () => void, calls: number, rounds = 3): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) best = Math.min(best, bytesAllocated(fn, calls) / calls);
  return best;
}

/** W1: MLP 2-8-8-1 tanh, batch 10. */
function w1(): Sequential {
  return new Sequential(new Linear(2, 8, { seed: 1 }), new Tanh(), new Linear(8, 8, { seed: 2 }), new Tanh(), new Linear(8, 1, { seed: 3 }));
}
const x = new Tensor(Float32Array.from({ length: 20 }, (_, i) => Math.sin(i)), [10, 2]);
const y = new Tensor(Float32Array.from({ length: 10 }, (_, i) => i % 2), [10, 1]);

const OPTIMIZERS: [string, (p: Tensor[]) => Optimizer<any>][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.03 })],
  ['SGD momentum', (p) => new SGD(p, { lr: 0.03, momentum: 0.9, nesterov: true, weightDecay: 1e-4 })],
  ['Adam', (p) => new Adam(p, { lr: 0.01, amsgrad: true })],
  ['AdamW maximize', (p) => new AdamW(p, { lr: 0.01, maximize: true })],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true })],
];

describe('a compiled W1 step allocates nothing once warm', () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: < 1 byte per step over 2,000 steps (eager: > 1 KB)`, () => {
      const net = w1();
      const train = compileStep(net, { loss: 'bceWithLogits', optimizer: make(net.parameters()), batchSize: 10 });
      const compiled = () => train.run(x, y);
      for (let i = 0; i < 3000; i++) compiled(); // warm: JIT, optimizer state, .grad buffers
      expect(allocatedPerCall(compiled, 2000)).toBeLessThan(1);
      expect(Number.isFinite(train.lossValue[0]!)).toBe(true);
    });
  }

  it('an alternating last partial batch (its own cached buffers) allocates nothing either', () => {
    const net = w1();
    const train = compileStep(net, { loss: 'bceWithLogits', optimizer: new SGD(net.parameters(), { lr: 0.03 }) });
    const x7 = new Tensor(x.data.slice(0, 14), [7, 2]);
    const y7 = new Tensor(y.data.slice(0, 7), [7, 1]);
    const epoch = () => {
      train.run(x, y);
      train.run(x7, y7);
    };
    for (let i = 0; i < 2000; i++) epoch();
    expect(allocatedPerCall(epoch, 1000)).toBeLessThan(1);
  });

  it('step() returns the loss as a number: at most one 16-byte boxed double per step', () => {
    const net = w1();
    const train = compileStep(net, { loss: 'bceWithLogits', optimizer: new SGD(net.parameters(), { lr: 0.03 }) });
    const losses = new Float64Array(1);
    const compiled = () => {
      losses[0] = train.step(x, y);
    };
    for (let i = 0; i < 3000; i++) compiled();
    // V8 returns a double from a call it did not inline as a heap number; run() avoids even that.
    expect(allocatedPerCall(compiled, 2000)).toBeLessThan(17);
    expect(losses[0]).toBe(train.lossValue[0]);
  });

  it('the eager loop, by contrast, allocates its tensors and tape (> 1 KB per step)', () => {
    const net = w1();
    const opt = new SGD(net.parameters(), { lr: 0.03 });
    const eager = () => {
      opt.zeroGrad();
      bceWithLogitsLoss(net.forward(x), y).backward();
      opt.step();
    };
    for (let i = 0; i < 3000; i++) eager();
    expect(allocatedPerCall(eager, 2000)).toBeGreaterThan(1000);
  });

  it('ArrayBuffer memory does not grow over 5,000 compiled steps (the eager slab would)', () => {
    const net = w1();
    const train = compileStep(net, { loss: 'bceWithLogits', optimizer: new Adam(net.parameters()), batchSize: 10 });
    for (let i = 0; i < 3000; i++) train.run(x, y);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 5000; i++) train.run(x, y);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThanOrEqual(0);
  });
});
