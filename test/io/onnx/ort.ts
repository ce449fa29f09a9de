import * as ort from 'onnxruntime-web';
import type { Tensor } from '../../../src/index.js';

// Running ONNX bytes in ONNX Runtime (its WebAssembly build, which works in Node as it is).
ort.env.wasm.numThreads = 1;

/** Run a model in ONNX Runtime: inputs by name as [N, d] tensors, outputs as flat arrays with their shapes. */
export async function runOrt(bytes: Uint8Array, inputs: Record<string, Tensor>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
  const results = await session.run(feeds);
  const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
  for (const name of session.outputNames) out[name] = { data: results[name]!.data as Float32Array, dims: results[name]!.dims };
  await session.release();
  return out;
}

/** Largest |a − b| over two equally long arrays (Infinity when the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
