import { ScratchBlock } from './heap.js';
import { isGradientKernel, type ElementwiseKernel, type ElementwiseKernels } from './helperProtocol.js';
import { parallelElementwise } from './parallel.js';
import type { WasmRuntime } from './runtime.js';

// Driver of the elementwise activation kernels (assembly/elementwise.ts): copies the operands
// into a scratch block of the module's memory, runs the kernel there, and copies the result out.
// Copying in is cheap (a memcpy, ~0.2 ms per million floats); copying out with `slice` gives a
// fresh array without the page faults that first writes into a new large Float32Array cost
// (~2.5 ms per million floats), so the copies cost less than the JavaScript loops they replace.

export type ElementwiseActivation = 'relu' | 'sigmoid' | 'tanh';

/** The kernels over one runtime; every method returns null (or false) when the operands do not fit in the module's memory. */
export interface WasmElementwise {
  /** f(src) written into `out` (may be src itself) and returned, or into a fresh array without `out`. */
  forward(kind: ElementwiseActivation, src: Float32Array, out?: Float32Array): Float32Array | null;
  /**
   * g·f′ from f's output y, written into `out` or a fresh array. When y is the array `forward`
   * last returned, its values are read from where forward computed them (no copy): ops' outputs
   * are not written into after the op returns them.
   */
  backward(kind: ElementwiseActivation, y: Float32Array, g: Float32Array, out?: Float32Array): Float32Array | null;
}

const align4 = (n: number): number => (n + 3) & ~3; // kernels run over whole v128s

/**
 * out = h[from … from + out.length). Short arrays by a loop: set(subarray) would allocate a view
 * object per call, and a compiled training step of a small network must allocate nothing.
 */
function copyOut(h: Float32Array, from: number, out: Float32Array): void {
  const n = out.length;
  if (n > 1024) out.set(h.subarray(from, from + n));
  else for (let i = 0; i < n; i++) out[i] = h[from + i]!;
}

/**
 * The driver over `rt`, with the constants the kernels read (from ops/fastExp.ts, so the kernels
 * compute with the same numbers as the TypeScript loops): `expTable`, the f64 block of the tanh
 * kernel ([INV_STEP, STEP_HI, STEP_LO, ROUNDER, 2^(j/256) for j < 256, 2^k for |k| ≤ 128]), and
 * `sigmoidConstants`, the 16 v128 constants of the sigmoid kernel (see assembly/elementwise.ts).
 * @example const ew = createWasmElementwise(createWasmRuntime('private')!, expTable, sigmoidConstants); ew.forward('relu', Float32Array.of(-1, 2)); // [0, 2]
 */
export function createWasmElementwise(rt: WasmRuntime, expTable: Float64Array, sigmoidConstants: Float32Array): WasmElementwise {
  const { exports: k, heap } = rt;
  const kernels = k as unknown as ElementwiseKernels;
  if (expTable.byteLength !== k.expTableBytes() || sigmoidConstants.length !== 64) {
    throw new Error(`createWasmElementwise: got an exp table of ${expTable.byteLength} bytes and ${sigmoidConstants.length} sigmoid constants; the kernels read ${k.expTableBytes()} bytes and 64 (16 v128)`);
  }
  const table = heap.alloc(expTable.byteLength);
  const consts = heap.alloc(sigmoidConstants.byteLength); // 16-byte aligned
  new Float64Array(rt.memory.buffer, table, expTable.length).set(expTable);
  new Float32Array(rt.memory.buffer, consts, sigmoidConstants.length).set(sigmoidConstants);
  // Scratch layout: [input, then f's output, in place][g, then the gradient, in place], each
  // padded to whole v128s. Forward reserves both halves, so the backward that usually follows
  // finds f's output still there (`kept`) and does not copy it back in.
  const scratch = new ScratchBlock(heap, 1.25);
  let scratchAt = -1;
  /** The array forward last returned, while its values still sit at the start of the scratch block. */
  let kept: Float32Array | null = null;

  /** Byte address of a scratch block of at least `bytes`, or -1 past the memory's maximum. */
  function reserve(bytes: number): number {
    const at = scratch.reserve(bytes);
    if (at !== scratchAt) kept = null; // a new block: what forward left is elsewhere
    scratchAt = at;
    return at;
  }

  /** Copy src into the scratch block and run f in place there; the float index of the result, or -1. */
  function run(kind: ElementwiseActivation, src: Float32Array): number {
    const n = src.length;
    const at = reserve(2 * align4(n) * 4);
    if (at < 0) return -1;
    kept = null;
    heap.f32().set(src, at >> 2); // after reserve: growing private memory detaches older views
    if (kind === 'relu') runKernel('reluF32', at, 0, at, n, 0);
    else if (kind === 'sigmoid') runKernel('sigmoidF32', at, 0, at, n, consts);
    else runKernel('tanhF32', at, 0, at, n, table);
    return at >> 2;
  }

  /** One kernel over n floats, shared with the helper threads when that is faster (parallel.ts). */
  function runKernel(name: ElementwiseKernel, src: number, g: number, dst: number, n: number, aux: number): void {
    if (rt.shared && parallelElementwise(rt, name, src, g, dst, n, aux)) return;
    if (isGradientKernel(name)) kernels[name](src, g, dst, n);
    else kernels[name](src, dst, n, aux);
  }

  return {
    forward(kind, src, out) {
      const i = run(kind, src);
      if (i < 0) return null;
      const h = heap.f32();
      let y: Float32Array;
      if (out === undefined) y = h.slice(i, i + src.length);
      else copyOut(h, i, (y = out));
      kept = y;
      return y;
    },
    backward(kind, y, g, out) {
      const n = y.length;
      const padded = align4(n) * 4;
      const reused = kept === y;
      const at = reserve(2 * padded); // drops `kept` when the block moves
      if (at < 0) return null;
      const gAt = at + padded;
      const h = heap.f32();
      if (!(reused && kept === y)) {
        h.set(y, at >> 2);
        kept = null;
      }
      h.set(g.length === n ? g : g.subarray(0, n), gAt >> 2);
      runKernel(kind === 'relu' ? 'reluGradF32' : kind === 'sigmoid' ? 'sigmoidGradF32' : 'tanhGradF32', at, gAt, gAt, n, 0);
      if (out === undefined) return h.slice(gAt >> 2, (gAt >> 2) + n);
      copyOut(h, gAt >> 2, out);
      return out;
    },
  };
}
