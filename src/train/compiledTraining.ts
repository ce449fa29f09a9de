import { Model } from '../graph/model.js';
import type { TensorMap, TrainableModel } from '../graph/types.js';
import { allocateParameter, isResident, residencyAvailable } from '../kernels/resident.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';
import { CompiledStep } from './compiledStep.js';
import { BatchGatherer, type NamedData } from './data.js';
import type { ObjectiveOptions, OutputPlan } from './heads.js';
import type { StepLossName } from './stepLoss.js';

// The Trainer's fast path: when the model is asTrainable(Sequential), or a graph Model that is a
// plain chain (input → layer → … → output, as sequentialModel builds), with one output whose
// loss a compiled step runs, forward, loss and backward go through compileStep (same bits as the
// tape, no tensors per op). Everything else the Trainer does per step (zeroGrad, divergence
// checks, clipping, snapshots, the optimizer, metrics) stays where it is.

/** The default loss of each head kind, as planOutputs chooses it. */
const HEAD_DEFAULT_LOSS = { binary: 'bceWithLogits', multiclass: 'crossEntropy', regression: 'mse' } as const;

/**
 * A compiled step for the Trainer, or null when the eager path must run: not a one-input,
 * one-output wrapped Sequential or chain Model, a loss other than bceWithLogits/crossEntropy/mse
 * (or a function), a loss weight other than 1, or a layer compileStep cannot run.
 * @example const compiled = compiledStepFor(model, plans, opts); // null → eager steps
 */
export function compiledStepFor(model: TrainableModel, plans: readonly OutputPlan[], opts: ObjectiveOptions): CompiledStep | null {
  if (model.inputNames.length !== 1 || plans.length !== 1) return null;
  const wrapped = (model as { module?: unknown }).module;
  const module = model instanceof Model ? chainAsSequential(model) : wrapped instanceof Sequential ? wrapped : null;
  if (module === null) return null;
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

/**
 * The layers of a Model that is one chain — its input, then each node a layer reading only the
 * node before it, the last one the output — as a Sequential of the same layer objects (the
 * Model fuses the same Linear → activation pairs, and fused or not the values are the same).
 */
function chainAsSequential(model: Model): Sequential | null {
  const nodes = model.nodes;
  if (model.outputNames.length !== 1 || nodes.length < 2 || nodes[0]!.op !== 'input') return null;
  const layers: Module[] = [];
  for (let i = 1; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.op !== 'layer' || n.layer === null || n.inputs.length !== 1 || n.inputs[0] !== nodes[i - 1]!.name) return null;
    layers.push(n.layer);
  }
  if (model.outputNodes[model.outputNames[0]!] !== nodes[nodes.length - 1]!.name) return null;
  return new Sequential(...layers);
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
 * width, no layer adds a weight penalty (the eager path adds it to the loss), and a graph Model
 * is not tracing (the trace records every node's value on the eager path).
 */
export function compiledStepApplies(step: CompiledStep, model: TrainableModel, input: Tensor | undefined): boolean {
  if (model instanceof Model && model.tracing) return false;
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

/**
 * Move each float32 parameter's `.grad` that is an ordinary array (the eager first step made it)
 * into the kernels' memory, as a compiled step makes it: large products then add into it in
 * place instead of copying out through a view allocated every step. Values are kept.
 * @example gradsInKernelMemory(model.parameters());
 */
export function gradsInKernelMemory(params: readonly Tensor[]): void {
  if (!residencyAvailable()) return;
  for (const p of params) {
    const g = p.grad;
    if (g === null || p.dtype !== 'float32' || isResident(g.data)) continue;
    const data = allocateParameter('float32', p.size);
    data.set(g.data);
    p.grad = new Tensor(data, p.shape);
  }
}

/**
 * The Trainer's compiled steps over its training data: each batch gathered into tensors made
 * once per batch size (targets included, so `targets` is overwritten by the next batch of its
 * size), forward and loss through the compiled step, and the gradients in the kernels' memory.
 * Once warm, forwardLoss + step.backward() allocate nothing.
 * @example
 * const batches = new CompiledBatches(step, model, data, 'y', model.parameters());
 * if (batches.applies()) { batches.forwardLoss(order, 0, 32); batches.step.backward(); }
 */
export class CompiledBatches {
  /** The last batch's targets, in the reused tensors. */
  targets: TensorMap | null = null;
  private readonly gatherX: BatchGatherer;
  private readonly gatherY: BatchGatherer;
  /** The whole training input: compiledStepApplies checks it (every batch has its dtype and width). */
  private readonly input: Tensor | undefined;
  private readonly inputName: string;
  /** Whether the gradients were moved to the kernels' memory since the last eager step. */
  private gradsMoved = false;
  /** Per output buffer of the step (one per batch size): the map of one tensor over it that outputs() returns. */
  private readonly outputViews = new Map<TypedArray, TensorMap>();

  constructor(
    readonly step: CompiledStep,
    private readonly model: TrainableModel,
    data: NamedData,
    private readonly output: string,
    private readonly params: readonly Tensor[],
  ) {
    this.gatherX = new BatchGatherer(data.x);
    this.gatherY = new BatchGatherer(data.y);
    this.inputName = model.inputNames[0]!;
    this.input = data.x[this.inputName];
  }

  /** Whether the next step can run compiled (see compiledStepApplies). */
  applies(): boolean {
    return compiledStepApplies(this.step, this.model, this.input);
  }

  /** An eager step ran: its backward may have made gradient arrays outside the kernels' memory. */
  eagerStepRan(): void {
    this.gradsMoved = false;
  }

  /** Forward and loss of rows order[start..end) (start..end without an order); the loss is left in step.lossValue[0]. */
  forwardLoss(order: Int32Array | null, start: number, end: number): void {
    const input = this.gatherX.gather(order, start, end)[this.inputName]!;
    const targets = this.gatherY.gather(order, start, end);
    if (!this.gradsMoved) {
      gradsInKernelMemory(this.params);
      this.gradsMoved = true;
    }
    this.targets = targets;
    this.step.forwardLoss(input, compiledTarget(this.step, targets[this.output]!, end - start));
  }

  /**
   * The last batch's output ([B, out]) for the epoch metrics, which read it before the next step:
   * a tensor over the step's own buffer, made once per batch size (a copy per step would be the
   * only allocation of a training step with metrics).
   */
  outputs(rows: number): TensorMap {
    const data = this.step.lastOutput();
    let view = this.outputViews.get(data);
    if (view === undefined) {
      view = { [this.output]: new Tensor(data, [rows, this.step.plan.outFeatures]) };
      this.outputViews.set(data, view);
    }
    return view;
  }
}
