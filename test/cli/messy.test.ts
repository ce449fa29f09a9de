import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sloika, workspace } from './run.js';

// A file as spreadsheets and other tools write it: BOM, CRLF, quoted commas, spaces around
// numbers, a constant column, true/false columns, the target in the middle, a blank last line.
const lines = ['\uFEFFa,city,answer,flag,const,b'];
for (let i = 0; i < 40; i++) {
  const a = ((i * 7) % 10) - 4.5;
  const city = ['"Paris, France"', '"Austin, TX"', 'Kyiv'][i % 3];
  const flag = i % 2 ? 'true' : 'false';
  lines.push(` ${a} ,${city},${a + (i % 2) > 0 ? 'yes' : 'no'},${flag},7,${(i % 4) / 4}`);
}
let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = workspace({ 'messy.csv': lines.join('\r\n') + '\r\n\r\n' });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a messy but valid CSV', () => {
  it('trains, summarises (categories with commas quoted, the constant column centred) and predicts with the original labels', async () => {
    const t = await sloika(['train', 'messy.csv', '--target', 'answer', '--epochs', '60', '--quiet', '--json', '--out', 'm.sloika'], dir);
    expect(t.code).toBe(0);
    const out = JSON.parse(t.stdout);
    expect(out.task).toBe('binary');
    expect(out.classes).toEqual(['no', 'yes']);
    expect(out.rows).toEqual({ total: 40, train: 32, test: 8 });
    expect(out.inputs).toBe(1 + 3 + 2 + 1 + 1); // a, city×3, flag×2, const, b

    const s = await sloika(['summary', 'm.sloika'], dir);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('  city: text, one-hot over 3 categories ("Austin, TX", Kyiv, "Paris, France")');
    expect(s.stdout).toContain('  flag: text, one-hot over 2 categories (false, true)');
    expect(s.stdout).toContain('  const: numeric, standardised (mean 7, std 1)');
    expect(s.stdout).not.toMatch(/NaN/);

    const p = await sloika(['predict', 'm.sloika', 'messy.csv', '--out', 'p.csv', '--quiet'], dir);
    expect(p.code).toBe(0);
    const preds = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n');
    expect(preds[0]).toBe('a,city,answer,flag,const,b,predicted,probability_no,probability_yes');
    expect(preds).toHaveLength(41);
    expect(preds[1]).toMatch(/^-4\.5,"Paris, France",no,false,7,0,(no|yes),0\.\d{6},0\.\d{6}$/);
  }, 60_000);

  it('predict on a gap names the cell and says what the model can do (--impute is a train option)', async () => {
    writeFileSync(join(dir, 'gap.csv'), 'a,city,flag,const,b\n1,Kyiv,true,7,0.5\n,Kyiv,true,7,0.5\n');
    const p = await sloika(['predict', 'm.sloika', 'gap.csv'], dir);
    expect(p.code).toBe(2);
    expect(p.stderr).toBe('sloika: gap.csv, row 2 (line 3), column "a": empty cell; fill it in or remove the row (the model was trained without --impute, so it has no fill value)\n');
  });
});
