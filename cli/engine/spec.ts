// What the CLI asks of a network, independent of how the library builds and trains it.

import type { HeadKind } from '../../src/graph/types.js';

export const ACTIVATIONS = ['relu', 'leaky-relu', 'prelu', 'elu', 'sigmoid', 'tanh'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
export const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A fully-connected network: inputs → hidden layers (activation, dropout) → one head. */
export interface NetworkSpec {
  inputs: number;
  outputs: number;
  hidden: number[];
  activation: ActivationName;
  dropout: number;
  head: HeadKind;
  seed: number;
  /** Names shown in summaries and drawings. */
  inputName: string;
  outputName: string;
}

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  l2: number;
  seed: number;
  /** Stop after this many epochs without improvement of the validation loss (0: never). */
  earlyStopping: number;
}

/** A matrix as the CLI holds it: row-major values with its shape. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Targets for training: class indices (multiclass) or a matrix (binary 0/1, regression). */
export type Targets = { labels: Int32Array } | { values: Matrix };

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number | null;
  /** Accuracy for classification, R² (on standardised targets) for regression. */
  valMetric: number | null;
}

export interface TrainHistory {
  loss: number[];
  valLoss: number[];
  valMetric: number[];
  metricName: 'accuracy' | 'r2';
  /** Epochs actually run; less than asked when early stopping fired. */
  epochsRun: number;
  /** 1-based epoch whose weights were kept (best validation loss with early stopping). */
  bestEpoch: number;
}
