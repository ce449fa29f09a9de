// `npx tsx bench/memory.ts [steps]`: resident memory over a long W2 training run (issue 4's
// memory target: flat within ±10 % over 10,000 steps once the loop is warm).
import { benchData } from './data.js';
import { sloikaEngine } from './engines/sloika.js';
import { benchSpec } from './spec.js';

const steps = Number(process.argv[2] ?? 10_000);
const spec = benchSpec(false);
const w2 = { ...spec.W2, steps: 1000 };
const train = sloikaEngine.trainer!(w2, benchData(spec).W2)!;
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
