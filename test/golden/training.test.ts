// The ten full-batch optimizer trajectories of golden/training.json: the same network built from
// Linear + activation layers, the reference initial parameters loaded through `.data`, then every
// step's loss, the first update and the final parameters compared with PyTorch.
import { afterAll, describe, expect, it } from 'vitest';
import {
  Adam, AdamW, bceLoss, crossEntropyLoss, Linear, ReLU, RMSprop, Sequential, SGD, Sigmoid, Tanh,
  type DType, type Module, type Optimizer, type Tensor,
} from '../../src/index.js';
import { expectClose, F64, flat, loadGolden, reportWorst, t, type Nested, type Tolerance } from './load.js';

interface LayerParams { W: Nested; b: number[] }
interface TrainingCase {
  name: string;
  arch: { type: 'linear' | 'tanh' | 'sigmoid' | 'relu'; in?: number; out?: number }[];
  loss: 'bce' | 'softmax_ce_labels';
  X: Nested;
  y?: Nested;
  labels?: number[];
  optimizer: {
    type: 'sgd' | 'adam' | 'adamw' | 'rmsprop';
    lr: number;
    weight_decay: number;
    weight_decay_applies_to: 'all' | 'weights_only';
    momentum?: number;
    dampening?: number;
    nesterov?: boolean;
    betas?: [number, number];
    eps?: number;
    alpha?: number;
    centered?: boolean;
  };
  steps: number;
  initial_params: LayerParams[];
  initial_grads: LayerParams[];
  params_after_step1: LayerParams[];
  losses: number[];
  final_loss: number;
  final_params: LayerParams[];
}

const cases = loadGolden<TrainingCase>('training').cases;

/**
 * A float32 trajectory of 100–200 steps: the issue asks for about 1e-3 relative, DESIGN.md sets
 * ~1e-4 as the bar; we hold the stricter one (observed: under 1e-6).
 */
const F32_TRAJECTORY: Tolerance = { atol: 1e-6, rtol: 1e-4 };
/** float64 trajectories: PyTorch's and numpy's agree to 2e-15; allow a little drift over 200 steps. */
const F64_TRAJECTORY: Tolerance = { atol: 1e-12, rtol: 1e-10 };

function build(c: TrainingCase, dtype: DType): { net: Sequential; linears: Linear[] } {
  const linears: Linear[] = [];
  const layers: Module[] = c.arch.map((spec) => {
    switch (spec.type) {
      case 'linear': {
        const layer = new Linear(spec.in!, spec.out!, { seed: 99, dtype });
        const ref = c.initial_params[linears.length]!;
        // The contract's way to load reference weights: replace `.data` with the same length.
        layer.weight.data = dtype === 'float64' ? Float64Array.from(flat(ref.W)) : Float32Array.from(flat(ref.W));
        layer.bias!.data = dtype === 'float64' ? Float64Array.from(ref.b) : Float32Array.from(ref.b);
        linears.push(layer);
        return layer;
      }
      case 'tanh': return new Tanh();
      case 'sigmoid': return new Sigmoid();
      case 'relu': return new ReLU();
    }
  });
  return { net: new Sequential(...layers), linears };
}

function optimizerFor(c: TrainingCase, linears: Linear[]): Optimizer<any> {
  const o = c.optimizer;
  const weights = linears.map((l) => l.weight);
  const biases = linears.map((l) => l.bias!);
  // weights_only: PyTorch-style parameter groups leave the biases out of the decay.
  const params = o.weight_decay_applies_to === 'weights_only'
    ? [{ params: weights }, { params: biases, weightDecay: 0 }]
    : linears.flatMap((l) => l.parameters());
  const common = { lr: o.lr, weightDecay: o.weight_decay };
  switch (o.type) {
    case 'sgd': return new SGD(params, { ...common, momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov });
    case 'adam': return new Adam(params, { ...common, betas: o.betas, eps: o.eps });
    case 'adamw': return new AdamW(params, { ...common, betas: o.betas, eps: o.eps });
    case 'rmsprop': return new RMSprop(params, { ...common, alpha: o.alpha, eps: o.eps, centered: o.centered, momentum: o.momentum ?? 0 });
  }
}

function lossOf(c: TrainingCase, net: Sequential, dtype: DType): Tensor {
  const out = net.forward(t(c.X, dtype));
  return c.loss === 'bce' ? bceLoss(out, t(c.y!, dtype)) : crossEntropyLoss(out, c.labels!);
}

function expectParams(linears: Linear[], ref: LayerParams[], tol: Tolerance, what: string, label: string, grads = false): void {
  expect(linears).toHaveLength(ref.length);
  linears.forEach((l, i) => {
    expectClose(grads ? l.weight.grad! : l.weight, ref[i]!.W, tol, `${what} layer ${i} W`, label);
    expectClose(grads ? l.bias!.grad! : l.bias!, ref[i]!.b, tol, `${what} layer ${i} b`, label);
  });
}

function run(c: TrainingCase, dtype: DType, tol: Tolerance): void {
  const { net, linears } = build(c, dtype);
  const opt = optimizerFor(c, linears);
  expect(c.losses).toHaveLength(c.steps);
  for (let step = 0; step < c.steps; step++) {
    opt.zeroGrad();
    const loss = lossOf(c, net, dtype);
    expectClose(loss, c.losses[step]!, tol, `${c.name} ${dtype} losses[${step}]`, `${dtype} losses[t]`);
    loss.backward();
    if (step === 0) expectParams(linears, c.initial_grads, tol, `${c.name} ${dtype} initial grads`, `${dtype} initial grads`, true);
    opt.step();
    if (step === 0) expectParams(linears, c.params_after_step1, tol, `${c.name} ${dtype} after step 1`, `${dtype} params after step 1`);
  }
  expectClose(lossOf(c, net, dtype), c.final_loss, tol, `${c.name} ${dtype} final loss`, `${dtype} final loss`);
  expectParams(linears, c.final_params, tol, `${c.name} ${dtype} final params`, `${dtype} final params`);
}

describe('golden training trajectories (PyTorch float64)', () => {
  it('has the 10 documented cases', () => {
    expect(cases).toHaveLength(10);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.steps} steps in float64`, () => run(c, 'float64', F64_TRAJECTORY));
    it(`${c.name}: ${c.steps} steps in float32`, () => run(c, 'float32', F32_TRAJECTORY));
  }

  it('initial gradients match at the README tolerance in float64', () => {
    for (const c of cases) {
      const { net, linears } = build(c, 'float64');
      lossOf(c, net, 'float64').backward();
      expectParams(linears, c.initial_grads, F64, `${c.name} initial grads`, 'float64 initial grads (README tolerance)', true);
    }
  });

  afterAll(() => reportWorst('golden training, worst errors'));
});
