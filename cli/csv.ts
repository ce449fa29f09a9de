// Reading a CSV file into a Table, turning every way a file can be wrong into one line that
// names the file, the line and what to do.

import { readFileSync, statSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import type { Table } from '../src/data/table.js';
import { UserError } from './errors.js';

/** Read the whole file as text, or explain why not. */
function readText(path: string): string {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new UserError(`${path} is a folder, not a CSV file; give the path of a .csv file`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path}: no such file; check the path`);
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`${path}: permission denied; make the file readable`);
    throw new UserError(`${path}: cannot read the file (${(err as Error).message})`);
  }
  if (text.includes('\u0000')) throw new UserError(`${path} is not a text file (it holds binary data); give a CSV file`);
  return text;
}

/**
 * Parse a CSV file with a header row. Checks: the file exists and is text, is not empty, has
 * data rows, unique column names, and the same number of fields on every row.
 * @example const table = readCsv('iris.csv'); table.columns; // ['sepal length (cm)', …]
 */
export function readCsv(path: string): Table {
  const text = readText(path);
  if (text.trim() === '') throw new UserError(`${path} is empty; a CSV file with a header row and data rows is expected`);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new UserError(`${path}${line ? `, line ${line}` : ''}: not valid CSV (${err.message.replace(/^Invalid [^:]*:\s*/, '').split(/[.:]/)[0]}); check the quotes and separators`);
    }
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) throw new UserError(`${path} is empty; a CSV file with a header row and data rows is expected`);
  const columns = header.record;
  // A nameless column with no values is the trailing comma some exporters put on every line: drop it.
  const blank = columns.map((c, j) => c === '' && rows.length > 0 && rows.every((r) => (r.record[j] ?? '') === ''));
  columns.forEach((c, j) => {
    if (c === '' && !blank[j]) {
      const index = j === 0 ? ' (a nameless first column is often the row index pandas writes: save with to_csv(..., index=False), or name it and pass --ignore NAME)' : '';
      throw new UserError(`${path}, line ${header.info.lines}: column ${j + 1} of the header has no name; name every column${index}`);
    }
    if (c === '') return;
    const first = columns.indexOf(c);
    if (first !== j) throw new UserError(`${path}, line ${header.info.lines}: the column name "${c}" appears twice (columns ${first + 1} and ${j + 1}); rename one of them`);
  });
  if (columns.length === 1 && /[;\t|]/.test(columns[0]!)) {
    throw new UserError(`${path}: the header has a single column "${columns[0]}"; sloika reads comma-separated files — convert the separator to commas`);
  }
  if (rows.length === 0) throw new UserError(`${path} has a header but no data rows; add rows of data`);
  rows.forEach((r, i) => {
    if (r.record.length !== columns.length) {
      const fewer = r.record.length < columns.length;
      throw new UserError(
        `${path}, row ${i + 1} (line ${r.info.lines}): ${r.record.length} field${r.record.length === 1 ? '' : 's'} but the header has ${columns.length} columns; ${fewer ? 'add the missing values (an empty field still needs its comma)' : 'remove the extra values, or quote a value that contains a comma'}`,
      );
    }
  });
  const keep = (r: string[]): string[] => r.filter((_, j) => !blank[j]);
  return { source: path, columns: keep(columns), rows: rows.map((r) => keep(r.record)), lines: rows.map((r) => r.info.lines) };
}

/** Quote a CSV field when needed. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows of fields as CSV text with a trailing newline. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
