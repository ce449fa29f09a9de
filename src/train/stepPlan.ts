import { Identity, ReLU, Sigmoid, Tanh } from '../nn/activations.js';
import { fusedActivation } from '../nn/fusion.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import type { FusedActivation } from '../ops/linear.js';
import type { DType } from '../tensor/dtype.js';

// What a compiled training step runs, read once from a Sequential: its layers as a list of
// stages, each a Linear with the activation Sequential.forward fuses into it, or an activation
// on its own. Anything else is refused by name, so the step never computes something the eager
// model would not.

/** A Linear layer, with the activation that follows it fused in ('none' when there is none). */
export interface DenseStage {
  readonly kind: 'dense';
  readonly layer: Linear;
  readonly activation: FusedActivation | 'none';
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/** A Tanh, ReLU or Sigmoid layer that is not fused into a Linear before it. */
export interface ActivationStage {
  readonly kind: 'activation';
  readonly activation: FusedActivation;
  readonly features: number;
}

export type Stage = DenseStage | ActivationStage;

export interface StepPlan {
  readonly stages: readonly Stage[];
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** The parameters' element type (all of them share it). */
  readonly dtype: DType;
}

const SUPPORTED = 'Linear, Tanh, ReLU, Sigmoid, Identity and nested Sequential layers';

/**
 * The stages of `model` in order, or an Error naming the first layer a compiled step cannot run.
 * @example planSequential(new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 1))).stages.length; // 2
 */
export function planSequential(model: Module): StepPlan {
  if (!(model instanceof Sequential) || model.forward !== Sequential.prototype.forward) {
    throw new TypeError(`compileStep: the model must be a Sequential (of ${SUPPORTED}), got ${describe(model)}`);
  }
  const layers: Module[] = [];
  flatten(model, 'layers', layers, []);
  const stages: Stage[] = [];
  let width = -1; // features flowing between stages; unknown until the first Linear
  const pendingActivations: ActivationStage[] = []; // activations before the first Linear
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    if (layer instanceof Linear && layer.forward === Linear.prototype.forward) {
      if (width !== -1 && width !== layer.inFeatures) {
        throw new RangeError(`compileStep: ${describe(layer)} expects ${layer.inFeatures} input features, but the layer before it gives ${width}`);
      }
      if (width === -1) {
        for (const a of pendingActivations) stages.push({ ...a, features: layer.inFeatures });
      }
      const next = layers[i + 1];
      const activation = next === undefined ? null : fusedActivation(layer, next);
      stages.push({ kind: 'dense', layer, activation: activation ?? 'none', inFeatures: layer.inFeatures, outFeatures: layer.outFeatures });
      if (activation !== null) i++;
      width = layer.outFeatures;
      continue;
    }
    const activation = standaloneActivation(layer);
    if (activation === 'identity') continue;
    if (activation === null) {
      throw new TypeError(`compileStep: cannot compile layer ${i} (${describe(layer)}); a compiled step runs ${SUPPORTED}. Train this model with the eager loop (loss.backward(); opt.step())`);
    }
    if (width === -1) pendingActivations.push({ kind: 'activation', activation, features: -1 });
    else stages.push({ kind: 'activation', activation, features: width });
  }
  const dense = stages.filter((s): s is DenseStage => s.kind === 'dense');
  if (dense.length === 0) throw new TypeError(`compileStep: the model has no Linear layer; a compiled step needs at least one`);
  const dtype = dense[0]!.layer.weight.dtype;
  for (const s of dense) {
    for (const p of [s.layer.weight, s.layer.bias]) {
      if (p !== null && p.dtype !== dtype) {
        throw new TypeError(`compileStep: ${describe(s.layer)} has ${p.dtype} parameters but the first Linear has ${dtype}; a compiled step needs one dtype throughout`);
      }
    }
  }
  return { stages, inFeatures: dense[0]!.inFeatures, outFeatures: width, dtype };
}

/** The layers of nested Sequentials in order, each nested one checked to be a plain Sequential. */
function flatten(seq: Sequential, path: string, into: Module[], seen: Sequential[]): void {
  if (seen.includes(seq)) throw new TypeError(`compileStep: the Sequential at ${path} contains itself`);
  seen.push(seq);
  for (const layer of seq.layers) {
    if (layer instanceof Sequential && layer.forward === Sequential.prototype.forward) flatten(layer, path, into, seen);
    else into.push(layer);
  }
  seen.pop();
}

/** The activation a layer applies when it is the library's own Tanh, ReLU or Sigmoid; 'identity'; or null. */
function standaloneActivation(layer: Module): FusedActivation | 'identity' | null {
  const forward = layer.forward;
  if (forward === Tanh.prototype.forward) return 'tanh';
  if (forward === ReLU.prototype.forward) return 'relu';
  if (forward === Sigmoid.prototype.forward) return 'sigmoid';
  if (forward === Identity.prototype.forward) return 'identity';
  return null;
}

function describe(value: unknown): string {
  if (value instanceof Linear) return `Linear(${value.inFeatures}, ${value.outFeatures})${value.name ? ` '${value.name}'` : ''}`;
  if (value !== null && typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}
