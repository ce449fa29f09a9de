import { describe, expect, it } from 'vitest';
import { parsePointsCsv } from '../../playground/src/csv.js';

describe('parsePointsCsv', () => {
  it('reads a header and 0/1 labels as a binary set', () => {
    const r = parsePointsCsv('x1,x2,label\n1,2,0\n-1,0.5,1\n');
    expect(r.problem).toBe('binary');
    expect(r.points).toEqual([{ x1: 1, x2: 2, y: 0 }, { x1: -1, x2: 0.5, y: 1 }]);
  });

  it('makes labels 0..3 a four-class set and scales points into the plane', () => {
    const r = parsePointsCsv('0,0,0\n11,0,1\n0,-11,2\n5.5,5.5,3');
    expect(r.problem).toBe('multiclass');
    expect(r.classes).toBe(4);
    expect(r.points[1]).toEqual({ x1: 5.5, x2: 0, y: 1 });
    expect(r.note).toMatch(/scaled by 0.500/);
  });

  it('treats other labels as regression values scaled to [-1, 1]', () => {
    const r = parsePointsCsv('0,0,-4\n1,1,2\n');
    expect(r.problem).toBe('regression');
    expect(r.points.map((p) => p.y)).toEqual([-1, 0.5]);
  });

  it('names the line and column of a bad cell', () => {
    expect(() => parsePointsCsv('x1,x2,label\n1,2,0\n3,abc,1')).toThrow("CSV line 3, column 2 (x2): 'abc' is not a number");
    expect(() => parsePointsCsv('1,2,0\n3,4')).toThrow('CSV line 2: expected 3 columns x1,x2,label, found 2');
  });
});
