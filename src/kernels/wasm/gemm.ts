import { GEMM_WASM_BASE64 } from './gemmBinary.js';

// Loader and driver of the WebAssembly SIMD matmul (assembly/gemm.ts). The module is tiny
// (< 2 KB), so it is compiled synchronously at import, in Node and in browsers alike. When the
// runtime lacks WebAssembly or SIMD, `wasmGemm` is null and the TypeScript kernels run instead.

interface GemmExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  packB(b: number, brs: number, bcs: number, K: number, N: number, out: number): void;
  packA(a: number, ars: number, acs: number, M: number, K: number, out: number): void;
  gemm(ap: number, bp: number, c: number, M: number, K: number, N: number, accumulate: number): void;
  gemmFewRows(a: number, ars: number, acs: number, b: number, brs: number, c: number, M: number, K: number, N: number, accumulate: number): void;
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function instantiate(): GemmExports | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const module = new WebAssembly.Module(decodeBase64(GEMM_WASM_BASE64));
    return new WebAssembly.Instance(module, {}).exports as unknown as GemmExports;
  } catch {
    return null; // no SIMD support (validation fails) or WebAssembly disabled
  }
}

const wasm = instantiate();
const base = wasm ? (wasm.heapBase() + 15) & ~15 : 0;
let heap = wasm ? new Float32Array(wasm.memory.buffer) : new Float32Array(0);

/** Make the module's memory hold `bytes` past the heap base; returns the float view. */
function reserve(bytes: number): Float32Array {
  const need = base + bytes;
  const have = wasm!.memory.buffer.byteLength;
  if (need > have) {
    wasm!.memory.grow(Math.ceil((need - have) / 65536));
    heap = new Float32Array(wasm!.memory.buffer);
  }
  return heap;
}

const align4 = (n: number): number => (n + 3) & ~3;
/** Up to this many rows of A, products skip packing (each row streams op(B) once). */
const FEW_ROWS = 2; // floats, so that every region is 16-byte aligned

/**
 * c[M,N] = op(A)·op(B) (or += with `accumulate`) in WebAssembly SIMD, float32 only. Strides as in
 * `gemm` (op(A)[i,k] = a[i·ars + k·acs]). The operands are copied in and the result out: linear
 * memory is private to the module.
 */
function runWasmGemm(
  a: Float32Array, ars: number, acs: number,
  b: Float32Array, brs: number, bcs: number,
  c: Float32Array, M: number, K: number, N: number, accumulate: boolean,
): void {
  const aOff = base >> 2;
  const bOff = aOff + align4(a.length);
  if (M <= FEW_ROWS && bcs === 1) {
    // Batch-1 inference: stream the weights once, unpacked.
    const cOff = bOff + align4(b.length);
    const h = reserve((cOff - aOff + M * N) * 4);
    h.set(a, aOff);
    h.set(b, bOff);
    if (accumulate) h.set(c.length === M * N ? c : c.subarray(0, M * N), cOff);
    wasm!.gemmFewRows(aOff << 2, ars, acs, bOff << 2, brs, cOff << 2, M, K, N, accumulate ? 1 : 0);
    c.set(h.subarray(cOff, cOff + M * N));
    return;
  }
  const paOff = bOff + align4(b.length);
  const pbOff = paOff + Math.ceil(M / 4) * 4 * K;
  const cOff = pbOff + Math.ceil(N / 8) * 8 * K;
  const h = reserve((cOff - aOff + M * N) * 4);
  h.set(a, aOff);
  h.set(b, bOff);
  if (accumulate) h.set(c.length === M * N ? c : c.subarray(0, M * N), cOff);
  wasm!.packA(aOff << 2, ars, acs, M, K, paOff << 2);
  wasm!.packB(bOff << 2, brs, bcs, K, N, pbOff << 2);
  wasm!.gemm(paOff << 2, pbOff << 2, cOff << 2, M, K, N, accumulate ? 1 : 0);
  c.set(h.subarray(cOff, cOff + M * N));
}

/** The SIMD kernel, or null where WebAssembly SIMD is unavailable. */
export const wasmGemm: typeof runWasmGemm | null = wasm ? runWasmGemm : null;
