import { Adam, AdamW } from '../optim/adam.js';
import { Optimizer, type BaseOptions } from '../optim/optimizer.js';
import { RMSprop } from '../optim/rmsprop.js';
import { SGD } from '../optim/sgd.js';
import type { Tensor } from '../tensor/tensor.js';

/** Optimizers by name; 'momentum' is SGD with momentum 0.9 unless given. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'];

/** An optimizer instance, a name, or a name with options (PyTorch option names in camelCase). */
export type OptimizerSpec = Optimizer<any> | OptimizerName | ({ name: OptimizerName } & Record<string, unknown>);

/**
 * Build the optimizer that fit uses. Default: Adam with PyTorch's defaults (lr 1e-3).
 * @example makeOptimizer({ name: 'sgd', lr: 0.1, momentum: 0.9 }, model.parameters());
 */
export function makeOptimizer(spec: OptimizerSpec | undefined, params: Tensor[]): Optimizer<BaseOptions> {
  if (spec instanceof Optimizer) return spec;
  const { name, ...opts } = typeof spec === 'string' ? { name: spec } : (spec ?? { name: 'adam' as const });
  switch (name) {
    case 'sgd':
      return new SGD(params, { lr: 0.01, ...opts });
    case 'momentum':
      return new SGD(params, { lr: 0.01, momentum: 0.9, ...opts });
    case 'adam':
      return new Adam(params, opts);
    case 'adamw':
      return new AdamW(params, opts);
    case 'rmsprop':
      return new RMSprop(params, opts);
    default:
      throw new RangeError(`optimizer: unknown name '${String(name)}'; choose one of ${OPTIMIZER_NAMES.join(', ')} or pass an optimizer instance`);
  }
}
