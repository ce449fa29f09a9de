// Whether to split a product across threads, decided by timing both ways on this machine, now.
// On a machine shared with other work the second core is sometimes busy: a split then waits for
// a descheduled helper and costs more than one thread (PyTorch's 2-thread slowdowns). A model
// of the machine cannot know that; a stopwatch can. Workloads repeat the same few shapes (every
// step of a training loop, every batch of inference), so per shape: time one run on one thread,
// one run split, keep the faster (timing every run), and re-time the other now and then as the
// load drifts.

interface ShapeTimes {
  /** Smoothed milliseconds on one thread and split (NaN until timed). */
  alone: number;
  split: number;
  calls: number;
}

/** How to run the next product of a shape (and time it). */
export type SplitChoice = 'split' | 'alone';

/** The split must be this much faster to be kept: a tie is not worth a second core. */
const MARGIN = 0.95;
/**
 * The losing way is re-timed at the shape's 4th, 8th, 16th, 32nd product, then every 64th: early
 * re-timing undoes an unlucky first timing (a benchmark may run a shape only a few times), and
 * later ones follow the load as it drifts, at little cost.
 */
const RECHECK_EVERY = 64;

function recheck(calls: number): boolean {
  return calls < RECHECK_EVERY ? (calls & (calls - 1)) === 0 : calls % RECHECK_EVERY === 0;
}
/** Weight of a new timing in the smoothed one (timings on a busy machine are noisy). */
const ALPHA = 0.3;
/** Shapes remembered; past this the table starts afresh (a workload uses a handful). */
const MAX_SHAPES = 256;

/**
 * Per-shape timings of products on one thread and split, and the choice they imply.
 * @example
 * const chooser = new SplitChooser();
 * chooser.choose(1024, 784, 512); // 'alone' first, then 'split', then the faster one
 */
export class SplitChooser {
  /** When false, every product is split (tests of the split itself). */
  measuring = true;
  /** Timings by M, then K, then N: number keys, so a lookup allocates nothing (a string key did, per product). */
  private readonly shapes = new Map<number, Map<number, Map<number, ShapeTimes>>>();
  private shapeCount = 0;

  choose(M: number, K: number, N: number): SplitChoice {
    if (!this.measuring) return 'split';
    const t = this.times(M, K, N);
    t.calls++;
    if (Number.isNaN(t.alone)) return 'alone';
    if (Number.isNaN(t.split)) return 'split';
    if (t.split < t.alone * MARGIN) return recheck(t.calls) ? 'alone' : 'split';
    return recheck(t.calls) ? 'split' : 'alone';
  }

  /**
   * Record how long a product of this shape took, one way or the other. A faster time is taken
   * as it is (a core came free: follow at once), a slower one is smoothed (it may be noise).
   */
  record(M: number, K: number, N: number, how: SplitChoice, ms: number): void {
    const t = this.times(M, K, N);
    t[how] = Number.isNaN(t[how]) || ms < t[how] ? ms : t[how] + ALPHA * (ms - t[how]);
  }

  /** Forget every timing (after the thread count changes). */
  reset(): void {
    this.shapes.clear();
    this.shapeCount = 0;
  }

  private times(M: number, K: number, N: number): ShapeTimes {
    let t = this.shapes.get(M)?.get(K)?.get(N);
    if (t === undefined) {
      if (this.shapeCount >= MAX_SHAPES) this.reset();
      let byK = this.shapes.get(M);
      if (byK === undefined) this.shapes.set(M, (byK = new Map()));
      let byN = byK.get(K);
      if (byN === undefined) byK.set(K, (byN = new Map()));
      t = { alone: NaN, split: NaN, calls: 0 };
      byN.set(N, t);
      this.shapeCount++;
    }
    return t;
  }
}
