import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/tensor/dtype.js';

// allocate() hands out small arrays as views into a shared slab; each must still behave as a
// fresh, zeroed, independent array of its own length.
describe('allocate', () => {
  it('gives zeroed, independent arrays of the asked type and length on both sides of the slab sizes', () => {
    const arrays = [];
    for (const dtype of ['float32', 'float64'] as const) {
      for (const n of [0, 1, 16, 17, 80, 127, 128, 129, 255, 256, 257, 5000]) {
        const a = allocate(dtype, n);
        expect(a).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        expect(a.length).toBe(n);
        expect(a.every((v) => v === 0)).toBe(true);
        a.fill(n + 0.5);
        arrays.push(a);
      }
    }
    // Writing each array never touched its neighbours in the slab.
    for (const a of arrays) expect(a.every((v) => v === a.length + 0.5)).toBe(true);
  });

  it('keeps handing out fresh arrays after a slab fills up', () => {
    const many = Array.from({ length: 500 }, (_, i) => {
      const a = allocate('float32', 200);
      a.fill(i);
      return a;
    });
    many.forEach((a, i) => expect(a[0] === i && a[199] === i).toBe(true));
  });
});
