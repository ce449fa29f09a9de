import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Layers applied one after another.
 * @example
 * const net = new Sequential(new Linear(2, 8, { seed: 1 }), new Tanh(), new Linear(8, 1, { seed: 2 }));
 * net.forward(zeros([10, 2])).shape; // [10, 1]
 */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((l, i) => {
      if (!(l instanceof Module)) throw new TypeError(`Sequential: item ${i} is not a layer`);
    });
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }
}
