import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequentialModel } from '../../src/index.js';
import { loadModel, saveModel } from '../../src/node.js';
import { csv, ensureBuilt, filesIn, sloika, workspace } from './run.js';

// Bad input: one clear line naming the file, row, column and what to do; exit code 2; nothing written.
let dir: string;
const rows = (n: number) => Array.from({ length: n }, (_, i) => [i, (i * 7) % 5, i % 2 ? 'cat' : 'dog', i % 3 ? 'yes' : 'no']);
const header = ['a', 'b', 'pet', 'y'];
const good = csv(header, rows(12));
const withCell = (row: number, col: number, value: string) =>
  csv(header, rows(12).map((r, i) => (i === row ? r.map((v, j) => (j === col ? value : v)) : r)));

beforeAll(async () => {
  await ensureBuilt();
  dir = workspace({
    'good.csv': good,
    'empty.csv': '',
    'header-only.csv': 'a,b,y\n',
    'dup.csv': 'a,b,a,y\n1,2,3,x\n',
    'few.csv': good.replace('\n3,1,cat,no\n', '\n3,1,no\n'),
    'many.csv': good.replace('\n3,1,cat,no\n', '\n3,1,cat,no,7\n'),
    'text-in-numbers.csv': withCell(4, 1, 'abc'),
    'empty-cell.csv': withCell(5, 1, ''),
    'na-cell.csv': withCell(3, 2, 'NA'),
    'nan.csv': withCell(6, 0, 'NaN'),
    'inf.csv': withCell(7, 1, '-Infinity'),
    'single-class.csv': csv(header, rows(12).map((r) => [...r.slice(0, 3), 'yes'])),
    'two-rows.csv': csv(header, rows(2)),
    'not-a-model.sloika': 'a,b\n1,2\n',
    'wrong-columns.csv': csv(['a', 'y'], [[1, 'yes']]),
    'new-pet.csv': csv(['a', 'b', 'pet'], [[1, 2, 'cat'], [3, 4, 'hamster']]),
    'missing-target.csv': csv(['a', 'b', 'pet'], [[1, 2, 'cat']]),
  });
  mkdirSync(join(dir, 'folder.csv'));
  const r = await sloika(['train', 'good.csv', '--target', 'y', '--epochs', '3', '--quiet', '--out', 'good.sloika'], dir);
  expect(r.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fails(args: string[], message: string): Promise<void> {
  const before = filesIn(dir);
  const r = await sloika(args, dir);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`sloika: ${message}\n`);
  expect(r.code).toBe(2);
  expect(filesIn(dir)).toEqual(before); // no model, no half-written or temporary file
}

const train = (file: string, ...more: string[]) => ['train', file, '--target', 'y', '--epochs', '3', '--quiet', '--out', 'm.sloika', ...more];

describe('bad CSV files', () => {
  it('missing or unreadable file', async () => {
    await fails(train('nope.csv'), 'nope.csv: no such file; check the path');
    await fails(train('folder.csv'), 'folder.csv is a folder, not a CSV file; give the path of a .csv file');
  });
  it('empty file, header only', async () => {
    await fails(train('empty.csv'), 'empty.csv is empty; a CSV file with a header row and data rows is expected');
    await fails(train('header-only.csv'), 'header-only.csv has a header but no data rows; add rows of data');
  });
  it('duplicate column names', async () => {
    await fails(train('dup.csv'), 'dup.csv, line 1: the column name "a" appears twice (columns 1 and 3); rename one of them');
  });
  it('rows with too few or too many fields', async () => {
    await fails(train('few.csv'), 'few.csv, row 4 (line 5): 3 fields but the header has 4 columns; add the missing values (an empty field still needs its comma)');
    await fails(train('many.csv'), 'many.csv, row 4 (line 5): 5 fields but the header has 4 columns; remove the extra values, or quote a value that contains a comma');
  });
  it('a non-numeric value in a numeric column, named', async () => {
    await fails(train('text-in-numbers.csv'), 'text-in-numbers.csv, row 5 (line 6), column "b": "abc" is not a number, but the column holds numbers; fix the value, or empty the cell and pass --impute mean|median');
  });
  it('empty cells or NA: an error naming the first such row and column by default', async () => {
    await fails(train('empty-cell.csv'), 'empty-cell.csv, row 6 (line 7), column "b": empty cell; fill it in, remove the row, or pass --impute mean|median');
    await fails(train('na-cell.csv'), 'na-cell.csv, row 4 (line 5), column "pet": empty cell ("NA"); fill it in, remove the row, or pass --impute mean|median');
  });
  it('NaN or infinite values', async () => {
    await fails(train('nan.csv'), 'nan.csv, row 7 (line 8), column "a": "NaN" is not a finite number; replace it with a number, or empty the cell and pass --impute mean|median');
    await fails(train('inf.csv'), 'inf.csv, row 8 (line 9), column "b": "-Infinity" is not a finite number; replace it with a number, or empty the cell and pass --impute mean|median');
  });
  it('target column missing, a single class, too few rows to split', async () => {
    await fails(['train', 'good.csv', '--target', 'Y', '--quiet'], 'good.csv: no target column "Y"; the columns are "a", "b", "pet", "y" — pass one of them to --target');
    await fails(train('single-class.csv'), 'single-class.csv, column "y": the target has the single value "yes" in every row; a classifier needs at least two classes — add rows of another class, or check --target');
    await fails(train('two-rows.csv'), 'two-rows.csv has 2 data rows; a train/test split with --test-size 0.2 needs at least 3 rows (2 to train, 1 to test) — add rows or change --test-size');
  });
  it('bad option values name the option', async () => {
    await fails(train('good.csv', '--hidden', '64,x'), '--hidden takes layer widths separated by commas, such as 64,32 (or "none"); "x" is not a positive whole number');
    await fails(train('good.csv', '--test-size', '1.5'), '--test-size must be a number in (0, 1), got "1.5"');
    await fails(train('good.csv', '--out', 'no/such/dir/m.sloika'), '--out no/such/dir/m.sloika: the folder no/such/dir does not exist; create it or choose another path');
  });
});

describe('imputation', () => {
  it('--impute mean fills numbers with the training mean and text with the most frequent value, stored in the model', async () => {
    const r = await sloika(train('na-cell.csv', '--impute', 'mean', '--out', 'imputed.sloika'), dir);
    expect(r.code).toBe(0);
    const s = await sloika(['summary', 'imputed.sloika'], dir);
    expect(s.stdout).toContain('inputs: 3 columns → 4 network inputs (missing cells: --impute mean)');
    expect(s.stdout).toMatch(/ {2}pet: text, one-hot over 2 categories \(cat, dog\), fill "(cat|dog)"/);
    expect(s.stdout).toMatch(/ {2}a: numeric, standardised \(mean [\d.]+, std [\d.]+\), fill [\d.]+/);
    const p = await sloika(['predict', 'imputed.sloika', 'empty-cell.csv'], dir);
    expect(p.code).toBe(0);
    rmSync(join(dir, 'imputed.sloika'));
  });
});

describe('bad models and mismatched data', () => {
  it('a file that is not a sloika model', async () => {
    for (const cmd of [['predict', 'not-a-model.sloika', 'good.csv'], ['eval', 'not-a-model.sloika', 'good.csv'], ['summary', 'not-a-model.sloika']]) {
      await fails(cmd, 'not-a-model.sloika: not a sloika model file (it starts with "a,b.1,2.", not "sloika"); give a model file written by `sloika train --out`');
    }
    await fails(['summary', 'good.csv.sloika'], 'good.csv.sloika: no such model file; check the path (train one with `sloika train DATA.csv --target COL --out good.csv.sloika`)');
  });
  it('a truncated model file', async () => {
    const bytes = readFileSync(join(dir, 'good.sloika'));
    writeFileSync(join(dir, 'cut.sloika'), bytes.subarray(0, bytes.length - 10));
    const r = await sloika(['predict', 'cut.sloika', 'good.csv'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sloika: cut\.sloika: .*truncated.*; give a model file written by `sloika train --out`\n$/);
    rmSync(join(dir, 'cut.sloika'));
  });
  it('a model saved by the library (no CSV preprocessing): summary works, predict explains', async () => {
    saveModel(sequentialModel({ inputs: 2, hidden: [3], head: 'binary', seed: 1 }), join(dir, 'lib.sloika'));
    const s = await sloika(['summary', 'lib.sloika'], dir);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/linear_1\s+Linear\s+\[N, 3\]\s+9/);
    await fails(['predict', 'lib.sloika', 'good.csv'], 'lib.sloika is a sloika model without CSV preprocessing (not written by `sloika train`); `sloika predict` needs a model trained on a CSV file');
    rmSync(join(dir, 'lib.sloika'));
  });
  it('a model whose stored preprocessing does not fit its network', async () => {
    const { metadata } = loadModel(join(dir, 'good.sloika'));
    saveModel(sequentialModel({ inputs: 7, hidden: [3], head: 'binary', seed: 1 }), join(dir, 'odd.sloika'), { metadata });
    await fails(['predict', 'odd.sloika', 'good.csv'], 'odd.sloika: the stored preprocessing (4 inputs → 1 outputs) does not match the network; the file was altered — train the model again');
    rmSync(join(dir, 'odd.sloika'));
  });

  it('predict data whose columns do not match: names the missing ones', async () => {
    await fails(['predict', 'good.sloika', 'wrong-columns.csv'], 'wrong-columns.csv: missing columns "b", "pet" that the model was trained on; add them (the model expects "a", "b", "pet")');
  });
  it('eval needs the target column', async () => {
    await fails(['eval', 'good.sloika', 'missing-target.csv'], 'missing-target.csv has no target column "y"; eval needs labelled rows (use `sloika predict` for unlabelled data)');
  });
  it('a category never seen in training: all-zero one-hot with a warning', async () => {
    const r = await sloika(['predict', 'good.sloika', 'new-pet.csv'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: new-pet.csv, column "pet": 1 row(s) have a category the model never saw in training ("hamster" in row 2); they get an all-zero one-hot encoding\n');
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });
});
