import type { Engine, Unit } from './engines/engine.js';
import type { Measurement } from './measurements.js';
import { repsFor, WARM_UP_SECONDS } from './timing.js';

/** Local calls shorter than this get an untimed call of their own right before each timed one. */
const RESETTLE_SECONDS = 1;

// One measurement on every engine, interleaved: each engine warms up, then the timed calls go
// round by round, one call per engine per round, each round starting one engine further on (so
// no engine always follows the same one). Engines in this process share its heap, its allocator
// and the CPU's caches, and another engine ran in between: so each timed call of a local engine
// (calls under RESETTLE_SECONDS) follows one untimed call of its own, which pays whatever garbage
// the others left and wakes its helper thread. Timed cold, sloika's A1 sigmoid read 9.25 ms after
// TF.js cpu's garbage-heavy call (4.3 ms in a loop). A forced full collection instead made
// sloika's next eager W1 call 1.44× slower (V8 shrinks the young generation): not neutral. The machine is shared and its load drifts
// within seconds; run one engine after another and a peer measured minutes later meets another
// machine (in one such run PyTorch 1T's W2 moved from 66,000 to 95,000 samples/s while sloika's
// stayed put). Interleaved, every engine meets the same drift, and each round gives a ratio of
// calls made moments apart.

export interface EngineTimes {
  engine: Engine;
  /** Seconds of each timed call, round by round (fewer when calls are slow, see repsFor). */
  seconds: number[];
}

async function call(unit: Unit, mode: 'warm' | 'time', remote: boolean): Promise<number> {
  if (remote) return (await unit(mode)) as number;
  const t0 = performance.now();
  await unit();
  return (performance.now() - t0) / 1000;
}

/** Time `m` on every engine that supports it: `reps` interleaved rounds after each engine's warm-up. */
export async function measureInterleaved(m: Measurement, engines: Engine[], reps: number): Promise<EngineTimes[]> {
  const runs: { engine: Engine; unit: Unit; reps: number; resettle: boolean; seconds: number[] }[] = [];
  for (const engine of engines) {
    await engine.enter?.();
    const unit = m.unit(engine);
    if (unit !== null) runs.push({ engine, unit, reps, resettle: false, seconds: [] });
  }
  for (const r of runs) {
    await r.engine.enter?.();
    const remote = r.engine.remote === true;
    const first = await call(r.unit, 'warm', remote);
    if (!remote) {
      // Warm-up calls until WARM_UP_SECONDS have passed since the first began.
      for (let spent = first; spent < WARM_UP_SECONDS; ) spent += await call(r.unit, 'warm', false);
    }
    r.reps = repsFor(reps, first, `${r.engine.name} ${m.label}`);
    r.resettle = !remote && first < RESETTLE_SECONDS;
  }
  for (let round = 0; round < reps; round++) {
    for (let i = 0; i < runs.length; i++) {
      const r = runs[(round + i) % runs.length]!;
      if (round >= r.reps) continue;
      await r.engine.enter?.();
      if (r.resettle) await call(r.unit, 'warm', false);
      r.seconds.push(await call(r.unit, 'time', r.engine.remote === true));
    }
  }
  return runs.map(({ engine, seconds }) => ({ engine, seconds }));
}
