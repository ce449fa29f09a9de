import { createRequire } from 'node:module';
import type { MlpData } from '../data.js';
import type { MlpSpec } from '../spec.js';
import type { Engine } from './engine.js';

// synaptic and brain.js train one sample at a time (no batches), so one W1 "step" here is
// `batch` single-sample forward+backward+update calls: the same samples per step as sloika.
// Their nets use their own initialisation (neither exposes a weight matrix to set).

const require = createRequire(import.meta.url);

function samples(spec: MlpSpec, data: MlpData): { input: Float32Array; output: Float32Array }[] {
  const d = spec.sizes[0]!;
  const out: { input: Float32Array; output: Float32Array }[] = [];
  const k = spec.sizes[spec.sizes.length - 1]!;
  for (let r = 0; r < spec.samples; r++) {
    const output = new Float32Array(k);
    if (k === 1) output[0] = data.labels[r]!;
    else output[data.labels[r]!] = 1; // one-hot for the multi-class workloads
    out.push({ input: data.x.slice(r * d, (r + 1) * d), output });
  }
  return out;
}

export const synapticEngine: Engine = {
  name: 'synaptic',
  async init() {
    try {
      require('synaptic');
      return null;
    } catch {
      return 'synaptic is not installed';
    }
  },
  trainer(spec, data) {
    if (spec.sizes.length !== 4 || spec.activation !== 'tanh') return null; // W1 only: per-neuron objects are far too slow for W2/W3
    const synaptic = require('synaptic');
    const [a, b, c, d] = spec.sizes;
    const net = new synaptic.Architect.Perceptron(a, b, c, d);
    // Hidden layers tanh; the output neuron stays logistic, whose error (target − output) is the log-loss gradient.
    for (const layer of net.layers.hidden) for (const n of layer.list) n.squash = synaptic.Neuron.squash.TANH;
    const rows = samples(spec, data).map((s) => ({ input: Array.from(s.input), output: Array.from(s.output) }));
    let k = 0;
    return () => {
      for (let s = 0; s < spec.steps; s++) {
        for (let i = 0; i < spec.batch; i++) {
          const row = rows[k++ % rows.length]!;
          net.activate(row.input);
          net.propagate(spec.lr, row.output);
        }
      }
    };
  },
};

export const brainEngine: Engine = {
  name: 'brain.js',
  async init() {
    try {
      require('brain.js');
      return null;
    } catch {
      return 'brain.js is not installed';
    }
  },
  trainer(spec, data) {
    if (spec.sizes[0]! > 100) return null; // W3's 784-wide net takes minutes one sample at a time
    const brain = require('brain.js');
    const net = new brain.NeuralNetwork({ hiddenLayers: spec.sizes.slice(1, -1), activation: spec.activation, learningRate: spec.lr });
    net.sizes = spec.sizes.slice();
    net.initialize();
    const rows = samples(spec, data);
    let k = 0;
    return () => {
      for (let s = 0; s < spec.steps; s++) {
        for (let i = 0; i < spec.batch; i++) net.trainPattern(rows[k++ % rows.length]!);
      }
    };
  },
};
