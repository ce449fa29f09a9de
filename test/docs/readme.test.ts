// The README is the front door: every TypeScript block in it must run exactly as written
// when pasted into a file in the checkout (so 'sloika' resolves to the built package).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The ```ts blocks of the README with the line each starts on. */
function tsBlocks(text: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

// Scratch files live inside the checkout so that `import 'sloika'` resolves as a user's would.
const scratch = mkdtempSync(join(root, '.readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README TypeScript examples', () => {
  const blocks = tsBlocks(readme);

  it('has examples, and every one imports from sloika', () => {
    expect(blocks.length).toBeGreaterThan(3);
    for (const b of blocks) expect(b.code, `block at README line ${b.line}`).toMatch(/from 'sloika(\/node)?'/);
  });

  for (const block of blocks) {
    it.concurrent(`runs the block at README line ${block.line}`, async () => {
      const file = join(scratch, `block-${block.line}.ts`);
      writeFileSync(file, block.code);
      const tsx = join(root, 'node_modules', '.bin', 'tsx');
      const { stderr } = await run(tsx, [file], { cwd: scratch, timeout: 60_000 });
      expect(stderr).not.toMatch(/Error/);
    });
  }
});
