// How the main thread and its helper threads share one matrix product. A SharedArrayBuffer holds
// one header (slot 0: the job's arguments and the shared row counter) and one slot per helper
// (slots 1…n: its job counter, completion, status and error text), SLOT_INTS int32s each. The
// main thread writes the arguments and bumps each participating helper's SEQ; then every thread
// takes rows of C from NEXT_ROW (a share of those left, see guidedRows) until none are left, so a
// thread that the (shared, noisy) machine slows down simply takes fewer rows. The helper's body is plain JavaScript in a
// string so that Node (worker_threads, eval) and browsers (a Blob URL) start it without a file.

export const SLOT_INTS = 64;

// Header (slot 0).
/** The SEQ whose packed B is complete (the main thread packs it while helpers pack rows of A). */
export const B_READY = 0;
/** The next row of C (or part) nobody has taken yet. */
export const NEXT_ROW = 1;
/** Job arguments: byte pointers into the shared memory, strides and sizes. */
export const ARG_A = 8, ARG_ARS = 9, ARG_ACS = 10, ARG_M = 11, ARG_K = 12, ARG_N = 13;
export const ARG_PACKED_A = 14, ARG_PACKED_B = 15, ARG_C = 16, ARG_ACCUMULATE = 17, ARG_CHUNK = 18;
/** The linear layer's epilogue: byte pointer to the bias row (0: none), and 1 to clamp at zero (ReLU). */
export const ARG_BIAS = 19, ARG_RELU = 20;
/**
 * What the job is: JOB_ROWS (rows of a packed product, taken a share at a time from NEXT_ROW) or
 * JOB_COLUMNS (a few-rows product cut into parts of ARG_PART_COLUMNS columns, taken one part at a
 * time from NEXT_ROW: the weights of a batch-1 layer stream from memory twice as fast on two cores).
 */
export const ARG_KIND = 21, ARG_PART_COLUMNS = 22, ARG_B = 23, ARG_BRS = 24;
export const JOB_ROWS = 0, JOB_COLUMNS = 1;
/** JOB_ROWS: a thread takes 1/ARG_SHARES of the rows left (whole 4-row panels, at least ARG_CHUNK; see guidedRows). */
export const ARG_SHARES = 25;
/**
 * Rows of C a thread takes when `left` remain: a 1/shares part of them in whole 4-row panels, at
 * least `least`, at most `left`. Big chunks first and smaller ones towards the end ("guided"
 * scheduling), so the threads finish close together even when the machine slows one of them
 * down. The helper's loop (HELPER_SOURCE) computes the same expression.
 */
export function guidedRows(left: number, least: number, shares: number): number {
  return Math.min(left, Math.max(least, ((left / shares + 3) & ~3)));
}

/**
 * JOB_ELEMENTWISE: an activation kernel (or its derivative) over ARG_N floats cut into parts of
 * ARG_PART_COLUMNS (a multiple of 4), one part at a time from NEXT_ROW. ARG_K holds the kernel
 * (ELEMENTWISE_KERNELS' index); ARG_A the input (or f's output y), ARG_B the upstream gradient,
 * ARG_C the result, ARG_BIAS the kernel's constants (sigmoid) or table (tanh).
 */
export const JOB_ELEMENTWISE = 2;
/** The kernels an elementwise job can run, by index (the module's export names). */
export const ELEMENTWISE_KERNELS = ['reluF32', 'sigmoidF32', 'tanhF32', 'reluGradF32', 'sigmoidGradF32', 'tanhGradF32'] as const;
export type ElementwiseKernel = (typeof ELEMENTWISE_KERNELS)[number];
/** The elementwise kernels as callables: forward ones take (src, dst, n, aux), derivatives (y, g, gx, n). */
export type ElementwiseKernels = Record<ElementwiseKernel, (p: number, q: number, r: number, s: number) => void>;

/** Whether `name` is a derivative kernel, (y, g, gx, n), rather than a forward one, (src, dst, n, aux). */
export function isGradientKernel(name: ElementwiseKernel): boolean {
  return name === 'reluGradF32' || name === 'sigmoidGradF32' || name === 'tanhGradF32';
}

// Helper slots (1…n).
/** Job counter: the main thread bumps it to give this helper a job (negative: stop). */
export const SEQ = 0;
/** The SEQ of the last job this helper finished (or failed). */
export const DONE = 1;
/** 0: the last job succeeded; 1: it threw (message in the slot's tail). */
export const STATUS = 2;
/** 0: starting; 1: the kernel is instantiated on the shared memory; -1: it could not be. */
export const READY = 3;
/** How many rows of C (columns, for a JOB_COLUMNS job) this helper computed in its last job (tests and tuning read it). */
export const ROWS_DONE = 4;
/**
 * Who has decided the helper's part in the latest job: +SEQ when the helper joined it, -SEQ when
 * the main thread, done with every row before the helper woke up, withdrew it (compare-exchange,
 * so exactly one wins). The main thread waits only for a helper that joined: waking a sleeping
 * thread can take milliseconds on a busy virtual machine.
 */
export const TAKEN = 5;
/** Byte offset, inside a slot, of the UTF-16 error message a failed job leaves. */
export const MESSAGE_BYTE = 8 * 4;
export const MESSAGE_CHARS = (SLOT_INTS * 4 - MESSAGE_BYTE) / 2 - 1;

/** How long a helper spins for the next job before it sleeps (ms). */
export const HELPER_SPIN_MS = 0.3;

/** What a helper is started with (structured-clonable: a Module, a shared Memory, a SAB). */
export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
}

/**
 * `serveGemm(init)`: the helper's whole life. It instantiates the kernel on the shared memory,
 * then loops forever on Atomics.wait, so it never returns to its event loop (an unref'd Node
 * worker therefore never keeps a process alive).
 */
export const HELPER_SOURCE = `
function serveGemm(init) {
  const job = new Int32Array(init.control, 0, ${SLOT_INTS});
  const ctl = new Int32Array(init.control, init.slot * ${SLOT_INTS * 4}, ${SLOT_INTS});
  const text = new Uint16Array(init.control, init.slot * ${SLOT_INTS * 4} + ${MESSAGE_BYTE}, ${MESSAGE_CHARS + 1});
  function report(e) {
    const s = String(e && e.stack ? e.stack.split('\\n').slice(0, 2).join(' ') : e).slice(0, ${MESSAGE_CHARS});
    for (let i = 0; i < s.length; i++) text[i] = s.charCodeAt(i);
    text[s.length] = 0;
  }
  let k;
  try {
    k = new WebAssembly.Instance(init.module, { env: { memory: init.memory, abort() { throw new Error('kernel abort'); } } }).exports;
  } catch (e) {
    report(e);
    Atomics.store(ctl, ${READY}, -1);
    return;
  }
  Atomics.store(ctl, ${READY}, 1);
  let seq = 0;
  for (;;) {
    // Products come in bursts (a forward pass, a backward pass): spin a little before sleeping,
    // as waking a sleeping thread (a halted virtual CPU, often) costs more than a small product.
    // The clock is read every 64th check only: each read allocates a number (garbage to collect
    // on this thread between products).
    for (let i = 1, until = performance.now() + ${HELPER_SPIN_MS}; Atomics.load(ctl, ${SEQ}) === seq && ((i++ & 63) !== 0 || performance.now() < until););
    Atomics.wait(ctl, ${SEQ}, seq);
    seq = Atomics.load(ctl, ${SEQ});
    if (seq < 0) return;
    const taken = Atomics.load(ctl, ${TAKEN});
    if (taken === -seq || Atomics.compareExchange(ctl, ${TAKEN}, taken, seq) !== taken) continue; // withdrawn
    let status = 0, done = 0;
    try {
      const a = job[${ARG_A}], ars = job[${ARG_ARS}], acs = job[${ARG_ACS}], M = job[${ARG_M}], K = job[${ARG_K}], N = job[${ARG_N}];
      const pa = job[${ARG_PACKED_A}], pb = job[${ARG_PACKED_B}], c = job[${ARG_C}], acc = job[${ARG_ACCUMULATE}], chunk = job[${ARG_CHUNK}];
      const bias = job[${ARG_BIAS}], relu = job[${ARG_RELU}];
      if (job[${ARG_KIND}] === ${JOB_ELEMENTWISE}) {
        // An activation over parts of an array; forward kernels read (src, dst, n, aux), their
        // derivatives (y, g, gx, n): the part's offset moves every pointer alike.
        const f = k[${JSON.stringify(ELEMENTWISE_KERNELS)}[job[${ARG_K}]]];
        const gradient = ${JSON.stringify(ELEMENTWISE_KERNELS.map(isGradientKernel))}[job[${ARG_K}]];
        const src = job[${ARG_A}], g = job[${ARG_B}], dst = job[${ARG_C}], n = job[${ARG_N}], part = job[${ARG_PART_COLUMNS}], aux = job[${ARG_BIAS}];
        for (let p = Atomics.add(job, ${NEXT_ROW}, 1); p * part < n; p = Atomics.add(job, ${NEXT_ROW}, 1)) {
          const i0 = p * part, len = Math.min(part, n - i0), at = i0 * 4;
          if (gradient) f(src + at, g + at, dst + at, len);
          else f(src + at, dst + at, len, aux);
          done += len;
        }
      } else if (job[${ARG_KIND}] === ${JOB_COLUMNS}) {
        // A few-rows product, part by part of columns (C's rows keep their full stride N).
        const b = job[${ARG_B}], brs = job[${ARG_BRS}], width = job[${ARG_PART_COLUMNS}];
        for (let p = Atomics.add(job, ${NEXT_ROW}, 1); p * width < N; p = Atomics.add(job, ${NEXT_ROW}, 1)) {
          const j0 = p * width, w = Math.min(width, N - j0);
          k.gemmFewRows(a, ars, acs, b + j0 * 4, brs, c + j0 * 4, N, M, K, w, acc);
          done += w;
        }
      } else {
        let waited = false;
        const shares = job[${ARG_SHARES}];
        for (let row = Atomics.load(job, ${NEXT_ROW}); row < M; row = Atomics.load(job, ${NEXT_ROW})) {
          const rows = Math.min(M - row, Math.max(chunk, (((M - row) / shares + 3) & ~3))); // guidedRows
          if (Atomics.compareExchange(job, ${NEXT_ROW}, row, row + rows) !== row) continue; // another thread took them
          k.packA(a + row * ars * 4, ars, acs, rows, K, pa + row * K * 4);
          if (!waited) {
            // Packing B takes the main thread microseconds: spin, then sleep if it takes longer.
            const until = performance.now() + ${HELPER_SPIN_MS};
            for (let b = Atomics.load(job, ${B_READY}); b < seq; b = Atomics.load(job, ${B_READY})) {
              if (performance.now() > until) Atomics.wait(job, ${B_READY}, b);
            }
            waited = true;
          }
          k.gemm(pa + row * K * 4, pb, c + row * N * 4, rows, K, N, acc, bias, relu);
          done += rows;
        }
      }
    } catch (e) {
      report(e);
      status = 1;
    }
    Atomics.store(ctl, ${ROWS_DONE}, done);
    Atomics.store(ctl, ${STATUS}, status);
    Atomics.store(ctl, ${DONE}, seq);
    Atomics.notify(ctl, ${DONE});
  }
}
`;

/** The helper's source for a Node worker started with `eval: true` (init arrives as workerData). */
export const NODE_HELPER_SOURCE = `${HELPER_SOURCE}\nserveGemm(require('node:worker_threads').workerData);\n`;

/** The helper's source for a browser Web Worker (init arrives as its first message). */
export const BROWSER_HELPER_SOURCE = `${HELPER_SOURCE}\nself.onmessage = (e) => { self.onmessage = null; serveGemm(e.data); };\n`;
