// Turning option strings into checked values; every mistake names the option and what is allowed.

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from './errors.js';

/** An integer option within [min, max]. */
export function intOption(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = Number(value);
  if (!/^[+-]?\d+$/.test(value.trim()) || v < min || v > max) {
    throw new UserError(`--${name} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` ≥ ${min}`}, got "${value}"`);
  }
  return v;
}

/** A number option in an interval; `open` excludes the ends. */
export function numberOption(name: string, value: string, lo: number, hi: number, open: { lo?: boolean; hi?: boolean } = {}): number {
  const v = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(v) && (open.lo ? v > lo : v >= lo) && (open.hi ? v < hi : v <= hi);
  if (!ok) {
    const range = `${open.lo ? '(' : '['}${lo}, ${hi === Infinity ? '∞' : hi}${open.hi || hi === Infinity ? ')' : ']'}`;
    throw new UserError(`--${name} must be a number in ${range}, got "${value}"`);
  }
  return v;
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new UserError(`--${name} must be one of ${choices.join(', ')}; got "${value}"`);
  return value as T;
}

/** Layer widths such as "64,32"; "none" or "" for no hidden layer. */
export function hiddenOption(value: string): number[] {
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((w) => {
    const t = w.trim();
    if (!/^\d+$/.test(t) || Number(t) < 1) throw new UserError(`--hidden takes layer widths separated by commas, such as 64,32 (or "none"); "${w}" is not a positive whole number`);
    return Number(t);
  });
}

/** Comma-separated column names (a name may not be empty). */
export function columnList(name: string, value: string): string[] {
  const cols = value.split(',').map((c) => c.trim());
  if (cols.some((c) => c === '')) throw new UserError(`--${name} takes column names separated by commas, got "${value}"`);
  const twice = cols.find((c, i) => cols.indexOf(c) !== i);
  if (twice !== undefined) throw new UserError(`--${name} names the column "${twice}" twice; give each column once`);
  return cols;
}

/** Fail before any work when a file could not be written there later. */
export function checkWritable(option: string, path: string): void {
  const full = resolve(path);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${option} ${path}: the folder ${dirname(path)} does not exist; create it or choose another path`);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UserError(`${option} ${path} is a folder; give a file name`);
}
