// `npx tsx bench/memory.ts [steps]`: resident memory over a long W2 training run (issue 4's
// memory target: flat within ±10 % over 10,000 steps once the loop is warm), then the bytes
// each training step allocates, eager loop vs compiled step (compileStep), on W1 and W2, and
// the library's own loop (Trainer.trainBatches / trainBatch, epochs of spec.samples rows).
import { asTrainable, Linear, ReLU, Sequential, Tanh, Tensor, Trainer, type Module } from '../src/index.node.js';
import { bytesAllocated } from './allocation.js';
import { benchData, type MlpData } from './data.js';
import type { TrainingKey } from './engines/engine.js';
import { sloikaEngine, sloikaStepEngine } from './engines/sloika.js';
import { benchSpec, type MlpSpec } from './spec.js';

const steps = Number(process.argv[2] ?? 10_000);
const spec = benchSpec(false);
const data = benchData(spec);
const w2 = { ...spec.W2, steps: 1000 };
const train = sloikaEngine.trainer!(w2, data.W2, 'W2')!;
train(); // warm-up: JIT, optimizer state, gradient buffers
const mb = (): number => process.memoryUsage().rss / 2 ** 20;
const samples: number[] = [];
const t0 = performance.now();
for (let done = 0; done < steps; done += w2.steps) {
  train();
  samples.push(mb());
}
const first = samples[0]!;
const lo = Math.min(...samples);
const hi = Math.max(...samples);
console.log(`W2 ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS per 1,000 steps (MB): ${samples.map((s) => s.toFixed(0)).join(' ')}`);
console.log(`RSS range ${lo.toFixed(0)}–${hi.toFixed(0)} MB: ${(((hi - lo) / first) * 100).toFixed(1)} % of the first sample (target ≤ 10 %)`);

/**
 * Bytes allocated per training step: heap growth over one closure of `stepsPerCall` steps plus
 * what every collection in between freed (V8's GC profiler reports each one); the median over
 * `rounds` closures, so one JIT recompilation does not count as steady state. Typed arrays
 * count through their heap objects; the growth of ArrayBuffer memory (slabs, outside the heap)
 * is reported apart, and is only a lower bound when a collection frees some.
 */
const nothing = (): void => {};

function bytesPerStep(run: () => void, stepsPerCall: number, rounds: number): { heap: number; arrayBuffers: number } {
  for (let i = 0; i < 3; i++) run(); // warm
  const heap: number[] = [];
  const ab0 = process.memoryUsage().arrayBuffers;
  for (let r = 0; r < rounds; r++) {
    heap.push(bytesAllocated(run) / stepsPerCall);
  }
  heap.sort((a, b) => a - b);
  // Less the measurement's own objects (statistics, profiler): the same loop around nothing.
  return { heap: heap[rounds >> 1]! - (run === nothing ? 0 : bytesPerStep(nothing, stepsPerCall, rounds).heap), arrayBuffers: Math.max(0, process.memoryUsage().arrayBuffers - ab0) / (rounds * stepsPerCall) };
}

for (const [name, s, d] of [['W1', { ...spec.W1, steps: 2000 }, data.W1], ['W2', { ...spec.W2, steps: 300 }, data.W2]] as [TrainingKey, MlpSpec, typeof data.W1][]) {
  const eager = bytesPerStep(sloikaEngine.trainer!(s, d, name)! as () => void, s.steps, 7);
  const compiled = bytesPerStep(sloikaStepEngine.trainer!(s, d, name)! as () => void, s.steps, 7);
  console.log(
    `${name} bytes allocated per step on the JS heap (median of 7 runs of ${s.steps} steps): eager ${eager.heap.toFixed(0)} B (its typed arrays' 64 KB slabs come on top), ` +
      `compiled step ${compiled.heap.toFixed(1)} B (ArrayBuffer memory +${compiled.arrayBuffers.toFixed(0)} B per step)`,
  );
}

/** A Trainer over the spec's whole data set (shuffled epochs of spec.samples rows), as fit runs it. */
function trainerFor(s: MlpSpec, d: MlpData): Trainer {
  const layers: Module[] = [];
  for (let l = 0; l + 1 < s.sizes.length; l++) {
    layers.push(new Linear(s.sizes[l]!, s.sizes[l + 1]!, { seed: l }));
    if (l + 2 < s.sizes.length) layers.push(s.activation === 'tanh' ? new Tanh() : new ReLU());
  }
  const binary = s.loss === 'bceWithLogits';
  const model = asTrainable(new Sequential(...layers), { head: binary ? 'binary' : 'multiclass' });
  const x = new Tensor(d.x, [s.samples, s.sizes[0]!]);
  const y = binary ? new Tensor(Float32Array.from(d.labels), [s.samples, 1]) : Array.from(d.labels);
  return new Trainer(model, { x, y }, { epochs: Infinity, batchSize: s.batch, optimizer: { name: s.optimizer, lr: s.lr } });
}

for (const [name, s, d] of [['W1', { ...spec.W1, steps: 2000 }, data.W1], ['W2', { ...spec.W2, steps: 300 }, data.W2]] as [string, MlpSpec, MlpData][]) {
  const quiet = trainerFor(s, d);
  const logged = trainerFor(s, d);
  quiet.trainBatches(3000); // the JIT settles over the first ~2,000 W2 steps
  for (let i = 0; i < 3000; i++) logged.trainBatch();
  const steps = bytesPerStep(() => void quiet.trainBatches(s.steps), s.steps, 7);
  const batch = bytesPerStep(() => {
    for (let i = 0; i < s.steps; i++) logged.trainBatch();
  }, s.steps, 7);
  console.log(
    `${name} Trainer bytes per step (median of 7 runs of ${s.steps} steps, ${quiet.stepsPerEpoch} steps per epoch, epoch work included): ` +
      `trainBatches(n) ${steps.heap.toFixed(1)} B, trainBatch() ${batch.heap.toFixed(1)} B (its new BatchLogs)`,
  );
}
