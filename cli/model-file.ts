// Model files as the CLI writes them: the network plus the preprocessing in its metadata.

import { readFileSync, statSync } from 'node:fs';
import { networkWidths, type Preprocessing } from '../src/data/preprocess.js';
import { tabularPreprocessing } from '../src/train/tabular.js';
import { decodeModel, encodeModel, type Network } from './engine/index.js';
import { UserError } from './errors.js';
import { writeFileAtomic } from './files.js';

/** What `sloika train` stores beside the weights. */
export interface CliMetadata {
  preprocessing: Preprocessing;
  /** How it was trained, for `summary` (options, data file, task reason). */
  training: Record<string, unknown>;
}

export interface LoadedModel {
  network: Network;
  metadata: Record<string, unknown>;
  /** Present when the model was written by `sloika train`. */
  preprocessing: Preprocessing | null;
}

/** Write the model atomically (temp file + rename). */
export function saveModelFile(path: string, network: Network, metadata: CliMetadata): void {
  writeFileAtomic(path, encodeModel(network, { sloikaCli: metadata }));
}

/** Read a model file, or explain in one line why it is not one. */
export function loadModelFile(path: string): LoadedModel {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new UserError(`${path} is a folder; give the model file written by \`sloika train --out\``);
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path}: no such model file; check the path (train one with \`sloika train DATA.csv --target COL --out ${path}\`)`);
    throw new UserError(`${path}: cannot read the model file (${(err as Error).message})`);
  }
  if (bytes.length === 0) throw new UserError(`${path} is empty, not a sloika model; train one with \`sloika train\``);
  const { network, metadata } = decodeModel(bytes, path);
  return { network, metadata, preprocessing: tabularPreprocessing({ metadata }) };
}

/** The preprocessing, or a clear error for a model that was not trained by the CLI. */
export function requirePreprocessing(model: LoadedModel, path: string, command: string): Preprocessing {
  const prep = model.preprocessing;
  if (!prep) {
    throw new UserError(`${path} is a sloika model without CSV preprocessing (not written by \`sloika train\`); \`sloika ${command}\` needs a model trained on a CSV file`);
  }
  const m = model.network.model;
  const widths = networkWidths(prep);
  const fits = m.inputNames.length === 1 && m.outputNames.length === 1
    && m.inputFeatures(m.inputNames[0]!) === widths.inputs && m.outputFeatures(m.outputNames[0]!) === widths.outputs;
  if (!fits) {
    throw new UserError(`${path}: the stored preprocessing (${widths.inputs} inputs → ${widths.outputs} outputs) does not match the network; the file was altered — train the model again`);
  }
  return prep;
}
