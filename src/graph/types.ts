import type { Tensor } from '../tensor/tensor.js';

// The contract between the graph API (src/graph), the training loop (src/train), saving
// (src/io), the CLI and the playground. Kept small on purpose; see README "Graph models".

/** The three kinds of head the handbook describes; several heads make a multi-task model. */
export type HeadKind = 'binary' | 'multiclass' | 'regression';

/**
 * How one named output is trained and read:
 * - binary: one logit per row; loss bceWithLogitsLoss; predictions sigmoid(logit).
 * - multiclass: K logits; loss crossEntropyLoss (labels or [B, K] targets); predictions softmax.
 * - regression: M values; loss mseLoss; predictions as they are.
 * `weight` is the head's weight in the total loss Σ weight·loss (default 1).
 */
export interface HeadSpec {
  output: string;
  kind: HeadKind;
  weight?: number;
}

/** Named tensors, e.g. { x: Tensor [N, d] } for inputs or { y: Tensor [N, k] } for outputs. */
export type TensorMap = Record<string, Tensor>;

/**
 * What the training loop needs of a model. The graph `Model` implements it, and so does a
 * `Sequential` wrapped by `asTrainable`.
 */
export interface TrainableModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Heads that define the default loss (may be empty: then fit needs a `loss` option). */
  readonly heads: readonly HeadSpec[];
  /** Raw outputs (logits for classification heads), recording gradients when enabled. */
  forward(inputs: TensorMap): TensorMap;
  parameters(): Tensor[];
  /** Training mode on/off (dropout). */
  train(mode?: boolean): unknown;
  eval(): unknown;
  /** Σ of the layers' L1/L2 penalties on their weights, or null when none is set. */
  regularization(): Tensor | null;
}
