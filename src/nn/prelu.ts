import { allocateParameter } from '../kernels/resident.js';
import { prelu } from '../ops/activations.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

export interface PReLUOptions {
  /** 1 for one shared slope, or the number of features for one slope each (default 1). */
  numParameters?: number;
  /** Initial slope (default 0.25, as PyTorch). */
  init?: number;
  dtype?: DType;
}

/**
 * LeakyReLU whose negative slope is learned: `alpha` has shape `[numParameters]`.
 * @example new PReLU({ numParameters: 3 }).alpha.toArray(); // [0.25, 0.25, 0.25]
 */
export class PReLU extends Module {
  alpha: Tensor;

  constructor(opts: PReLUOptions = {}) {
    super();
    const n = opts.numParameters ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`PReLU: numParameters must be a positive integer, got ${n}`);
    // Float32 parameters live in the WebAssembly kernels' memory when it is shared.
    this.alpha = new Tensor(allocateParameter(opts.dtype ?? 'float32', n).fill(opts.init ?? 0.25), [n], true);
  }

  forward(x: Tensor): Tensor {
    return prelu(x, this.alpha);
  }
}
