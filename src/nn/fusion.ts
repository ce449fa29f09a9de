import type { FusedActivation } from '../ops/linear.js';
import { ReLU, Sigmoid, Tanh } from './activations.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';

/**
 * The activation to fuse into `layer` when `next` follows it: 'tanh', 'relu' or 'sigmoid' when
 * `layer` is a Linear and `next` a Tanh, ReLU or Sigmoid layer whose forward is the library's
 * own (a subclass that overrides forward is left alone); null otherwise. The pair then runs
 * as `layer.forwardWithActivation(x, activation)`: one op with the same values and gradients.
 * @example fusedActivation(new Linear(2, 8), new Tanh()); // 'tanh'
 */
export function fusedActivation(layer: Module, next: Module): FusedActivation | null {
  if (!(layer instanceof Linear) || layer.forward !== Linear.prototype.forward) return null;
  const forward = next.forward;
  if (forward === Tanh.prototype.forward) return 'tanh';
  if (forward === ReLU.prototype.forward) return 'relu';
  if (forward === Sigmoid.prototype.forward) return 'sigmoid';
  return null;
}
