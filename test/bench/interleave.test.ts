import { describe, expect, it } from 'vitest';
import type { Engine, Unit } from '../../bench/engines/engine.js';
import { measureInterleaved } from '../../bench/interleave.js';
import type { Measurement } from '../../bench/measurements.js';
import { ratio, type EngineResult } from '../../bench/report.js';
import { shortened } from '../../bench/timing.js';

// Interleaving: every engine warms up, then timed calls alternate engine by engine, round by
// round; a remote engine's calls report their own seconds; ratios pair calls of the same round.

const measurement: Measurement = { label: 'W1', unit: (e) => e.trainer?.({} as never, {} as never, 'W1') ?? null, metrics: (t) => ({ W1: 1 / t }) };

function localEngine(name: string, log: string[]): Engine {
  return {
    name,
    init: async () => null,
    enter: async () => void log.push(`enter ${name}`),
    trainer: () => () => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a 10 ms call
      log.push(`call ${name}`);
    },
  };
}

describe('measureInterleaved', () => {
  it('warms every engine up, then makes one timed call per engine per round, each round starting one engine on', async () => {
    const log: string[] = [];
    const remoteSeconds = [0.5, 0.25, 0.125, 1];
    const remote: Engine = {
      name: 'remote',
      remote: true,
      init: async () => null,
      trainer: (): Unit => async (mode) => {
        log.push(`${mode} remote`);
        return remoteSeconds.shift()!;
      },
    };
    const times = await measureInterleaved(measurement, [localEngine('a', log), remote, { name: 'none', init: async () => null }], 3);
    const calls = log.filter((l) => !l.startsWith('enter'));
    // a: first call, then more until 0.3 s have passed (10 ms calls: ~30); remote warms itself.
    const warmA = calls.indexOf('warm remote');
    expect(warmA).toBeGreaterThan(20);
    expect(calls.slice(0, warmA).every((c) => c === 'call a')).toBe(true);
    // Each timed call of the local engine follows an untimed one of its own (the 'call a' pairs).
    expect(calls.slice(warmA)).toEqual(['warm remote', 'call a', 'call a', 'time remote', 'time remote', 'call a', 'call a', 'call a', 'call a', 'time remote']);
    // Before each (untimed + timed) pair the engine's state is made current.
    expect(log[log.lastIndexOf('call a') - 2]).toBe('enter a');
    expect(times.map((t) => t.engine.name)).toEqual(['a', 'remote']);
    expect(times[1]!.seconds).toEqual([0.25, 0.125, 1]); // as the remote engine reported them
    expect(times[0]!.seconds).toHaveLength(3);
    for (const t of times[0]!.seconds) expect(t).toBeGreaterThanOrEqual(0.009); // timed here
  });

  it('runs one round only for an engine whose first call took over 20 s, and says so', async () => {
    const slow: Engine = { name: 'slow', remote: true, init: async () => null, trainer: () => async () => 25 };
    const before = shortened.length;
    const [t] = await measureInterleaved(measurement, [slow], 5);
    expect(t!.seconds).toEqual([25]);
    expect(shortened.slice(before)).toEqual(['slow W1: 1 run (one call took 25 s)']);
  });
});

describe('ratio', () => {
  it('is the median of per-round ratios when both ran every round, else the ratio of medians', () => {
    const sloika: EngineResult = { name: 'sloika', metrics: { W1: 100, A1relu: 2 }, rounds: { W1: [90, 100, 130], A1relu: [2, 2, 3] } };
    // Rounds move together (load drift): per round sloika is 2×, 1.25×, 1.3× as fast.
    const peer: EngineResult = { name: 'p', metrics: { W1: 80, A1relu: 3 }, rounds: { W1: [45, 80, 100], A1relu: [3] } };
    expect(ratio('W1', sloika, peer)).toBeCloseTo(1.3, 12);
    expect(ratio('A1relu', sloika, peer)).toBeCloseTo(1.5, 12); // times: peer ÷ sloika, from the medians 3 / 2
  });
});
