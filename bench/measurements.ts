import type { BenchData } from './data.js';
import type { Engine, Unit } from './engines/engine.js';
import { parameterCount, type BenchSpec } from './spec.js';
import type { Metrics } from './timing.js';

// What the benchmark measures: one entry per timed quantity, each making its unit of work on any
// engine that supports it and turning a call's seconds into the reported metrics.

export interface Measurement {
  /** The workload as logs and shortened-run notes name it. */
  label: string;
  /** The engine's unit for this measurement, or null when the engine does not run it. */
  unit(engine: Engine): Unit | null;
  /** The metrics one call of `seconds` stands for. */
  metrics(seconds: number): Metrics;
}

/** Every measurement of the spec (those of the workloads in `only`, when given), in report order. */
export function measurements(spec: BenchSpec, data: BenchData, only: Set<string> | null): Measurement[] {
  const want = (w: string): boolean => only === null || only.has(w);
  const out: Measurement[] = [];
  for (const key of ['W1', 'W2', 'W3'] as const) {
    if (!want(key)) continue;
    const s = spec[key];
    out.push({
      label: key,
      unit: (e) => e.trainer?.(s, data[key], key) ?? null,
      metrics: (t) =>
        key === 'W1'
          ? { W1: s.steps / t }
          : key === 'W2'
            ? { W2: (s.steps * s.batch) / t }
            : { W3: (s.steps * s.batch) / t, W3gflops: (6 * parameterCount(s.sizes) * s.batch * s.steps) / t / 1e9 },
    });
  }
  if (want('I1')) {
    const i1 = spec.I1;
    out.push(
      { label: 'I1 batch 1', unit: (e) => e.inference?.(i1, data.I1, 1, i1.latencyCalls) ?? null, metrics: (t) => ({ I1latency: (t / i1.latencyCalls) * 1e6 }) },
      {
        label: `I1 batch ${i1.bigBatch}`,
        unit: (e) => e.inference?.(i1, data.I1, i1.bigBatch, i1.bigCalls) ?? null,
        metrics: (t) => ({ I1throughput: (i1.bigBatch * i1.bigCalls) / t }),
      },
    );
  }
  if (want('A1')) {
    for (const kind of ['relu', 'sigmoid', 'tanh'] as const) {
      const key = kind === 'relu' ? 'A1relu' : kind === 'sigmoid' ? 'A1sigmoid' : 'A1tanh';
      out.push({ label: `A1 ${kind}`, unit: (e) => e.activation?.(kind, data.A1) ?? null, metrics: (t) => ({ [key]: t * 1e3 }) });
    }
  }
  if (want('G1')) {
    for (const { n, a, b } of data.G1) {
      const repeat = Math.max(1, Math.round(spec.G1.flopsPerUnit / (2 * n * n * n)));
      const key = n === spec.G1.sizes[spec.G1.sizes.length - 1] ? 'G1_1024' : 'G1_256';
      out.push({ label: `G1 ${n}`, unit: (e) => e.matmul?.(n, a, b, repeat) ?? null, metrics: (t) => ({ [key]: (2 * n * n * n * repeat) / t / 1e9 }) });
    }
  }
  return out;
}
