// Node-only helpers, exported as 'sloika/node': saving and loading models as files.
// Everything else in sloika runs in the browser too; only this file touches the file system.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Model } from './graph/model.js';
import { fromBytes, toBytes } from './io/bytes.js';
import { deserialize } from './io/deserialize.js';
import { ModelFormatError } from './io/format.js';
import { serialize } from './io/serialize.js';

/** The file names inside a model directory. */
export const ARCHITECTURE_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Writes all bytes to an open file descriptor (replaceable in tests to simulate a crash). */
export type ByteWriter = (fd: number, bytes: Uint8Array) => void;

const writeAll: ByteWriter = (fd, bytes) => {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
};

/**
 * Write a file atomically: to a temporary file beside it, flushed, then renamed over the
 * target. A crash or an error part-way leaves the previous file as it was.
 * @example writeFileAtomic('model.sloika', new Uint8Array(toBytes(model)));
 */
export function writeFileAtomic(file: string, bytes: Uint8Array, write: ByteWriter = writeAll): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w');
    write(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

export interface SaveOptions {
  /** 'file' (default): one binary file; 'directory': model.json + weights.bin in a folder. */
  format?: 'file' | 'directory';
  /** Replaces the model's metadata in the saved copy. */
  metadata?: Record<string, unknown>;
}

/**
 * Save a model without code: one file (default) or a directory of model.json + weights.bin.
 * Each file is written atomically.
 * @example saveModel(model, 'spirals.sloika'); const again = loadModel('spirals.sloika');
 */
export function saveModel(model: Model, target: string, opts: SaveOptions = {}): void {
  if (opts.format === 'directory') {
    const { json, weights } = serialize(model, opts);
    mkdirSync(target, { recursive: true });
    // Weights first: a crash between the two leaves the old architecture, which checks the
    // weights' length on load, so a mismatch is reported instead of loaded.
    writeFileAtomic(path.join(target, WEIGHTS_FILE), new Uint8Array(weights));
    writeFileAtomic(path.join(target, ARCHITECTURE_FILE), new TextEncoder().encode(JSON.stringify(json, null, 2)));
    return;
  }
  writeFileAtomic(target, new Uint8Array(toBytes(model, opts)));
}

function read(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFormatError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? (e as Error).message})`);
  }
}

/**
 * Load a model saved by `saveModel` (a file or a directory), checked throughout: any problem
 * throws one ModelFormatError line.
 * @example const model = loadModel('spirals.sloika'); model.predict({ x }).y;
 */
export function loadModel(source: string): Model {
  let isDirectory = false;
  try {
    isDirectory = statSync(source).isDirectory();
  } catch {
    throw new ModelFormatError(`no such file or directory: ${source}`);
  }
  if (!isDirectory) return fromBytes(read(source));
  const json = read(path.join(source, ARCHITECTURE_FILE)).toString('utf8');
  return deserialize({ json, weights: read(path.join(source, WEIGHTS_FILE)) });
}

export { ModelFormatError };
