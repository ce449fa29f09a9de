import { ScratchBlock } from './wasm/heap.js';
import { wasmRuntime } from './wasm/runtime.js';

// Parameters that live in the WebAssembly module's memory: the matmul kernels read them in place
// instead of copying 1.6 MB of weights per product. Only with SHARED memory, whose growth never
// detaches a view; with private memory (browsers without cross-origin isolation) or without
// WebAssembly these are ordinary arrays and the kernels copy, as before.
//
// A resident block is freed when its array is garbage-collected. Keep the array itself, not only
// a subarray or a view built on its .buffer: those do not keep the block alive.

const heap = wasmRuntime?.shared ? wasmRuntime.heap : null;
const finalizer = heap ? new FinalizationRegistry<number>((address) => heap.release(address)) : null;

/**
 * A zero-filled Float32Array of `length` in the kernels' shared memory when there is one (else an
 * ordinary array): products that use it as an operand read it where it is.
 * @example const w = allocateResident(784 * 512); w.length; // 401408
 */
export function allocateResident(length: number): Float32Array {
  if (heap === null || length === 0) return new Float32Array(length);
  let address: number;
  try {
    address = heap.alloc(length * 4);
  } catch {
    return new Float32Array(length); // past the memory's maximum
  }
  const view = heap.f32();
  const out = new Float32Array(view.buffer, address, length);
  out.fill(0); // a reused block holds an earlier array's values
  finalizer!.register(out, address);
  return out;
}

/** Whether `x` lives in the kernels' memory (products pass it by address, without a copy). */
export function isResident(x: ArrayBufferView): boolean {
  return heap !== null && heap.owns(x.buffer);
}

/** Whether parameters can live in the kernels' memory here (shared WebAssembly memory available). */
export function residencyAvailable(): boolean {
  return heap !== null;
}

/**
 * Storage for a parameter: float32 goes to the kernels' memory when it can (see allocateResident),
 * float64 (gradcheck, references) is an ordinary array. Zero-filled.
 * @example const bias = allocateParameter('float32', 10);
 */
export function allocateParameter(dtype: 'float32' | 'float64', length: number): Float32Array | Float64Array {
  return dtype === 'float32' ? allocateResident(length) : new Float64Array(length);
}

/** Two reusable blocks for the hidden activations of an inference pass (see interimBuffer), and their last views. */
const interim = heap ? [new ScratchBlock(heap, 1), new ScratchBlock(heap, 1)] : null;
const interimViews: (Float32Array | null)[] = [null, null];

/**
 * A Float32Array of `length` in the kernels' memory, reused by every call with the same `slot`
 * (0 or 1), contents garbage; null where parameters cannot live there. For the hidden
 * activations of a pass that records nothing (Sequential's inference): layer i writes slot i mod
 * 2 and layer i + 1 reads it in place, instead of a fresh array copied out of and back into the
 * kernels' memory for every layer. The caller must drop the array before the slot's next use.
 * @example const h = interimBuffer(0, 1024 * 512); // valid until interimBuffer(0, …) again
 */
export function interimBuffer(slot: 0 | 1, length: number): Float32Array | null {
  if (interim === null) return null;
  const at = interim[slot]!.reserve(length * 4);
  if (at < 0) return null; // past the memory's maximum: ordinary arrays
  let view = interimViews[slot] ?? null;
  if (view === null || view.byteOffset !== at || view.length !== length) interimViews[slot] = view = new Float32Array(heap!.f32().buffer, at, length);
  return view;
}
