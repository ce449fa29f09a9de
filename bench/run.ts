// `npm run bench [-- --quick] [--only W1,G1] [--engines sloika,tfjs-wasm] [--no-torch] [--out file.json]`
// Runs every workload of issue 4 on sloika and its peers in one sitting, each measurement
// interleaved across the engines (interleave.ts), prints the medians and sloika's speed ratios
// as Markdown, and writes everything to bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchData } from './data.js';
import type { Engine } from './engines/engine.js';
import { sloikaEngine, sloikaStepEngine } from './engines/sloika.js';
import { startTorch, torchAvailable, torchVersion } from './engines/torch.js';
import { measureInterleaved } from './interleave.js';
import { measurements } from './measurements.js';
import { mediansTable, ratiosTable, RATIOS_NOTE, type EngineResult } from './report.js';
import { median, shortened, type MetricKey } from './timing.js';
import { benchSpec } from './spec.js';

export interface BenchOptions {
  quick: boolean;
  only: Set<string> | null;
  engines: Set<string> | null;
  torch: boolean;
  out: string | null;
  log: (line: string) => void;
}

// Peers are imported only when asked for: loading TF.js alone takes seconds.
const ENGINE_IDS: [string, () => Promise<Engine>][] = [
  ['sloika', async () => sloikaEngine],
  ['sloika-step', async () => sloikaStepEngine],
  ['tfjs-cpu', async () => (await import('./engines/tfjs.js')).tfjsEngine('cpu')],
  ['tfjs-wasm', async () => (await import('./engines/tfjs.js')).tfjsEngine('wasm')],
  ['synaptic', async () => (await import('./engines/smallnets.js')).synapticEngine],
  ['brain', async () => (await import('./engines/smallnets.js')).brainEngine],
];

export async function runBench(o: BenchOptions): Promise<{ results: EngineResult[]; report: string }> {
  const spec = benchSpec(o.quick);
  const data = benchData(spec);
  const results: EngineResult[] = [];
  const engines: Engine[] = [];
  const resultOf = new Map<Engine, EngineResult>();
  for (const [id, make] of ENGINE_IDS) {
    if (o.engines && !o.engines.has(id)) continue;
    const engine = await make();
    const skipped = await engine.init();
    if (skipped) {
      o.log(`skip ${engine.name}: ${skipped}`);
      results.push({ name: engine.name, metrics: {}, skipped });
      continue;
    }
    engines.push(engine);
  }
  let torch: ReturnType<typeof startTorch> | null = null;
  if (o.torch && (!o.engines || o.engines.has('torch'))) {
    const why = torchAvailable();
    if (why) {
      o.log(why);
      results.push({ name: 'PyTorch', metrics: {}, skipped: why });
    } else {
      torch = startTorch(data, spec, [1, 2]);
      engines.push(...torch.engines);
      o.log(`PyTorch ${torchVersion()} runs in two processes (1 and 2 threads)`);
    }
  }
  for (const engine of engines) {
    const r: EngineResult = { name: engine.name, metrics: {}, rounds: {} };
    resultOf.set(engine, r);
    results.push(r);
  }
  try {
    for (const m of measurements(spec, data, o.only)) {
      const t0 = performance.now();
      for (const { engine, seconds } of await measureInterleaved(m, engines, spec.reps)) {
        const r = resultOf.get(engine)!;
        Object.assign(r.metrics, m.metrics(median(seconds)));
        for (const t of seconds) {
          for (const [key, v] of Object.entries(m.metrics(t)) as [MetricKey, number][]) (r.rounds![key] ??= []).push(v);
        }
      }
      o.log(`measured ${m.label} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    torch?.stop();
  }
  for (const r of results) {
    if (r.metrics.A1sigmoid !== undefined && r.metrics.A1relu !== undefined) r.metrics.A1ratio = r.metrics.A1sigmoid / r.metrics.A1relu;
  }
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.versions.node}`;
  const report = [
    `sloika benchmark${spec.quick ? ' (--quick: tiny sizes, 1 repetition — not for comparison)' : ''}, ${date} UTC, ${machine}; medians of ${spec.reps} runs`,
    '',
    mediansTable(results),
    '',
    ratiosTable(results),
    '',
    RATIOS_NOTE,
    ...(shortened.length ? ['', `Fewer repetitions (slow calls): ${shortened.join('; ')}`] : []),
  ].join('\n');
  if (o.out) {
    mkdirSync(path.dirname(o.out), { recursive: true });
    writeFileSync(o.out, JSON.stringify({ date, machine, quick: spec.quick, reps: spec.reps, shortened, spec, results }, null, 2) + '\n');
  }
  return { results, report };
}

function parseArgs(argv: string[]): BenchOptions {
  const list = (flag: string): Set<string> | null => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] ? new Set(argv[i + 1]!.split(',')) : null;
  };
  const quick = argv.includes('--quick');
  const outIdx = argv.indexOf('--out');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out = outIdx >= 0 ? argv[outIdx + 1]! : path.join(here, 'results', quick ? 'quick.json.tmp' : 'latest.json');
  return { quick, only: list('--only'), engines: list('--engines'), torch: !argv.includes('--no-torch'), out, log: (l) => console.error(l) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { report } = await runBench(parseArgs(process.argv.slice(2)));
  console.log(report);
}
