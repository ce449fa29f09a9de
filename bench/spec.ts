// The workloads of the benchmark (issue 4), in full and in --quick form. Every engine reads
// its sizes from here, so sloika and the peers always run the same thing.

export interface MlpSpec {
  /** Layer widths, input first: [2, 8, 8, 1]. */
  sizes: number[];
  activation: 'tanh' | 'relu';
  loss: 'bceWithLogits' | 'crossEntropy';
  optimizer: 'sgd' | 'adam';
  lr: number;
  batch: number;
  steps: number;
  /** Rows of the data set the batches cycle over. */
  samples: number;
}

export interface BenchSpec {
  quick: boolean;
  /** Timed repetitions per measurement (the median is reported). */
  reps: number;
  W1: MlpSpec;
  W2: MlpSpec;
  W3: MlpSpec;
  I1: { sizes: number[]; latencyCalls: number; bigBatch: number; bigCalls: number };
  A1: { size: number };
  G1: { sizes: number[]; /** Small products repeat until one timed unit does about this many flops. */ flopsPerUnit: number };
}

export function benchSpec(quick: boolean): BenchSpec {
  if (quick) {
    return {
      quick,
      reps: 1,
      W1: { sizes: [2, 8, 8, 1], activation: 'tanh', loss: 'bceWithLogits', optimizer: 'sgd', lr: 0.03, batch: 10, steps: 50, samples: 100 },
      W2: { sizes: [64, 128, 64, 10], activation: 'relu', loss: 'crossEntropy', optimizer: 'adam', lr: 1e-3, batch: 64, steps: 5, samples: 128 },
      W3: { sizes: [784, 64, 32, 10], activation: 'relu', loss: 'crossEntropy', optimizer: 'sgd', lr: 0.01, batch: 16, steps: 3, samples: 32 },
      I1: { sizes: [784, 64, 32, 10], latencyCalls: 10, bigBatch: 32, bigCalls: 2 },
      A1: { size: 10_000 },
      G1: { sizes: [32, 64], flopsPerUnit: 2 ** 20 },
    };
  }
  return {
    quick,
    reps: 5,
    W1: { sizes: [2, 8, 8, 1], activation: 'tanh', loss: 'bceWithLogits', optimizer: 'sgd', lr: 0.03, batch: 10, steps: 2000, samples: 500 },
    W2: { sizes: [64, 128, 64, 10], activation: 'relu', loss: 'crossEntropy', optimizer: 'adam', lr: 1e-3, batch: 64, steps: 300, samples: 1024 },
    W3: { sizes: [784, 512, 256, 10], activation: 'relu', loss: 'crossEntropy', optimizer: 'sgd', lr: 0.01, batch: 128, steps: 100, samples: 1024 },
    I1: { sizes: [784, 512, 256, 10], latencyCalls: 300, bigBatch: 1024, bigCalls: 5 },
    A1: { size: 1_000_000 },
    G1: { sizes: [256, 1024], flopsPerUnit: 2 ** 28 },
  };
}

/** Parameters of an MLP with biases: Σ in·out + out. */
export function parameterCount(sizes: number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i]! * sizes[i + 1]! + sizes[i + 1]!;
  return n;
}
