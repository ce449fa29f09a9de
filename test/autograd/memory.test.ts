// No tidy()/dispose(): ordinary garbage collection must reclaim every step's graph, so a
// 10,000-step training loop runs in constant memory.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Adam, bceWithLogitsLoss, Linear, Sequential, Tanh, tensor, type Tensor } from '../../src/index.js';

/** A forced full collection: --expose-gc enabled at run time, so no special test flags are needed. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('memory', () => {
  it('a 10,000-step training loop does not grow the heap, and each step’s graph is collected', async () => {
    const gc = collector();
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.2], [0.1, 0.9], [0.7, 0.7], [0.3, 0.4]]);
    const y = tensor([[0], [1], [1], [0], [1], [1], [0], [0]]);
    const net = new Sequential(new Linear(2, 8, { seed: 1 }), new Tanh(), new Linear(8, 1, { seed: 2 }));
    const opt = new Adam(net.parameters(), { lr: 0.01 });
    let firstLoss: WeakRef<Tensor> | null = null;
    let heapAt2000 = 0;
    let lossValue = Infinity;
    const started = performance.now();
    for (let step = 1; step <= 10_000; step++) {
      opt.zeroGrad();
      const loss = bceWithLogitsLoss(net.forward(x), y);
      loss.backward();
      opt.step();
      if (step === 1) firstLoss = new WeakRef(loss);
      if (step === 2000) {
        gc();
        heapAt2000 = process.memoryUsage().heapUsed;
      }
      if (step === 10_000) lossValue = loss.item();
    }
    const elapsed = performance.now() - started;
    // A WeakRef keeps its target alive until the current job ends; yield once before collecting.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    const heapAt10000 = process.memoryUsage().heapUsed;
    const growth = heapAt10000 - heapAt2000;
    console.log(`memory: heap ${(heapAt2000 / 1e6).toFixed(2)} MB at step 2,000, ${(heapAt10000 / 1e6).toFixed(2)} MB at 10,000 (growth ${(growth / 1e3).toFixed(0)} kB); ${elapsed.toFixed(0)} ms`);
    // 8,000 more steps: any per-step leak of even one small graph (~1 kB) would add 8 MB.
    expect(growth).toBeLessThan(2_000_000); // observed: a few kB to ~0.2 MB of JIT and allocator noise
    expect(firstLoss!.deref()).toBeUndefined(); // nothing holds on to the first step's tape
    expect(lossValue).toBeLessThan(0.05); // and it really trained
    expect(elapsed).toBeLessThan(5000);
  });
});
