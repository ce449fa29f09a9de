import { elu, identity, leakyRelu, relu, sigmoid, tanh } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

// Activation functions as layers, for Sequential and the graph API. No parameters
// (PReLU, which learns its slope, has a file of its own).

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class LeakyReLU extends Module {
  /** Slope for x ≤ 0 (default 0.01). */
  constructor(readonly alpha = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.alpha);
  }
}

export class ELU extends Module {
  /** Scale of the negative branch alpha·(eˣ − 1) (default 1). */
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

export class Softmax extends Module {
  forward(x: Tensor): Tensor {
    return softmax(x);
  }
}

export class LogSoftmax extends Module {
  forward(x: Tensor): Tensor {
    return logSoftmax(x);
  }
}

export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return identity(x);
  }
}
