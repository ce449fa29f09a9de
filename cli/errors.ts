// Exit codes and the one kind of error the CLI shows without a stack trace.

import { DataError } from '../src/data/table.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;

/** A mistake the user can fix (bad option, bad file); shown as one line, exit code 2. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** One line for the user and the exit code an error deserves. */
export function describeError(err: unknown): { line: string; code: number } {
  if (err instanceof UserError || err instanceof DataError) return { line: oneLine(err.message), code: EXIT_USAGE };
  const message = err instanceof Error ? err.message : String(err);
  return { line: `internal error: ${oneLine(message)} (please report it; set SLOIKA_DEBUG=1 for details)`, code: EXIT_INTERNAL };
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
