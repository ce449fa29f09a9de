// Files appear whole or not at all: write a temporary file beside the target, then rename
// (atomic on one file system), so a crash or Ctrl-C never leaves half a file.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from './errors.js';

const pendingTemps = new Set<string>();

/** Temporary files still being written (removed by `removePendingTemps` on interruption). */
export function removePendingTemps(): void {
  for (const t of pendingTemps) rmSync(t, { force: true });
  pendingTemps.clear();
}

/**
 * Write `data` to `path` atomically.
 * @example writeFileAtomic('preds.csv', 'a,b\n1,2\n');
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  pendingTemps.add(temp);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EPERM') {
      throw new UserError(`cannot write ${path}: ${code === 'ENOENT' ? 'the folder does not exist' : (err as Error).message.split(',')[0]}; choose another path`);
    }
    throw err;
  } finally {
    pendingTemps.delete(temp);
  }
}
