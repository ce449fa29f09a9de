import type { BenchData } from '../data.js';
import type { BenchSpec, MlpSpec } from '../spec.js';
import type { Metrics } from '../timing.js';
import { medianSeconds } from '../timing.js';
import { parameterCount } from '../spec.js';

/** A competitor in the benchmark. Each hook returns a closure that does one timed unit of work. */
export interface Engine {
  name: string;
  /** Null when the engine can run; otherwise why it is skipped. */
  init(): Promise<string | null>;
  /** One closure running spec.steps training steps (weights start from data.weights); null = workload not supported. */
  trainer?(spec: MlpSpec, data: BenchData['W1']): (() => void | Promise<void>) | null;
  /** One closure running `calls` forward passes of the first `batch` rows of data.x. */
  inference?(spec: BenchSpec['I1'], data: BenchData['I1'], batch: number, calls: number): () => void | Promise<void>;
  /** One closure doing forward + backward of the activation over `x`. */
  activation?(kind: 'relu' | 'sigmoid' | 'tanh', x: Float32Array): () => void | Promise<void>;
  /** One closure computing a·b for square n×n matrices. */
  matmul?(n: number, a: Float32Array, b: Float32Array): () => void | Promise<void>;
}

/** Run every hook the engine has and turn the median times into the reported metrics. */
export async function measureEngine(engine: Engine, spec: BenchSpec, data: BenchData, only: Set<string> | null): Promise<Metrics> {
  const m: Metrics = {};
  const want = (w: string): boolean => only === null || only.has(w);
  const reps = spec.reps;
  if (engine.trainer) {
    const w1 = want('W1') ? engine.trainer(spec.W1, data.W1) : null;
    if (w1) m.W1 = spec.W1.steps / (await medianSeconds(reps, w1, `${engine.name} W1`));
    const w2 = want('W2') ? engine.trainer(spec.W2, data.W2) : null;
    if (w2) m.W2 = (spec.W2.steps * spec.W2.batch) / (await medianSeconds(reps, w2, `${engine.name} W2`));
    const w3 = want('W3') ? engine.trainer(spec.W3, data.W3) : null;
    if (w3) {
      const t = await medianSeconds(reps, w3, `${engine.name} W3`);
      m.W3 = (spec.W3.steps * spec.W3.batch) / t;
      m.W3gflops = (6 * parameterCount(spec.W3.sizes) * spec.W3.batch * spec.W3.steps) / t / 1e9;
    }
  }
  if (engine.inference && want('I1')) {
    const i1 = spec.I1;
    m.I1latency = ((await medianSeconds(reps, engine.inference(i1, data.I1, 1, i1.latencyCalls))) / i1.latencyCalls) * 1e6;
    m.I1throughput = (i1.bigBatch * i1.bigCalls) / (await medianSeconds(reps, engine.inference(i1, data.I1, i1.bigBatch, i1.bigCalls), `${engine.name} I1 batch ${i1.bigBatch}`));
  }
  if (engine.activation && want('A1')) {
    m.A1relu = (await medianSeconds(reps, engine.activation('relu', data.A1))) * 1e3;
    m.A1sigmoid = (await medianSeconds(reps, engine.activation('sigmoid', data.A1))) * 1e3;
    m.A1tanh = (await medianSeconds(reps, engine.activation('tanh', data.A1))) * 1e3;
    m.A1ratio = m.A1sigmoid / m.A1relu;
  }
  if (engine.matmul && want('G1')) {
    for (const { n, a, b } of data.G1) {
      // Repeat small products so one timed unit lasts long enough to measure.
      const repeat = Math.max(1, Math.round(spec.G1.flopsPerUnit / (2 * n * n * n)));
      const once = engine.matmul(n, a, b);
      const t = await medianSeconds(
        reps,
        async () => {
          for (let i = 0; i < repeat; i++) await once();
        },
        `${engine.name} G1 ${n}`,
      );
      const gflops = (2 * n * n * n * repeat) / t / 1e9;
      if (n === 1024 || (spec.quick && n === spec.G1.sizes[1])) m.G1_1024 = gflops;
      else m.G1_256 = gflops;
    }
  }
  return m;
}
