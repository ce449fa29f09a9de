import {
  DONE, MESSAGE_BYTE, MESSAGE_CHARS, NEXT_ROW, READY, ROWS_DONE, SEQ, TAKEN, SLOT_INTS, STATUS,
  type ElementwiseKernels, type HelperInit,
} from './helperProtocol.js';
import { SplitChooser } from './splitChooser.js';

// The helper threads behind parallel.ts's split jobs: starting and stopping them, the thread
// count, handing a job over (dispatch) and waiting for it (awaitHelpers), and the per-shape
// timings that decide whether a job splits at all. This file knows nothing of the environment:
// Node (threads.node.ts) or a browser installs a `HelperSpawner`; without one, every job runs on
// the calling thread.

/**
 * The shared-memory kernel (a `WasmRuntime` with `shared` set): its module, which each helper
 * instantiates over `memory`, and the calling thread's instance.
 */
export interface SharedKernel {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: {
    packA(a: number, ars: number, acs: number, M: number, K: number, out: number): void;
    packB(b: number, brs: number, bcs: number, K: number, N: number, out: number): void;
    gemm(ap: number, bp: number, c: number, M: number, K: number, N: number, accumulate: number, bias: number, relu: number): void;
    gemmFewRows(a: number, ars: number, acs: number, b: number, brs: number, c: number, ldc: number, M: number, K: number, N: number, accumulate: number): void;
  } & ElementwiseKernels;
}

/** A started helper thread, to be stopped when the pool is resized. */
export interface HelperHandle {
  stop(): void;
}

/**
 * Starts one helper thread running `serveGemm(init)` (see helperProtocol.ts); calls `failed` if it
 * dies. May throw when threads are unavailable, which leaves products on one thread.
 */
export type HelperSpawner = (init: HelperInit, failed: (error: unknown) => void) => HelperHandle;

/** One helper thread as the pool sees it. */
export interface Helper {
  control: Int32Array;
  handle: HelperHandle | null;
  alive: boolean;
}

interface Pool {
  kernel: SharedKernel;
  /** Slot 0 of the control buffer: the job's arguments and the shared row counter. */
  job: Int32Array;
  helpers: Helper[];
  /** The helpers ready at the last look (readyHelpers keeps this array while that set holds). */
  ready: Helper[];
  seq: number;
}

let spawner: HelperSpawner | null = null;
let threads = 1;
let pool: Pool | null = null;
let helperTimeoutMs = 60_000;
let lastHelpers: Helper[] = [];
let splitProducts = 0;

/**
 * Install the environment's way of starting helper threads and the default thread count
 * (threads.node.ts does this for Node). Products start using helpers once they have started.
 */
export function installHelperSpawner(spawn: HelperSpawner, defaultThreads: number): void {
  stopPool();
  spawner = spawn;
  threads = defaultThreads;
}

/**
 * Set how many threads a large float32 matrix product may use, counting the calling thread:
 * 1 turns the helper threads off. In Node the default is min(2, available cores); where no
 * helper threads can start (a browser page, say) products run on one thread whatever is set.
 * @example setThreads(1); // single-threaded products, e.g. for timing one core
 */
export function setThreads(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`setThreads: the thread count must be a whole number ≥ 1 (1 turns helper threads off), got ${count}`);
  }
  if (count !== threads) stopPool();
  threads = count;
}

/** How many threads large products may use (the calling thread included); see `setThreads`. */
export function getThreads(): number {
  return threads;
}

/** How many helper threads are started and ready right now (0 until the first large product). */
export function readyHelperThreads(): number {
  return pool ? readyHelpers(pool).length : 0;
}

/**
 * How many rows of C each helper computed in the last product that used them (for tests and for
 * tuning the split; the calling thread did the rest).
 * @example matmul(x, w); helperRowsOfLastProduct(); // e.g. [512] of 1024 rows
 */
export function helperRowsOfLastProduct(): number[] {
  return lastHelpers.map((h) => Atomics.load(h.control, ROWS_DONE));
}

/** How many products have been split across threads since the module loaded. */
export function splitProductCount(): number {
  return splitProducts;
}

/** For tests: how long the caller waits for a helper before giving up with an Error. */
export function setHelperTimeout(ms: number): void {
  helperTimeoutMs = ms;
}

function stopPool(): void {
  if (pool === null) return;
  for (const h of pool.helpers) {
    Atomics.store(h.control, SEQ, -1);
    Atomics.notify(h.control, SEQ);
    h.handle?.stop();
  }
  pool = null;
  lastHelpers = [];
  chooser.reset();
}

function startPool(kernel: SharedKernel): Pool {
  const count = threads - 1;
  const control = new SharedArrayBuffer((count + 1) * SLOT_INTS * 4);
  const started: Pool = { kernel, job: new Int32Array(control, 0, SLOT_INTS), helpers: [], ready: [], seq: 0 };
  for (let slot = 1; slot <= count; slot++) {
    const helper: Helper = { control: new Int32Array(control, slot * SLOT_INTS * 4, SLOT_INTS), handle: null, alive: true };
    try {
      helper.handle = spawner!({ module: kernel.module, memory: kernel.memory, control, slot }, () => {
        helper.alive = false;
      });
      started.helpers.push(helper);
    } catch {
      // No worker threads here (or not allowed): the remaining work stays on this thread.
    }
  }
  return started;
}

/** The helpers alive and ready, as one array kept while that set does not change (a product must not allocate). */
function readyHelpers(p: Pool): Helper[] {
  let j = 0;
  let same = true;
  for (const h of p.helpers) {
    if (!isReady(h)) continue;
    if (p.ready[j] !== h) same = false;
    j++;
  }
  if (!same || j !== p.ready.length) p.ready = p.helpers.filter(isReady);
  return p.ready;
}

function isReady(h: Helper): boolean {
  return h.alive && Atomics.load(h.control, READY) === 1;
}

/**
 * The helpers ready to share a job over `kernel` (starting the pool with the first call), or
 * null when the work must stay on this thread: one thread asked for, no way to start helpers
 * here, or none ready yet. After a non-null answer, `jobArguments()` is the job's slot.
 */
export function helpersFor(kernel: SharedKernel): Helper[] | null {
  if (threads < 2 || spawner === null) return null;
  if (pool !== null && pool.kernel !== kernel) stopPool();
  pool ??= startPool(kernel);
  const helpers = readyHelpers(pool);
  return helpers.length === 0 ? null : helpers;
}

/** Slot 0 of the pool's control buffer, where a job's arguments go (after helpersFor answered). */
export function jobArguments(): Int32Array {
  return pool!.job;
}

/**
 * Hand the job whose arguments are in `jobArguments()` to `helpers` (the shared counter starts
 * at 0) and return its sequence number, which awaitHelpers waits for.
 */
export function dispatch(helpers: Helper[]): number {
  const p = pool!;
  const seq = ++p.seq;
  lastHelpers = helpers;
  splitProducts++;
  Atomics.store(p.job, NEXT_ROW, 0);
  for (const h of helpers) {
    Atomics.store(h.control, SEQ, seq);
    Atomics.notify(h.control, SEQ);
  }
  return seq;
}

/** Times products of each shape on one thread and split, and picks the faster (splitChooser.ts). */
export const chooser = new SplitChooser();

/** For tests: when false, every eligible product is split, without timing the alternative. */
export function setAdaptiveSplit(enabled: boolean): void {
  chooser.measuring = enabled;
  chooser.reset();
}

/**
 * How many times the calling thread checks a helper (~20 ns each, so ~1.3 ms) before it sleeps:
 * waking costs tens of µs. The spin reads no clock — each read allocates a number, and spinning
 * on the clock made a split product allocate 13–25 KB, which a compiled step must not.
 */
const CALLER_SPINS = 1 << 16;
let callerCanBlock = true;

/**
 * Wait until every helper that joined job `seq` has finished it (withdrawing those that have not
 * woken up yet: there are no rows left for them); throw the first helper's error.
 */
export function awaitHelpers(busy: Helper[], seq: number): void {
  let deadline = 0; // set when a wait first outlasts the spin
  let failure: string | null = null;
  for (let i = 0; i < busy.length; i++) {
    const ctl = busy[i]!.control;
    const taken = Atomics.load(ctl, TAKEN);
    if (taken !== seq && Atomics.compareExchange(ctl, TAKEN, taken, -seq) === taken) {
      Atomics.store(ctl, ROWS_DONE, 0);
      continue; // withdrawn before it woke up
    }
    let spins = 0;
    for (let done = Atomics.load(ctl, DONE); done !== seq; done = Atomics.load(ctl, DONE)) {
      if (++spins < CALLER_SPINS || (!callerCanBlock && (spins & 1023) !== 0)) continue;
      const now = performance.now();
      if (deadline === 0) deadline = now + helperTimeoutMs;
      if (now >= deadline) {
        stopPool();
        threads = 1;
        throw new Error(
          `matrix multiply: helper thread ${i + 1} did not finish within ${helperTimeoutMs} ms; ` +
            'helper threads are now off (setThreads(2) starts them again)',
        );
      }
      if (callerCanBlock) {
        try {
          Atomics.wait(ctl, DONE, done, Math.min(deadline - now, 100));
        } catch {
          callerCanBlock = false; // a browser's main thread may not block: keep spinning
        }
      }
    }
    if (Atomics.load(ctl, STATUS) !== 0) failure ??= `helper thread ${i + 1}: ${readMessage(ctl)}`;
  }
  if (failure !== null) throw new Error(`matrix multiply failed on ${failure}`);
}

function readMessage(ctl: Int32Array): string {
  const text = new Uint16Array(ctl.buffer, ctl.byteOffset + MESSAGE_BYTE, MESSAGE_CHARS + 1);
  let s = '';
  for (let i = 0; i < MESSAGE_CHARS && text[i] !== 0; i++) s += String.fromCharCode(text[i]!);
  return s;
}
