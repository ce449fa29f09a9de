// Applying a model trained by `sloika train` to raw rows from code: the preprocessing stored in
// the model (standardisation, one-hot columns, class labels, target units) is applied here, so
// that a program gets the same answers as `sloika predict` without redoing it by hand.
// (`model.predict` alone sees the network: standardised inputs in, logits or standardised
// values out.) Pure and browser-safe.

import type { TrainableModel } from '../graph/types.js';
import { decodeOutputs, encodeFeatures, isPreprocessing, type Preprocessing } from '../data/preprocess.js';
import { DataError, type Table } from '../data/table.js';
import { Tensor } from '../tensor/tensor.js';
import { predictAll } from './evaluate.js';

/** A cell as a program holds it; `null`, `undefined` and `''` are empty cells. */
export type RawCell = string | number | boolean | null | undefined;

/** One row: an object keyed by column name (extra keys are ignored), or the feature values in `featureNames(model)` order. */
export type RawRow = Readonly<Record<string, RawCell>> | readonly RawCell[];

/** What `predictRows` returns: labels and probabilities, or values in the target's units. */
export type RowPredictions =
  | { kind: 'binary' | 'multiclass'; classes: string[]; labels: string[]; probabilities: number[][]; warnings: string[] }
  | { kind: 'regression'; columns: string[]; values: number[][]; warnings: string[] };

/**
 * The CSV preprocessing a model carries when `sloika train` wrote it, or null.
 * @example tabularPreprocessing(loadModel('iris.sloika'))?.target.kind; // 'multiclass'
 */
export function tabularPreprocessing(model: { metadata?: Record<string, unknown> }): Preprocessing | null {
  const cli = model.metadata?.sloikaCli as { preprocessing?: unknown } | undefined;
  return cli && isPreprocessing(cli.preprocessing) ? cli.preprocessing : null;
}

function requirePreprocessing(model: { metadata?: Record<string, unknown> }): Preprocessing {
  const prep = tabularPreprocessing(model);
  if (!prep) {
    throw new Error('predictRows: this model carries no CSV preprocessing (it was not written by `sloika train`); use model.predict with the network inputs');
  }
  return prep;
}

/**
 * The feature columns a model trained by `sloika train` reads, in order (the order of a row given as an array).
 * @example featureNames(loadModel('iris.sloika')); // ['sepal length (cm)', …]
 */
export function featureNames(model: { metadata?: Record<string, unknown> }): string[] {
  return requirePreprocessing(model).features.map((f) => f.name);
}

function cellText(v: RawCell): string {
  return v === null || v === undefined ? '' : String(v);
}

function rowsTable(prep: Preprocessing, rows: readonly RawRow[], source: string): Table {
  const names = prep.features.map((f) => f.name);
  const cells = rows.map((row, i) => {
    if (Array.isArray(row)) {
      if (row.length !== names.length) {
        throw new DataError({ source, row: i }, `${row.length} values but the model reads ${names.length} columns (${names.map((n) => `"${n}"`).join(', ')}); give them in that order, or pass an object keyed by column name`);
      }
      return row.map(cellText);
    }
    const record = row as Readonly<Record<string, RawCell>>;
    const missing = names.filter((n) => !(n in record));
    if (missing.length > 0) {
      throw new DataError({ source, row: i }, `no value for ${missing.map((m) => `"${m}"`).join(', ')}; the model reads ${names.map((n) => `"${n}"`).join(', ')}`);
    }
    return names.map((n) => cellText(record[n]));
  });
  return { source, columns: names, rows: cells, lines: [] };
}

/**
 * Predict raw rows with a model trained by `sloika train` (loaded with `loadModel`, `fromBytes`
 * or `deserialize`), applying its stored preprocessing: the same answers as `sloika predict`.
 * Numbers may be numbers or numeric strings; text columns take their category strings. A
 * category never seen in training gets an all-zero one-hot row and a line in `warnings`.
 * Bad values throw a `DataError` naming the row and column.
 * @example
 * const model = loadModel('iris.sloika');
 * predictRows(model, [{ 'sepal length (cm)': 5.1, 'sepal width (cm)': 3.5, 'petal length (cm)': 1.4, 'petal width (cm)': 0.2 }]).labels; // ['0']
 * predictRows(model, [[5.1, 3.5, 1.4, 0.2]]).probabilities; // [[0.99…, 0.00…, 0.00…]]
 */
export function predictRows(model: TrainableModel & { metadata?: Record<string, unknown> }, rows: readonly RawRow[], opts: { source?: string } = {}): RowPredictions {
  const prep = requirePreprocessing(model);
  const table = rowsTable(prep, rows, opts.source ?? 'rows');
  const fx = encodeFeatures(prep, table);
  const output = model.outputNames[0]!;
  const raw = predictAll(model, new Tensor(fx.x, [fx.rows, fx.width]), { raw: true })[output]!.data;
  const d = decodeOutputs(prep.target, raw, fx.rows);
  if (d.kind === 'regression') {
    const m = d.columns.length;
    return { kind: 'regression', columns: d.columns, values: Array.from({ length: fx.rows }, (_, i) => Array.from(d.values.subarray(i * m, i * m + m))), warnings: fx.warnings };
  }
  const K = d.classes.length;
  return {
    kind: d.kind, classes: d.classes, labels: d.labels, warnings: fx.warnings,
    probabilities: Array.from({ length: fx.rows }, (_, i) => Array.from(d.probabilities.subarray(i * K, i * K + K))),
  };
}
