// Runs every example as a user would (`npx tsx examples/<file>.ts`), with small sizes, and
// checks what it prints. 'sloika' resolves to src/ through ./tsconfig.json, so no build is needed.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function run(file: string, env: Record<string, string>): Promise<string> {
  return promisify(execFile)(tsx, ['--tsconfig', 'test/examples/tsconfig.json', `examples/${file}`], {
    cwd: root,
    env: { ...process.env, ...env },
    timeout: 90_000,
  }).then((r) => r.stdout);
}

/** The losses printed on `epoch … loss …` lines, in order. */
const losses = (out: string) => [...out.matchAll(/^epoch +\d+ +loss ([\d.]+)/gm)].map((m) => Number(m[1]));
const number = (out: string, re: RegExp) => Number(out.match(re)?.[1]);

// Start all four at once: they are mostly start-up time.
const outputs = {
  twoBranch: run('two-branch.ts', { SLOIKA_EPOCHS: '120', SLOIKA_POINTS: '60' }),
  twoInputs: run('two-inputs.ts', { SLOIKA_EPOCHS: '40', SLOIKA_ROWS: '200' }),
  cats: run('cats.ts', { SLOIKA_EPOCHS: '40', SLOIKA_ROWS: '200' }),
  lowRank: run('low-rank.ts', { SLOIKA_EPOCHS: '60', SLOIKA_ROWS: '100' }),
};
// A failure is reported by the test that awaits it, not as an unhandled rejection before.
for (const p of Object.values(outputs)) p.catch(() => undefined);

describe('examples', () => {
  it('two-branch: prints the handbook walk-through, a falling loss and the accuracy', async () => {
    const out = await outputs.twoBranch;
    for (const row of ['X0         Input    [N, 2]        0', 'linear_1   Linear   [N, 16]      48  X0', 'relu_1     ReLU     [N, 16]       0  linear_1',
      'sigmoid_1  Sigmoid  [N, 8]        0  linear_2', 'concat_1   Concat   [N, 24]       0  relu_1, sigmoid_1', 'y          Linear   [N, 3]       75  concat_1']) {
      expect(out).toContain(row);
    }
    const l = losses(out);
    expect(l.length).toBeGreaterThanOrEqual(5);
    expect(l.at(-1)!).toBeLessThan(l[0]! * 0.5);
    expect(number(out, /accuracy ([\d.]+) on 180 points/)).toBeGreaterThan(0.7);
  });

  it('two-inputs: two inputs transformed differently, joined, and learned', async () => {
    const out = await outputs.twoInputs;
    expect(out).toContain('image     Input   [N, 16]');
    expect(out).toContain('extra     Input   [N, 3]');
    expect(out).toContain('concat_1  Concat  [N, 12]       0  relu_1, tanh_1');
    const l = losses(out);
    expect(l.at(-1)!).toBeLessThan(l[0]!);
    expect(number(out, /accuracy ([\d.]+) on 200 rows/)).toBeGreaterThan(0.9);
  });

  it('cats: a regression head and a multiclass head with weighted losses', async () => {
    const out = await outputs.cats;
    expect(out).toContain("output 'count' ← count [N, 1]  (regression: identity, mean squared error, loss weight 1)");
    expect(out).toContain("output 'breed' ← breed [N, 3]  (multiclass: softmax, cross-entropy, loss weight 0.5)");
    const lines = [...out.matchAll(/loss ([\d.]+) {2}\(count MSE ([\d.]+), breed CE ([\d.]+)\)/g)].map((m) => m.slice(1).map(Number));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const [total, mse, ce] of lines) expect(total).toBeCloseTo(1 * mse! + 0.5 * ce!, 3);
    expect(lines.at(-1)![0]).toBeLessThan(lines[0]![0]!);
    expect(number(out, /breed: accuracy ([\d.]+)/)).toBeGreaterThan(0.9);
    expect(number(out, /mean absolute error ([\d.]+) cats/)).toBeLessThan(1);
  });

  it('low-rank: m → k → n equals one Linear of rank ≤ k', async () => {
    const out = await outputs.lowRank;
    expect(out).toContain('down  Linear  [N, 2]       26  x');
    expect(out).toContain('one Linear(12, 10) would need 130 parameters; the bottleneck has 56');
    expect(out).toContain('W = W1·W2 has shape [12, 10] and rank 2 (≤ k = 2)');
    expect(number(out, /on 20 rows: ([\d.e+-]+)/)).toBeLessThan(1e-4);
    const l = losses(out);
    expect(l.at(-1)!).toBeLessThan(l[0]! / 10);
  });
});
