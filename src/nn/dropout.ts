import { dropout } from '../ops/dropout.js';
import { Random, randomFor } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Inverted dropout while training; the identity in evaluation mode (`eval()`). */
export class Dropout extends Module {
  private readonly rng: Random;

  constructor(readonly rate = 0.5, opts: { seed?: number } = {}) {
    super();
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`Dropout: rate ${rate} must be in [0, 1)`);
    this.rng = opts.seed === undefined ? randomFor() : new Random(opts.seed);
  }

  forward(x: Tensor): Tensor {
    return this.training ? dropout(x, this.rate, this.rng) : x;
  }
}
