// The CLI's door to ONNX export: a CLI network (spec + Sequential) as a graph Model, then
// toOnnx. The metadata carries the preprocessing, which toOnnx turns into ops.

import { input, Model, toOnnx } from '../../src/index.js';
import type { Network } from './index.js';

/** The network as a graph Model with its input and output names and its head. */
export function networkModel(network: Network, metadata: Record<string, unknown>): Model {
  const { spec, net } = network;
  const x = input({ name: spec.inputName, features: spec.inputs });
  return new Model({
    inputs: x,
    outputs: { [spec.outputName]: net.apply(x) },
    heads: [{ output: spec.outputName, kind: spec.head }],
    metadata,
  });
}

/** ONNX bytes of a CLI network: raw CSV columns in, answers (probabilities or values in original units) out. */
export function networkToOnnx(network: Network, metadata: Record<string, unknown>): Uint8Array {
  return toOnnx(networkModel(network, metadata));
}
