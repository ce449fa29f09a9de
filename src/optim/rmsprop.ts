import type { TypedArray } from '../tensor/dtype.js';
import { checkNonNegative, Optimizer, withOptions, zerosLike, type BaseOptions, type ParamGroup, type ParamsArg } from './optimizer.js';

export interface RMSpropOptions extends BaseOptions {
  alpha: number;
  eps: number;
  momentum: number;
  centered: boolean;
}

/**
 * RMSprop as PyTorch: v ← α·v + (1−α)·g²; p ← p − lr·g/(√v + eps), with optional momentum
 * and centring. Defaults lr 0.01, alpha 0.99, eps 1e-8.
 * @example const opt = new RMSprop(model.parameters(), { lr: 0.01 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsArg<RMSpropOptions>, opts: Partial<RMSpropOptions> = {}) {
    super(params, withOptions<RMSpropOptions>({ lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, opts, 'RMSprop'), 'RMSprop');
    for (const [i, g] of this.paramGroups.entries()) {
      const group = this.paramGroups.length > 1 ? i : undefined;
      for (const key of ['alpha', 'eps', 'momentum'] as const) checkNonNegative('RMSprop', key, g[key], group);
    }
  }

  protected update(p: TypedArray, g: TypedArray, o: ParamGroup<RMSpropOptions>, s: Record<string, any>): void {
    const { lr, alpha, eps, weightDecay: wd, momentum, centered } = o;
    if (s.v === undefined) {
      s.v = zerosLike(p);
      if (momentum > 0) s.buf = zerosLike(p);
      if (centered) s.gAvg = zerosLike(p);
    }
    const v = s.v as TypedArray;
    const buf = s.buf as TypedArray | undefined;
    const gAvg = s.gAvg as TypedArray | undefined;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]! + wd * p[i]!;
      v[i] = alpha * v[i]! + (1 - alpha) * gi * gi;
      let avg: number;
      if (gAvg) {
        gAvg[i] = alpha * gAvg[i]! + (1 - alpha) * gi;
        avg = Math.sqrt(v[i]! - gAvg[i]! * gAvg[i]!) + eps;
      } else {
        avg = Math.sqrt(v[i]!) + eps;
      }
      if (buf) {
        buf[i] = momentum * buf[i]! + gi / avg;
        p[i] -= lr * buf[i]!;
      } else {
        p[i] -= (lr * gi) / avg;
      }
    }
  }
}
