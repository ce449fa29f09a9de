import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, csv, ensureBuilt, sloika, workspace } from './run.js';

// `sloika predict … | head -1`: the reader closes the pipe after the first line. The output
// (about 1.5 MB) must outgrow the pipe's buffer for the child's write to fail.
let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  const rows = Array.from({ length: 30000 }, (_, i) => [i % 7, (i * 13) % 11, i % 2 ? 'yes' : 'no']);
  dir = workspace({ 'big.csv': csv(['a', 'b', 'y'], rows), 'small.csv': csv(['a', 'b', 'y'], rows.slice(0, 100)) });
  const r = await sloika(['train', 'small.csv', '--target', 'y', '--epochs', '1', '--quiet', '--out', 'big.sloika'], dir);
  expect(r.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stdout closed early', () => {
  it('predict stops quietly (no EPIPE stack trace, exit 0) when the reader closes the pipe', async () => {
    const child = spawn(process.execPath, [MAIN, 'predict', 'big.sloika', 'big.csv'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // like `head -1`
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
