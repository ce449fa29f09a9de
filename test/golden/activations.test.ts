// Every activation case of golden/activations.json: Y, dX (the VJP with G) and prelu's dAlpha,
// in float64 at the README's tolerance and in float32 at rtol 1e-4.
import { afterAll, describe, expect, it } from 'vitest';
import {
  elu, identity, leakyRelu, logSoftmax, mul, prelu, PReLU, relu, sigmoid, softmax, sum, tanh,
  type DType, type Tensor,
} from '../../src/index.js';
import { expectClose, F32, F64, loadGolden, reportWorst, t, type Nested, type Tolerance } from './load.js';

interface ActivationCase {
  name: string;
  activation: string;
  params: { alpha?: number | number[]; alpha_shape?: 'scalar' | 'per_channel'; axis?: number };
  X: Nested;
  G: Nested;
  Y: Nested;
  dX: Nested;
  dAlpha?: number | number[];
}

const cases = loadGolden<ActivationCase>('activations').cases;

/** Apply the case's activation; returns the output and, for prelu, the alpha tensor. */
function apply(c: ActivationCase, x: Tensor, dtype: DType): { y: Tensor; alpha: Tensor | null } {
  const a = c.params.alpha;
  switch (c.activation) {
    case 'relu': return { y: relu(x), alpha: null };
    case 'leaky_relu': return { y: leakyRelu(x, a as number), alpha: null };
    case 'elu': return { y: elu(x, a as number), alpha: null };
    case 'sigmoid': return { y: sigmoid(x), alpha: null };
    case 'tanh': return { y: tanh(x), alpha: null };
    case 'softmax': return { y: softmax(x), alpha: null };
    case 'log_softmax': return { y: logSoftmax(x), alpha: null };
    case 'identity': return { y: identity(x), alpha: null };
    case 'prelu': {
      const alpha = t(Array.isArray(a) ? a : [a as number], dtype, true);
      return { y: prelu(x, alpha), alpha };
    }
    default: throw new Error(`unknown activation ${c.activation}`);
  }
}

function check(c: ActivationCase, dtype: DType, tol: Tolerance): void {
  const x = t(c.X, dtype, true);
  const { y, alpha } = apply(c, x, dtype);
  expectClose(y, c.Y, tol, `${c.name} ${dtype} Y`, `${dtype} Y`);
  // sum(Y ⊙ G) has gradient G with respect to Y, so x.grad is the stored VJP.
  sum(mul(y, t(c.G, dtype))).backward();
  expectClose(x.grad!, c.dX, tol, `${c.name} ${dtype} dX`, `${dtype} dX`);
  if (c.activation === 'prelu') {
    expect(c.dAlpha, 'prelu cases carry dAlpha').toBeDefined();
    expectClose(alpha!.grad!, c.dAlpha!, tol, `${c.name} ${dtype} dAlpha`, `${dtype} dAlpha`);
  }
}

describe('golden activations (PyTorch float64)', () => {
  it('has the 36 documented cases', () => {
    expect(cases).toHaveLength(36);
  });

  for (const c of cases) {
    it(`${c.name} in float64`, () => check(c, 'float64', F64));
    it(`${c.name} in float32`, () => check(c, 'float32', F32));
  }

  it('prelu cases through the PReLU layer, alpha loaded by replacing .data', () => {
    for (const c of cases.filter((k) => k.activation === 'prelu')) {
      const alpha = Array.isArray(c.params.alpha) ? c.params.alpha : [c.params.alpha!];
      const layer = new PReLU({ numParameters: alpha.length, dtype: 'float64' });
      layer.alpha.data = Float64Array.from(alpha);
      const x = t(c.X, 'float64', true);
      const y = layer.forward(x);
      expectClose(y, c.Y, F64, `${c.name} layer Y`, 'float64 PReLU layer');
      sum(mul(y, t(c.G, 'float64'))).backward();
      expectClose(x.grad!, c.dX, F64, `${c.name} layer dX`, 'float64 PReLU layer');
      expectClose(layer.alpha.grad!, c.dAlpha!, F64, `${c.name} layer dAlpha`, 'float64 PReLU layer');
    }
  });

  afterAll(() => reportWorst('golden activations, worst errors'));
});
