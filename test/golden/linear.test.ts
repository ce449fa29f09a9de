// golden/linear.json through the Linear layer: reference W and b loaded by replacing `.data`
// (as DESIGN.md allows), then Y, dX, dW and db compared.
import { afterAll, describe, expect, it } from 'vitest';
import { Linear, mul, sum, type DType } from '../../src/index.js';
import { expectClose, F32, F64, flat, loadGolden, reportWorst, t, type Nested, type Tolerance } from './load.js';

interface LinearCase {
  name: string;
  N: number;
  in: number;
  out: number;
  X: Nested;
  W: Nested;
  b: number[];
  G: Nested;
  Y: Nested;
  dX: Nested;
  dW: Nested;
  db: number[];
}

const cases = loadGolden<LinearCase>('linear').cases;

function check(c: LinearCase, dtype: DType, tol: Tolerance): void {
  const layer = new Linear(c.in, c.out, { seed: 0, dtype });
  expect(layer.weight.shape).toEqual([c.in, c.out]);
  layer.weight.data = dtype === 'float64' ? Float64Array.from(flat(c.W)) : Float32Array.from(flat(c.W));
  layer.bias!.data = dtype === 'float64' ? Float64Array.from(c.b) : Float32Array.from(c.b);
  const x = t(c.X, dtype, true);
  const y = layer.forward(x);
  expectClose(y, c.Y, tol, `${c.name} ${dtype} Y`, `${dtype} Y`);
  sum(mul(y, t(c.G, dtype))).backward();
  expectClose(x.grad!, c.dX, tol, `${c.name} ${dtype} dX`, `${dtype} dX`);
  expectClose(layer.weight.grad!, c.dW, tol, `${c.name} ${dtype} dW`, `${dtype} dW`);
  expectClose(layer.bias!.grad!, c.db, tol, `${c.name} ${dtype} db`, `${dtype} db`);
}

describe('golden linear (PyTorch float64, W as [in, out])', () => {
  it('has the 7 documented shapes', () => {
    expect(cases.map((c) => [c.N, c.in, c.out])).toEqual([[1, 3, 2], [4, 5, 3], [3, 4, 1], [1, 1, 1], [6, 2, 5], [8, 10, 4], [1, 7, 1]]);
  });

  for (const c of cases) {
    it(`${c.name} in float64`, () => check(c, 'float64', F64));
    it(`${c.name} in float32`, () => check(c, 'float32', F32));
  }

  afterAll(() => reportWorst('golden linear, worst errors'));
});
