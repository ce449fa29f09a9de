// The CLI's door to ONNX export: the CLI network's graph Model carrying the CLI metadata,
// which toOnnx turns into preprocessing ops.

import { toOnnx, type Model } from '../../src/index.js';
import type { Network } from './index.js';

/** The network's Model with `metadata` attached (its preprocessing travels into the ONNX file). */
export function networkModel(network: Network, metadata: Record<string, unknown>): Model {
  network.model.metadata = metadata;
  return network.model;
}

/** ONNX bytes of a CLI network: raw CSV columns in, answers (probabilities or values in original units) out. */
export function networkToOnnx(network: Network, metadata: Record<string, unknown>): Uint8Array {
  return toOnnx(networkModel(network, metadata));
}
