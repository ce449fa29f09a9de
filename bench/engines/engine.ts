import type { BenchData } from '../data.js';
import type { BenchSpec, MlpSpec } from '../spec.js';

/**
 * One unit of timed work (a closure made once per measurement). An engine in this process does
 * the work and the caller times it. A `remote` engine's unit (PyTorch, in its own process) is
 * called with 'warm' (warm up as bench/timing.ts does; resolves to the first call's seconds) or
 * 'time' (one call; resolves to its seconds), timed where it runs.
 */
export type Unit = (mode?: 'warm' | 'time') => void | Promise<void> | Promise<number>;

/** A training workload's name, for engines that look their work up by it. */
export type TrainingKey = 'W1' | 'W2' | 'W3';

/** A competitor in the benchmark. Each hook returns the unit of one measurement. */
export interface Engine {
  name: string;
  /** Null when the engine can run; otherwise why it is skipped. */
  init(): Promise<string | null>;
  /**
   * Make this engine's global state current before its units are made or run (TF.js: its
   * backend, which the cpu and wasm engines share), since measurements interleave engines.
   */
  enter?(): Promise<void>;
  /** The units time themselves and warm themselves up (see Unit). */
  remote?: boolean;
  /** One unit running spec.steps training steps (weights start from data.weights); null = workload not supported. */
  trainer?(spec: MlpSpec, data: BenchData['W1'], key: TrainingKey): Unit | null;
  /** One unit running `calls` forward passes of the first `batch` rows of data.x. */
  inference?(spec: BenchSpec['I1'], data: BenchData['I1'], batch: number, calls: number): Unit;
  /** One unit doing forward + backward of the activation over `x`. */
  activation?(kind: 'relu' | 'sigmoid' | 'tanh', x: Float32Array): Unit;
  /**
   * One unit computing a·b for square n×n matrices `repeat` times (small products repeat so that
   * one unit lasts long enough to measure).
   */
  matmul?(n: number, a: Float32Array, b: Float32Array, repeat: number): Unit;
}
