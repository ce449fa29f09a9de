// Running the built `sloika` command as a user would: a child process with its own cwd.
// `npm test` builds first; when dist/ is missing or older than the sources, the first caller
// builds it (under a lock, since test files run in parallel).

import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = join(ROOT, 'dist/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  return existsSync(MAIN) && statSync(MAIN).mtimeMs >= Math.max(newestSource(join(ROOT, 'cli')), newestSource(join(ROOT, 'src')));
}

/** Build dist/ unless it is up to date. */
export async function ensureBuilt(): Promise<void> {
  if (fresh()) return;
  const lock = join(ROOT, 'dist', '.cli-test-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  try {
    mkdirSync(lock);
  } catch {
    while (existsSync(lock)) await new Promise((r) => setTimeout(r, 200));
    return;
  }
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'ignore' });
  } catch {
    // A type error elsewhere still emits JavaScript; the tests then show what breaks.
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `sloika ...args` in `cwd`; resolves when it exits. `onStart` sees the child (to send signals). */
export function sloika(args: string[], cwd: string, onStart?: (child: ChildProcess) => void): Promise<RunResult> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [MAIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
    onStart?.(child);
  });
}

/** A fresh temporary folder with the given files. */
export function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sloika-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Lines of CSV from a header and rows. */
export function csv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** The files in a folder (to check nothing half-written was left). */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/**
 * A small seeded table: x1, x2 numeric, color text, and targets for each task —
 * species (3 text classes from x1/x2), sick (yes/no), price and rent (linear in x1, x2, color).
 */
export function sampleRows(n: number, seed = 1): { header: string[]; rows: (string | number)[][] } {
  let s = seed;
  const rand = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const colors = ['red', 'green', 'blue'];
  const rows: (string | number)[][] = [];
  for (let i = 0; i < n; i++) {
    const x1 = Number((rand() * 10).toFixed(2));
    const x2 = Number((rand() * 10).toFixed(2));
    const color = colors[i % 3]!;
    const species = x1 + x2 < 7 ? 'setosa' : x1 > x2 ? 'versicolor' : 'virginica';
    const sick = x1 > 5 ? 'yes' : 'no';
    const price = Number((1000 + 100 * x1 - 50 * x2 + (color === 'red' ? 200 : 0)).toFixed(1));
    const rent = Number((10 + 2 * x2).toFixed(1));
    rows.push([x1, x2, color, species, sick, price, rent]);
  }
  return { header: ['x1', 'x2', 'color', 'species', 'sick', 'price', 'rent'], rows };
}
