import { describe, expect, it } from 'vitest';
import { createWasmElementwise, type ElementwiseActivation, type WasmElementwise } from '../../../src/kernels/wasm/elementwise.js';
import { createWasmRuntime } from '../../../src/kernels/wasm/runtime.js';
import { expTableForWasm, sigmoidConstantsForWasm, tanhFloat32Into } from '../../../src/ops/fastExp.js';
import { sigmoidFloat32Into } from '../../../src/ops/sigmoidFloat32.js';
import { Random } from '../../../src/tensor/random.js';

// The SIMD activation kernels against the TypeScript loops, bit for bit: random data of odd sizes
// (the kernels run over whole v128s, the driver pads) and every kind of special value, over both
// builds (shared memory, and the private memory of browsers without cross-origin isolation).

const SPECIAL_BITS = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x00000001, 0x80000001,
  0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000,
];
const SPECIAL_VALUES = [1e-4, -1e-4, 9.99e-5, 20, -20, 20.5, -20.5, 80, -80, 87.3, -87.3, 88.8, -88.8, 103.9, -103.9, 104, -104, 104.5, -104.5, 1e30, -1e30];

/** n float32 values: specials first, then random bit patterns and random values of all scales. */
function inputs(n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  const x = new Float32Array(n);
  const bits = new Uint32Array(x.buffer);
  for (let i = 0; i < n; i++) {
    if (i < SPECIAL_BITS.length) bits[i] = SPECIAL_BITS[i]!;
    else if (i < SPECIAL_BITS.length + SPECIAL_VALUES.length) x[i] = SPECIAL_VALUES[i - SPECIAL_BITS.length]!;
    else if (i % 3 === 0) bits[i] = rng.nextUint32();
    else x[i] = rng.range(-1, 1) * 10 ** rng.range(-8, 2.2);
  }
  return x;
}

/** The TypeScript path of f: the loops run on pieces too short for the kernels. */
function typescriptPath(kind: ElementwiseActivation, x: Float32Array): Float32Array {
  const y = new Float32Array(x.length);
  if (kind === 'relu') for (let i = 0; i < x.length; i++) y[i] = x[i]! < 0 ? 0 : x[i]!;
  else {
    const into = kind === 'sigmoid' ? sigmoidFloat32Into : tanhFloat32Into;
    for (let k = 0; k < x.length; k += 15) into(x.subarray(k, k + 15), y.subarray(k, k + 15));
  }
  return y;
}

/** The backward rules (ops/activations.ts: torch's, each operation rounded to float32). */
function typescriptGrad(kind: ElementwiseActivation, y: Float32Array, g: Float32Array): Float32Array {
  const gx = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    gx[i] = kind === 'relu' ? (v <= 0 ? 0 : g[i]!) : kind === 'sigmoid' ? Math.fround(g[i]! * Math.fround(1 - v)) * v : g[i]! * Math.fround(1 - v * v);
  }
  return gx;
}

/** Index of the first element whose bits differ (any NaN equals any NaN), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  }
  return -1;
}

function expectSame(a: Float32Array, b: Float32Array, what: string, x: Float32Array): void {
  const i = firstDifference(a, b);
  expect(i, i < 0 ? what : `${what} at [${i}], x = ${x[i]}: ${a[i]} vs ${b[i]}`).toBe(-1);
}

const KINDS: ElementwiseActivation[] = ['relu', 'sigmoid', 'tanh'];
const SIZES = [1, 3, 17, 1023, 1_000_003];

for (const memory of ['shared', 'private'] as const) {
  const rt = createWasmRuntime(memory);
  describe.runIf(rt !== null)(`elementwise kernels (${memory} memory)`, () => {
    const ew: WasmElementwise = createWasmElementwise(rt!, expTableForWasm(), sigmoidConstantsForWasm());

    for (const kind of KINDS) {
      it(`${kind}: forward and backward equal the TypeScript loops bit for bit, sizes ${SIZES.join(', ')}`, () => {
        for (const n of SIZES) {
          const x = inputs(n, n);
          const g = inputs(n, n + 1);
          const expected = typescriptPath(kind, x);
          const y = ew.forward(kind, x)!;
          expectSame(y, expected, `${kind}(x), n = ${n}`, x);
          // Backward right after forward reads y where forward left it; then from a copy of y.
          const gradExpected = typescriptGrad(kind, expected, g);
          expectSame(ew.backward(kind, y, g)!, gradExpected, `${kind}′, n = ${n}`, x);
          expectSame(ew.backward(kind, y.slice(), g)!, gradExpected, `${kind}′ from a copy, n = ${n}`, x);
        }
      });
    }

    it('writes into a given array, in place too, and returns fresh arrays otherwise', () => {
      const x = inputs(1000, 5);
      const expected = typescriptPath('tanh', x);
      const out = new Float32Array(1000);
      expect(ew.forward('tanh', x, out)).toBe(out);
      expectSame(out, expected, 'into out', x);
      const inPlace = x.slice();
      ew.forward('tanh', inPlace, inPlace);
      expectSame(inPlace, expected, 'in place', x);
      const a = ew.forward('relu', x)!;
      const b = ew.forward('relu', x)!;
      expect(a).not.toBe(b);
      expect(a.buffer).not.toBe(b.buffer);
      const gx = new Float32Array(1000);
      expect(ew.backward('relu', a, x, gx)).toBe(gx);
      expectSame(gx, typescriptGrad('relu', a, x), 'gradient into out', x);
    });

    it('does not mistake an older output for the one the scratch block holds', () => {
      const x1 = inputs(5000, 6);
      const x2 = inputs(5000, 7);
      const g = inputs(5000, 8);
      const y1 = ew.forward('sigmoid', x1)!;
      const y2 = ew.forward('sigmoid', x2)!; // overwrites y1's values in the scratch block
      expectSame(ew.backward('sigmoid', y1, g)!, typescriptGrad('sigmoid', y1, g), 'older output', x1);
      expectSame(ew.backward('sigmoid', y2, g)!, typescriptGrad('sigmoid', y2, g), 'newer output', x2);
      // A larger call moves the scratch block: the next backward must copy y in again.
      const y3 = ew.forward('relu', inputs(100, 9))!;
      ew.forward('relu', inputs(200_000, 10));
      expectSame(ew.backward('relu', y3, g.subarray(0, 100))!, typescriptGrad('relu', y3, g.subarray(0, 100)), 'after growth', x1);
    });
  });
}
