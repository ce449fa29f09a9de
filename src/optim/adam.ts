import type { TypedArray } from '../tensor/dtype.js';
import { checkNonNegative, Optimizer, withOptions, zerosLike, type BaseOptions, type ParamGroup, type ParamsArg } from './optimizer.js';

export interface AdamOptions extends BaseOptions {
  betas: [number, number];
  eps: number;
  amsgrad: boolean;
}

/** The shared Adam update; `decoupled` selects AdamW's decay p ← p·(1 − lr·wd). */
function adamUpdate(p: TypedArray, g: TypedArray, o: ParamGroup<AdamOptions>, s: Record<string, any>, decoupled: boolean): void {
  const { lr, eps, weightDecay: wd, amsgrad } = o;
  // Indexed, not destructured: `const [b1, b2] = …` makes an iterator, 32 bytes per parameter per step.
  const b1 = o.betas[0];
  const b2 = o.betas[1];
  if (s.step === undefined) {
    s.step = 0;
    s.m = zerosLike(p);
    s.v = zerosLike(p);
    if (amsgrad) s.vmax = zerosLike(p);
  }
  const t = ++s.step;
  const m = s.m as TypedArray;
  const v = s.v as TypedArray;
  const vmax = s.vmax as TypedArray | undefined;
  const stepSize = lr / (1 - b1 ** t);
  const bc2sqrt = Math.sqrt(1 - b2 ** t);
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let gi = g[i]!;
    if (decoupled) p[i] *= 1 - lr * wd;
    else if (wd !== 0) gi += wd * p[i]!;
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
    let vi = v[i]!;
    if (vmax) {
      if (vi > vmax[i]!) vmax[i] = vi;
      vi = vmax[i]!;
    }
    p[i] -= (stepSize * m[i]!) / (Math.sqrt(vi) / bc2sqrt + eps);
  }
}

function checkBetas(groups: ParamGroup<AdamOptions>[], name: string): void {
  for (const g of groups) {
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new RangeError(`${name}: betas must be a pair [beta1, beta2], got ${String(g.betas)}`);
    const [b1, b2] = g.betas;
    if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) throw new RangeError(`${name}: betas must be in [0, 1), got [${b1}, ${b2}]`);
    checkNonNegative(name, 'eps', g.eps);
  }
}

/**
 * Adam with PyTorch's defaults (lr 1e-3, betas [0.9, 0.999], eps 1e-8) and bias correction;
 * weightDecay adds wd·p to the gradient (L2).
 * @example const opt = new Adam(model.parameters(), { lr: 0.01 });
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsArg<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super(params, withOptions<AdamOptions>({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, opts, 'Adam'), 'Adam');
    checkBetas(this.paramGroups, 'Adam');
  }
  protected update(p: TypedArray, g: TypedArray, o: ParamGroup<AdamOptions>, s: Record<string, any>): void {
    adamUpdate(p, g, o, s, false);
  }
}

/**
 * Adam with decoupled weight decay (default 0.01): p ← p·(1 − lr·wd) before the Adam step.
 * @example const opt = new AdamW([{ params: weights }, { params: biases, weightDecay: 0 }]);
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: ParamsArg<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super(params, withOptions<AdamOptions>({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false }, opts, 'AdamW'), 'AdamW');
    checkBetas(this.paramGroups, 'AdamW');
  }
  protected update(p: TypedArray, g: TypedArray, o: ParamGroup<AdamOptions>, s: Record<string, any>): void {
    adamUpdate(p, g, o, s, true);
  }
}
