import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeId } from '../../cli/commands/train.js';
import { csv, ensureBuilt, sloika, workspace } from './run.js';

describe('looksLikeId', () => {
  const shuffled = ['842302', '842517', '84300903', '84348301', '84358402', '843786', '844359', '84458202', '844981', '84501001'];
  it('flags distinct whole numbers named like an id, or counting the rows', () => {
    expect(looksLikeId('id', shuffled)).toBe(true);
    expect(looksLikeId('customer_id', shuffled)).toBe(true);
    expect(looksLikeId('step', ['5', '3', '4', '0', '1', '2', '9', '8', '7', '6'])).toBe(true); // 0…9 in some order
  });
  it('leaves measurements alone', () => {
    expect(looksLikeId('area', shuffled)).toBe(false); // distinct, but neither named id nor 0…n−1
    expect(looksLikeId('id', ['1', '2', '2', '3', '4', '5', '6', '7', '8', '9'])).toBe(false); // a repeat
    expect(looksLikeId('id', ['1.5', '2', '3', '4', '5', '6', '7', '8', '9', '10'])).toBe(false);
    expect(looksLikeId('idea', shuffled)).toBe(false);
    expect(looksLikeId('id', shuffled.slice(0, 5))).toBe(false); // too few rows to tell
  });
});

let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  const rows = Array.from({ length: 40 }, (_, i) => [1000 + ((i * 37) % 40) * 7, i % 5, i % 5 > 1 ? 'yes' : 'no']);
  dir = workspace({ 'patients.csv': csv(['id', 'dose', 'sick'], rows) });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('train warns about an id column and suggests --ignore; no warning once it is ignored', async () => {
  const r = await sloika(['train', 'patients.csv', '--target', 'sick', '--epochs', '2', '--out', 'p.sloika'], dir);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('warning: numeric column "id" has a different whole number in every row (an id?); it is used as an input, where it can only add noise — consider --ignore id\n');
  const ignored = await sloika(['train', 'patients.csv', '--target', 'sick', '--epochs', '2', '--out', 'p.sloika', '--ignore', 'id'], dir);
  expect(ignored.code).toBe(0);
  expect(ignored.stderr).not.toContain('warning');
}, 60_000);
