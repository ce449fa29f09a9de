// The CLI's only door into the library: build, train, apply, describe, save and load a network.
// Everything above (commands, reports) talks to these functions, not to src/ directly.

import {
  DivergenceError, Model, ModelFormatError, Tensor, fitAsync, fromBytes, predictAll, sequentialModel,
  toBytes, toDot, toMermaid, toSvg, type ActivationName as LibraryActivation, type EpochLogs, type SequentialHead,
} from '../../src/index.node.js';
import { UserError } from '../errors.js';
import type { ActivationName, EpochReport, Matrix, NetworkSpec, Targets, TrainHistory, TrainSettings } from './spec.js';

export * from './spec.js';

/** A graph Model, with the CLI's description of it when the CLI built it. */
export interface Network {
  readonly spec: NetworkSpec | null;
  readonly model: Model;
}

const ACTIVATION: Record<ActivationName, LibraryActivation> = {
  relu: 'relu', 'leaky-relu': 'leakyRelu', prelu: 'prelu', elu: 'elu', sigmoid: 'sigmoid', tanh: 'tanh',
};

/** A fresh graph Model (Linear → activation → Dropout per hidden layer, then the head) with seeded weights. */
export function buildNetwork(spec: NetworkSpec, l2 = 0): Network {
  const head: SequentialHead = spec.head === 'binary' ? 'binary'
    : spec.head === 'multiclass' ? { kind: 'multiclass', classes: spec.outputs } : { kind: 'regression', outputs: spec.outputs };
  const model = sequentialModel({
    inputs: spec.inputs, hidden: spec.hidden, activation: ACTIVATION[spec.activation], head, dropout: spec.dropout,
    seed: spec.seed, l2, inputName: spec.inputName, outputName: spec.outputName,
  });
  return { spec, model };
}

function toTensor(m: Matrix): Tensor {
  return new Tensor(m.data, [m.rows, m.cols]);
}

function targetTensor(y: Targets): Tensor {
  return 'labels' in y ? new Tensor(Float32Array.from(y.labels), [y.labels.length]) : toTensor(y.values);
}

/**
 * Train in place with src/train's fitAsync (it yields to the event loop, so Ctrl-C and the
 * progress bar get their turn); the returned history feeds the report and the plot.
 */
export async function trainNetwork(
  network: Network, x: Matrix, y: Targets, s: TrainSettings,
  validation: { x: Matrix; y: Targets } | null, onEpoch: (r: EpochReport) => void,
): Promise<TrainHistory> {
  const model = network.model;
  const metricName = model.heads[0]?.kind === 'regression' ? 'r2' : 'accuracy';
  const optimizer = s.optimizer === 'momentum' ? { name: 'sgd' as const, lr: s.lr, momentum: 0.9 } : { name: s.optimizer, lr: s.lr };
  try {
    const h = await fitAsync(model, { x: toTensor(x), y: targetTensor(y) }, {
      epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, optimizer, metrics: [metricName],
      validationData: validation ? { x: toTensor(validation.x), y: targetTensor(validation.y) } : undefined,
      earlyStopping: s.earlyStopping > 0 && validation ? { monitor: 'val.loss', patience: s.earlyStopping, restoreBestWeights: true } : undefined,
      callbacks: {
        onEpochEnd: (logs: EpochLogs) => onEpoch({
          epoch: logs.epoch, epochs: s.epochs, loss: logs.loss, valLoss: logs.valLoss ?? null, valMetric: logs.metrics[`val.${metricName}`] ?? null,
        }),
      },
    });
    model.eval();
    const epochsRun = h.epoch.length;
    return {
      loss: h.loss, valLoss: h.valLoss, valMetric: h.metrics[`val.${metricName}`] ?? [], metricName,
      epochsRun, bestEpoch: h.restoredEpoch ?? epochsRun,
    };
  } catch (err) {
    if (err instanceof DivergenceError) throw new UserError(`training diverged: ${err.message}`);
    throw err;
  }
}

/** Raw outputs (logits or standardised values), row-major [rows, outputs]. */
export function predictRaw(network: Network, x: Matrix): Float32Array {
  const out = predictAll(network.model, toTensor(x), { raw: true });
  return Float32Array.from(out[network.model.outputNames[0]!]!.data);
}

/** The model summary as printed by `sloika summary`. */
export function networkSummary(network: Network): string {
  return network.model.summary();
}

/** The network drawn as SVG, Mermaid or DOT text. */
export function drawNetwork(network: Network, format: 'svg' | 'mermaid' | 'dot'): string {
  if (format === 'svg') return toSvg(network.model);
  return format === 'mermaid' ? toMermaid(network.model) : toDot(network.model);
}

/** The model file's bytes: sloika's model format, with the CLI's data in its metadata. */
export function encodeModel(network: Network, metadata: Record<string, unknown>): Uint8Array {
  return new Uint8Array(toBytes(network.model, { metadata: { ...metadata, ...(network.spec ? { cliNetwork: network.spec } : {}) } }));
}

/** Rebuild a network and its metadata from a model file's bytes. */
export function decodeModel(bytes: Uint8Array, source: string): { network: Network; metadata: Record<string, unknown> } {
  let model: Model;
  try {
    model = fromBytes(bytes);
  } catch (err) {
    if (err instanceof ModelFormatError) {
      const why = err.message.replace(/^cannot load model: /, '');
      throw new UserError(`${source}: ${why}; give a model file written by \`sloika train --out\``);
    }
    throw err;
  }
  const spec = (model.metadata.cliNetwork as NetworkSpec | undefined) ?? null;
  return { network: { spec, model }, metadata: model.metadata };
}
