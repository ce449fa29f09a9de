import {
  ARG_A, ARG_ACCUMULATE, ARG_ACS, ARG_B, ARG_BIAS, ARG_BRS, ARG_KIND, ARG_PART_COLUMNS, ARG_RELU, ARG_SHARES, JOB_COLUMNS, JOB_ELEMENTWISE, JOB_ROWS, ARG_ARS, ARG_C, ARG_CHUNK, ARG_K, ARG_M, ARG_N, ARG_PACKED_A, ARG_PACKED_B,
  B_READY, ELEMENTWISE_KERNELS, guidedRows, isGradientKernel, NEXT_ROW, type ElementwiseKernel,
} from './helperProtocol.js';
import { awaitHelpers, chooser, dispatch, helpersFor, jobArguments, type SharedKernel } from './helperPool.js';

// The jobs the helper threads share (helperPool.ts runs the threads). Matrix products split by
// rows of C: every thread runs its own instance of the same WebAssembly kernel on one shared
// memory; the main thread packs op(B) once for all, and each thread takes chunks of rows of C
// (packing those rows of op(A), multiplying them by the whole packed B) until none are left.
// Few-rows products split by columns, large sigmoid/tanh arrays by parts. Each element is
// computed by one thread in the same order as on one thread, so results are bit-identical.

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
  if (helpers === null) return false;
  const { packA, packB, gemm } = kernel.exports;
  const started = performance.now();
  if (chooser.choose(M, K, N) === 'alone') {
    packA(a, ars, acs, M, K, packedA);
    packB(b, brs, bcs, K, N, packedB);
    gemm(packedA, packedB, c, M, K, N, accumulate ? 1 : 0, bias, relu ? 1 : 0);
    chooser.record(M, K, N, 'alone', performance.now() - started);
    return true;
  }
  const job = jobArguments();
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
  // Each take is a 1/(2·threads) share of the rows left (guidedRows). Fixed chunks of an eighth
  // (before 2026-11-27) left one thread up to a whole chunk behind at the end: I1 batch 1024,
  // medians of 11 and 15 interleaved rounds, 1.13× and 1.08× the samples/s of fixed chunks.
  const shares = 2 * (helpers.length + 1);
  job[ARG_CHUNK] = MIN_CHUNK;
  job[ARG_SHARES] = shares;
  const seq = dispatch(helpers);
  try {
    try {
      packB(b, brs, bcs, K, N, packedB);
    } finally {
      Atomics.store(job, B_READY, seq);
      Atomics.notify(job, B_READY);
    }
    for (let row = Atomics.load(job, NEXT_ROW); row < M; row = Atomics.load(job, NEXT_ROW)) {
      const rows = guidedRows(M - row, MIN_CHUNK, shares);
      if (Atomics.compareExchange(job, NEXT_ROW, row, row + rows) !== row) continue; // a helper took them
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
  if (helpers === null) return false;
  const { gemmFewRows } = kernel.exports;
  const width = Math.ceil(N / (helpers.length + 1) / PART_ALIGN) * PART_ALIGN;
  const job = jobArguments();
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
  const seq = dispatch(helpers);
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
  if (helpers === null) return false;
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
  const job = jobArguments();
  job[ARG_KIND] = JOB_ELEMENTWISE;
  job[ARG_K] = index;
  job[ARG_A] = src;
  job[ARG_B] = g;
  job[ARG_C] = dst;
  job[ARG_N] = n;
  job[ARG_PART_COLUMNS] = ELEMENTWISE_PART;
  job[ARG_BIAS] = aux;
  const seq = dispatch(helpers);
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
