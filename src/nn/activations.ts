import { elu, identity, leakyRelu, relu, sigmoid, tanh } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

// Activation functions as layers, for Sequential and the graph API. No parameters
// (PReLU, which learns its slope, has a file of its own).

/**
 * max(x, 0), element-wise.
 * @example new ReLU().forward(tensor([[-1, 0, 2]])).toArray(); // [[0, 0, 2]]
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * x for x > 0, alpha·x otherwise: negative inputs keep a small gradient.
 * @example new LeakyReLU(0.1).forward(tensor([[-1, 2]])).toArray(); // [[-0.1, 2]]
 */
export class LeakyReLU extends Module {
  /** Slope for x ≤ 0 (default 0.01). */
  constructor(readonly alpha = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.alpha);
  }
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise: smooth, and saturates at −alpha.
 * @example new ELU().forward(tensor([[-1, 2]])).toArray(); // [[≈ -0.632, 2]]
 */
export class ELU extends Module {
  /** Scale of the negative branch alpha·(eˣ − 1) (default 1). */
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
}

/**
 * 1 / (1 + e⁻ˣ), element-wise, into (0, 1).
 * @example new Sigmoid().forward(tensor([[0, 2]])).toArray(); // [[0.5, ≈ 0.881]]
 */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/**
 * The hyperbolic tangent, element-wise, into (−1, 1).
 * @example new Tanh().forward(tensor([[0, 2]])).toArray(); // [[0, ≈ 0.964]]
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/**
 * Each row turned into probabilities that sum to 1 (over the last axis).
 * @example new Softmax().forward(tensor([[0, 0]])).toArray(); // [[0.5, 0.5]]
 */
export class Softmax extends Module {
  forward(x: Tensor): Tensor {
    return softmax(x);
  }
}

/**
 * The logarithm of softmax, computed stably (for a negative log-likelihood loss).
 * @example new LogSoftmax().forward(tensor([[0, 0]])).toArray(); // [[≈ -0.693, ≈ -0.693]]
 */
export class LogSoftmax extends Module {
  forward(x: Tensor): Tensor {
    return logSoftmax(x);
  }
}

/**
 * Passes its input through unchanged (a linear output, or a placeholder layer).
 * @example new Identity().forward(tensor([[-1, 2]])).toArray(); // [[-1, 2]]
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return identity(x);
  }
}
