import type { HeadKind, HeadSpec, TensorMap, TrainableModel } from '../graph/types.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';

export interface AsTrainableOptions {
  /** Name of the single input (default 'x'). */
  input?: string;
  /** Name of the single output (default 'y'). */
  output?: string;
  /** The head that sets the default loss and prediction transform: a kind, or a kind and a loss weight. */
  head?: HeadKind | Omit<HeadSpec, 'output'>;
}

/** A module seen as a one-input, one-output trainable model. `module` is the wrapped layer. */
export interface ModuleModel extends TrainableModel {
  readonly module: Module;
}

/**
 * Wrap any layer (typically a `Sequential`) so that fit, evaluate and predict accept it.
 * @example
 * const net = asTrainable(new Sequential(new Linear(2, 8, { seed: 1 }), new Tanh(), new Linear(8, 1, { seed: 2 })), { head: 'binary' });
 * fit(net, { x, y }, { epochs: 100 });
 */
export function asTrainable(module: Module, opts: AsTrainableOptions = {}): ModuleModel {
  const input = opts.input ?? 'x';
  const output = opts.output ?? 'y';
  const heads: HeadSpec[] = opts.head === undefined ? [] : [typeof opts.head === 'string' ? { output, kind: opts.head } : { ...opts.head, output }];
  return {
    module,
    inputNames: [input],
    outputNames: [output],
    heads,
    forward(inputs: TensorMap): TensorMap {
      const x = inputs[input];
      if (!(x instanceof Tensor)) throw new RangeError(`forward: no input '${input}'; got ${Object.keys(inputs).join(', ') || 'nothing'}`);
      return { [output]: module.forward(x) };
    },
    parameters: () => module.parameters(),
    train: (mode = true) => module.train(mode),
    eval: () => module.eval(),
    regularization: () => module.regularization(),
  };
}
