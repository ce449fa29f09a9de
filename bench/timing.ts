// Timing rules shared by every engine (interleave.ts applies them, torch_bench.py mirrors
// them): warm-up calls for WARM_UP_SECONDS (JIT tiers, the allocator's first large blocks), then
// `reps` timed calls, of which the median is reported.

export function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Measurements that ran fewer repetitions than asked because one call took very long. */
export const shortened: string[] = [];

/**
 * Timed calls for a measurement whose first (warm-up) call took `firstSeconds`: all `reps` as a
 * rule, 3 when one call takes over 5 s (TF.js cpu on W3), 1 over 20 s; noted in `shortened`.
 */
export function repsFor(reps: number, firstSeconds: number, label: string): number {
  const n = firstSeconds > 20 ? 1 : firstSeconds > 5 ? Math.min(reps, 3) : reps;
  if (n < reps) shortened.push(`${label}: ${n} run${n > 1 ? 's' : ''} (one call took ${firstSeconds.toFixed(0)} s)`);
  return n;
}

/**
 * Untimed calls before the timed ones, for at least this long (at least one call). One warm-up
 * call was too few for millisecond calls: in a fresh process each new 4 MB array costs up to
 * 3.4 ms of page faults until the allocator reuses freed blocks (~10 calls of A1), so the
 * timed calls fell in that phase for some engines and not others (A1 ReLU: 5.95 and 11.0 ms
 * in two runs for sloika, 2.2 and 9.2 ms for PyTorch).
 */
export const WARM_UP_SECONDS = 0.3;

/** The metrics one engine reports; a missing key means the engine does not run that workload. */
export type Metrics = Partial<Record<MetricKey, number>>;

export const METRICS = [
  ['W1', 'W1 2-8-8-1 SGD b10 (steps/s)', true],
  ['W2', 'W2 64-128-64-10 Adam b64 (samples/s)', true],
  ['W3', 'W3 784-512-256-10 SGD b128 (samples/s)', true],
  ['W3gflops', 'W3 (GFLOP/s)', true],
  ['I1latency', 'I1 batch-1 latency (µs)', false],
  ['I1throughput', 'I1 batch-1024 (samples/s)', true],
  ['A1relu', 'A1 ReLU fwd+bwd 1M (ms)', false],
  ['A1sigmoid', 'A1 sigmoid fwd+bwd 1M (ms)', false],
  ['A1tanh', 'A1 tanh fwd+bwd 1M (ms)', false],
  ['A1ratio', 'A1 sigmoid ÷ ReLU time', false],
  ['G1_256', 'G1 matmul 256³ (GFLOP/s)', true],
  ['G1_1024', 'G1 matmul 1024³ (GFLOP/s)', true],
] as const;

export type MetricKey = (typeof METRICS)[number][0];
