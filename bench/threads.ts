// `npx tsx bench/threads.ts [rounds]`: sloika on one thread, sloika on two threads and TF.js wasm,
// interleaved round by round in one process, on I1 batch 1024, W3 and G1 1024³. On a machine
// shared with other work the load drifts within seconds; interleaving puts every configuration
// under the same drift, so the ratios hold where separate runs of `npm run bench` disagree. The
// last column is the CPU time the process got per wall-clock second while sloika ran on two
// threads: near 1, other work held the second core and no split could gain.
import { benchData } from './data.js';
import type { Engine, Unit } from './engines/engine.js';
import { sloikaEngine } from './engines/sloika.js';
import { tfjsEngine } from './engines/tfjs.js';
import { benchSpec } from './spec.js';
import { setThreads } from '../src/index.node.js';
import { readyHelperThreads } from '../src/kernels/wasm/helperPool.js';

const rounds = Number(process.argv[2] ?? 7);
const spec = benchSpec(false);
const data = benchData(spec);
const tfjs = tfjsEngine('wasm');
const skipped = await tfjs.init();
if (skipped) console.log(`TF.js wasm skipped: ${skipped}`);

/** Per workload: units of work and how many samples (or flops) one unit is. */
function units(engine: Engine): Record<string, [Unit, number]> {
  const n = 1024;
  const a = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const i1 = spec.I1;
  return {
    'I1 b1024 (samples/s)': [engine.inference!(i1, data.I1, i1.bigBatch, i1.bigCalls), i1.bigBatch * i1.bigCalls],
    'W3 (samples/s)': [engine.trainer!(spec.W3, data.W3, 'W3')!, spec.W3.steps * spec.W3.batch],
    'G1 1024³ (GFLOP/s)': [engine.matmul!(n, a, a, 1), (2 * n ** 3) / 1e9],
  };
}

async function useThreads(n: number): Promise<void> {
  setThreads(n);
  if (n === 1) return;
  const [warm] = units(sloikaEngine)['G1 1024³ (GFLOP/s)']!;
  for (let t = 0; t < 100 && readyHelperThreads() === 0; t++) {
    await warm();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const configs: [string, Engine, number][] = [['sloika 1T', sloikaEngine, 1], ['sloika 2T', sloikaEngine, 2]];
if (!skipped) configs.push(['TF.js wasm', tfjs, 1]);
const work = new Map(configs.map(([name, engine]) => [name, units(engine)]));
const rates = new Map<string, number[]>();
/** CPU time of the whole process ÷ wall time per unit: the cores it actually got (others' work takes the rest). */
const cores = new Map<string, number[]>();
for (let r = 0; r < rounds; r++) {
  for (const [name, , threads] of configs) {
    await useThreads(threads);
    for (const [workload, [unit, size]] of Object.entries(work.get(name)!)) {
      // Warm-up: the JIT on the first round; with helpers, each restart of them (setThreads)
      // also times every shape once on one thread and once split before choosing.
      if (r === 0 || threads > 1) await unit();
      const cpu = process.cpuUsage();
      const t = performance.now();
      await unit();
      const ms = performance.now() - t;
      const key = `${workload}|${name}`;
      rates.set(key, [...(rates.get(key) ?? []), size / (ms / 1000)]);
      const used = process.cpuUsage(cpu);
      cores.set(key, [...(cores.get(key) ?? []), (used.user + used.system) / 1000 / ms]);
    }
  }
}
const median = (x: number[]): number => [...x].sort((p, q) => p - q)[x.length >> 1]!;
const fmt = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
console.log(`${rounds} interleaved rounds; median (best)\n`);
console.log(`| workload | ${configs.map(([n]) => n).join(' | ')} | 2T ÷ 1T |${skipped ? '' : ' 2T ÷ TF.js wasm |'} cores got by 2T |`);
console.log(`|---|${configs.map(() => '---:|').join('')}---:|${skipped ? '' : '---:|'}---:|`);
for (const workload of Object.keys(work.get('sloika 1T')!)) {
  const m = (name: string): number => median(rates.get(`${workload}|${name}`)!);
  const cells = configs.map(([name]) => `${fmt(m(name))} (${fmt(Math.max(...rates.get(`${workload}|${name}`)!))})`);
  const vsTf = skipped ? '' : ` ${(m('sloika 2T') / m('TF.js wasm')).toFixed(2)}× |`;
  const got = median(cores.get(`${workload}|sloika 2T`)!).toFixed(2);
  console.log(`| ${workload} | ${cells.join(' | ')} | ${(m('sloika 2T') / m('sloika 1T')).toFixed(2)}× |${vsTf} ${got} |`);
}
