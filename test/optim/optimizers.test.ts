import { describe, expect, it } from 'vitest';
import { Adam, AdamW, mul, RMSprop, SGD, sum, tensor, type Optimizer, type Tensor } from '../../src/index.js';

/** A float64 parameter starting at `value`. */
const param = (value: number[]) => tensor(value, { dtype: 'float64', requiresGrad: true });

/** One optimizer step for the objective Σ g·p, whose gradient is exactly g. */
function stepWithGrad(opt: Optimizer<any>, p: Tensor, g: number[]): void {
  opt.zeroGrad();
  sum(mul(p, tensor(g, { dtype: 'float64' }))).backward();
  opt.step();
}

describe('SGD (PyTorch rules, hand-worked)', () => {
  it('plain: p ← p − lr·g', () => {
    const p = param([1]);
    stepWithGrad(new SGD([p], { lr: 0.1 }), p, [0.5]);
    expect(p.data[0]).toBeCloseTo(0.95, 15);
  });

  it('without weight decay the gradient is used as is: an infinite parameter stays infinite', () => {
    // PyTorch adds wd·p only when wd ≠ 0; adding 0·∞ = NaN would turn the parameter into NaN.
    const p = param([Infinity, 2]);
    stepWithGrad(new SGD([p], { lr: 0.1 }), p, [0, 0.5]);
    expect(Array.from(p.data)).toEqual([Infinity, 2 - 0.1 * 0.5]);
  });

  it('momentum: buf = g on the first step, then μ·buf + g', () => {
    // lr 0.1, μ 0.9, g = 1: step 1 buf 1 → 0.9; step 2 buf 1.9 → 0.9 − 0.19 = 0.71.
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    stepWithGrad(opt, p, [1]);
    expect(p.data[0]).toBeCloseTo(0.9, 15);
    stepWithGrad(opt, p, [1]);
    expect(p.data[0]).toBeCloseTo(0.71, 15);
  });

  it('Nesterov: p ← p − lr·(g + μ·buf)', () => {
    // step 1: buf 1, g + 0.9 = 1.9 → 0.81; step 2: buf 1.9, 1 + 1.71 = 2.71 → 0.539.
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    stepWithGrad(opt, p, [1]);
    expect(p.data[0]).toBeCloseTo(0.81, 15);
    stepWithGrad(opt, p, [1]);
    expect(p.data[0]).toBeCloseTo(0.539, 15);
  });

  it('dampening applies from the second step on', () => {
    // μ 0.9, dampening 0.5: step 1 buf = g = 1 → 0.9; step 2 buf 0.9 + 0.5 = 1.4 → 0.76.
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 });
    stepWithGrad(opt, p, [1]);
    stepWithGrad(opt, p, [1]);
    expect(p.data[0]).toBeCloseTo(0.76, 15);
  });

  it('weight decay adds wd·p to the gradient', () => {
    // g' = 1 + 0.1·1 = 1.1 → 1 − 0.11 = 0.89.
    const p = param([1]);
    stepWithGrad(new SGD([p], { lr: 0.1, weightDecay: 0.1 }), p, [1]);
    expect(p.data[0]).toBeCloseTo(0.89, 15);
  });

  it('defaults as PyTorch: lr 1e-3, no momentum, no decay', () => {
    const g = new SGD([param([1])]).paramGroups[0]!;
    expect({ lr: g.lr, momentum: g.momentum, dampening: g.dampening, nesterov: g.nesterov, weightDecay: g.weightDecay }).toEqual({
      lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0,
    });
  });
});

describe('Adam, AdamW, RMSprop (hand-worked first steps)', () => {
  it('Adam: the first step moves each parameter by about lr·sign(g)', () => {
    // m̂ = g, v̂ = g², so Δ = lr·g/(|g| + eps).
    const p = param([1, 1]);
    stepWithGrad(new Adam([p], { lr: 0.1 }), p, [2, -0.001]);
    expect(p.data[0]).toBeCloseTo(1 - 0.1 * 2 / (2 + 1e-8), 15);
    expect(p.data[1]).toBeCloseTo(1 + 0.1 * 0.001 / (0.001 + 1e-8), 15);
  });

  it('Adam adds L2 decay to the gradient; AdamW decays the weight itself', () => {
    // With g = 0: Adam sees g' = 0.1·p and moves by lr → 0.9; AdamW scales p by (1 − lr·wd) = 0.99 and then m = 0.
    const a = param([1]);
    stepWithGrad(new Adam([a], { lr: 0.1, weightDecay: 0.1 }), a, [0]);
    expect(a.data[0]).toBeCloseTo(0.9, 7);
    const w = param([1]);
    stepWithGrad(new AdamW([w], { lr: 0.1, weightDecay: 0.1 }), w, [0]);
    expect(w.data[0]).toBeCloseTo(0.99, 15);
  });

  it('RMSprop: the first step is lr·g/(√(0.01·g²) + eps) ≈ 10·lr·sign(g)', () => {
    const p = param([1]);
    stepWithGrad(new RMSprop([p], { lr: 0.01 }), p, [3]);
    expect(p.data[0]).toBeCloseTo(1 - 0.03 / (0.3 + 1e-8), 15);
  });

  it('defaults as PyTorch', () => {
    const pick = (o: Optimizer<any>) => {
      const { params: _params, ...rest } = o.paramGroups[0]!;
      return rest;
    };
    expect(pick(new Adam([param([1])]))).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(pick(new AdamW([param([1])]))).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false });
    expect(pick(new RMSprop([param([1])]))).toEqual({ lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
  });
});

describe('every option against a direct transcription of PyTorch’s update rules', () => {
  // Six steps with changing gradients, compared with the formulas written out in plain numbers.
  const grads = [[0.5, -1.5], [0.2, -0.4], [-0.3, 0.9], [1.1, 0.05], [-0.7, -0.2], [0.4, 0.6]];
  const start = [0.3, -0.8];

  function run(opt: (p: Tensor) => Optimizer<any>): number[] {
    const p = param(start);
    const o = opt(p);
    for (const g of grads) stepWithGrad(o, p, g);
    return Array.from(p.data);
  }

  function reference(update: (p: number, g: number, s: Record<string, number>, t: number) => number): number[] {
    return start.map((p0, i) => {
      let p = p0;
      const s: Record<string, number> = {};
      grads.forEach((g, k) => (p = update(p, g[i]!, s, k + 1)));
      return p;
    });
  }

  const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 14));

  it('SGD with momentum, dampening and weight decay', () => {
    const [lr, mu, damp, wd] = [0.05, 0.8, 0.3, 0.02];
    close(run((p) => new SGD([p], { lr, momentum: mu, dampening: damp, weightDecay: wd })), reference((p, g, s, t) => {
      const d = g + wd * p;
      s.buf = t === 1 ? d : mu * s.buf! + (1 - damp) * d;
      return p - lr * s.buf;
    }));
  });

  it('Adam with amsgrad and L2', () => {
    const [lr, b1, b2, eps, wd] = [0.01, 0.8, 0.95, 1e-6, 0.05];
    close(run((p) => new Adam([p], { lr, betas: [b1, b2], eps, weightDecay: wd, amsgrad: true })), reference((p, g, s, t) => {
      const d = g + wd * p;
      s.m = b1 * (s.m ?? 0) + (1 - b1) * d;
      s.v = b2 * (s.v ?? 0) + (1 - b2) * d * d;
      s.vmax = Math.max(s.vmax ?? 0, s.v);
      return p - (lr / (1 - b1 ** t)) * s.m / (Math.sqrt(s.vmax) / Math.sqrt(1 - b2 ** t) + eps);
    }));
  });

  it('AdamW with decoupled decay', () => {
    const [lr, b1, b2, eps, wd] = [0.01, 0.9, 0.999, 1e-8, 0.1];
    close(run((p) => new AdamW([p], { lr, weightDecay: wd })), reference((p, g, s, t) => {
      const q = p * (1 - lr * wd);
      s.m = b1 * (s.m ?? 0) + (1 - b1) * g;
      s.v = b2 * (s.v ?? 0) + (1 - b2) * g * g;
      return q - (lr / (1 - b1 ** t)) * s.m / (Math.sqrt(s.v) / Math.sqrt(1 - b2 ** t) + eps);
    }));
  });

  it('RMSprop centred, with momentum and weight decay', () => {
    const [lr, alpha, eps, mu, wd] = [0.01, 0.9, 1e-8, 0.5, 0.01];
    close(run((p) => new RMSprop([p], { lr, alpha, eps, momentum: mu, centered: true, weightDecay: wd })), reference((p, g, s) => {
      const d = g + wd * p;
      s.v = alpha * (s.v ?? 0) + (1 - alpha) * d * d;
      s.gAvg = alpha * (s.gAvg ?? 0) + (1 - alpha) * d;
      const avg = Math.sqrt(s.v - s.gAvg * s.gAvg) + eps;
      s.buf = mu * (s.buf ?? 0) + d / avg;
      return p - lr * s.buf;
    }));
  });
});

describe('PyTorch’s other options', () => {
  it('maximize ascends: the update uses −grad (before weight decay), as PyTorch', () => {
    const p = param([1]);
    stepWithGrad(new SGD([p], { lr: 0.1, maximize: true }), p, [0.5]);
    expect(p.data[0]).toBeCloseTo(1.05, 15);
    // With decay: g' = −0.5 + 0.1·1 = −0.4 → 1 + 0.04.
    const q = param([1]);
    stepWithGrad(new SGD([q], { lr: 0.1, weightDecay: 0.1, maximize: true }), q, [0.5]);
    expect(q.data[0]).toBeCloseTo(1.04, 15);
    const a = param([1]);
    stepWithGrad(new Adam([a], { lr: 0.1, maximize: true }), a, [2]);
    expect(a.data[0]).toBeCloseTo(1.1, 8);
    expect(a.grad!.data[0]).toBe(2); // the stored gradient itself is left alone
  });

  it('implementation flags (foreach, fused, capturable, differentiable) are accepted and change nothing', () => {
    const a = param([1]);
    const b = param([1]);
    stepWithGrad(new Adam([a], { lr: 0.1, foreach: true, fused: false } as never), a, [0.3]);
    stepWithGrad(new Adam([b], { lr: 0.1 }), b, [0.3]);
    expect(a.data[0]).toBe(b.data[0]);
  });
});

describe('parameter groups', () => {
  it('each group may override lr (PyTorch style)', () => {
    const w = param([1]);
    const b = param([1]);
    const opt = new SGD([{ params: [w] }, { params: [b], lr: 1 }], { lr: 0.1 });
    opt.zeroGrad();
    sum(mul(w, 1)).backward();
    sum(mul(b, 1)).backward();
    opt.step();
    expect(w.data[0]).toBeCloseTo(0.9, 15);
    expect(b.data[0]).toBe(0);
  });

  it('AdamW: biases left out of weight decay', () => {
    const w = param([1]);
    const b = param([1]);
    const opt = new AdamW([{ params: [w] }, { params: [b], weightDecay: 0 }], { lr: 0.1, weightDecay: 0.5 });
    expect(opt.paramGroups.map((g) => g.weightDecay)).toEqual([0.5, 0]);
    sum(mul(w, 0)).backward(); // zero gradients: only the decay can move anything
    sum(mul(b, 0)).backward();
    opt.step();
    expect(w.data[0]).toBeCloseTo(0.95, 15);
    expect(b.data[0]).toBe(1);
  });

  it('SGD: biases left out of L2', () => {
    const w = param([2]);
    const b = param([2]);
    const opt = new SGD([{ params: [w], weightDecay: 0.1 }, { params: [b] }], { lr: 0.5 });
    sum(mul(w, 0)).backward();
    sum(mul(b, 0)).backward();
    opt.step();
    expect(w.data[0]).toBeCloseTo(2 - 0.5 * 0.2, 15);
    expect(b.data[0]).toBe(2);
  });
});

describe('zeroGrad and step', () => {
  it('zeroGrad clears accumulated gradients; step skips parameters that have none', () => {
    const p = param([1, 2]);
    const q = param([5]);
    const opt = new SGD([p, q], { lr: 1 });
    sum(p).backward();
    sum(p).backward();
    expect(p.grad!.toArray()).toEqual([2, 2]);
    opt.step();
    expect(p.toArray()).toEqual([-1, 0]);
    expect(q.toArray()).toEqual([5]);
    opt.zeroGrad();
    expect(p.grad!.toArray()).toEqual([0, 0]);
  });

  it('an option given as undefined keeps its default', () => {
    const opt = new SGD([param([1])], { lr: 0.1, momentum: undefined, weightDecay: undefined });
    expect(opt.paramGroups[0]!.momentum).toBe(0);
    expect(opt.paramGroups[0]!.weightDecay).toBe(0);
  });
});

describe('bad optimizer options fail at construction, in the user’s terms', () => {
  const p = () => param([1]);
  it('parameters', () => {
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/SGD: needs a non-empty list of parameters/);
    const x = p();
    expect(() => new Adam([x, x])).toThrow(/parameter 1 of group 0 appears in more than one place/);
    expect(() => new Adam([{ params: [p()] }, { params: [1 as never] }])).toThrow(/parameter 0 of group 1 is not a Tensor/);
    expect(() => new Adam([{ lr: 1 } as never])).toThrow(/parameter group 0 has no 'params' array/);
  });

  it('numbers out of range', () => {
    expect(() => new SGD([p()], { lr: -0.1 })).toThrow(/SGD: invalid learning rate lr = -0.1/);
    expect(() => new SGD([p()], { lr: NaN })).toThrow(/invalid learning rate lr = NaN/);
    expect(() => new Adam([p()], { weightDecay: -1 })).toThrow(/Adam: invalid weightDecay = -1/);
    expect(() => new SGD([p()], { lr: 0.1, momentum: -0.5 })).toThrow(/SGD: invalid momentum = -0.5/);
    expect(() => new Adam([p()], { betas: [0.9, 1] })).toThrow(/Adam: betas must be in \[0, 1\), got \[0.9, 1\]/);
    expect(() => new AdamW([p()], { eps: -1e-8 })).toThrow(/AdamW: invalid eps = -1e-8/);
    expect(() => new RMSprop([p()], { alpha: -0.9 })).toThrow(/RMSprop: invalid alpha = -0.9/);
    expect(() => new SGD([{ params: [p()] }, { params: [p()], lr: -1 }], { lr: 0.1 })).toThrow(/lr = -1 in parameter group 1/);
  });

  it('Nesterov without momentum', () => {
    expect(() => new SGD([p()], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum needs momentum > 0 and dampening 0/);
  });

  it('an unknown option name, with the camelCase hint for PyTorch spellings', () => {
    expect(() => new SGD([p()], { lr: 0.1, weight_decay: 0.1 } as never)).toThrow(
      /SGD: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\); the options are lr, momentum, dampening, nesterov, weightDecay/,
    );
    expect(() => new Adam([{ params: [p()], beta: 0.9 } as never])).toThrow(/Adam: unknown option in parameter group 0 'beta'/);
  });
});

describe('loading weights through .data', () => {
  it('a parameter whose data was replaced by another length is named at step()', () => {
    const w = param([1, 2]);
    const opt = new Adam([param([0]), w]);
    sum(w).backward();
    w.data = new Float64Array([1, 2, 3]);
    expect(() => opt.step()).toThrow(/Adam.step: parameter 1 of group 0 has shape \[2\] and a gradient of 2 values, but its data has 3/);
  });
});
