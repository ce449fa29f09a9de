import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './mode.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Tolerances for `passed`: |analytic − numeric| ≤ atol + rtol·|numeric| (defaults 1e-5, 1e-3). */
  atol?: number;
  rtol?: number;
  /** Seed of the random weights that reduce a non-scalar output to a scalar. */
  seed?: number;
}

export interface GradcheckResult {
  passed: boolean;
  /** Largest |analytic − numeric| over every checked element. */
  maxAbsError: number;
  /** Largest |analytic − numeric| / max(1, |numeric|). */
  maxRelError: number;
  /** Where the largest error was. */
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compare the gradients backward() computes with central differences, in float64.
 * `fn` maps the inputs to a tensor; a non-scalar output is reduced by Σ wᵢ·yᵢ with fixed random
 * weights, so every output element is checked.
 *
 * @example
 * const x = tensor([[0.5, -1.2]], { dtype: 'float64', requiresGrad: true });
 * gradcheck((x) => tanh(x), [x]).passed; // true
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradcheckOptions = {}): GradcheckResult {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor) || t.dtype !== 'float64') {
      throw new TypeError(`gradcheck: input ${i} must be a float64 Tensor (tensor(..., { dtype: 'float64', requiresGrad: true }))`);
    }
  });
  // Analytic gradients go into .grad; keep whatever the caller had there and restore it after.
  const savedGrads = inputs.map((t) => t.grad);
  const first = fn(...inputs);
  if (!(first instanceof Tensor) || first.dtype !== 'float64') {
    throw new TypeError(
      `gradcheck: fn must return a float64 Tensor, got ${first instanceof Tensor ? `a ${first.dtype} one` : typeof first}; create every tensor and layer inside fn with dtype 'float64' (float32 rounding swamps central differences)`,
    );
  }
  const rng = new Random(opts.seed ?? 1234);
  const weights = new Float64Array(first.size);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.range(0.5, 1.5) * (rng.uniform() < 0.5 ? -1 : 1);
  const objective = (y: Tensor): number => {
    let s = 0;
    for (let i = 0; i < y.size; i++) s += weights[i]! * y.data[i]!;
    return s;
  };

  // Analytic gradients.
  for (const t of inputs) t.grad = null;
  if (first.requiresGrad) first.backward(new Tensor(weights, first.shape));
  const analytic = inputs.map((t) => (t.grad ? t.grad.data.slice() : new Float64Array(t.size)));

  let maxAbsError = 0;
  let maxRelError = 0;
  let passed = true;
  let worst: GradcheckResult['worst'] = null;
  noGrad(() => {
    inputs.forEach((t, k) => {
      if (!t.requiresGrad) return;
      for (let i = 0; i < t.size; i++) {
        const orig = t.data[i]!;
        t.data[i] = orig + eps;
        const plus = objective(fn(...inputs));
        t.data[i] = orig - eps;
        const minus = objective(fn(...inputs));
        t.data[i] = orig;
        const numeric = (plus - minus) / (2 * eps);
        const a = analytic[k]![i]!;
        const err = Math.abs(a - numeric);
        if (!(err <= atol + rtol * Math.abs(numeric))) passed = false;
        if (err > maxAbsError || Number.isNaN(err)) {
          maxAbsError = Number.isNaN(err) ? Infinity : err;
          worst = { input: k, index: i, analytic: a, numeric };
        }
        maxRelError = Math.max(maxRelError, err / Math.max(1, Math.abs(numeric)));
      }
    });
  });
  inputs.forEach((t, i) => (t.grad = savedGrads[i]!));
  return { passed, maxAbsError, maxRelError, worst };
}
