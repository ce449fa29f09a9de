import { isGradEnabled } from '../autograd/mode.js';
import { interimBuffer } from '../kernels/resident.js';
import type { Tensor } from '../tensor/tensor.js';
import { fusedActivation } from './fusion.js';
import { Linear } from './linear.js';
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
    // Inference (nothing recorded): a Linear whose output only feeds the next Linear writes it
    // into one of two reused buffers in the kernels' memory, which that Linear reads in place.
    // Nobody else can see such an output, so reusing its storage on the next pass is safe.
    const reuse = !isGradEnabled();
    let slot: 0 | 1 = 0;
    let h = x;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      // A Linear followed by Tanh/ReLU/Sigmoid runs as one fused op (same values and gradients).
      const activation = i + 1 < layers.length ? fusedActivation(layer, layers[i + 1]!) : null;
      const next = layers[activation !== null ? i + 2 : i + 1];
      const into = reuse && h.dtype === 'float32' && h.rank === 2 && isPlainLinear(layer) && next !== undefined && isPlainLinear(next)
        ? interimBuffer(slot, h.shape[0]! * (layer as Linear).outFeatures)
        : null;
      if (into !== null) {
        h = (layer as Linear).forwardInto(h, activation, into);
        slot = slot === 0 ? 1 : 0;
      } else if (activation !== null) {
        h = (layer as Linear).forwardWithActivation(h, activation);
      } else {
        h = layer.forward(h);
      }
      if (activation !== null) i++;
    }
    return h;
  }
}

/** A Linear running the library's own forward (a subclass that overrides it may keep its input). */
function isPlainLinear(layer: Module): boolean {
  return layer instanceof Linear && layer.forward === Linear.prototype.forward && layer.forwardInto === Linear.prototype.forwardInto;
}
