import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { allocateParameter, allocateResident, isResident, residencyAvailable } from '../../src/kernels/resident.js';
import { wasmRuntime } from '../../src/kernels/wasm/runtime.js';
import { Linear } from '../../src/nn/linear.js';
import { PReLU } from '../../src/nn/prelu.js';

// Parameters in the wasm kernels' shared memory: where they come from, and that the memory is
// given back when they are garbage-collected.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('resident parameters', () => {
  it('Linear and PReLU parameters live in the kernels memory in Node; float64 ones do not', () => {
    expect(residencyAvailable()).toBe(true);
    const layer = new Linear(3, 2, { seed: 1 });
    expect(isResident(layer.weight.data)).toBe(true);
    expect(isResident(layer.bias!.data)).toBe(true);
    expect(Array.from(new PReLU({ numParameters: 2 }).alpha.data)).toEqual([0.25, 0.25]);
    expect(isResident(new PReLU().alpha.data)).toBe(true);
    expect(isResident(new Linear(3, 2, { dtype: 'float64' }).weight.data)).toBe(false);
    expect(allocateParameter('float64', 3)).toBeInstanceOf(Float64Array);
    expect(isResident(new Float32Array(4))).toBe(false);
  });

  it('a reused block comes back zero-filled', () => {
    for (let i = 0; i < 5; i++) {
      const x = allocateResident(64);
      expect(x.every((v) => v === 0)).toBe(true);
      x.fill(9);
    }
  });

  it('frees a block once its array is garbage-collected', async () => {
    const heap = wasmRuntime!.heap;
    const before = heap.bytesInUse;
    (() => {
      for (let i = 0; i < 10; i++) allocateResident(100_000);
    })();
    expect(heap.bytesInUse).toBeGreaterThanOrEqual(before + 10 * 400_000);
    for (let round = 0; round < 50 && heap.bytesInUse > before; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5)); // finalizers run as later tasks
    }
    expect(heap.bytesInUse).toBeLessThanOrEqual(before);
  });
});
