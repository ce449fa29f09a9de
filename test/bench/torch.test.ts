import { describe, expect, it } from 'vitest';
import { benchData } from '../../bench/data.js';
import { startTorch, torchAvailable } from '../../bench/engines/torch.js';
import { benchSpec } from '../../bench/spec.js';

// The PyTorch side of the benchmark: long-lived torch_bench.py processes answering warm/time
// requests. Runs where some python3 can import torch (Debian's python3-torch; the benchmark's
// optional peer), and is skipped elsewhere, as the benchmark itself skips PyTorch.
const why = torchAvailable();

describe.skipIf(why !== null)('PyTorch engines (bench/engines/torch.ts + torch_bench.py)', () => {
  it('answer warm-up and timed calls with their own seconds, per thread count', async () => {
    const spec = benchSpec(true);
    const torch = startTorch(benchData(spec), spec, [1, 2]);
    try {
      expect(torch.engines.map((e) => [e.name, e.remote])).toEqual([['PyTorch 1T', true], ['PyTorch 2T', true]]);
      for (const engine of torch.engines) {
        const w1 = engine.trainer!(spec.W1, {} as never, 'W1')!;
        const first = (await w1('warm')) as number;
        expect(first).toBeGreaterThan(0);
        expect(first).toBeLessThan(30);
        const t = (await w1('time')) as number;
        expect(t).toBeGreaterThan(0);
        expect((await engine.activation!('sigmoid', new Float32Array(0))('time')) as number).toBeGreaterThan(0);
        expect((await engine.matmul!(spec.G1.sizes[0]!, new Float32Array(0), new Float32Array(0), 1)('time')) as number).toBeGreaterThan(0);
      }
    } finally {
      torch.stop();
    }
  }, 60_000);

  it('rejects a request it cannot serve with an Error naming the workload', async () => {
    const spec = benchSpec(true);
    const torch = startTorch(benchData(spec), spec, [1]);
    try {
      const unit = torch.engines[0]!.activation!('softplus' as never, new Float32Array(0));
      await expect(unit('time')).rejects.toThrow(/PyTorch A1 softplus: KeyError/);
    } finally {
      torch.stop();
    }
  }, 60_000);
});
