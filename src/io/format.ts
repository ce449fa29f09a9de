import type { LayerConfig } from '../nn/registry.js';
import type { HeadSpec } from '../graph/types.js';

// The saved form of a model: an architecture as versioned JSON plus one little-endian
// buffer of weights. Version 1 is described field by field in README "Saving and loading".

export const FORMAT_NAME = 'sloika-model';
export const FORMAT_VERSION = 1;

/** Where one parameter's values sit in the weights buffer. */
export interface WeightEntry {
  /** The layer's field: 'weight', 'bias', 'alpha'. */
  name: string;
  shape: number[];
  /** Byte offset in the weights buffer. */
  offset: number;
}

export interface LayerJson {
  name: string;
  kind: string;
  config: LayerConfig;
  weights: WeightEntry[];
}

export type NodeJson =
  | { name: string; op: 'input'; features: number }
  | { name: string; op: 'layer'; layer: string; inputs: [string]; features: number }
  | { name: string; op: 'concat'; inputs: string[]; features: number };

export interface ModelJson {
  format: typeof FORMAT_NAME;
  version: number;
  inputs: string[];
  /** Output name → node name. */
  outputs: Record<string, string>;
  nodes: NodeJson[];
  layers: LayerJson[];
  heads: HeadSpec[];
  weights: { dtype: 'float32' | 'float64'; byteOrder: 'little-endian'; byteLength: number };
  /** Free JSON: the CLI keeps its preprocessing here. */
  metadata: Record<string, unknown>;
}

/** A model ready to store: the architecture and the weights. */
export interface SerializedModel {
  json: ModelJson;
  weights: ArrayBuffer;
}

/** Every failure to read a model: one line that says what is wrong and where. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
  constructor(message: string) {
    super(`cannot load model: ${message}`);
  }
}
