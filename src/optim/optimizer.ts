import type { TypedArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** Options shared by every optimizer: the learning rate, L2 weight decay, and PyTorch's maximize. */
export interface BaseOptions {
  lr: number;
  weightDecay: number;
  /** Ascend instead of descend (PyTorch's `maximize`, default false): the update uses −grad. */
  maximize?: boolean;
}

/** PyTorch flags that choose an implementation, not the maths: accepted and ignored. */
const IMPLEMENTATION_FLAGS = new Set(['foreach', 'fused', 'capturable', 'differentiable']);

/** A PyTorch-style parameter group: its tensors plus any option that overrides the defaults. */
export type ParamGroupSpec<O> = { params: Tensor[] } & Partial<O>;
export type ParamGroup<O> = { params: Tensor[] } & O;
export type ParamsArg<O> = Tensor[] | ParamGroupSpec<O>[];

/**
 * Merge options over defaults. An `undefined` value means "use the default" (so `{ momentum: s.m }`
 * with no `s.m` is fine); a name the optimizer does not know is an error, not a silent no-op.
 * @example withOptions({ lr: 1e-3, weightDecay: 0 }, { lr: 0.1 }, 'SGD'); // { lr: 0.1, weightDecay: 0 }
 */
export function withOptions<O extends object>(defaults: O, opts: Partial<O> | undefined, name: string, where = 'option'): O {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(opts ?? {})) {
    if (IMPLEMENTATION_FLAGS.has(k)) continue;
    if (!(k in defaults)) {
      const camel = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const hint = camel !== k && camel in defaults ? ` (did you mean '${camel}'?)` : '';
      throw new RangeError(`${name}: unknown ${where} '${k}'${hint}; the options are ${Object.keys(defaults).join(', ')}`);
    }
    if (v !== undefined) out[k] = v;
  }
  return out as O;
}

/**
 * Throw unless `value` is a finite number ≥ 0 (PyTorch's checks on lr, eps, momentum, ...).
 * @example checkNonNegative('SGD', 'momentum', -0.5); // RangeError: SGD: invalid momentum = -0.5; ...
 */
export function checkNonNegative(name: string, option: string, value: unknown, group?: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    const where = group === undefined ? '' : ` in parameter group ${group}`;
    throw new RangeError(`${name}: invalid ${option} = ${String(value)}${where}; it must be a finite number ≥ 0`);
  }
}

/**
 * Base of the optimizers: parameter groups, per-parameter state, zeroGrad. A subclass
 * supplies the elementwise update for one parameter.
 */
export abstract class Optimizer<O extends BaseOptions> {
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state (moment buffers, step counts), created on first step. */
  protected readonly state = new Map<Tensor, Record<string, any>>();
  /** 'SGD', 'Adam', ...: used in error messages (class names do not survive minification). */
  private readonly optimizerName: string;

  constructor(params: ParamsArg<O>, defaults: O, name: string) {
    this.optimizerName = name;
    if (!Array.isArray(params) || params.length === 0) {
      throw new TypeError(`${name}: needs a non-empty list of parameters (model.parameters()) or parameter groups`);
    }
    const groups: ParamGroupSpec<O>[] = params[0] instanceof Tensor ? [{ params: params as Tensor[] } as ParamGroupSpec<O>] : (params as ParamGroupSpec<O>[]);
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      if (!g || !Array.isArray(g.params)) throw new TypeError(`${name}: parameter group ${gi} has no 'params' array`);
      g.params.forEach((p, i) => {
        if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} of group ${gi} is not a Tensor`);
        if (seen.has(p)) throw new RangeError(`${name}: parameter ${i} of group ${gi} appears in more than one place`);
        seen.add(p);
      });
      const { params: groupParams, ...overrides } = g;
      const options = withOptions(defaults, overrides as unknown as Partial<O>, name, `option in parameter group ${gi}`);
      const merged = { ...options, params: groupParams.slice() } as ParamGroup<O>;
      checkNonNegative(name, 'learning rate lr', merged.lr, groups.length > 1 ? gi : undefined);
      checkNonNegative(name, 'weightDecay', merged.weightDecay, groups.length > 1 ? gi : undefined);
      return merged;
    });
  }

  /** Clear every parameter's accumulated gradient (kept allocated, filled with zeros). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.zeroGrad();
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    // Indexed loops and one Map lookup per parameter: this runs every training step, and for a
    // tiny network its bookkeeping costs as much as the arithmetic.
    const groups = this.paramGroups;
    for (let gi = 0; gi < groups.length; gi++) {
      const group = groups[gi]!;
      const params = group.params;
      for (let pi = 0; pi < params.length; pi++) {
        const p = params[pi]!;
        const grad = p.grad;
        if (grad === null) continue;
        if (p.data.length !== grad.data.length) {
          // Usually `.data` was replaced by an array of another length (DESIGN.md: same length only).
          throw new RangeError(
            `${this.optimizerName}.step: parameter ${pi} of group ${gi} has shape [${p.shape.join(', ')}] and a gradient of ${grad.data.length} values, but its data has ${p.data.length}; replace .data only with an array of the same length`,
          );
        }
        let s = this.state.get(p);
        if (s === undefined) {
          s = {};
          this.state.set(p, s);
        }
        let g = grad.data;
        if (group.maximize) {
          // PyTorch negates the gradient before weight decay and moments; into a buffer kept
          // with the parameter's state, so a step allocates nothing.
          const negated = (s.negatedGrad ??= zerosLike(g)) as TypedArray;
          for (let i = 0; i < g.length; i++) negated[i] = -g[i]!;
          g = negated;
        }
        this.update(p.data, g, group, s);
      }
    }
  }

  protected abstract update(p: TypedArray, g: TypedArray, group: ParamGroup<O>, state: Record<string, any>): void;
}

/** A zero buffer like `p`, of the same element type. */
export function zerosLike(p: TypedArray): TypedArray {
  return p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length);
}
