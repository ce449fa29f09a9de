import { describe, expect, it } from 'vitest';
import { guidedRows } from '../../../src/kernels/wasm/helperProtocol.js';

// The rows each take of a split product claims (guided scheduling): the sequence a lone thread
// would take covers every row once, in whole 4-row panels but the last, shrinking to the least.

function takes(M: number, least: number, shares: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < M; ) {
    const rows = guidedRows(M - row, least, shares);
    out.push(rows);
    row += rows;
  }
  return out;
}

describe('guidedRows', () => {
  it('takes a quarter of what is left for two threads, down to 16 rows: I1 batch 1024', () => {
    // By hand: 1024/4 = 256, 768/4 = 192, 576/4 = 144, 432/4 = 108, 324/4 = 81 → 84 (whole panels), …
    expect(takes(1024, 16, 4)).toEqual([256, 192, 144, 108, 84, 60, 48, 36, 24, 20, 16, 16, 16, 4]);
  });

  it('covers every row once, whole panels but the last, on odd sizes', () => {
    for (const M of [16, 17, 31, 128, 1023, 4099]) {
      for (const shares of [2, 4, 6]) {
        const t = takes(M, 16, shares);
        expect(t.reduce((s, r) => s + r, 0), `M ${M}`).toBe(M);
        expect(t.slice(0, -1).every((r) => r % 4 === 0 && r >= 16), `M ${M}: ${t.join(' ')}`).toBe(true);
        expect(t.at(-1)!).toBeGreaterThan(0);
      }
    }
  });

  it('never takes more than is left', () => {
    expect(guidedRows(5, 16, 4)).toBe(5);
    expect(guidedRows(1, 16, 4)).toBe(1);
  });
});
