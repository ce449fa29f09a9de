// Files appear whole or not at all: sloika/node's writeFileAtomic writes a temporary file beside
// the target, flushes it and renames it (atomic on one file system), so a crash or Ctrl-C never
// leaves half a file. Writes are synchronous, so a signal handler never runs in the middle of one.

import { writeFileAtomic as writeAtomic } from '../src/node.js';
import { UserError } from './errors.js';

const USER_CODES = new Set(['ENOENT', 'EACCES', 'EISDIR', 'EROFS', 'ENOTDIR', 'EPERM', 'ENOSPC']);

/**
 * Write `data` to `path` atomically; a path that cannot be written is a user error.
 * @example writeFileAtomic('preds.csv', 'a,b\n1,2\n');
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  try {
    writeAtomic(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && USER_CODES.has(code)) {
      const why = code === 'ENOENT' ? 'the folder does not exist' : code === 'ENOSPC' ? 'the disk is full' : (err as Error).message.split(',')[0];
      throw new UserError(`cannot write ${path}: ${why}; choose another path`);
    }
    throw err;
  }
}
