import type { TensorMap, TrainableModel } from '../graph/types.js';
import { Sequential } from '../nn/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import { CompiledStep } from './compiledStep.js';
import type { ObjectiveOptions, OutputPlan } from './heads.js';
import type { StepLossName } from './stepLoss.js';

// The Trainer's fast path: when the model is asTrainable(Sequential) with one output whose loss
// a compiled step runs, forward, loss and backward go through compileStep (same bits as the
// tape, no tensors per op). Everything else the Trainer does per step (zeroGrad, divergence
// checks, clipping, snapshots, the optimizer, metrics) stays where it is.

/** The default loss of each head kind, as planOutputs chooses it. */
const HEAD_DEFAULT_LOSS = { binary: 'bceWithLogits', multiclass: 'crossEntropy', regression: 'mse' } as const;

/**
 * A compiled step for the Trainer, or null when the eager path must run: not a one-input,
 * one-output wrapped Sequential, a loss other than bceWithLogits/crossEntropy/mse (or a
 * function), a loss weight other than 1, or a layer compileStep cannot run.
 * @example const compiled = compiledStepFor(model, plans, opts); // null → eager steps
 */
export function compiledStepFor(model: TrainableModel, plans: readonly OutputPlan[], opts: ObjectiveOptions): CompiledStep | null {
  const module = (model as { module?: unknown }).module;
  if (!(module instanceof Sequential) || model.inputNames.length !== 1 || plans.length !== 1) return null;
  const plan = plans[0]!;
  if (plan.weight !== 1) return null;
  const loss = builtInLoss(model, plan.output, opts);
  if (loss === null) return null;
  try {
    return new CompiledStep(module, { loss });
  } catch {
    return null; // a layer it cannot run: the tape can
  }
}

/** The output's loss by name when it is one a compiled step runs; null otherwise. */
function builtInLoss(model: TrainableModel, output: string, opts: ObjectiveOptions): StepLossName | null {
  const given = typeof opts.loss === 'object' && opts.loss !== null ? (opts.loss as Record<string, unknown>)[output] : opts.loss;
  const head = model.heads.find((h) => h.output === output);
  const spec = given ?? (head ? HEAD_DEFAULT_LOSS[head.kind] : undefined);
  return spec === 'bceWithLogits' || spec === 'crossEntropy' || spec === 'mse' ? spec : null;
}

/**
 * Whether this step can take the compiled path: the batch input has the compiled dtype and
 * width, and no layer adds a weight penalty (the eager path adds it to the loss).
 */
export function compiledStepApplies(step: CompiledStep, input: Tensor | undefined): boolean {
  if (!(input instanceof Tensor) || input.rank !== 2 || input.shape[1] !== step.plan.inFeatures) return false;
  if ((input.dtype === 'float64') !== (step.plan.dtype === 'float64')) return false;
  const stages = step.plan.stages;
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i]!;
    if (s.kind === 'dense' && (s.layer.l1 !== 0 || s.layer.l2 !== 0)) return false;
  }
  return true;
}

/**
 * The target in the form the compiled loss reads, as the Trainer's loss functions align it:
 * class labels ([N] or [N, 1]) as their values, everything else as the tensor itself.
 */
export function compiledTarget(step: CompiledStep, target: Tensor, rows: number): Tensor | Float32Array | Float64Array {
  return step.lossName === 'crossEntropy' && target.size === rows ? target.data : target;
}

/** The last batch's output as a tensor of its own, for the metrics ([B, out]). */
export function compiledOutputs(step: CompiledStep, output: string, rows: number): TensorMap {
  return { [output]: new Tensor(step.lastOutput().slice(), [rows, step.plan.outFeatures]) };
}
