import { RANGE } from './sloika.js';
import type { Problem, UserPoint } from './state.js';

// The user's own points from a CSV file: three columns x1, x2, label; an optional header line.
// Errors name the line and the column, so a user can fix the file.

export interface ParsedPoints {
  points: UserPoint[];
  problem: Problem;
  classes: number;
  /** Said to the user, e.g. that the points were scaled to fit the plane. */
  note: string;
}

/**
 * Parse "x1,x2,label" rows. Integer labels 0–4 make a classification set (binary for 0/1,
 * multiclass for 3–5 classes); any other labels make a regression set, scaled to [-1, 1].
 * Points are scaled to fit the plane when they fall outside it.
 * @example parsePointsCsv('x1,x2,label\n1,2,0\n-1,0.5,1').problem; // 'binary'
 */
export function parsePointsCsv(text: string): ParsedPoints {
  const rows: [number, number, number][] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    const nums = cells.map(Number);
    if (rows.length === 0 && nums.some((v, j) => !Number.isFinite(v) || cells[j] === '')) return; // header
    if (cells.length < 3) throw new RangeError(`CSV line ${i + 1}: expected 3 columns x1,x2,label, found ${cells.length}`);
    for (let j = 0; j < 3; j++) {
      if (cells[j] === '' || !Number.isFinite(nums[j])) {
        throw new RangeError(`CSV line ${i + 1}, column ${j + 1} (${['x1', 'x2', 'label'][j]}): '${cells[j]}' is not a number`);
      }
    }
    rows.push([nums[0]!, nums[1]!, nums[2]!]);
  });
  if (rows.length < 2) throw new RangeError('CSV: needs at least two rows of x1,x2,label');
  const labels = new Set(rows.map((r) => r[2]));
  const isClass = [...labels].every((v) => Number.isInteger(v) && v >= 0 && v <= 4);
  const maxLabel = Math.max(...labels);
  let problem: Problem = 'regression';
  let classes = 3;
  if (isClass && maxLabel <= 1) problem = 'binary';
  else if (isClass && maxLabel >= 2) {
    problem = 'multiclass';
    classes = Math.max(3, maxLabel + 1);
  }
  const notes: string[] = [];
  const extent = Math.max(...rows.map((r) => Math.max(Math.abs(r[0]), Math.abs(r[1]))));
  const scale = extent > RANGE ? (RANGE - 0.5) / extent : 1;
  if (scale !== 1) notes.push(`points scaled by ${scale.toPrecision(3)} to fit the plane`);
  const ymax = Math.max(...rows.map((r) => Math.abs(r[2])));
  const yScale = problem === 'regression' && ymax > 1 ? 1 / ymax : 1;
  if (yScale !== 1) notes.push(`values scaled by ${yScale.toPrecision(3)} to [-1, 1]`);
  return {
    points: rows.map(([a, b, y]) => ({ x1: a * scale, x2: b * scale, y: y * yScale })),
    problem,
    classes,
    note: `${rows.length} points, ${problem}${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}
