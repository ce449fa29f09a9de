import { formatShape } from '../tensor/shape.js';
import { Tensor, tensor, type NestedArray } from '../tensor/tensor.js';
import type { TensorMap } from '../graph/types.js';

// Turning what the user passes as data into named tensors with a common row count, and
// taking batches of rows from them.

/** Targets for one output: a tensor, or plain numbers (class labels, 0/1 values, values). */
export type TargetValue = Tensor | NestedArray;

/** Training data: inputs and targets, each one tensor (or nested arrays) or a map keyed by the model's names. */
export interface Dataset {
  x: Tensor | NestedArray | Record<string, Tensor | NestedArray>;
  y: TargetValue | Record<string, TargetValue>;
}

/** A dataset with every value turned into a tensor and checked. */
export interface NamedData {
  x: TensorMap;
  y: TensorMap;
  rows: number;
}

function toTensor(v: unknown, what: string): Tensor {
  if (v instanceof Tensor) return v;
  if (Array.isArray(v) || typeof v === 'number') return tensor(v as NestedArray);
  throw new TypeError(`${what} must be a Tensor or an array of numbers, got ${v === null ? 'null' : typeof v}`);
}

/** Map one value or a record onto the model's names, with errors that list the names. */
function byName(value: unknown, names: readonly string[], side: 'input' | 'output'): TensorMap {
  const key = side === 'input' ? 'x' : 'y';
  const isMap = typeof value === 'object' && value !== null && !(value instanceof Tensor) && !Array.isArray(value);
  if (!isMap) {
    if (names.length !== 1) {
      throw new TypeError(`data.${key}: the model has ${names.length} ${side}s (${names.join(', ')}); give { ${names.map((n) => `${n}: …`).join(', ')} }`);
    }
    return { [names[0]!]: toTensor(value, `data.${key}`) };
  }
  const record = value as Record<string, unknown>;
  const out: TensorMap = {};
  for (const n of names) {
    if (!(n in record)) throw new RangeError(`data.${key}: no data for the model's ${side} '${n}'; it has ${Object.keys(record).join(', ') || 'nothing'}`);
    out[n] = toTensor(record[n], `data.${key}.${n}`);
  }
  for (const k of Object.keys(record)) {
    if (!names.includes(k)) throw new RangeError(`data.${key}: '${k}' is not one of the model's ${side}s (${names.join(', ')})`);
  }
  return out;
}

/**
 * Check a dataset against the model's input and output names and bring everything to tensors
 * with the same number of rows.
 */
export function nameData(data: Dataset, inputNames: readonly string[], outputNames: readonly string[], what = 'data'): NamedData {
  if (typeof data !== 'object' || data === null || !('x' in data) || !('y' in data)) {
    throw new TypeError(`${what}: expected { x, y } (inputs and targets)`);
  }
  const x = byName(data.x, inputNames, 'input');
  const y = byName(data.y, outputNames, 'output');
  const counts = [...Object.entries(x).map(([k, t]) => [`input '${k}'`, t] as const), ...Object.entries(y).map(([k, t]) => [`target '${k}'`, t] as const)];
  const rows = counts[0]![1].rank === 0 ? 1 : counts[0]![1].shape[0]!;
  for (const [label, t] of counts) {
    if (t.rank === 0 || t.shape[0] !== rows) {
      throw new RangeError(`${what}: ${label} has shape ${formatShape(t.shape)} but ${counts[0]![0]} has ${rows} rows; every input and target needs one row per example`);
    }
  }
  if (rows === 0) throw new RangeError(`${what}: there are no rows`);
  return { x, y, rows };
}

/** Model inputs alone (for predict): named, turned into tensors, with one row count. */
export function nameInputs(x: Dataset['x'], inputNames: readonly string[], what: string): { x: TensorMap; rows: number } {
  const named = byName(x, inputNames, 'input');
  const entries = Object.entries(named);
  const [firstName, first] = entries[0]!;
  const rows = first.rank === 0 ? 0 : first.shape[0]!;
  for (const [k, t] of entries) {
    if (t.rank === 0 || t.shape[0] !== rows) throw new RangeError(`${what}: input '${k}' has shape ${formatShape(t.shape)} but input '${firstName}' has ${rows} rows`);
  }
  return { x: named, rows };
}

/** Rows `index[start..end)` of a tensor, copied into a new tensor (no gradient history). */
export function takeRows(t: Tensor, index: Int32Array | null, start: number, end: number): Tensor {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0]!;
  const shape = [end - start, ...t.shape.slice(1)];
  if (index === null) return new Tensor(t.data.slice(start * rowSize, end * rowSize), shape);
  const out = new (t.data.constructor as Float32ArrayConstructor)((end - start) * rowSize);
  for (let r = start; r < end; r++) {
    const from = index[r]! * rowSize;
    out.set(t.data.subarray(from, from + rowSize), (r - start) * rowSize);
  }
  return new Tensor(out, shape);
}

/**
 * Batches of rows gathered into tensors made once per batch size and refilled in place, so a
 * training loop takes its batches without allocating. A batch's tensors are overwritten by the
 * next gather of the same size: read them before, or copy them. The source tensors' `data` is
 * read at every gather (replacing it with an array of the same length is fine).
 * @example
 * const batches = new BatchGatherer(data.x);
 * const x = batches.gather(order, 0, 32).x; // [32, …], the same tensor for every batch of 32 rows
 */
export class BatchGatherer {
  private readonly names: string[];
  private readonly sources: Tensor[];
  private readonly bySize = new Map<number, TensorMap>();

  constructor(map: TensorMap) {
    this.names = Object.keys(map);
    this.sources = this.names.map((n) => map[n]!);
  }

  /** Rows `index[start..end)` (or start..end when index is null) of every tensor, in this size's reused tensors. */
  gather(index: Int32Array | null, start: number, end: number): TensorMap {
    const rows = end - start;
    let out = this.bySize.get(rows);
    if (out === undefined) {
      out = {};
      for (let i = 0; i < this.names.length; i++) {
        const t = this.sources[i]!;
        const rowSize = t.size / t.shape[0]!;
        out[this.names[i]!] = new Tensor(new (t.data.constructor as Float32ArrayConstructor)(rows * rowSize), [rows, ...t.shape.slice(1)]);
      }
      this.bySize.set(rows, out);
    }
    for (let i = 0; i < this.names.length; i++) {
      const t = this.sources[i]!;
      copyRows(t.data, t.size / t.shape[0]!, index, start, end, out[this.names[i]!]!.data);
    }
    return out;
  }
}

/** Copy rows (index[start..end) or start..end) of row-major `from` into `into`, value by value (no subarray views). */
function copyRows(from: ArrayLike<number>, rowSize: number, index: Int32Array | null, start: number, end: number, into: { [i: number]: number }): void {
  let o = 0;
  for (let r = start; r < end; r++) {
    const f = (index === null ? r : index[r]!) * rowSize;
    for (let k = 0; k < rowSize; k++) into[o++] = from[f + k]!;
  }
}

/** The same rows of every tensor in a map. */
export function takeRowsOfMap(map: TensorMap, index: Int32Array | null, start: number, end: number): TensorMap {
  const out: TensorMap = {};
  for (const [k, t] of Object.entries(map)) out[k] = takeRows(t, index, start, end);
  return out;
}

/**
 * Split off the last `fraction` of the rows for validation (before any shuffling, as Keras
 * does), so the same data and fraction always give the same split.
 */
export function splitValidation(data: NamedData, fraction: number): { train: NamedData; val: NamedData } {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`validationSplit must be between 0 and 1 (exclusive), got ${fraction}`);
  const cut = Math.floor(data.rows * (1 - fraction));
  if (cut < 1 || cut >= data.rows) {
    throw new RangeError(`validationSplit ${fraction} of ${data.rows} rows leaves ${cut} for training and ${data.rows - cut} for validation; both need at least one`);
  }
  return {
    train: { x: takeRowsOfMap(data.x, null, 0, cut), y: takeRowsOfMap(data.y, null, 0, cut), rows: cut },
    val: { x: takeRowsOfMap(data.x, null, cut, data.rows), y: takeRowsOfMap(data.y, null, cut, data.rows), rows: data.rows - cut },
  };
}

/** Concatenate tensors with the same trailing shape along the rows. */
export function concatRows(parts: readonly Tensor[]): Tensor {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  let rows = 0;
  let size = 0;
  for (const p of parts) {
    rows += p.shape[0]!;
    size += p.size;
  }
  const out = new (first.data.constructor as Float32ArrayConstructor)(size);
  let at = 0;
  for (const p of parts) {
    out.set(p.data, at);
    at += p.size;
  }
  return new Tensor(out, [rows, ...first.shape.slice(1)]);
}
