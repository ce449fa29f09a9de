// Plain data shapes shared by the generators, the split and the playground. No tensors here:
// src/data stays standalone, so it runs anywhere and costs nothing to import.

/** One 2-D sample: coordinates in roughly [-6, 6] and its target. */
export interface Sample {
  x1: number;
  x2: number;
  /** Class index (0 or 1 for binary, 0..K-1 for multiclass) or a value in [-1, 1] (regression). */
  y: number;
}

/** What a data set's target means. */
export type DataKind = 'binary' | 'multiclass' | 'regression';

/** Options every generator accepts. */
export interface GenerateOptions {
  /** Number of samples (default 500). */
  n?: number;
  /** Noise from 0 (clean) to 0.5 (TensorFlow Playground's "50"). Default 0. */
  noise?: number;
  /** Seed: the same seed gives the same samples everywhere. Default 0. */
  seed?: number;
  /** Classes for the multiclass sets (3–5, default 3). */
  classes?: number;
}

/** Half the side of the square the generators draw in: points lie in [-RANGE, RANGE]². */
export const RANGE = 6;
