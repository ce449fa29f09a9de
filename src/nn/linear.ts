import { add, mul } from '../ops/arithmetic.js';
import { linear, linearActivation, linearActivationInto, type FusedActivation } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { abs, square } from '../ops/unary.js';
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
  /** L1 penalty l1·Σ|W| on the weight (not the bias), added to the training loss (default 0). */
  l1?: number;
  /** L2 penalty l2·ΣW² on the weight (not the bias), added to the training loss (default 0). */
  l2?: number;
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
  /** Weight penalties (see LinearOptions); 0 means none. */
  l1: number;
  l2: number;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [what, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${what} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.name = opts.name;
    for (const [what, v] of [['l1', opts.l1], ['l2', opts.l2]] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`Linear: ${what} must be a number ≥ 0, got ${v}`);
    }
    this.l1 = opts.l1 ?? 0;
    this.l2 = opts.l2 ?? 0;
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
    this.checkInput(x);
    return linear(x, this.weight, this.bias);
  }

  /**
   * `activation(forward(x))` as one op of the tape: the same values and gradients as this layer
   * followed by a Tanh, ReLU or Sigmoid layer, at less cost per step (Sequential uses it).
   * @example new Linear(2, 3, { seed: 1 }).forwardWithActivation(zeros([4, 2]), 'tanh').shape; // [4, 3]
   */
  forwardWithActivation(x: Tensor, activation: FusedActivation): Tensor {
    this.checkInput(x);
    return linearActivation(x, this.weight, this.bias, activation);
  }

  /**
   * The layer (and `activation` after it, or none) written into `out` when no gradient is
   * recorded (see linearActivationInto); Sequential's inference passes hidden layers this way.
   * @example noGrad(() => layer.forwardInto(x, 'relu', buffer));
   */
  forwardInto(x: Tensor, activation: FusedActivation | null, out: Float32Array): Tensor {
    this.checkInput(x);
    return linearActivationInto(x, this.weight, this.bias, activation ?? 'none', out);
  }

  private checkInput(x: Tensor): void {
    if (!(x instanceof Tensor)) throw new TypeError(`${this.label()}: the input must be a Tensor`);
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new RangeError(
        `${this.label()}: expects input of shape [N, ${this.inFeatures}], got ${formatShape(x.shape)}`,
      );
    }
  }

  /** l1·Σ|W| + l2·ΣW² on the weight only (biases are not penalised). */
  protected override penalty(): Tensor | null {
    let total: Tensor | null = null;
    if (this.l1 > 0) total = mul(sum(abs(this.weight)), this.l1);
    if (this.l2 > 0) {
      const l2 = mul(sum(square(this.weight)), this.l2);
      total = total === null ? l2 : add(total, l2);
    }
    return total;
  }

  private label(): string {
    return `Linear(${this.inFeatures}, ${this.outFeatures})${this.name ? ` '${this.name}'` : ''}`;
  }
}
