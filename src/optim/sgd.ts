import type { TypedArray } from '../tensor/dtype.js';
import { checkNonNegative, Optimizer, withOptions, zerosLike, type BaseOptions, type ParamGroup, type ParamsArg } from './optimizer.js';

export interface SGDOptions extends BaseOptions {
  momentum: number;
  dampening: number;
  nesterov: boolean;
}

/**
 * Stochastic gradient descent with PyTorch's rule: g ← g + wd·p; with momentum
 * buf ← g (first step) or μ·buf + (1−dampening)·g; g ← g + μ·buf (Nesterov) or buf; p ← p − lr·g.
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsArg<SGDOptions>, opts: Partial<SGDOptions> = {}) {
    super(params, withOptions<SGDOptions>({ lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }, opts, 'SGD'), 'SGD');
    for (const [i, g] of this.paramGroups.entries()) {
      checkNonNegative('SGD', 'momentum', g.momentum, this.paramGroups.length > 1 ? i : undefined);
      if (!Number.isFinite(g.dampening)) throw new RangeError(`SGD: invalid dampening = ${g.dampening}`);
      if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
        throw new RangeError('SGD: Nesterov momentum needs momentum > 0 and dampening 0');
      }
    }
  }

  protected update(p: TypedArray, g: TypedArray, o: ParamGroup<SGDOptions>, s: Record<string, any>): void {
    const { lr, momentum: mu, dampening, nesterov, weightDecay: wd } = o;
    const n = p.length;
    if (mu === 0) {
      // Without decay the gradient is used as is (as PyTorch does; also one load fewer per value).
      if (wd === 0) for (let i = 0; i < n; i++) p[i] -= lr * g[i]!;
      else for (let i = 0; i < n; i++) p[i] -= lr * (g[i]! + wd * p[i]!);
      return;
    }
    const first = s.buf === undefined;
    if (first) s.buf = zerosLike(p);
    const buf = s.buf as TypedArray;
    for (let i = 0; i < n; i++) {
      const d = g[i]! + wd * p[i]!;
      const b = first ? d : mu * buf[i]! + (1 - dampening) * d;
      buf[i] = b;
      p[i] -= lr * (nesterov ? d + mu * b : b);
    }
  }
}
