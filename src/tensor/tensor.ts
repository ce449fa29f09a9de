import { allocate, dtypeOf, type DType, type TypedArray } from './dtype.js';
import { formatShape, sizeOf, type Shape } from './shape.js';

/**
 * How a tensor was computed: the op's name, its inputs and its local derivative.
 * `backward` turns the gradient of the output into gradients of the inputs (null where an
 * input needs none). The autograd engine only ever sees this interface.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  backward(gradOut: TypedArray): (TypedArray | null)[];
  /**
   * True when every buffer `backward` returns was allocated by that call for that one input
   * and is kept nowhere else: the engine may then sum into it and hand it to a leaf as its
   * `.grad` instead of copying. Leave it unset for rules that pass `gradOut` on or share one
   * buffer between inputs.
   */
  readonly freshGrads?: boolean;
}

export type NestedArray = number | NestedArray[];

export interface TensorOptions {
  requiresGrad?: boolean;
  dtype?: DType;
}

// The engine lives in src/autograd (a layer above); it registers itself here so that
// `t.backward()` works without tensor/ importing upward.
let runBackward: ((root: Tensor, grad?: Tensor) => void) | null = null;
export function registerBackward(fn: (root: Tensor, grad?: Tensor) => void): void {
  runBackward = fn;
}

/** An n-dimensional array: a shape and a contiguous row-major typed array. */
export class Tensor {
  readonly shape: number[];
  data: TypedArray;
  grad: Tensor | null = null;
  requiresGrad: boolean;
  /** Set by ops when recording: how this tensor was computed. Null for leaves. */
  gradFn: GradNode | null = null;
  /** Keep `grad` on this non-leaf tensor after backward (as PyTorch's retain_grad). */
  retainsGrad = false;
  /** Optional label, shown in errors and drawings. */
  name: string | undefined;
  /**
   * Autograd bookkeeping, used only while backward() runs (src/autograd/engine.ts): the pass
   * that last reached this tensor, and the gradient summed for it so far in that pass. Fields
   * instead of a Set and a Map per backward keep the tape's per-op cost down.
   * @internal
   */
  backwardPass = 0;
  /** @internal */
  pendingGrad: TypedArray | null = null;
  /** @internal True when pendingGrad is a sum buffer the engine made for this tensor alone. */
  ownsPendingGrad = false;

  constructor(data: TypedArray, shape: Shape, requiresGrad = false) {
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new RangeError(
        `Tensor: the data has ${data.length} values but shape ${formatShape(shape)} needs ${n}`,
      );
    }
    this.shape = shape.slice();
    this.data = data;
    this.requiresGrad = requiresGrad;
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors made by the user (parameters, inputs), not by an op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw new RangeError(`item(): the tensor has shape ${formatShape(this.shape)}, not one value`);
    }
    return this.data[0]!;
  }

  /** Nested plain arrays in the tensor's shape (a number for a scalar). */
  toArray(): any {
    return toNested(this.data, this.shape, 0, 0);
  }

  /**
   * Back-propagate from this tensor: fills `grad` of every leaf that requires it.
   * A scalar needs no argument; any other tensor needs the upstream gradient of its shape.
   */
  backward(grad?: Tensor): void {
    if (!runBackward) throw new Error('backward(): the autograd engine is not loaded');
    runBackward(this, grad);
  }

  /** A tensor sharing nothing with this one and recording no history. */
  detach(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  clone(): Tensor {
    return this.detach();
  }

  /** Ask backward to keep this intermediate tensor's gradient. Returns this. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  zeroGrad(): void {
    if (this.grad === null) return;
    const d = this.grad.data;
    // A loop beats fill() (a call into the runtime) on the small arrays of tiny networks.
    if (d.length > 256) d.fill(0);
    else for (let i = 0; i < d.length; i++) d[i] = 0;
  }

  toString(): string {
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

function toNested(data: TypedArray, shape: Shape, dim: number, offset: number): NestedArray {
  if (dim === shape.length) return data[offset]!;
  const n = shape[dim]!;
  let step = 1;
  for (let i = dim + 1; i < shape.length; i++) step *= shape[i]!;
  const out: NestedArray[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = toNested(data, shape, dim + 1, offset + i * step);
  return out;
}

function inferShape(value: NestedArray, path: string): number[] {
  if (typeof value === 'number') return [];
  if (!Array.isArray(value)) throw new TypeError(`tensor: ${path} is ${typeof value}, not a number or an array`);
  if (value.length === 0) return [0];
  return [value.length, ...inferShape(value[0]!, `${path}[0]`)];
}

function flattenInto(value: NestedArray, shape: number[], dim: number, out: TypedArray, pos: { i: number }, path: string): void {
  if (dim === shape.length) {
    if (typeof value !== 'number') {
      const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'string' ? `the string '${value}'` : typeof value;
      throw new TypeError(`tensor: ${path} is ${got} where a number was expected`);
    }
    out[pos.i++] = value;
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[dim]) {
    const got = Array.isArray(value) ? `${value.length} entries` : 'a number';
    throw new RangeError(`tensor: ragged array: ${path} has ${got}, expected ${shape[dim]} (as its first sibling)`);
  }
  for (let i = 0; i < value.length; i++) flattenInto(value[i]!, shape, dim + 1, out, pos, `${path}[${i}]`);
}

/**
 * Make a tensor from a number, nested arrays or a typed array.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.shape; // [2, 2]
 */
export function tensor(value: NestedArray | TypedArray, opts: TensorOptions & { shape?: Shape } = {}): Tensor {
  const dtype = opts.dtype ?? (value instanceof Float64Array ? 'float64' : 'float32');
  if (value instanceof Float32Array || value instanceof Float64Array) {
    const data = allocate(dtype, value.length);
    data.set(value);
    return new Tensor(data, opts.shape ?? [value.length], opts.requiresGrad ?? false);
  }
  const shape = inferShape(value, 'value');
  const data = allocate(dtype, sizeOf(shape));
  flattenInto(value, shape, 0, data, { i: 0 }, 'value');
  if (opts.shape) return new Tensor(data, opts.shape, opts.requiresGrad ?? false);
  return new Tensor(data, shape, opts.requiresGrad ?? false);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
  return new Tensor(allocate(opts.dtype ?? 'float32', sizeOf(shape)), shape, opts.requiresGrad ?? false);
}

/** A tensor filled with one value. */
export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  const t = zeros(shape, opts);
  t.data.fill(value);
  return t;
}

export function ones(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 1, opts);
}
