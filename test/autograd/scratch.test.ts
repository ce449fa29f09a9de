import { describe, expect, it } from 'vitest';
import { scratchBuffer } from '../../src/autograd/scratch.js';

describe('scratchBuffer', () => {
  it('hands out a buffer of the exact length and dtype, and the same one again for the same request', () => {
    const a = scratchBuffer('float32', 80);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(80);
    expect(scratchBuffer('float32', 80)).toBe(a);
    const b = scratchBuffer('float64', 80);
    expect(b).toBeInstanceOf(Float64Array);
    expect(b).not.toBe(a);
    expect(scratchBuffer('float32', 81).length).toBe(81);
  });
});
