// The CLI's only door into the library: build, train, apply, describe, save and load a network.
// Everything above (commands, reports) talks to these functions, not to src/ directly.

import type { Sequential } from '../../src/index.js';
import { UserError } from '../errors.js';
import { buildSequential, fitSequential, predictSequential } from './eager.js';
import type { EpochReport, Matrix, NetworkSpec, Targets, TrainHistory, TrainSettings } from './spec.js';

export * from './spec.js';

export interface Network {
  readonly spec: NetworkSpec;
  readonly net: Sequential;
}

/** A fresh network with seeded weights. */
export function buildNetwork(spec: NetworkSpec): Network {
  return { spec, net: buildSequential(spec) };
}

/** Train in place; the returned history feeds the report and the plot. */
export function trainNetwork(
  network: Network, x: Matrix, y: Targets, settings: TrainSettings,
  validation: { x: Matrix; y: Targets } | null, onEpoch: (r: EpochReport) => void,
): Promise<TrainHistory> {
  return fitSequential(network.net, network.spec, x, y, settings, validation, onEpoch);
}

/** Raw outputs (logits or standardised values), row-major [rows, outputs]. */
export function predictRaw(network: Network, x: Matrix): Float32Array {
  return predictSequential(network.net, x);
}

/** The model summary as printed by `sloika summary`. */
export function networkSummary(network: Network): string {
  const lines = [`input ${network.spec.inputName}: [N, ${network.spec.inputs}]`];
  let total = 0;
  for (const layer of network.net.layers) {
    const count = layer.parameterCount();
    total += count;
    lines.push(`${layer.constructor.name} params ${count}`);
  }
  lines.push(`trainable parameters: ${total}`);
  return lines.join('\n');
}

const FORMAT = 'sloika-cli-model';

/** The model file's bytes: architecture, weights and the CLI's metadata. */
export function encodeModel(network: Network, metadata: Record<string, unknown>): Uint8Array {
  const weights = network.net.parameters().map((p) => Array.from(p.data));
  return Buffer.from(JSON.stringify({ format: FORMAT, version: 1, spec: network.spec, weights, metadata }));
}

/** Rebuild a network and its metadata from a model file's bytes. */
export function decodeModel(bytes: Uint8Array, source: string): { network: Network; metadata: Record<string, unknown> } {
  let obj: { format?: string; spec?: NetworkSpec; weights?: number[][]; metadata?: Record<string, unknown> };
  try {
    obj = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new UserError(`${source} is not a sloika model (not a model file); give a file written by \`sloika train --out\``);
  }
  if (obj?.format !== FORMAT || !obj.spec || !obj.weights || !obj.metadata) {
    throw new UserError(`${source} is not a sloika model; give a file written by \`sloika train --out\``);
  }
  const network = buildNetwork(obj.spec);
  network.net.parameters().forEach((p, i) => p.data.set(obj.weights![i]!));
  return { network, metadata: obj.metadata };
}

/** The network drawn as SVG, Mermaid or DOT text. */
export function drawNetwork(network: Network, format: 'svg' | 'mermaid' | 'dot'): string {
  const widths = [network.spec.inputs, ...network.spec.hidden, network.spec.outputs];
  if (format === 'mermaid') return `graph LR\n${widths.slice(1).map((w, i) => `  l${i}[${widths[i]}] --> l${i + 1}[${w}]`).join('\n')}\n`;
  if (format === 'dot') return `digraph sloika {\n${widths.slice(1).map((w, i) => `  l${i} -> l${i + 1};`).join('\n')}\n}\n`;
  return `<svg xmlns="http://www.w3.org/2000/svg"></svg>\n`;
}
