import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { MlpData } from '../data.js';
import type { MlpSpec } from '../spec.js';
import type { Engine } from './engine.js';

// TensorFlow.js with its pure-JS `cpu` backend or its `wasm` backend (XNNPACK, SIMD when the
// runtime has it). Training uses raw ops + an optimizer's minimize(), the leanest TF.js path.

let wasmReady: Promise<boolean> | null = null;
let simd = false;

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm' && wasmReady === null) {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(dist + path.sep);
    wasmReady = tf.setBackend('wasm');
    await wasmReady;
    simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  }
  await tf.setBackend(name);
  await tf.ready();
}

function mlp(sizes: number[], weights: Float32Array[], biases: Float32Array[]): { ws: tf.Variable[]; bs: tf.Variable[] } {
  const ws: tf.Variable[] = [];
  const bs: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    ws.push(tf.variable(tf.tensor2d(weights[l]!, [sizes[l]!, sizes[l + 1]!])));
    bs.push(tf.variable(tf.tensor1d(biases[l]!)));
  }
  return { ws, bs };
}

function forward(x: tf.Tensor2D, ws: tf.Variable[], bs: tf.Variable[], activation: 'tanh' | 'relu'): tf.Tensor2D {
  let h = x;
  for (let l = 0; l < ws.length; l++) {
    h = tf.add(tf.matMul(h, ws[l] as tf.Tensor2D), bs[l]!);
    if (l + 1 < ws.length) h = activation === 'tanh' ? tf.tanh(h) : tf.relu(h);
  }
  return h;
}

function batches(spec: MlpSpec, data: MlpData): { x: tf.Tensor2D; y: tf.Tensor2D }[] {
  const d = spec.sizes[0]!;
  const k = spec.sizes[spec.sizes.length - 1]!;
  const out: { x: tf.Tensor2D; y: tf.Tensor2D }[] = [];
  for (let r = 0; r + spec.batch <= spec.samples; r += spec.batch) {
    const x = tf.tensor2d(data.x.slice(r * d, (r + spec.batch) * d), [spec.batch, d]);
    const labels = data.labels.slice(r, r + spec.batch);
    const y = spec.loss === 'bceWithLogits' ? tf.tensor2d(Float32Array.from(labels), [spec.batch, 1]) : tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat();
    out.push({ x, y: y as tf.Tensor2D });
  }
  return out;
}

export function tfjsEngine(backend: 'cpu' | 'wasm'): Engine {
  return {
    name: `TF.js ${backend}`,
    async init() {
      try {
        await useBackend(backend);
        if (backend === 'wasm' && !simd) return 'wasm backend loaded without SIMD';
        return null;
      } catch (e) {
        return `TF.js ${backend} backend failed to load: ${(e as Error).message}`;
      }
    },
    async enter() {
      // The cpu and wasm engines share TF.js's one current backend; a tensor lives in the
      // backend it was made under, so units are made and run under their own.
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
    },
    trainer(spec, data) {
      const { ws, bs } = mlp(spec.sizes, data.weights, data.biases);
      const opt = spec.optimizer === 'sgd' ? tf.train.sgd(spec.lr) : tf.train.adam(spec.lr);
      const bsx = batches(spec, data);
      const vars = [...ws, ...bs];
      let k = 0;
      return () => {
        for (let s = 0; s < spec.steps; s++) {
          const b = bsx[k++ % bsx.length]!;
          opt.minimize(
            () => {
              const logits = forward(b.x, ws, bs, spec.activation);
              return spec.loss === 'bceWithLogits' ? tf.losses.sigmoidCrossEntropy(b.y, logits) : tf.losses.softmaxCrossEntropy(b.y, logits);
            },
            false,
            vars,
          );
        }
        ws[0]!.dataSync(); // wait for the last update
      };
    },
    inference(spec, data, batch, calls) {
      const { ws, bs } = mlp(spec.sizes, data.weights, data.biases);
      const d = spec.sizes[0]!;
      const x = tf.tensor2d(data.x.slice(0, batch * d), [batch, d]);
      return () => {
        for (let c = 0; c < calls; c++) {
          const y = tf.tidy(() => forward(x, ws, bs, 'relu'));
          y.dataSync();
          y.dispose();
        }
      };
    },
    activation(kind, data) {
      const x = tf.tensor1d(data);
      const dy = tf.onesLike(x);
      const f = kind === 'relu' ? tf.relu : kind === 'sigmoid' ? tf.sigmoid : tf.tanh;
      const grad = tf.grad((t: tf.Tensor) => f(t));
      return () => {
        const g = grad(x, dy);
        g.dataSync();
        g.dispose();
      };
    },
    matmul(n, a, b, repeat) {
      const ta = tf.tensor2d(a, [n, n]);
      const tb = tf.tensor2d(b, [n, n]);
      return () => {
        for (let i = 0; i < repeat; i++) {
          const c = tf.matMul(ta, tb);
          c.dataSync();
          c.dispose();
        }
      };
    },
  };
}
