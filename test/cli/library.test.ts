import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictRows } from '../../src/index.js';
import { loadModel } from '../../src/node.js';
import { csv, ensureBuilt, sampleRows, sloika, workspace } from './run.js';

// A model written by `sloika train`, used from code: loadModel + predictRows give what
// `sloika predict` writes (labels, probabilities, values in original units).
const data = sampleRows(90, 3);
const pick = (cols: string[]) => csv(cols, data.rows.map((r) => cols.map((c) => r[data.header.indexOf(c)]!)));
let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = workspace({ 'flowers.csv': pick(['x1', 'color', 'x2', 'species']), 'houses.csv': pick(['x1', 'price', 'color', 'x2', 'rent']) });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(text: string): string[][] {
  return text.trim().split('\n').map((l) => l.split(','));
}

describe('a CLI model from the library', () => {
  it('classification: loadModel + predictRows match `sloika predict` row by row', async () => {
    expect((await sloika(['train', 'flowers.csv', '--target', 'species', '--epochs', '15', '--quiet', '--out', 'f.sloika'], dir)).code).toBe(0);
    expect((await sloika(['predict', 'f.sloika', 'flowers.csv', '--out', 'p.csv', '--quiet'], dir)).code).toBe(0);
    const [header, ...cli] = parse(readFileSync(join(dir, 'p.csv'), 'utf8'));
    const model = loadModel(join(dir, 'f.sloika'));
    const rows = cli.map((r) => Object.fromEntries(header!.map((h, j) => [h, r[j]!])));
    const p = predictRows(model, rows);
    if (p.kind === 'regression') throw new Error('expected a classifier');
    expect(p.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(p.labels).toEqual(cli.map((r) => r[header!.indexOf('predicted')]));
    const j = header!.indexOf('probability_virginica');
    p.probabilities.forEach((pr, i) => expect(pr[2]!).toBeCloseTo(Number(cli[i]![j]), 5));
  }, 60_000);

  it('multi-output regression: values in original units, target columns between the features', async () => {
    expect((await sloika(['train', 'houses.csv', '--target', 'price,rent', '--epochs', '15', '--quiet', '--out', 'h.sloika'], dir)).code).toBe(0);
    expect((await sloika(['predict', 'h.sloika', 'houses.csv', '--out', 'hp.csv', '--quiet'], dir)).code).toBe(0);
    const [header, ...cli] = parse(readFileSync(join(dir, 'hp.csv'), 'utf8'));
    const model = loadModel(join(dir, 'h.sloika'));
    const p = predictRows(model, cli.map((r) => [Number(r[0]), r[2]!, Number(r[3])])); // x1, color, x2
    if (p.kind !== 'regression') throw new Error('expected regression');
    expect(p.columns).toEqual(['price', 'rent']);
    const [jp, jr] = [header!.indexOf('predicted_price'), header!.indexOf('predicted_rent')];
    p.values.forEach((v, i) => {
      expect(v[0]!).toBeCloseTo(Number(cli[i]![jp]), 2);
      expect(v[1]!).toBeCloseTo(Number(cli[i]![jr]), 3);
    });
    expect(Math.abs(p.values[0]![0]! - Number(cli[0]![1]))).toBeLessThan(500); // original units (prices ≈ 1,000)
  }, 60_000);
});
