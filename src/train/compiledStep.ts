import { leafGradSink } from '../autograd/record.js';
import { matmulNT, matmulTN } from '../kernels/matmul.js';
import { allocateParameter } from '../kernels/resident.js';
import type { Module } from '../nn/module.js';
import { activationGradInto, applyActivation, denseForwardInto, sumRowsInto } from '../ops/linear.js';
import type { BaseOptions, Optimizer } from '../optim/optimizer.js';
import type { TypedArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { lossBuffers, lossValueAndGrad, stepLossName, type LossBuffers, type StepLossName, type StepLossSpec, type StepTarget } from './stepLoss.js';
import { planSequential, type Stage, type StepPlan } from './stepPlan.js';

// Module-local copies of the kernels called every step: under tsx an imported binding is read
// through a getter on each use (a measurable share of a 9 µs step).
const denseForwardIntoLocal = denseForwardInto;
const matmulNTLocal = matmulNT;
const matmulTNLocal = matmulTN;
const applyActivationLocal = applyActivation;
const activationGradIntoLocal = activationGradInto;
const sumRowsIntoLocal = sumRowsInto;
const lossValueAndGradLocal = lossValueAndGrad;

// A training step for a Sequential MLP that allocates nothing once warm, as static-graph
// frameworks do: the layers are read once into a plan, every intermediate buffer is made once
// per batch size, and forward, loss, backward and update run the same kernels as the eager
// ops (denseForwardInto, matmul*, applyActivation, activationGradInto, sumRowsInto, the loss
// functions of src/losses) in the same order, so the weights agree with the eager loop bit
// for bit. The eager API still allocates per op: its results are tensors the user may keep.

export interface CompileStepOptions {
  /** 'bceWithLogits', 'crossEntropy' or 'mse' (or the loss function itself, e.g. bceWithLogitsLoss). */
  loss: StepLossSpec;
  /** Updates the parameters in `step()`; optional when only forwardLoss/backward are used. */
  optimizer?: Optimizer<BaseOptions>;
  /** Make the buffers for this batch size now (other sizes get their own on first use). */
  batchSize?: number;
}

/** A batch's inputs: a [B, in] Tensor or B×in values of the model's dtype. */
export type StepInput = Tensor | Float32Array | Float64Array;

/** Everything one batch size needs, made once. */
interface BatchBuffers {
  /** Each stage's output [B, features]. */
  readonly outputs: TypedArray[];
  /** ∂loss/∂(stage input), null for the first stage (the data needs no gradient). */
  readonly inputGrads: (TypedArray | null)[];
  /** ∂loss/∂(pre-activation) of a dense stage with an activation. */
  readonly preActivationGrads: (TypedArray | null)[];
  readonly loss: LossBuffers;
}

/**
 * Compile a training step for `model`, a Sequential of Linear layers and Tanh/ReLU/Sigmoid
 * (fused into the Linear before them as Sequential.forward does), Identity, and nested
 * Sequentials. Throws a TypeError naming the layer or loss it cannot run.
 *
 * `step(x, y)` equals `opt.zeroGrad(); loss(model.forward(x), y).backward(); opt.step()` bit for
 * bit, returns the loss, and allocates nothing once a batch size has been seen. The gradients
 * stay in the parameters' `.grad`, as after the eager loop. As in that loop, layer penalties
 * (Linear's l1/l2) are not added (fit adds them, and then takes the eager path), the input's
 * gradient is not computed, and the parameters are read at every call (replacing `.data` with
 * an array of the same length and type is fine).
 * @example
 * const net = new Sequential(new Linear(2, 8, { seed: 1 }), new Tanh(), new Linear(8, 1, { seed: 2 }));
 * const train = compileStep(net, { loss: 'bceWithLogits', optimizer: new SGD(net.parameters(), { lr: 0.03 }), batchSize: 10 });
 * const loss = train.step(x, y); // x [10, 2], y [10, 1]
 */
export function compileStep(model: Module, opts: CompileStepOptions): CompiledStep {
  return new CompiledStep(model, opts);
}

/** Batch sizes whose buffers are kept at once. */
const KEPT_BATCH_SIZES = 4;

/** A compiled training step (see compileStep). */
export class CompiledStep {
  readonly plan: StepPlan;
  readonly lossName: StepLossName;
  /**
   * The last batch's loss in [0], in the model's dtype. step() returns it too; read it here
   * after run() in a loop that must not allocate (V8 boxes a double returned from a call).
   */
  readonly lossValue: TypedArray;
  readonly optimizer: Optimizer<BaseOptions> | null;
  private readonly stages: readonly Stage[];
  private readonly float64: boolean;
  private readonly buffersBySize = new Map<number, BatchBuffers>();
  // The last batch size's buffers, so the usual call skips the Map.
  private lastSize = -1;
  private last: BatchBuffers | null = null;
  /** Per stage: whether its input needs a gradient (a parameter before it requires one), as recorded by forwardLoss. */
  private readonly inputNeedsGrad: Uint8Array;
  // What backward needs from the last forwardLoss.
  private pendingInput: TypedArray | null = null;
  private pendingSize = 0;
  private pendingBuffers: BatchBuffers | null = null;
  /** The buffers of the last forwardLoss (for lastOutput). */
  private lastRun: BatchBuffers | null = null;

  constructor(model: Module, opts: CompileStepOptions) {
    this.plan = planSequential(model);
    this.lossName = stepLossName(opts?.loss);
    this.optimizer = opts.optimizer ?? null;
    this.stages = this.plan.stages;
    this.float64 = this.plan.dtype === 'float64';
    this.lossValue = this.float64 ? new Float64Array(1) : new Float32Array(1);
    this.inputNeedsGrad = new Uint8Array(this.stages.length);
    if (opts.batchSize !== undefined) {
      if (!(Number.isInteger(opts.batchSize) && opts.batchSize > 0)) throw new RangeError(`compileStep: batchSize must be a positive integer, got ${opts.batchSize}`);
      this.buffersFor(opts.batchSize);
    }
  }

  /**
   * One training step: zero the optimizer's gradients, forward, loss, backward into `.grad`,
   * optimizer.step(). Returns the loss (in the model's dtype, as `loss.item()` gives it).
   * @example const loss = train.step(x, y);
   */
  step(x: StepInput, target: StepTarget): number {
    this.run(x, target);
    return this.lossValue[0]!;
  }

  /**
   * step() without a return value, for loops that must allocate nothing at all: the returned
   * number of step() is a 16-byte heap object whenever V8 does not inline the call. The loss
   * is in `lossValue[0]`.
   * @example for (const b of batches) train.run(b.x, b.y); console.log(train.lossValue[0]);
   */
  run(x: StepInput, target: StepTarget): void {
    const opt = this.optimizer;
    if (opt === null) throw new TypeError('CompiledStep.step: no optimizer was given to compileStep; pass { optimizer } or call forwardLoss() and backward() yourself');
    opt.zeroGrad();
    this.computeLoss(x, target);
    this.backward();
    opt.step();
  }

  /**
   * Forward and loss of a batch, keeping what backward() needs; returns the loss. With
   * backward() after it, gradients are ADDED to `.grad` (as eager backward does), so several
   * batches can be accumulated before one optimizer step.
   * @example const loss = train.forwardLoss(x, y); if (Number.isFinite(loss)) train.backward();
   */
  forwardLoss(x: StepInput, target: StepTarget): number {
    this.computeLoss(x, target);
    return this.lossValue[0]!;
  }

  /** forwardLoss with the loss left in lossValue[0]. */
  private computeLoss(x: StepInput, target: StepTarget): void {
    const xd = this.inputData(x);
    const B = xd.length / this.plan.inFeatures;
    const bufs = this.buffersFor(B);
    const stages = this.stages;
    const needs = this.inputNeedsGrad;
    let anyGrad = false;
    let h = xd;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i]!;
      const out = bufs.outputs[i]!;
      needs[i] = anyGrad ? 1 : 0;
      if (stage.kind === 'dense') {
        const layer = stage.layer;
        const w = layer.weight;
        const b = layer.bias;
        const K = stage.inFeatures;
        const N = stage.outFeatures;
        this.checkParameter(w, K * N, stage, 'weight');
        if (b !== null) this.checkParameter(b, N, stage, 'bias');
        // The eager op's own forward arithmetic (ops/linear.ts), so the same bits.
        denseForwardIntoLocal(h, w.data, b === null ? null : b.data, stage.activation, out, B, K, N);
        anyGrad = anyGrad || w.requiresGrad || (b !== null && b.requiresGrad);
      } else {
        out.set(h);
        applyActivationLocal(out, stage.activation);
      }
      h = out;
    }
    lossValueAndGradLocal(this.lossName, h, B, this.plan.outFeatures, target, bufs.loss, this.lossValue);
    this.pendingInput = anyGrad ? xd : null;
    this.pendingSize = B;
    this.pendingBuffers = bufs;
    this.lastRun = bufs;
  }

  /**
   * Back-propagate the last forwardLoss into the parameters' `.grad` (created when null, else
   * added to), in the eager tape's order and with its kernels. Call once per forwardLoss.
   * @example train.forwardLoss(x, y); train.backward(); opt.step();
   */
  backward(): void {
    const xd = this.pendingInput;
    const bufs = this.pendingBuffers;
    if (bufs === null) throw new Error('CompiledStep.backward: call forwardLoss(x, y) first (once per backward)');
    if (xd === null) {
      this.pendingBuffers = null;
      throw new Error('CompiledStep.backward: no parameter of the model requires a gradient');
    }
    this.pendingBuffers = null;
    this.pendingInput = null;
    const B = this.pendingSize;
    const stages = this.stages;
    let g = bufs.loss.grad;
    for (let i = stages.length - 1; i >= 0; i--) {
      const stage = stages[i]!;
      const y = bufs.outputs[i]!;
      const needsInputGrad = this.inputNeedsGrad[i] === 1;
      const inputGrad = bufs.inputGrads[i]!;
      if (stage.kind === 'dense') {
        const w = stage.layer.weight;
        const b = stage.layer.bias;
        const K = stage.inFeatures;
        const N = stage.outFeatures;
        let gPre = g;
        if (stage.activation !== 'none') {
          gPre = bufs.preActivationGrads[i]!;
          activationGradIntoLocal(stage.activation, y, g, gPre);
        }
        const input = i === 0 ? xd : bufs.outputs[i - 1]!;
        // The order of productGrads and the dense op's backward: dx = G·Wᵀ, W.grad += xᵀ·G, b.grad += Σ rows.
        if (needsInputGrad) matmulNTLocal(gPre, w.data, inputGrad, B, N, K);
        if (w.requiresGrad) matmulTNLocal(input, gPre, gradSink(w), K, B, N, true);
        if (b !== null && b.requiresGrad) sumRowsIntoLocal(gPre, gradSink(b), B, N);
      } else if (needsInputGrad) {
        activationGradIntoLocal(stage.activation, y, g, inputGrad);
      }
      if (!needsInputGrad) break; // no parameter before this stage needs a gradient
      g = inputGrad;
    }
  }

  /**
   * The model's output for the last forwardLoss, [B, outFeatures] row-major. A view of a buffer
   * the next call overwrites: copy it (`.slice()`) to keep it.
   * @example train.forwardLoss(x, y); const logits = train.lastOutput().slice();
   */
  lastOutput(): TypedArray {
    const bufs = this.lastRun;
    if (bufs === null) throw new Error('CompiledStep.lastOutput: no batch has been run yet');
    return bufs.outputs[bufs.outputs.length - 1]!;
  }

  private inputData(x: StepInput): TypedArray {
    const inF = this.plan.inFeatures;
    let data: TypedArray;
    if (x instanceof Tensor) {
      if (x.rank !== 2 || x.shape[1] !== inF) throw new RangeError(`compileStep: the model expects input of shape [N, ${inF}], got ${formatShape(x.shape)}`);
      data = x.data;
    } else if (x instanceof Float32Array || x instanceof Float64Array) {
      if (x.length === 0 || x.length % inF !== 0) throw new RangeError(`compileStep: ${x.length} input values do not make whole rows of ${inF} features`);
      data = x;
    } else {
      throw new TypeError('compileStep: the input must be a Tensor or a Float32Array/Float64Array of rows');
    }
    if (data.length === 0) throw new RangeError('compileStep: the batch is empty');
    if (data instanceof Float64Array !== this.float64) {
      throw new TypeError(`compileStep: the input is ${data instanceof Float64Array ? 'float64' : 'float32'} but the model's parameters are ${this.plan.dtype}; convert the input to ${this.plan.dtype}`);
    }
    return data;
  }

  /** Refuse a parameter whose data was replaced by another length or element type (the buffers assume both). */
  private checkParameter(p: Tensor, length: number, stage: Stage, what: string): void {
    const d = p.data;
    if (d.length !== length || d instanceof Float64Array !== this.float64) {
      const layer = stage.kind === 'dense' ? `Linear(${stage.inFeatures}, ${stage.outFeatures})` : 'a layer';
      throw new TypeError(`compileStep: the ${what} of ${layer} now holds ${d.length} ${d instanceof Float64Array ? 'float64' : 'float32'} values; it was compiled for ${length} ${this.plan.dtype} values (replace .data only with an array of the same length and type)`);
    }
  }

  private buffersFor(B: number): BatchBuffers {
    if (B === this.lastSize) return this.last!;
    let bufs = this.buffersBySize.get(B);
    if (bufs === undefined) {
      // Keep a few sizes (a loader has two: full batches and the last one); forget the oldest.
      if (this.buffersBySize.size >= KEPT_BATCH_SIZES) this.buffersBySize.delete(this.buffersBySize.keys().next().value!);
      bufs = this.makeBuffers(B);
      this.buffersBySize.set(B, bufs);
    }
    this.lastSize = B;
    this.last = bufs;
    return bufs;
  }

  private makeBuffers(B: number): BatchBuffers {
    // In the kernels' memory where it can be (float32 with shared WebAssembly memory): large
    // products then read and write these buffers in place instead of copying them in and out.
    const make = (n: number): TypedArray => allocateParameter(this.plan.dtype, n);
    const outputs: TypedArray[] = [];
    const inputGrads: (TypedArray | null)[] = [];
    const preActivationGrads: (TypedArray | null)[] = [];
    this.stages.forEach((s, i) => {
      const inF = s.kind === 'dense' ? s.inFeatures : s.features;
      const outF = s.kind === 'dense' ? s.outFeatures : s.features;
      outputs.push(make(B * outF));
      inputGrads.push(i === 0 ? null : make(B * inF));
      preActivationGrads.push(s.kind === 'dense' && s.activation !== 'none' ? make(B * outF) : null);
    });
    return { outputs, inputGrads, preActivationGrads, loss: lossBuffers(this.lossName, B, this.plan.outFeatures, this.float64) };
  }
}

/**
 * The parameter's `.grad` buffer to add into (leafGradSink), created on first use in the
 * kernels' memory where it can be (zero-filled, as leafGradSink makes it), so large products
 * accumulate into it in place.
 */
function gradSink(p: Tensor): TypedArray {
  if (p.grad === null) p.grad = new Tensor(allocateParameter(p.dtype, p.size), p.shape);
  return leafGradSink(p)!;
}
