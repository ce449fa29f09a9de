import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, ensureBuilt, sloika, workspace } from './run.js';

// The README's promise: with default settings, at least scikit-learn's test accuracy on iris
// (0.967) and wine (1.000), and R² > 0.25 (original units) on diabetes. fixtures/ holds copies
// of ../shared/data's files (scikit-learn's bundled data sets) so the check runs in any checkout.
let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = workspace();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('defaults reach the reference scores on iris, wine and diabetes', async () => {
  const data = join(ROOT, 'test/cli/fixtures');
  const run = (name: string) => sloika(['train', join(data, `${name}.csv`), '--target', 'target', '--out', `${name}.sloika`, '--json', '--quiet'], dir);
  const [iris, wine, diabetes] = (await Promise.all(['iris', 'wine', 'diabetes'].map(run))).map((r) => {
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  });
  expect([iris.task, wine.task, diabetes.task]).toEqual(['multiclass', 'multiclass', 'regression']);
  expect(iris.accuracy).toBeGreaterThanOrEqual(29 / 30);
  expect(wine.accuracy).toBe(1);
  expect(diabetes.r2).toBeGreaterThan(0.25);
});
