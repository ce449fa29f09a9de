import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, toCsv } from '../../cli/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'sloika-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('readCsv', () => {
  it('reads quotes, CRLF, a BOM and blank lines, keeping file line numbers', () => {
    const t = readCsv(file('a.csv', '\uFEFFname,note,y\r\n"Smith, J", "said ""hi""" ,1\r\n\r\nLee,,0\r\n'));
    expect(t.columns).toEqual(['name', 'note', 'y']);
    expect(t.rows).toEqual([['Smith, J', 'said "hi"', '1'], ['Lee', '', '0']]);
    expect(t.lines).toEqual([2, 4]);
  });

  it('reports broken quoting with its line', () => {
    expect(() => readCsv(file('q.csv', 'a,b\n1,2\n3,"4\n'))).toThrow(/q\.csv, line \d: not valid CSV \(.*\); check the quotes and separators/);
  });

  it('a header without a name, and semicolon files, are explained', () => {
    expect(() => readCsv(file('n.csv', 'a,,c\n1,2,3\n'))).toThrow('n.csv, line 1: column 2 of the header has no name; name every column');
    expect(() => readCsv(file('pandas.csv', ',a,y\n0,1.5,1\n1,2.5,0\n'))).toThrow(
      'pandas.csv, line 1: column 1 of the header has no name; name every column (a nameless first column is often the row index pandas writes: save with to_csv(..., index=False), or name it and pass --ignore NAME)',
    );
  });

  it('drops a nameless column that is empty in every row (a trailing comma on each line)', () => {
    const t = readCsv(file('t.csv', 'a,y,\n1,yes,\n2,no,\n'));
    expect(t.columns).toEqual(['a', 'y']);
    expect(t.rows).toEqual([['1', 'yes'], ['2', 'no']]);
    // a nameless column with a value somewhere is still an error
    expect(() => readCsv(file('t2.csv', 'a,y,\n1,yes,\n2,no,x\n'))).toThrow('t2.csv, line 1: column 3 of the header has no name; name every column');
    expect(() => readCsv(file('s.csv', 'a;b\n1;2\n'))).toThrow('s.csv: the header has a single column "a;b"; sloika reads comma-separated files — convert the separator to commas');
  });

  it('toCsv quotes what needs quoting and round-trips', () => {
    const text = toCsv(['a', 'b'], [['x, y', 'say "no"'], [' pad', 'plain']]);
    expect(text).toBe('a,b\n"x, y","say ""no"""\n" pad",plain\n');
    // readCsv trims unquoted and quoted fields alike; the values without edge spaces come back as they were
    expect(readCsv(file('r.csv', text)).rows[0]).toEqual(['x, y', 'say "no"']);
  });
});
