import { linear } from '../ops/matmul.js';
import type { DType } from '../tensor/dtype.js';
import { randomFor } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { initLinear, type InitName } from './init.js';
import { Module } from './module.js';

export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** Seed for the initial weights; without one the global generator (manualSeed) is used. */
  seed?: number;
  dtype?: DType;
  /** Initialisation by name (default: PyTorch's U(−1/√in, 1/√in)). */
  init?: InitName;
  /** Name shown in summaries and errors. */
  name?: string;
}

/**
 * A linear layer `y = x W + b` with `W` of shape `[in, out]` and `b` of shape `[out]`.
 * @example
 * const layer = new Linear(4, 3, { seed: 1 });
 * layer.forward(zeros([5, 4])).shape; // [5, 3]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;
  name: string | undefined;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [what, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${what} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.name = opts.name;
    const { weight, bias } = initLinear(
      inFeatures,
      outFeatures,
      opts.init ?? 'default',
      randomFor(opts.seed),
      opts.dtype ?? 'float32',
      opts.bias ?? true,
    );
    this.weight = weight;
    this.bias = bias;
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`${this.label()}: the input must be a Tensor`);
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new RangeError(
        `${this.label()}: expects input of shape [N, ${this.inFeatures}], got ${formatShape(x.shape)}`,
      );
    }
    return linear(x, this.weight, this.bias);
  }

  private label(): string {
    return `Linear(${this.inFeatures}, ${this.outFeatures})${this.name ? ` '${this.name}'` : ''}`;
  }
}
