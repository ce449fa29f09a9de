import type { Tensor } from '../tensor/tensor.js';
import { fusedActivation } from './fusion.js';
import type { Linear } from './linear.js';
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
    const layers = this.layers;
    let h = x;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      // A Linear followed by Tanh/ReLU/Sigmoid runs as one fused op (same values and gradients).
      const activation = i + 1 < layers.length ? fusedActivation(layer, layers[i + 1]!) : null;
      if (activation !== null) {
        h = (layer as Linear).forwardWithActivation(h, activation);
        i++;
      } else {
        h = layer.forward(h);
      }
    }
    return h;
  }
}
