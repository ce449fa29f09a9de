import {
  ARG_A, ARG_ACCUMULATE, ARG_ACS, ARG_B, ARG_BIAS, ARG_BRS, ARG_KIND, ARG_PART_COLUMNS, ARG_RELU, JOB_COLUMNS, JOB_ELEMENTWISE, JOB_ROWS, ARG_ARS, ARG_C, ARG_CHUNK, ARG_K, ARG_M, ARG_N, ARG_PACKED_A, ARG_PACKED_B,
  B_READY, DONE, ELEMENTWISE_KERNELS, isGradientKernel, MESSAGE_BYTE, MESSAGE_CHARS, NEXT_ROW, READY, ROWS_DONE, SEQ, TAKEN, SLOT_INTS, STATUS,
  type ElementwiseKernel, type ElementwiseKernels, type HelperInit,
} from './helperProtocol.js';
import { SplitChooser } from './splitChooser.js';

// Matrix products split across threads by rows of C. Every thread runs its own instance of the
// same WebAssembly kernel on one shared memory: the main thread packs op(B) once for all, and
// each thread takes chunks of rows of C (packing those rows of op(A), multiplying them by the
// whole packed B) until none are left. Each element of C is computed by one thread in the same
// k order as on one thread, so results are bit-identical to the single-threaded kernel.
// This file knows nothing of the environment: Node (threads.node.ts) or a browser installs a
// `HelperSpawner`; without one, every product runs on the calling thread.

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

/**
 * Below this many multiply-adds the split does not pay for its hand-over (a few µs with a helper
 * spinning, up to ms when it sleeps). Measured on the 2-core VM, best of 15 alternating runs:
 * 64×64×64 (262k) 0.8×, 64×128×128 and 256×64×64 (1M) 0.96–1.15×, 128³ (2.1M) 1.25×,
 * 128×256×128 (4.2M) 1.4×, 128×512×256 (16.8M) 1.6×, 128×784×512 and 1024×784×512 up to 1.85×.
 */
export const PARALLEL_MIN_WORK = 1 << 20;
/** Products with fewer rows than this stay on one thread (each thread needs whole 4-row panels). */
const MIN_ROWS = 16;
/** The fewest rows one thread takes at a time. */
const MIN_CHUNK = 16;

interface Helper {
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
 * here, or none ready yet.
 */
function helpersFor(kernel: SharedKernel): Helper[] | null {
  if (threads < 2 || spawner === null) return null;
  if (pool !== null && pool.kernel !== kernel) stopPool();
  pool ??= startPool(kernel);
  const helpers = readyHelpers(pool);
  return helpers.length === 0 ? null : helpers;
}

/**
 * c (+)= op(A)·op(B) on several threads, all arguments byte pointers into `kernel.memory`:
 * `packedA` has room for ⌈M/4⌉·4·K floats and `packedB` for ⌈N/8⌉·8·K. Returns false, having done
 * nothing, when the product is too small to pay for it or no helper is ready yet (the first large
 * product starts them); the caller then multiplies on its own. Otherwise the product is done,
 * split or on this thread, whichever the timings of its shape say is faster (splitChooser.ts).
 * `bias` (byte pointer to N floats, 0 for none) and `relu` are the kernel's epilogue (see its gemm).
 */
export function parallelGemm(
  kernel: SharedKernel,
  a: number, ars: number, acs: number,
  b: number, brs: number, bcs: number,
  packedA: number, packedB: number, c: number,
  M: number, K: number, N: number, accumulate: boolean, bias = 0, relu = false,
): boolean {
  if (M * K * N < PARALLEL_MIN_WORK || M < MIN_ROWS) return false;
  const helpers = helpersFor(kernel);
  if (helpers === null || pool === null) return false;
  const { packA, packB, gemm } = kernel.exports;
  const started = performance.now();
  if (chooser.choose(M, K, N) === 'alone') {
    packA(a, ars, acs, M, K, packedA);
    packB(b, brs, bcs, K, N, packedB);
    gemm(packedA, packedB, c, M, K, N, accumulate ? 1 : 0, bias, relu ? 1 : 0);
    chooser.record(M, K, N, 'alone', performance.now() - started);
    return true;
  }
  const job = pool.job;
  job[ARG_KIND] = JOB_ROWS;
  job[ARG_A] = a;
  job[ARG_ARS] = ars;
  job[ARG_ACS] = acs;
  job[ARG_M] = M;
  job[ARG_K] = K;
  job[ARG_N] = N;
  job[ARG_PACKED_A] = packedA;
  job[ARG_PACKED_B] = packedB;
  job[ARG_C] = c;
  job[ARG_ACCUMULATE] = accumulate ? 1 : 0;
  job[ARG_BIAS] = bias;
  job[ARG_RELU] = relu ? 1 : 0;
  const chunk = chunkRows(M, helpers.length + 1);
  job[ARG_CHUNK] = chunk;
  const seq = dispatch(pool, helpers);
  try {
    try {
      packB(b, brs, bcs, K, N, packedB);
    } finally {
      Atomics.store(job, B_READY, seq);
      Atomics.notify(job, B_READY);
    }
    for (let row = Atomics.add(job, NEXT_ROW, chunk); row < M; row = Atomics.add(job, NEXT_ROW, chunk)) {
      const rows = Math.min(chunk, M - row);
      packA(a + row * ars * 4, ars, acs, rows, K, packedA + row * K * 4);
      gemm(packedA + row * K * 4, packedB, c + row * N * 4, rows, K, N, accumulate ? 1 : 0, bias, relu ? 1 : 0);
    }
  } finally {
    awaitHelpers(helpers, seq); // even when this thread threw: the helpers still write into memory
  }
  chooser.record(M, K, N, 'split', performance.now() - started);
  return true;
}

/**
 * Below this many multiply-adds a few-rows product stays on one thread: handing half of a
 * product over costs a few µs even to a spinning helper. Batch-1 layers of I1: 1×784×512 (401k)
 * and 1×512×256 (131k) split; 1×256×10 does not.
 */
export const PARALLEL_FEW_ROWS_MIN_WORK = 1 << 16;
/** Parts are whole blocks of 32 columns, the few-rows kernel's widest. */
const PART_ALIGN = 32;

/**
 * A few-rows product (gemmFewRows: op(B) read in place, row stride `brs`) with its columns split
 * between this thread and the helpers: batch-1 inference is bound by streaming the weights from
 * memory, which two cores do about twice as fast. Each element is summed the same way whoever
 * computes it, so the bits equal one thread's. Returns false, having done nothing, when the
 * product is too small or no helper is ready (the first large product starts them); the caller
 * then multiplies on its own.
 *
 * Unlike row splits these are not timed per shape (splitChooser.ts): a product lasts tens of µs,
 * so one late wake-up outweighs many good splits, and choosing "alone" for a while lets the
 * helper fall asleep, which makes the next timed split slow — the choice flip-flopped (43 to 512
 * of 600 products split, run to run). The parts protect the caller instead: it takes parts from
 * the same counter, so a helper that is asleep or busy elsewhere gets none (costing one notify),
 * and the caller only waits for a part a helper has already started. Batch-1 I1 forward, bench
 * loop from a cold start: 65–84 µs always split, 78–98 µs timed, ~90–115 µs on one thread.
 */
export function parallelFewRows(
  kernel: SharedKernel,
  a: number, ars: number, acs: number, b: number, brs: number, c: number,
  M: number, K: number, N: number, accumulate: boolean,
): boolean {
  if (M * K * N < PARALLEL_FEW_ROWS_MIN_WORK || N < 2 * PART_ALIGN) return false;
  const helpers = helpersFor(kernel);
  if (helpers === null || pool === null) return false;
  const { gemmFewRows } = kernel.exports;
  const width = Math.ceil(N / (helpers.length + 1) / PART_ALIGN) * PART_ALIGN;
  const job = pool.job;
  job[ARG_KIND] = JOB_COLUMNS;
  job[ARG_A] = a;
  job[ARG_ARS] = ars;
  job[ARG_ACS] = acs;
  job[ARG_B] = b;
  job[ARG_BRS] = brs;
  job[ARG_C] = c;
  job[ARG_M] = M;
  job[ARG_K] = K;
  job[ARG_N] = N;
  job[ARG_ACCUMULATE] = accumulate ? 1 : 0;
  job[ARG_PART_COLUMNS] = width;
  const seq = dispatch(pool, helpers);
  try {
    // Parts in order from the counter: this thread usually takes the first, a helper the next;
    // a helper that has not woken up by then leaves its part to this thread.
    for (let p = Atomics.add(job, NEXT_ROW, 1); p * width < N; p = Atomics.add(job, NEXT_ROW, 1)) {
      const j0 = p * width;
      gemmFewRows(a, ars, acs, b + j0 * 4, brs, c + j0 * 4, N, M, K, Math.min(width, N - j0), accumulate ? 1 : 0);
    }
  } finally {
    awaitHelpers(helpers, seq);
  }
  return true;
}

/**
 * Parts (floats) of an activation shared with the helpers; arrays under two parts stay on one
 * thread. Sigmoid and tanh forward + backward, one thread vs split on the quiet 2-core VM
 * (medians of 15 alternating rounds): 64K floats 1.26× / 1.47× faster split, 256K 1.18× / 1.08×,
 * 1M 1.28× / 1.41×. ReLU, bound by memory rather than arithmetic, gained nothing (0.78–1.02×) and
 * is never split. With another process busy on the second core every split lost (0.6–0.9×),
 * which the timing per kernel and length catches.
 */
export const ELEMENTWISE_PART = 16_384;

/**
 * Run `name` (one of ELEMENTWISE_KERNELS) over n floats at byte addresses `src` (x, or f's output
 * y), `g` (the upstream gradient, derivatives only) and `dst`, in parts of ELEMENTWISE_PART shared
 * with the helpers: each thread takes the next part from a counter, so a helper that is asleep or
 * busy gets none. Elementwise, so the bits equal one thread's. Timed per kernel and length like
 * row splits (splitChooser.ts): on a busy machine the split loses and is dropped. Returns false,
 * having done nothing, for ReLU, under two parts, or when no helper is ready.
 */
export function parallelElementwise(
  kernel: SharedKernel, name: ElementwiseKernel, src: number, g: number, dst: number, n: number, aux: number,
): boolean {
  if (n < 2 * ELEMENTWISE_PART || name === 'reluF32' || name === 'reluGradF32') return false;
  const helpers = helpersFor(kernel);
  if (helpers === null || pool === null) return false;
  const gradient = isGradientKernel(name);
  const f = kernel.exports[name];
  const index = ELEMENTWISE_KERNELS.indexOf(name);
  const started = performance.now();
  if (chooser.choose(n, index, 0) === 'alone') { // the key's 0 keeps it apart from every product's
    if (gradient) f(src, g, dst, n);
    else f(src, dst, n, aux);
    chooser.record(n, index, 0, 'alone', performance.now() - started);
    return true;
  }
  const job = pool.job;
  job[ARG_KIND] = JOB_ELEMENTWISE;
  job[ARG_K] = index;
  job[ARG_A] = src;
  job[ARG_B] = g;
  job[ARG_C] = dst;
  job[ARG_N] = n;
  job[ARG_PART_COLUMNS] = ELEMENTWISE_PART;
  job[ARG_BIAS] = aux;
  const seq = dispatch(pool, helpers);
  try {
    for (let p = Atomics.add(job, NEXT_ROW, 1); p * ELEMENTWISE_PART < n; p = Atomics.add(job, NEXT_ROW, 1)) {
      const i0 = p * ELEMENTWISE_PART;
      const at = i0 * 4;
      const len = Math.min(ELEMENTWISE_PART, n - i0);
      if (gradient) f(src + at, g + at, dst + at, len);
      else f(src + at, dst + at, len, aux);
    }
  } finally {
    awaitHelpers(helpers, seq);
  }
  chooser.record(n, index, 0, 'split', performance.now() - started);
  return true;
}

/**
 * Hand the job whose arguments are in `p.job` to `helpers` (the shared counter starts at 0) and
 * return its sequence number, which awaitHelpers waits for.
 */
function dispatch(p: Pool, helpers: Helper[]): number {
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
const chooser = new SplitChooser();

/** For tests: when false, every eligible product is split, without timing the alternative. */
export function setAdaptiveSplit(enabled: boolean): void {
  chooser.measuring = enabled;
  chooser.reset();
}

/**
 * Rows per chunk: whole 4-row panels, about four chunks per thread so that a thread slowed down
 * by the machine takes fewer, but at least MIN_CHUNK rows so that each chunk keeps the kernel's
 * blocking (every chunk streams all of packed B once).
 */
function chunkRows(M: number, threadCount: number): number {
  return Math.max(MIN_CHUNK, Math.ceil(M / (threadCount * 4) / 4) * 4);
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
function awaitHelpers(busy: Helper[], seq: number): void {
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
