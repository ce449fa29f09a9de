// Preprocessing a user expects from a tabular tool, as plain JSON that travels inside a saved
// model: standardised numbers (training-row statistics), one-hot text columns, class labels
// kept as the original strings, standardised regression targets, optional imputation.
// Pure and browser-safe.

import type { TargetSpec } from './preprocess-target.js';
import { DataError, cellPlace, columnValues, isMissing, isNonFinite, parseNumber, type Table } from './table.js';

export * from './preprocess-target.js';
export type ImputeMode = 'none' | 'mean' | 'median';

export interface NumericFeature {
  name: string;
  kind: 'numeric';
  mean: number;
  std: number;
  /** Value used for a missing cell (null: missing cells are an error). */
  fill: number | null;
}

export interface CategoricalFeature {
  name: string;
  kind: 'categorical';
  /** One one-hot column per category, in this order. */
  categories: string[];
  fill: string | null;
}

export type FeatureColumn = NumericFeature | CategoricalFeature;

/** Everything `predict` needs to turn a CSV into network inputs and outputs back into answers. */
export interface Preprocessing {
  format: 'sloika-preprocessing';
  version: 1;
  impute: ImputeMode;
  features: FeatureColumn[];
  target: TargetSpec;
  /** Names of the network's input columns (`age`, `color=red`, …). */
  inputNames: string[];
}

const IMPUTE_HINT = 'fill it in, remove the row, or pass --impute mean|median';
// When applying a trained model, --impute is no longer an option: the fill values live in the model.
const NO_FILL_HINT = 'fill it in or remove the row (the model was trained without --impute, so it has no fill value)';

function meanOf(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function stdOf(xs: number[], mean: number): number {
  const v = xs.reduce((s, x) => s + (x - mean) * (x - mean), 0) / xs.length;
  const sd = Math.sqrt(v);
  return sd > 1e-12 ? sd : 1; // a constant column: centre it, do not divide by 0
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function mostFrequent(xs: string[]): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

/** In a text column, `NaN` is how pandas and NumPy write a missing string: a gap, not a category. */
function isMissingText(cell: string): boolean {
  return isMissing(cell) || cell.trim().toLowerCase() === 'nan';
}

/** Numeric when every present cell is a number (or NaN/inf, rejected later); text otherwise. */
function fitFeature(table: Table, name: string, trainRows: readonly number[], impute: ImputeMode): FeatureColumn {
  const cells = columnValues(table, name).map((c) => c.trim());
  const present = cells.map((c, i) => [c, i] as const).filter(([c]) => !isMissing(c));
  if (present.length === 0) {
    throw new DataError({ source: table.source, column: name }, 'the column is empty in every row; remove it or fill it in');
  }
  const numberLike = present.filter(([c]) => parseNumber(c) !== null || isNonFinite(c));
  if (numberLike.length * 2 >= present.length) {
    // Mostly numbers: a stray word is a typo to fix, not a reason to one-hot the column.
    for (const [c, i] of present) {
      if (isNonFinite(c)) throw new DataError(cellPlace(table, i, name), `"${c}" is not a finite number; replace it with a number, or empty the cell and pass --impute mean|median`);
      if (parseNumber(c) === null) {
        throw new DataError(cellPlace(table, i, name), `"${c}" is not a number, but the column holds numbers; fix the value, or empty the cell and pass --impute mean|median`);
      }
    }
    const train = trainRows.map((i) => cells[i]!).filter((c) => !isMissing(c)).map(Number);
    if (train.length === 0) throw new DataError({ source: table.source, column: name }, 'no training row has a value in this column; fill it in or remove the column');
    const mean = meanOf(train);
    const fill = impute === 'none' ? null : impute === 'mean' ? mean : medianOf(train);
    return { name, kind: 'numeric', mean, std: stdOf(train, mean), fill };
  }
  const categories = [...new Set(present.map(([c]) => c).filter((c) => !isMissingText(c)))].sort();
  const trainText = trainRows.map((i) => cells[i]!).filter((c) => !isMissingText(c));
  const fill = impute === 'none' ? null : mostFrequent(trainText.length > 0 ? trainText : categories);
  return { name, kind: 'categorical', categories, fill };
}

/** Throw for the first empty cell (row by row, then column by column) among `columns`. */
function firstMissingCell(table: Table, columns: readonly string[], textColumns: ReadonlySet<string> = new Set(), hint = IMPUTE_HINT): void {
  const js = columns.map((c) => table.columns.indexOf(c));
  const text = columns.map((c) => textColumns.has(c));
  for (let i = 0; i < table.rows.length; i++) {
    for (let k = 0; k < js.length; k++) {
      const cell = table.rows[i]![js[k]!]!;
      if (text[k] ? isMissingText(cell) : isMissing(cell)) throw new DataError(cellPlace(table, i, columns[k]!), `empty cell${cell.trim() ? ` ("${cell.trim()}")` : ''}; ${hint}`);
    }
  }
}

export interface FitOptions {
  target: TargetSpec;
  /** Rows whose statistics define the standardisation and the fill values. */
  trainRows: readonly number[];
  impute?: ImputeMode;
  /** Columns to leave out of the features (besides the targets). */
  ignore?: readonly string[];
}

/**
 * Learn the preprocessing from a table: every column that is not a target (nor ignored) is a
 * feature. Statistics come from `trainRows` only.
 * @example
 * const { target } = describeTarget(table, ['y'], 'auto');
 * const prep = fitPreprocessing(table, { target, trainRows: [0, 1, 2, 3] });
 * prep.inputNames; // ['x1', 'x2', 'color=blue', 'color=red']
 */
export function fitPreprocessing(table: Table, opts: FitOptions): Preprocessing {
  const impute = opts.impute ?? 'none';
  const targetColumns = opts.target.kind === 'regression' ? opts.target.columns : [opts.target.column];
  const unknown = (opts.ignore ?? []).filter((c) => !table.columns.includes(c));
  if (unknown.length > 0) throw new DataError({ source: table.source }, `cannot ignore ${unknown.map((c) => `"${c}"`).join(', ')}: no such column`);
  const names = table.columns.filter((c) => !targetColumns.includes(c) && !(opts.ignore ?? []).includes(c));
  if (names.length === 0) throw new DataError({ source: table.source }, 'there are no feature columns besides the target; add input columns');
  if (impute === 'none') firstMissingCell(table, names);
  const features = names.map((n) => fitFeature(table, n, opts.trainRows, impute));
  let target: TargetSpec = opts.target;
  if (target.kind === 'regression') {
    const cols = target.columns.map((c) => opts.trainRows.map((i) => Number(table.rows[i]![table.columns.indexOf(c)]!.trim())));
    const mean = cols.map(meanOf);
    target = { ...target, mean, std: cols.map((xs, k) => stdOf(xs, mean[k]!)) };
  }
  const inputNames = features.flatMap((f) => (f.kind === 'numeric' ? [f.name] : f.categories.map((c) => `${f.name}=${c}`)));
  return { format: 'sloika-preprocessing', version: 1, impute, features, target, inputNames };
}

/** Number of network inputs and outputs the preprocessing implies. */
export function networkWidths(prep: Preprocessing): { inputs: number; outputs: number } {
  const t = prep.target;
  const outputs = t.kind === 'regression' ? t.columns.length : t.kind === 'binary' ? 1 : t.classes.length;
  return { inputs: prep.inputNames.length, outputs };
}

export interface EncodedFeatures {
  /** Row-major [rows, inputNames.length]. */
  x: Float32Array;
  rows: number;
  width: number;
  /** Notes for the user (unseen categories), one line each. */
  warnings: string[];
}

/**
 * Check that a table has the model's feature columns (extra columns are ignored).
 * @example checkColumns(prep, table); // throws 'data.csv: missing column(s) "age" that the model was trained on'
 */
export function checkColumns(prep: Preprocessing, table: Table): void {
  const missing = prep.features.map((f) => f.name).filter((n) => !table.columns.includes(n));
  if (missing.length > 0) {
    throw new DataError(
      { source: table.source },
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} that the model was trained on; add ${missing.length > 1 ? 'them' : 'it'} (the model expects ${prep.features.map((f) => `"${f.name}"`).join(', ')})`,
    );
  }
}

/**
 * Turn a table's feature columns into the network's input matrix, with the stored statistics.
 * A category never seen in training becomes an all-zero one-hot row, with a warning.
 * @example encodeFeatures(prep, table).x; // Float32Array of rows × width
 */
export function encodeFeatures(prep: Preprocessing, table: Table): EncodedFeatures {
  checkColumns(prep, table);
  const unfilled = prep.features.filter((f) => f.fill === null);
  firstMissingCell(table, unfilled.map((f) => f.name), new Set(unfilled.filter((f) => f.kind === 'categorical').map((f) => f.name)), NO_FILL_HINT);
  const width = prep.inputNames.length;
  const n = table.rows.length;
  const x = new Float32Array(n * width);
  const warnings: string[] = [];
  let offset = 0;
  for (const f of prep.features) {
    const into = { x, width, offset };
    if (f.kind === 'numeric') {
      encodeNumeric(table, f, into);
      offset += 1;
    } else {
      const warning = encodeCategorical(table, f, into);
      if (warning !== null) warnings.push(warning);
      offset += f.categories.length;
    }
  }
  return { x, rows: n, width, warnings };
}

/** Where a column's encoding goes: the row-major input matrix, its width, and the column's first slot. */
interface EncodeTarget {
  x: Float32Array;
  width: number;
  offset: number;
}

/** One numeric column, standardised with the stored mean and std; gaps take the fill value. */
function encodeNumeric(table: Table, f: NumericFeature, { x, width, offset }: EncodeTarget): void {
  const j = table.columns.indexOf(f.name);
  for (let i = 0; i < table.rows.length; i++) {
    const cell = table.rows[i]![j]!.trim();
    let v: number;
    if (isMissing(cell)) {
      if (f.fill === null) throw new DataError(cellPlace(table, i, f.name), `empty cell${cell ? ` ("${cell}")` : ''}; ${NO_FILL_HINT}`);
      v = f.fill;
    } else if (isNonFinite(cell)) {
      const fix = f.fill === null ? 'or remove the row' : `or empty the cell (the model fills it with ${Number(f.fill.toPrecision(6))})`;
      throw new DataError(cellPlace(table, i, f.name), `"${cell}" is not a finite number; replace it with a number, ${fix}`);
    } else {
      const p = parseNumber(cell);
      if (p === null) throw new DataError(cellPlace(table, i, f.name), `"${cell}" is not a number, but the model reads this column as numbers; fix the value`);
      v = p;
    }
    x[i * width + offset] = (v - f.mean) / f.std;
  }
}

/** One text column, one-hot over the stored categories; returns a warning about unseen categories, or null. */
function encodeCategorical(table: Table, f: CategoricalFeature, { x, width, offset }: EncodeTarget): string | null {
  const j = table.columns.indexOf(f.name);
  const index = new Map(f.categories.map((c, k) => [c, k]));
  const unseen: string[] = [];
  for (let i = 0; i < table.rows.length; i++) {
    let cell = table.rows[i]![j]!.trim();
    if (isMissingText(cell)) {
      if (f.fill === null) throw new DataError(cellPlace(table, i, f.name), `empty cell${cell ? ` ("${cell}")` : ''}; ${NO_FILL_HINT}`);
      cell = f.fill;
    }
    const k = index.get(cell);
    if (k === undefined) unseen.push(`"${cell}" in row ${i + 1}`);
    else x[i * width + offset + k] = 1;
  }
  if (unseen.length === 0) return null;
  return `${table.source}, column "${f.name}": ${unseen.length} row(s) have a category the model never saw in training (${unseen.slice(0, 3).join(', ')}${unseen.length > 3 ? ', …' : ''}); they get an all-zero one-hot encoding`;
}

/**
 * Check a parsed JSON value is a sloika preprocessing object (from a model file).
 * @example isPreprocessing(JSON.parse(text)); // true or false
 */
export function isPreprocessing(value: unknown): value is Preprocessing {
  const v = value as Partial<Preprocessing> | null;
  return !!v && v.format === 'sloika-preprocessing' && v.version === 1 && Array.isArray(v.features) && Array.isArray(v.inputNames) && !!v.target;
}
