// A table of raw text cells as read from a CSV file, the error that names a place in it, and
// the seeded train/test split. Pure and browser-safe: reading the file is the caller's job.

/** Rows of text cells under a header; `lines[i]` is the 1-based file line where row i starts. */
export interface Table {
  /** Where the rows came from, as the user named it (a file name), for error messages. */
  source: string;
  columns: string[];
  rows: string[][];
  lines: number[];
}

/** A place in a table, for error messages. */
export interface CellPlace {
  source: string;
  /** 0-based data row (the header is not a row). */
  row?: number;
  /** 1-based file line of that row. */
  line?: number;
  column?: string;
}

/**
 * A problem with the user's data, with the place already in the message, e.g.
 * `iris.csv, row 6 (line 7), column "age": "abc" is not a number; ...`. Callers show the
 * message as it is (one line) and exit with a user-error code.
 */
export class DataError extends Error {
  constructor(readonly place: CellPlace, what: string) {
    super(`${describePlace(place)}: ${what}`);
    this.name = 'DataError';
  }
}

/**
 * `file.csv, row 3 (line 4), column "x"` — the row counts data rows from 1, the line counts
 * file lines from 1 (so users find it in an editor).
 * @example describePlace({ source: 'a.csv', row: 0, line: 2, column: 'x' }); // 'a.csv, row 1 (line 2), column "x"'
 */
export function describePlace(place: CellPlace): string {
  let s = place.source;
  if (place.row !== undefined) s += `, row ${place.row + 1}` + (place.line !== undefined ? ` (line ${place.line})` : '');
  else if (place.line !== undefined) s += `, line ${place.line}`;
  if (place.column !== undefined) s += `, column "${place.column}"`;
  return s;
}

/** The place of one cell of a table. */
export function cellPlace(table: Table, row: number, column: string): CellPlace {
  return { source: table.source, row, line: table.lines[row], column };
}

// Spellings of "no value here" found in exported spreadsheets and R/pandas CSVs (pandas' list,
// without the NaN spellings, plus UCI's "?").
const MISSING = new Set(['', 'na', 'n/a', '#n/a', '<na>', 'null', 'none', '?']);
// Spellings of non-finite numbers; rejected with their own message.
const NON_FINITE = new Set(['nan', 'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

/** True for an empty cell or an NA-like marker (`NA`, `N/A`, `#N/A`, `<NA>`, `null`, `None`, `?`). */
export function isMissing(cell: string): boolean {
  return MISSING.has(cell.trim().toLowerCase());
}

/** True for `NaN`, `inf`, `-Infinity` and friends. */
export function isNonFinite(cell: string): boolean {
  return NON_FINITE.has(cell.trim().toLowerCase());
}

/**
 * The number in a cell, or null when it is not a plain finite number (`1e3`, `-2.5`, ` 7 `).
 * @example parseNumber('2.5'); // 2.5
 * parseNumber('abc'); // null
 */
export function parseNumber(cell: string): number | null {
  const t = cell.trim();
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** One column's cells in row order. */
export function columnValues(table: Table, column: string): string[] {
  const j = table.columns.indexOf(column);
  if (j < 0) throw new DataError({ source: table.source }, `there is no column "${column}"`);
  return table.rows.map((r) => r[j]!);
}

/** Rows `indices` of a table, keeping their line numbers. */
export function selectRows(table: Table, indices: readonly number[]): Table {
  return {
    source: table.source,
    columns: table.columns,
    rows: indices.map((i) => table.rows[i]!),
    lines: indices.map((i) => table.lines[i]!),
  };
}

/** Small seeded generator (mulberry32): src/data stays free of other sloika modules. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

export interface RowSplit {
  train: number[];
  test: number[];
}

/**
 * A seeded train/test split of `n` rows. With `groups` (class labels) the split is stratified:
 * every class keeps its share in both parts, and gets at least one test row when it has two rows.
 * Indices come back sorted.
 * @example
 * splitRows(10, 0.2, 42).test.length; // 2
 */
export function splitRows(n: number, testSize: number, seed: number, groups?: readonly number[]): RowSplit {
  if (!(testSize > 0 && testSize < 1)) throw new RangeError(`test size ${testSize} must be between 0 and 1 (e.g. 0.2)`);
  const random = seededRandom(seed);
  const test: number[] = [];
  const train: number[] = [];
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups ? groups[i]! : 0;
    let b = buckets.get(g);
    if (!b) buckets.set(g, (b = []));
    b.push(i);
  }
  const total = Math.max(1, Math.round(n * testSize));
  let assigned = 0;
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  keys.forEach((key, k) => {
    const bucket = buckets.get(key)!;
    shuffle(bucket, random);
    // The last bucket takes what rounding left over, so the total matches n·testSize.
    let take = k === keys.length - 1 ? total - assigned : Math.round(bucket.length * testSize);
    take = Math.min(Math.max(take, bucket.length >= 2 ? 1 : 0), bucket.length - 1);
    if (take < 0) take = 0;
    assigned += take;
    test.push(...bucket.slice(0, take));
    train.push(...bucket.slice(take));
  });
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
