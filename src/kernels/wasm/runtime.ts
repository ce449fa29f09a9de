import { GEMM_SHARED_WASM_BASE64, GEMM_WASM_BASE64 } from './gemmBinary.js';
import { WasmHeap } from './heap.js';

// Loads the WebAssembly SIMD kernels (assembly/gemm.ts), synchronously at import (the modules
// are a few KB), in Node and in browsers alike. Preferred: the build over SHARED memory, which
// works in Node and in cross-origin-isolated pages; there parameters can live in the module's
// memory (views survive growth) and worker threads can run over the same memory. Otherwise the
// build with private memory (operands are copied in and out), otherwise none (no WebAssembly or
// no SIMD) and the TypeScript kernels run.

/** The kernels' exports (addresses are byte offsets into the module's memory). */
export interface GemmExports {
  heapBase(): number;
  packB(b: number, brs: number, bcs: number, K: number, N: number, out: number): void;
  packA(a: number, ars: number, acs: number, M: number, K: number, out: number): void;
  gemm(ap: number, bp: number, c: number, M: number, K: number, N: number, accumulate: number, bias: number, relu: number): void;
  gemmFewRows(a: number, ars: number, acs: number, b: number, brs: number, c: number, ldc: number, M: number, K: number, N: number, accumulate: number): void;
  // Elementwise activations (assembly/elementwise.ts): n floats, rounded up to a multiple of 4.
  expTableBytes(): number;
  reluF32(src: number, dst: number, n: number): void;
  reluGradF32(y: number, g: number, gx: number, n: number): void;
  sigmoidF32(src: number, dst: number, n: number, consts: number): void;
  sigmoidGradF32(y: number, g: number, gx: number, n: number): void;
  tanhF32(src: number, dst: number, n: number, table: number): void;
  tanhGradF32(y: number, g: number, gx: number, n: number): void;
}

/** One instance of the kernels with its memory and the allocator over that memory. */
export interface WasmRuntime {
  /** The compiled module: a worker instantiates it with `{ env: { memory } }` when `shared`. */
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** True when `memory` is a shared memory (views survive growth; workers can share it). */
  shared: boolean;
  exports: GemmExports;
  heap: WasmHeap;
}

/**
 * Largest shared memories tried, in pages of 64 KiB: 1 GiB first, then 256 MiB. A shared
 * memory cannot move when it grows, so engines reserve address space for its maximum up front:
 * 1 GiB is nothing for 64-bit Node and browsers (V8 reserves more than that for every wasm32
 * memory anyway) yet leaves 32-bit browsers room to fall back. Parameters past the maximum
 * fall back to ordinary arrays.
 */
const SHARED_MAXIMUM_PAGES = [16384, 4096];

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function sharedRuntime(): WasmRuntime | null {
  if (typeof SharedArrayBuffer !== 'function') return null; // pages without cross-origin isolation
  const module = new WebAssembly.Module(decodeBase64(GEMM_SHARED_WASM_BASE64));
  for (const maximum of SHARED_MAXIMUM_PAGES) {
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: 1, maximum, shared: true });
    } catch {
      continue; // cannot reserve this much address space: try smaller
    }
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
    return { module, memory, shared: true, exports, heap: new WasmHeap(memory, exports.heapBase()) };
  }
  return null;
}

function privateRuntime(): WasmRuntime {
  const module = new WebAssembly.Module(decodeBase64(GEMM_WASM_BASE64));
  const instance = new WebAssembly.Instance(module, {});
  const exports = instance.exports as unknown as GemmExports;
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  return { module, memory, shared: false, exports, heap: new WasmHeap(memory, exports.heapBase()) };
}

/**
 * Instantiate the kernels: 'shared' memory, 'private' memory, or 'auto' (shared, else private).
 * Returns null when WebAssembly (or SIMD, or the asked-for kind of memory) is unavailable.
 * Tests use 'private' to exercise the fallback that browsers without isolation take.
 * @example const rt = createWasmRuntime('private'); rt?.shared; // false
 */
export function createWasmRuntime(kind: 'auto' | 'shared' | 'private' = 'auto'): WasmRuntime | null {
  if (typeof WebAssembly !== 'object') return null;
  if (kind !== 'private') {
    try {
      const rt = sharedRuntime();
      if (rt !== null || kind === 'shared') return rt;
    } catch {
      if (kind === 'shared') return null; // no threads feature in this engine
    }
  }
  try {
    return privateRuntime();
  } catch {
    return null; // no SIMD support (validation fails) or WebAssembly disabled
  }
}

/** The kernels every product uses (null when WebAssembly SIMD is unavailable). */
export const wasmRuntime: WasmRuntime | null = createWasmRuntime();
