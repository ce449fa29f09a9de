// The target side of preprocessing: which head a target column implies, class labels kept as
// the original strings, targets as network outputs and network outputs back as answers.
// Pure and browser-safe.

import { DataError, cellPlace, columnValues, isMissing, isNonFinite, parseNumber, type Table } from './table.js';

export type Task = 'binary' | 'multiclass' | 'regression';

export interface ClassTarget {
  kind: 'binary' | 'multiclass';
  column: string;
  /** Original labels; index i is class i (for binary, index 1 is the positive class). */
  classes: string[];
}

export interface RegressionTarget {
  kind: 'regression';
  columns: string[];
  /** Training-row statistics; the network learns (y − mean) / std. */
  mean: number[];
  std: number[];
}

export type TargetSpec = ClassTarget | RegressionTarget;

/** Auto-detection: integer targets with at most this many values are classes. */
const MAX_AUTO_CLASSES = 10;
const ROWS_PER_CLASS_FOR_MANY = 10;

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Class labels in a natural order: numerically when all are numbers, else alphabetically. */
function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => parseNumber(l) !== null);
  return labels.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function checkTargetCells(table: Table, column: string): string[] {
  const values = columnValues(table, column).map((v) => v.trim());
  values.forEach((v, i) => {
    if (isMissing(v)) {
      throw new DataError(cellPlace(table, i, column), 'the target is empty; remove the row (targets are never imputed)');
    }
  });
  return values;
}

function numericTarget(table: Table, column: string, values: string[], why: string): number[] {
  return values.map((v, i) => {
    if (isNonFinite(v)) throw new DataError(cellPlace(table, i, column), `"${v}" is not a finite number; fix the value or remove the row`);
    const x = parseNumber(v);
    if (x === null) throw new DataError(cellPlace(table, i, column), `"${v}" is not a number, and ${why}`);
    return x;
  });
}

/**
 * Decide the head from the target column(s) and collect the class labels.
 * `task: 'auto'`: several columns or many distinct numbers → regression; two values → binary;
 * text or a few integers → multiclass. Returns the target (statistics still unset) and the
 * reason, in words, for the user.
 * @example
 * describeTarget(table, ['species'], 'auto').reason; // 'column "species" has 3 distinct text values'
 */
export function describeTarget(
  table: Table,
  targets: readonly string[],
  task: Task | 'auto',
): { target: TargetSpec; reason: string } {
  const missing = targets.filter((t) => !table.columns.includes(t));
  if (missing.length > 0) {
    throw new DataError(
      { source: table.source },
      `no target column ${missing.map((m) => `"${m}"`).join(', ')}; the columns are ${table.columns.map((c) => `"${c}"`).join(', ')} — pass one of them to --target`,
    );
  }
  if (targets.length > 1 || task === 'regression') {
    if (task === 'binary' || task === 'multiclass') {
      throw new DataError({ source: table.source }, `--task ${task} takes one target column, got ${targets.length}; train one model per column, or use --task regression`);
    }
    for (const t of targets) {
      const why = targets.length > 1 ? 'several target columns mean regression, which needs numbers; train one classifier per column instead' : 'regression needs numbers; use --task multiclass for labels';
      numericTarget(table, t, checkTargetCells(table, t), why);
    }
    const reason = targets.length > 1 ? `${targets.length} target columns` : task === 'regression' ? 'chosen with --task' : '';
    return { target: { kind: 'regression', columns: [...targets], mean: [], std: [] }, reason };
  }
  const column = targets[0]!;
  const values = checkTargetCells(table, column);
  const labels = sortLabels(distinct(values));
  if (labels.length < 2) {
    throw new DataError({ source: table.source, column }, `the target has the single value "${labels[0] ?? ''}" in every row; a classifier needs at least two classes — add rows of another class, or check --target`);
  }
  if (task === 'binary') {
    if (labels.length !== 2) throw new DataError({ source: table.source, column }, `--task binary needs exactly 2 classes, the target has ${labels.length}; use --task multiclass`);
    return { target: { kind: 'binary', column, classes: labels }, reason: 'chosen with --task' };
  }
  if (task === 'multiclass') return { target: { kind: 'multiclass', column, classes: labels }, reason: 'chosen with --task' };
  // auto
  if (labels.length === 2) return { target: { kind: 'binary', column, classes: labels }, reason: `column "${column}" has 2 distinct values` };
  const numbers = labels.map(parseNumber);
  if (numbers.some((x) => x === null)) {
    numbers.forEach((x, i) => {
      if (x === null && isNonFinite(labels[i]!)) {
        const row = values.indexOf(labels[i]!);
        throw new DataError(cellPlace(table, row, column), `"${labels[i]}" is not a finite number; fix the value or remove the row`);
      }
    });
    return { target: { kind: 'multiclass', column, classes: labels }, reason: `column "${column}" has ${labels.length} distinct text values` };
  }
  const integers = numbers.every((x) => Number.isInteger(x));
  const few = labels.length <= MAX_AUTO_CLASSES || labels.length * ROWS_PER_CLASS_FOR_MANY <= values.length;
  if (integers && few && labels.length <= 2 * MAX_AUTO_CLASSES) {
    return { target: { kind: 'multiclass', column, classes: labels }, reason: `column "${column}" has ${labels.length} distinct integer values` };
  }
  return {
    target: { kind: 'regression', columns: [column], mean: [], std: [] },
    reason: `column "${column}" has ${labels.length} distinct ${integers ? 'integer' : 'numeric'} values`,
  };
}

/**
 * Class index of every row (for a stratified split), or null for regression.
 * @example classIndices(table, { kind: 'binary', column: 'y', classes: ['no', 'yes'] }); // [1, 0, …]
 */
export function classIndices(table: Table, target: TargetSpec): number[] | null {
  if (target.kind === 'regression') return null;
  const index = new Map(target.classes.map((c, i) => [c, i]));
  // Numeric labels match by value too: a file written with floats ("1.0") scores a model trained on "1".
  const byValue = new Map(target.classes.map((c, i) => [parseNumber(c), i] as const).filter(([x]) => x !== null));
  return columnValues(table, target.column).map((v, i) => {
    const k = index.get(v.trim()) ?? byValue.get(parseNumber(v));
    if (k === undefined) {
      throw new DataError(cellPlace(table, i, target.column), `label "${v.trim()}" was not among the training classes (${target.classes.join(', ')}); the model cannot score it`);
    }
    return k;
  });
}

/** True when the table holds every target column (labelled data). */
export function hasTargets(t: TargetSpec, table: Table): boolean {
  const cols = t.kind === 'regression' ? t.columns : [t.column];
  return cols.every((c) => table.columns.includes(c));
}

export interface EncodedTargets {
  /** Row-major [rows, width]: 0/1 for binary, class index for multiclass, standardised values for regression. */
  y: Float32Array;
  width: number;
  /** Class index per row (classification only). */
  labels: Int32Array | null;
  /** Targets in original units (regression only), row-major [rows, width]. */
  original: Float64Array | null;
}

/**
 * The training targets of a table.
 * @example encodeTargets(prep.target, table).labels; // Int32Array [0, 2, 1, …] for a multiclass target
 */
export function encodeTargets(t: TargetSpec, table: Table): EncodedTargets {
  const n = table.rows.length;
  if (t.kind !== 'regression') {
    const idx = classIndices(table, t)!;
    checkTargetCells(table, t.column);
    return { y: Float32Array.from(idx), width: 1, labels: Int32Array.from(idx), original: null };
  }
  const m = t.columns.length;
  const y = new Float32Array(n * m);
  const original = new Float64Array(n * m);
  t.columns.forEach((c, k) => {
    const values = numericTarget(table, c, checkTargetCells(table, c), 'the model predicts numbers here');
    values.forEach((v, i) => {
      original[i * m + k] = v;
      y[i * m + k] = (v - t.mean[k]!) / t.std[k]!;
    });
  });
  return { y, width: m, labels: null, original };
}

export type Decoded =
  | { kind: 'binary' | 'multiclass'; classes: string[]; labels: string[]; classIndex: Int32Array; probabilities: Float64Array }
  | { kind: 'regression'; columns: string[]; values: Float64Array };

/**
 * Turn raw network outputs (logits for classification, standardised values for regression;
 * row-major [rows, outputs]) into answers: labels with per-class probabilities
 * ([rows, classes]), or values in original units ([rows, targets]).
 * @example decodeOutputs(prep.target, new Float32Array([2.0]), 1).labels; // ['yes'] for a binary model
 */
export function decodeOutputs(t: TargetSpec, raw: ArrayLike<number>, rows: number): Decoded {
  if (t.kind === 'regression') {
    const m = t.columns.length;
    const values = new Float64Array(rows * m);
    for (let i = 0; i < rows * m; i++) values[i] = raw[i]! * t.std[i % m]! + t.mean[i % m]!;
    return { kind: 'regression', columns: t.columns, values };
  }
  const K = t.classes.length;
  const probabilities = new Float64Array(rows * K);
  const classIndex = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (t.kind === 'binary') {
      const p = 1 / (1 + Math.exp(-raw[i]!));
      probabilities[i * 2] = 1 - p;
      probabilities[i * 2 + 1] = p;
    } else {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, raw[i * K + k]!);
      let s = 0;
      for (let k = 0; k < K; k++) s += probabilities[i * K + k] = Math.exp(raw[i * K + k]! - max);
      for (let k = 0; k < K; k++) probabilities[i * K + k]! /= s;
    }
    let best = 0;
    for (let k = 1; k < K; k++) if (probabilities[i * K + k]! > probabilities[i * K + best]!) best = k;
    classIndex[i] = best;
  }
  return { kind: t.kind, classes: t.classes, labels: Array.from(classIndex, (k) => t.classes[k]!), classIndex, probabilities };
}

