import { result } from '../autograd/record.js';
import type { ElementwiseActivation } from '../kernels/wasm/elementwise.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import * as fastExp from './fastExp.js';
import { sigmoidFloat32Into } from './sigmoidFloat32.js';
import { checkTensor } from './operand.js';

// Module-local copies of imported bindings (see sigmoidFloat32.ts).
const { tanhFloat32Into, wasmActivations: WASM, WASM_RELU_MIN, WASM_SIGMOID_MIN, WASM_TANH_MIN, WASM_BACKWARD_MIN } = fastExp;

// Activation functions: forward loop, then its derivative. At exactly x = 0 ReLU's slope is 0,
// and LeakyReLU, PReLU and ELU take their negative branch (as PyTorch does). NaN passes through
// every activation and its derivative is the positive branch's, as in PyTorch: a NaN weight shows
// up in the loss instead of being clamped away by ReLU into a silently dead unit.
// Each backward rule returns buffers it has just allocated and keeps none (the `true` after
// it), so a leaf adopts them as its .grad instead of copying.
// Float32 arrays from a few dozen elements up (thresholds in fastExp.ts) go through the
// WebAssembly SIMD kernels (kernels/wasm/elementwise.ts), which give the same bits as the loops here.

/** max(x, 0): `x < 0 ? 0 : x`, so NaN stays NaN and −0 stays −0 (as PyTorch). @example relu(tensor([-1, 0, 2])).toArray(); // [0, 0, 2] */
export function relu(x: Tensor): Tensor {
  checkTensor(x, 'relu');
  const d = x.data;
  const n = d.length;
  let out: TypedArray | null = forwardWasm('relu', d, WASM_RELU_MIN);
  if (out === null) {
    out = allocate(x.dtype, n);
    if (out instanceof Float32Array && n >= BITWISE_MIN) reluBits(int32View(d as Float32Array), int32View(out), n);
    else reluInto(d, out, n);
  }
  const y = out;
  return result(y, x.shape, 'relu', [x], (g) => {
    const fromWasm = backwardWasm('relu', y, g);
    if (fromWasm !== null) return [fromWasm];
    const gx = allocate(x.dtype, n);
    if (gx instanceof Float32Array && g instanceof Float32Array && n >= BITWISE_MIN) {
      reluGradBits(int32View(y as Float32Array), int32View(g), int32View(gx), n);
    } else reluGrad(y, g, gx, n);
    return [gx];
  }, true);
}

// The derivative loops live in plain functions rather than in the backward closures: the
// arrays then sit in registers instead of being reloaded from the closure's context. The fused
// linear op (linear.ts) calls the same functions, so fused and separate gradients agree bit for bit.

/**
 * dst = src < 0 ? +0 : src (NaN and −0 pass), dst may be src. Allocates nothing; the fused linear
 * op clamps with it too, so fused and separate outputs agree bit for bit.
 * @example reluInto(y, y, y.length);
 */
export function reluInto(src: TypedArray, dst: TypedArray, n: number): void {
  for (let i = 0; i < n; i++) dst[i] = src[i]! < 0 ? 0 : src[i]!;
}

/**
 * gx = +0 where y ≤ 0 (y = ±0), else g (NaN included, as PyTorch's threshold_backward), from
 * ReLU's output y. Allocates nothing (the compiled step relies on that); relu's own backward
 * takes the bit-mask loop below on large float32 arrays, whose Int32Array views are objects —
 * same bits.
 * @example reluGrad(y, g, gx, y.length);
 */
export function reluGrad(y: TypedArray, g: TypedArray, gx: TypedArray, n: number): void {
  for (let i = 0; i < n; i++) gx[i] = y[i]! <= 0 ? 0 : g[i]!;
}

/** f(d) into a new array by the SIMD kernels when d is float32 with at least `min` elements, else null. */
function forwardWasm(kind: ElementwiseActivation, d: TypedArray, min: number): Float32Array | null {
  if (WASM === null || d.length < min || !(d instanceof Float32Array)) return null;
  return WASM.forward(kind, d, smallOutput(d.length));
}

/** g·f′ from f's output y into a new array by the SIMD kernels (float32, WASM_BACKWARD_MIN elements or more), else null. */
function backwardWasm(kind: ElementwiseActivation, y: TypedArray, g: TypedArray): Float32Array | null {
  if (WASM === null || y.length < WASM_BACKWARD_MIN || !(y instanceof Float32Array) || !(g instanceof Float32Array)) return null;
  return WASM.backward(kind, y, g, smallOutput(y.length));
}

/**
 * Up to 256 floats, outputs come from allocate() (views into a shared slab, cheaper than a buffer
 * of their own); larger ones are copied out of the kernels' memory with slice(), which writes a
 * fresh buffer once instead of zeroing it first.
 */
function smallOutput(n: number): Float32Array | undefined {
  return n <= 256 ? (allocate('float32', n) as Float32Array) : undefined;
}

// On random signs the branch of `x < 0 ? 0 : x` is mispredicted half the time, which costs
// more than the arithmetic. On float32 bits the choice is a mask instead (bit-identical
// results, NaN and −0 included). Below BITWISE_MIN elements making the views costs more.
const BITWISE_MIN = 128;

function int32View(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

/** out = +0 where x < 0 (−∞ ≤ x < −0), else x (±0, positives, NaN), on the float32 bit patterns. */
function reluBits(x: Int32Array, out: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = x[i]!;
    const magnitude = b & 0x7fffffff;
    // All ones when the sign bit is set (b >> 31), the magnitude is not zero (magnitude − 1
    // ≥ 0) and not a NaN's (≤ +∞'s bits).
    const drop = (b >> 31) & ~((magnitude - 1) >> 31) & ~((0x7f800000 - magnitude) >> 31);
    out[i] = b & ~drop;
  }
}

/** gx = +0 where y is ±0, else g: y is relu's output (±0, positive or NaN), so y ≤ 0 only at zero. */
function reluGradBits(y: Int32Array, g: Int32Array, gx: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) gx[i] = g[i]! & ~(((y[i]! & 0x7fffffff) - 1) >> 31);
}

/** x for x > 0, alpha·x otherwise (alpha 0.01 by default). */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  checkTensor(x, 'leakyRelu');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! > 0 ? d[i]! : alpha * d[i]!;
  return result(out, x.shape, 'leakyRelu', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = d[i]! > 0 ? g[i]! : alpha * g[i]!;
    return [gx];
  }, true);
}

/**
 * LeakyReLU with a learnable slope: `alpha` has shape `[1]` (one slope) or `[features]`
 * (one slope per column of the last axis).
 */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  checkTensor(x, 'prelu');
  checkTensor(alpha, 'prelu', 'alpha');
  const d = x.data;
  const features = x.rank === 0 ? 1 : x.shape[x.rank - 1]!;
  const k = alpha.size;
  if (!(alpha.rank <= 1 && (k === 1 || k === features))) {
    throw new RangeError(
      `prelu: alpha has shape ${formatShape(alpha.shape)}; it must be [1] or [${features}] (one slope per feature) for an input of shape ${formatShape(x.shape)}`,
    );
  }
  const a = alpha.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    out[i] = v > 0 ? v : (k === 1 ? a[0]! : a[i % features]!) * v;
  }
  return result(out, x.shape, 'prelu', [x, alpha], (g) => {
    let gx = null;
    let ga = null;
    if (x.requiresGrad) {
      gx = allocate(x.dtype, d.length);
      for (let i = 0; i < d.length; i++) gx[i] = d[i]! > 0 ? g[i]! : (k === 1 ? a[0]! : a[i % features]!) * g[i]!;
    }
    if (alpha.requiresGrad) {
      ga = allocate(alpha.dtype, k);
      for (let i = 0; i < d.length; i++) if (!(d[i]! > 0)) ga[k === 1 ? 0 : i % features] += d[i]! * g[i]!; // NaN too, as PyTorch
    }
    return [gx, ga];
  }, true);
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (alpha 1 by default). */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkTensor(x, 'elu');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! > 0 ? d[i]! : alpha * Math.expm1(d[i]!);
  return result(out, x.shape, 'elu', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = d[i]! <= 0 ? g[i]! * alpha * Math.exp(d[i]!) : g[i]!; // NaN: g, as PyTorch
    return [gx];
  }, true);
}

/** Logistic function 1/(1 + e⁻ˣ), computed without overflow for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  checkTensor(x, 'sigmoid');
  const d = x.data;
  let out: TypedArray | null = forwardWasm('sigmoid', d, WASM_SIGMOID_MIN);
  if (out === null) {
    out = allocate(x.dtype, d.length);
    if (out instanceof Float32Array && d instanceof Float32Array) sigmoidFloat32Into(d, out);
    else for (let i = 0; i < d.length; i++) out[i] = sigmoidExact(d[i]!);
  }
  const y = out;
  return result(y, x.shape, 'sigmoid', [x], (g) => {
    const fromWasm = backwardWasm('sigmoid', y, g);
    if (fromWasm !== null) return [fromWasm];
    const gx = allocate(x.dtype, d.length);
    sigmoidGrad(y, g, gx, d.length);
    return [gx];
  }, true);
}

// The derivatives compute what PyTorch's CPU kernels compute, in the same order and precision
// (so float32 gradients are bit-identical to torch 1.13's, checked on millions of values):
// sigmoid_backward is g·(1 − y)·y and tanh_backward g·(1 − y²) with 1 − y² fused (one rounding,
// as its FMA), each operation rounded to the array's type. Float32 arrays round every step with
// Math.fround (one float64 operation on float32 operands rounded to float32 is the float32
// operation); the SIMD kernels (assembly/elementwise.ts) do the same in float32 lanes.
const fround = Math.fround;

/** gx = g·σ′ with σ′ = (1 − y)·y from the output y, as torch's sigmoid_backward. @example sigmoidGrad(y, g, gx, y.length); */
export function sigmoidGrad(y: TypedArray, g: TypedArray, gx: TypedArray, n: number): void {
  if (gx instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      gx[i] = fround(g[i]! * fround(1 - v)) * v; // the store rounds the last product
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    gx[i] = g[i]! * (1 - v) * v;
  }
}

/** gx = g·tanh′ with tanh′ = 1 − y² from the output y, as torch's tanh_backward. @example tanhGrad(y, g, gx, y.length); */
export function tanhGrad(y: TypedArray, g: TypedArray, gx: TypedArray, n: number): void {
  if (gx instanceof Float32Array) {
    // v·v of a float32 is exact in float64, so 1 − v·v rounded to float32 is the fused
    // operation's single rounding (up to a float64 tie, which no float32 input produces).
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      gx[i] = g[i]! * fround(1 - v * v);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    gx[i] = g[i]! * (1 - v * v);
  }
}

/** 1/(1 + e⁻ˣ) through Math.exp of a non-positive number, so nothing overflows (float64). @example sigmoidExact(0); // 0.5 */
export function sigmoidExact(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  checkTensor(x, 'tanh');
  const d = x.data;
  let out: TypedArray | null = forwardWasm('tanh', d, WASM_TANH_MIN);
  if (out === null) {
    out = allocate(x.dtype, d.length);
    if (out instanceof Float32Array && d instanceof Float32Array) tanhFloat32Into(d, out);
    else for (let i = 0; i < d.length; i++) out[i] = Math.tanh(d[i]!);
  }
  const y = out;
  return result(y, x.shape, 'tanh', [x], (g) => {
    const fromWasm = backwardWasm('tanh', y, g);
    if (fromWasm !== null) return [fromWasm];
    const gx = allocate(x.dtype, d.length);
    tanhGrad(y, g, gx, d.length);
    return [gx];
  }, true);
}

/** The input itself; its gradient passes through unchanged. */
export function identity(x: Tensor): Tensor {
  checkTensor(x, 'identity');
  return result(x.data, x.shape, 'identity', [x], (g) => [g]);
}
