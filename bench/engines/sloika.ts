import {
  Adam, bceWithLogitsLoss, compileStep, crossEntropyLoss, Linear, matmul, noGrad, ReLU, relu, Sequential, SGD, sigmoid, Tanh, tanh, Tensor,
  type Module, type Optimizer,
} from '../../src/index.node.js';
import type { MlpData } from '../data.js';
import type { MlpSpec } from '../spec.js';
import type { Engine } from './engine.js';

/** An MLP with the given weights copied in (sloika stores W as [in, out], as the data does). */
function buildNet(sizes: number[], weights: Float32Array[], biases: Float32Array[], activation: 'tanh' | 'relu'): Sequential {
  const layers: Module[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const lin = new Linear(sizes[l]!, sizes[l + 1]!, { seed: l });
    // Copy into the layer's own storage (as a user loading weights would): it may live in the
    // WebAssembly kernels' memory, where products read it without copying.
    lin.weight.data.set(weights[l]!);
    lin.bias!.data.set(biases[l]!);
    layers.push(lin);
    if (l + 2 < sizes.length) layers.push(activation === 'tanh' ? new Tanh() : new ReLU());
  }
  return new Sequential(...layers);
}

/** The data set cut into the batches the loop cycles over, built once up front. */
function batches(spec: MlpSpec, data: MlpData): { x: Tensor; y: Tensor | Int32Array }[] {
  const d = spec.sizes[0]!;
  const out: { x: Tensor; y: Tensor | Int32Array }[] = [];
  for (let r = 0; r + spec.batch <= spec.samples; r += spec.batch) {
    const x = new Tensor(data.x.slice(r * d, (r + spec.batch) * d), [spec.batch, d]);
    const labels = data.labels.slice(r, r + spec.batch);
    out.push({ x, y: spec.loss === 'bceWithLogits' ? new Tensor(Float32Array.from(labels), [spec.batch, 1]) : labels });
  }
  return out;
}

function optimizerFor(spec: MlpSpec, net: Module): Optimizer<any> {
  return spec.optimizer === 'sgd' ? new SGD(net.parameters(), { lr: spec.lr }) : new Adam(net.parameters(), { lr: spec.lr });
}

export const sloikaEngine: Engine = {
  name: 'sloika',
  async init() {
    return null;
  },
  trainer(spec, data) {
    const net = buildNet(spec.sizes, data.weights, data.biases, spec.activation);
    const opt = optimizerFor(spec, net);
    const bs = batches(spec, data);
    let k = 0;
    return () => {
      for (let s = 0; s < spec.steps; s++) {
        const b = bs[k++ % bs.length]!;
        opt.zeroGrad();
        const logits = net.forward(b.x);
        const loss = spec.loss === 'bceWithLogits' ? bceWithLogitsLoss(logits, b.y as Tensor) : crossEntropyLoss(logits, b.y as Int32Array);
        loss.backward();
        opt.step();
      }
    };
  },
  inference(spec, data, batch, calls) {
    const net = buildNet(spec.sizes, data.weights, data.biases, 'relu');
    const d = spec.sizes[0]!;
    const x = new Tensor(data.x.slice(0, batch * d), [batch, d]);
    return () => {
      noGrad(() => {
        for (let c = 0; c < calls; c++) net.forward(x);
      });
    };
  },
  activation(kind, data) {
    const x = new Tensor(data, [data.length], true);
    const g = new Tensor(new Float32Array(data.length).fill(1), [data.length]);
    const f = kind === 'relu' ? relu : kind === 'sigmoid' ? sigmoid : tanh;
    return () => {
      x.grad = null;
      f(x).backward(g);
    };
  },
  matmul(n, a, b, repeat) {
    const ta = new Tensor(a, [n, n]);
    const tb = new Tensor(b, [n, n]);
    return () => {
      noGrad(() => {
        for (let i = 0; i < repeat; i++) matmul(ta, tb);
      });
    };
  },
};

/**
 * The same training workloads through compileStep: the step compiled to reused buffers (no
 * tensors, no tape, no allocation per step), with the same weights and updates as 'sloika'.
 */
export const sloikaStepEngine: Engine = {
  name: 'sloika-step',
  async init() {
    return null;
  },
  trainer(spec, data) {
    const net = buildNet(spec.sizes, data.weights, data.biases, spec.activation);
    const train = compileStep(net, { loss: spec.loss, optimizer: optimizerFor(spec, net), batchSize: spec.batch });
    const bs = batches(spec, data);
    let k = 0;
    return () => {
      for (let s = 0; s < spec.steps; s++) {
        const b = bs[k++ % bs.length]!;
        train.run(b.x, b.y);
      }
    };
  },
};
