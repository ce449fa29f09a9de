import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/run.js';

// A smoke run of `npm run bench -- --quick` on sloika alone: tiny sizes, one repetition.
describe('bench --quick', () => {
  it('measures every workload on sloika and prints the table', async () => {
    const { results, report } = await runBench({ quick: true, only: null, engines: new Set(['sloika']), torch: false, out: null, log: () => {} });
    const m = results[0]!.metrics;
    for (const key of ['W1', 'W2', 'W3', 'W3gflops', 'I1latency', 'I1throughput', 'A1relu', 'A1sigmoid', 'A1tanh', 'A1ratio', 'G1_256', 'G1_1024'] as const) {
      expect(m[key], key).toBeGreaterThan(0);
      expect(Number.isFinite(m[key]), key).toBe(true);
    }
    expect(report).toContain('| W1 2-8-8-1 SGD b10 (steps/s) |');
    expect(report).toContain('sloika speed ÷ peer speed');
  });

  it("runs the training workloads through compileStep as 'sloika-step', beside the eager engine", async () => {
    const { results, report } = await runBench({ quick: true, only: new Set(['W1', 'W2', 'W3']), engines: new Set(['sloika', 'sloika-step']), torch: false, out: null, log: () => {} });
    expect(results.map((r) => r.name)).toEqual(['sloika', 'sloika-step']);
    for (const key of ['W1', 'W2', 'W3'] as const) expect(results[1]!.metrics[key], key).toBeGreaterThan(0);
    expect(report).toMatch(/\| workload \| sloika \| sloika-step \|/);
  });
});
