import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, ROOT, csv, ensureBuilt, filesIn, sampleRows, sloika, workspace } from './run.js';

// Every command as a user runs it: a child process on CSV files written here.
const data = sampleRows(120);
const pick = (cols: string[]) => csv(cols, data.rows.map((r) => cols.map((c) => r[data.header.indexOf(c)]!)));
let dir: string;
const FAST = ['--epochs', '25', '--quiet'];

beforeAll(async () => {
  await ensureBuilt();
  dir = workspace({
    'flowers.csv': pick(['x1', 'x2', 'color', 'species']),
    'patients.csv': pick(['x1', 'x2', 'sick']),
    'houses.csv': pick(['x1', 'x2', 'color', 'price', 'rent']),
    'new-flowers.csv': csv(['color', 'x2', 'x1'], [['red', 9, 1], ['blue', 0.5, 0.5], ['green', 1, 9]]),
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sloika train', () => {
  it('detects a multiclass target, reports accuracy and a confusion matrix, and saves the model', async () => {
    const r = await sloika(['train', 'flowers.csv', '--target', 'species', '--out', 'flowers.sloika', '--plot', 'curves.svg', ...FAST], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('task: multiclass classification of "species" (3 classes: setosa, versicolor, virginica; softmax + cross-entropy) — column "species" has 3 distinct text values');
    expect(r.stdout).toMatch(/test accuracy {3}0\.\d{4} {2}\(\d+\/24 rows\)/);
    expect(r.stdout).toMatch(/true\\pred\s+setosa\s+versicolor\s+virginica\nsetosa\s+\d+/);
    expect(r.stdout).toContain("output 'logits' ← logits [N, 3]"); // the model summary
    expect(r.stdout).toContain('model saved to flowers.sloika (with its preprocessing: 5 inputs)');
    expect(readFileSync(join(dir, 'curves.svg'), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
    expect(filesIn(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('prints progress lines on a non-terminal stderr, and --json gives one object on stdout', async () => {
    const r = await sloika(['train', 'flowers.csv', '--target', 'species', '--out', 'f2.sloika', '--epochs', '20', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^task: multiclass/);
    expect(r.stderr).toMatch(/epoch 20\/20 {2}loss \d\.\d{4} {2}val_loss \d\.\d{4} {2}val_accuracy \d\.\d{4} {2}eta/);
    const out = JSON.parse(r.stdout);
    expect(out.task).toBe('multiclass');
    expect(out.accuracy).toBeGreaterThan(0.7);
    expect(out.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(out.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(24);
    expect(out.rows).toEqual({ total: 120, train: 96, test: 24 });
    expect(out.history.loss).toHaveLength(20);
    expect(out.model).toBe('f2.sloika');
  });

  it('detects a binary target (sigmoid + log loss)', async () => {
    const r = await sloika(['train', 'patients.csv', '--target', 'sick', '--out', 'p.sloika', '--json', ...FAST], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.task).toBe('binary');
    expect(out.taskReason).toBe('column "sick" has 2 distinct values');
    expect(out.classes).toEqual(['no', 'yes']);
    expect(out.accuracy).toBeGreaterThan(0.85);
  });

  it('trains multi-output regression and reports RMSE, MAE and R² per target in original units', async () => {
    const r = await sloika(['train', 'houses.csv', '--target', 'price,rent', '--out', 'h.sloika', '--epochs', '40', '--quiet'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('task: regression of "price", "rent" (2 outputs, MSE on standardised targets) — 2 target columns');
    expect(r.stdout).toMatch(/\nprice\s+[\d.]+\s+[\d.]+\s+0\.9\d+/);
    expect(r.stdout).toMatch(/\nrent\s+[\d.]+/);
    expect(r.stdout).toMatch(/\naverage\s+/);
    const j = JSON.parse((await sloika(['train', 'houses.csv', '--target', 'price,rent', '--out', 'h.sloika', '--json', '--epochs', '40', '--quiet'], dir)).stdout);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['r2', 'rmse', 'mae', 'perTarget']));
    expect(Object.keys(j.perTarget)).toEqual(['price', 'rent']);
    expect(j.perTarget.price.r2).toBeGreaterThan(0.9);
    expect(j.rmse).toBeCloseTo((j.perTarget.price.rmse + j.perTarget.rent.rmse) / 2, 10);
  });

  it('is reproducible with the same --seed', async () => {
    const a = JSON.parse((await sloika(['train', 'patients.csv', '--target', 'sick', '--out', 'a.sloika', '--json', '--seed', '7', '--epochs', '5', '--quiet'], dir)).stdout);
    const b = JSON.parse((await sloika(['train', 'patients.csv', '--target', 'sick', '--out', 'b.sloika', '--json', '--seed', '7', '--epochs', '5', '--quiet'], dir)).stdout);
    expect(a.history.loss).toEqual(b.history.loss);
  });

  it('early stopping keeps the best epoch and says so', async () => {
    const r = await sloika(['train', 'houses.csv', '--target', 'rent', '--out', 'e.sloika', '--epochs', '400', '--early-stopping', '3', '--lr', '0.05', '--quiet'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trained (\d+) epochs in [\d.]+ s \(early stopping; kept the weights of epoch \d+, the best validation loss\)/);
  });
});

describe('sloika predict and eval', () => {
  it('predict writes labels and per-class probabilities; the target column may be absent', async () => {
    const r = await sloika(['predict', 'flowers.sloika', 'new-flowers.csv'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('color,x2,x1,predicted,probability_setosa,probability_versicolor,probability_virginica');
    expect(lines).toHaveLength(4);
    const rows = lines.slice(1).map((l) => l.split(','));
    for (const row of rows) {
      expect(['setosa', 'versicolor', 'virginica']).toContain(row[3]);
      const p = row.slice(4).map(Number);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row[3]).toBe(['setosa', 'versicolor', 'virginica'][p.indexOf(Math.max(...p))]);
    }
    expect(rows[1]![3]).toBe('setosa'); // x1 + x2 = 1 < 7
  });

  it('predict --out writes a file; regression predictions come back in original units', async () => {
    const r = await sloika(['predict', 'h.sloika', 'houses.csv', '--out', 'preds.csv'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('wrote 120 predictions to preds.csv\n');
    const lines = readFileSync(join(dir, 'preds.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('x1,x2,color,price,rent,predicted_price,predicted_rent');
    const errors = lines.slice(1).map((l) => l.split(',').map(Number)).map((c) => Math.abs(c[5]! - c[3]!));
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(120); // price spans ~500..2000
  });

  it('eval --json gives accuracy for classification and r2/rmse/mae (+ perTarget) for regression', async () => {
    const c = await sloika(['eval', 'flowers.sloika', 'flowers.csv', '--json'], dir);
    expect(c.code).toBe(0);
    const cj = JSON.parse(c.stdout);
    expect(cj.accuracy).toBeGreaterThan(0.7);
    expect(cj.rows).toBe(120);
    const g = JSON.parse((await sloika(['eval', 'h.sloika', 'houses.csv', '--json'], dir)).stdout);
    expect(g.r2).toBeGreaterThan(0.8);
    expect(g.perTarget.rent.mae).toBeGreaterThanOrEqual(0);
    const text = await sloika(['eval', 'p.sloika', 'patients.csv'], dir);
    expect(text.stdout).toMatch(/^patients\.csv: 120 rows, binary\neval accuracy {3}0\.\d{4}/);
  });
});

describe('sloika summary and graph', () => {
  it('summary prints the layers and the stored preprocessing', async () => {
    const r = await sloika(['summary', 'flowers.sloika'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/linear_1\s+Linear\s+\[N, 64\]\s+384/); // (5 inputs + 1) × 64
    expect(r.stdout).toContain('task: multiclass classification of "species", classes setosa, versicolor, virginica');
    expect(r.stdout).toMatch(/ {2}x1: numeric, standardised \(mean [\d.]+, std [\d.]+\)/);
    expect(r.stdout).toContain('  color: text, one-hot over 3 categories (blue, green, red)');
  });

  it('graph writes SVG, Mermaid and DOT', async () => {
    for (const [flag, start] of [['--svg', '<svg'], ['--mermaid', 'flowchart'], ['--dot', 'digraph']] as const) {
      const out = `g.${flag.slice(2)}`;
      const r = await sloika(['graph', 'flowers.sloika', flag, out], dir);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, out), 'utf8').trimStart().startsWith(start)).toBe(true);
    }
    const stdout = await sloika(['graph', 'flowers.sloika', '--mermaid', '-'], dir);
    expect(stdout.stdout).toContain('linear_1');
    const none = await sloika(['graph', 'flowers.sloika'], dir);
    expect([none.code, none.stderr]).toEqual([2, 'sloika: give exactly one of --svg FILE, --mermaid FILE or --dot FILE\n']);
  });
});

describe('help and exit codes', () => {
  it('the package bin is the built main with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ sloika: './dist/cli/main.js' });
    expect(readFileSync(MAIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('--help on every command shows an example and exits 0', async () => {
    for (const cmd of [[], ['train'], ['predict'], ['eval'], ['summary'], ['graph']]) {
      const r = await sloika([...cmd, '--help'], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples?:\n {2}\$ sloika /);
    }
  });

  it('a usage mistake exits 2 with one line; no arguments prints the help and exits 2', async () => {
    const r = await sloika(['train', 'flowers.csv', '--target', 'species', '--epoch', '3'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("sloika: unknown option '--epoch'");
    const none = await sloika([], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: sloika');
    const bad = await sloika(['train', 'flowers.csv', '--target', 'species', '--epochs', 'many'], dir);
    expect([bad.code, bad.stderr]).toEqual([2, 'sloika: --epochs must be a whole number from 1 to 1000000, got "many"\n']);
  });

  it('Ctrl-C during training leaves no model file and no temporary file', async () => {
    const before = filesIn(dir);
    writeFileSync(join(dir, 'big.csv'), csv(data.header, Array.from({ length: 20 }, () => data.rows).flat()));
    const r = await sloika(['train', 'big.csv', '--target', 'species', '--out', 'interrupted.sloika', '--epochs', '100000'], dir, (child) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        if (String(chunk).includes('epoch 1/')) child.kill('SIGINT');
      });
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('sloika: interrupted; nothing was saved');
    expect(existsSync(join(dir, 'interrupted.sloika'))).toBe(false);
    expect(filesIn(dir)).toEqual([...before, 'big.csv'].sort());
  });
});
