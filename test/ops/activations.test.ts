import { describe, expect, it } from 'vitest';
import { elu, identity, leakyRelu, mul, prelu, relu, sigmoid, sum, tanh, tensor, type Tensor } from '../../src/index.js';
import { expectGradcheck, rand, randAwayFromZero } from '../autograd/check.js';

/** Value and derivative of an elementwise op at each point, in float64. */
function valueAndSlope(f: (x: Tensor) => Tensor, points: number[]): { y: number[]; dy: number[] } {
  const x = tensor(points, { dtype: 'float64', requiresGrad: true });
  const y = f(x);
  sum(y).backward();
  return { y: Array.from(y.data), dy: Array.from(x.grad!.data) };
}

describe('ReLU family exactly at 0 (DESIGN.md: ReLU 0; the others take the negative branch)', () => {
  it('relu(0) = 0 with slope 0', () => {
    expect(valueAndSlope(relu, [0, -1, 2])).toEqual({ y: [0, 0, 2], dy: [0, 0, 1] });
  });

  it('leakyRelu(0) = 0 with slope alpha (default 0.01)', () => {
    const { y, dy } = valueAndSlope((x) => leakyRelu(x), [0, -2, 3]);
    expect(y.map((v) => v + 0)).toEqual([0, -0.02, 3]);
    expect(dy).toEqual([0.01, 0.01, 1]);
    expect(valueAndSlope((x) => leakyRelu(x, 0.2), [0]).dy).toEqual([0.2]);
  });

  it('prelu at 0: slope alpha for x, and 0 for alpha itself', () => {
    const x = tensor([[0, -2, 3]], { dtype: 'float64', requiresGrad: true });
    const alpha = tensor([0.25], { dtype: 'float64', requiresGrad: true });
    sum(prelu(x, alpha)).backward();
    expect(x.grad!.toArray()).toEqual([[0.25, 0.25, 1]]);
    // dα = Σ_{x ≤ 0} x = 0 + (−2): the zero element contributes 0.
    expect(alpha.grad!.toArray()).toEqual([-2]);
  });

  it('elu(0) = 0 with slope alpha (also for alpha ≠ 1)', () => {
    expect(valueAndSlope((x) => elu(x), [0]).dy).toEqual([1]);
    const { y, dy } = valueAndSlope((x) => elu(x, 0.5), [0, -1]);
    expect(y[0]).toBe(0);
    expect(dy[0]).toBe(0.5);
    // elu(−1; 0.5) = 0.5(e⁻¹ − 1); slope 0.5·e⁻¹.
    expect(y[1]).toBeCloseTo(0.5 * (Math.exp(-1) - 1), 15);
    expect(dy[1]).toBeCloseTo(0.5 * Math.exp(-1), 15);
  });
});
describe('NaN and −0 through the ReLU family, as PyTorch 1.13 gives them (values recorded from torch)', () => {
  // A NaN must reach the loss: a ReLU that clamped it to 0 would leave a NaN weight silently dead.
  const points = [NaN, -0, 0, -1, 2];
  /** Signed zeros shown as "-0" so toEqual tells them apart from +0 in messages too. */
  const show = (v: number[]) => v.map((x) => (Object.is(x, -0) ? '-0' : String(x)));

  for (const dtype of ['float32', 'float64'] as const) {
    it(`relu (${dtype}): NaN stays NaN, −0 stays −0; slope 1 at NaN, 0 at ±0`, () => {
      const x = tensor(points, { dtype, requiresGrad: true });
      const y = relu(x);
      sum(y).backward();
      expect(show(Array.from(y.data))).toEqual(['NaN', '-0', '0', '0', '2']);
      expect(Array.from(x.grad!.data)).toEqual([1, 0, 0, 0, 1]);
    });
  }

  it('leakyRelu, elu and prelu: NaN stays NaN, with the slope torch gives at NaN', () => {
    let x = tensor(points, { dtype: 'float64', requiresGrad: true });
    let y = leakyRelu(x, 0.1);
    sum(y).backward();
    expect(show(Array.from(y.data))).toEqual(['NaN', '-0', '0', '-0.1', '2']);
    expect(Array.from(x.grad!.data)).toEqual([0.1, 0.1, 0.1, 0.1, 1]);

    x = tensor(points, { dtype: 'float64', requiresGrad: true });
    y = elu(x);
    sum(y).backward();
    expect(Number.isNaN(y.data[0]!)).toBe(true);
    expect(Array.from(y.data.slice(2))).toEqual([0, Math.expm1(-1), 2]);
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 1, Math.exp(-1), 1]);

    x = tensor([points], { dtype: 'float64', requiresGrad: true });
    const alpha = tensor([0.25], { dtype: 'float64', requiresGrad: true });
    y = prelu(x, alpha);
    sum(y).backward();
    expect(show(Array.from(y.data))).toEqual(['NaN', '-0', '0', '-0.25', '2']);
    expect(Array.from(x.grad!.data)).toEqual([0.25, 0.25, 0.25, 0.25, 1]);
    expect(Number.isNaN(alpha.grad!.data[0]!)).toBe(true); // torch: [nan]
  });

  it('sigmoid and tanh of NaN are NaN', () => {
    expect(Number.isNaN(sigmoid(tensor([NaN])).data[0]!)).toBe(true);
    expect(Number.isNaN(tanh(tensor([NaN])).data[0]!)).toBe(true);
  });
});


describe('prelu', () => {
  it('applies one slope per feature column', () => {
    const x = tensor([[-1, -1, 2], [-2, 4, -4]]);
    const alpha = tensor([0.1, 0.2, 0.5]);
    expect(prelu(x, alpha).toArray()).toEqual([[Math.fround(-0.1), Math.fround(-0.2), 2], [Math.fround(-0.2), 4, -2]]);
  });

  it('sums the alpha gradient per column', () => {
    const x = tensor([[-1, -1, 2], [-2, 4, -4]], { dtype: 'float64' });
    const alpha = tensor([0.1, 0.2, 0.5], { dtype: 'float64', requiresGrad: true });
    sum(prelu(x, alpha)).backward();
    // Column sums of the non-positive entries: [−1 − 2, −1, −4].
    expect(alpha.grad!.toArray()).toEqual([-3, -1, -4]);
  });

  it('names the alpha shape it needs', () => {
    expect(() => prelu(tensor([[1, 2, 3]]), tensor([0.1, 0.2]))).toThrow(/alpha has shape \[2\]; it must be \[1\] or \[3\]/);
  });
});

describe('sigmoid and tanh at large inputs stay finite', () => {
  it('sigmoid at ±30 and ±500', () => {
    const { y, dy } = valueAndSlope(sigmoid, [30, -30, 500, -500]);
    expect(y.every(Number.isFinite) && dy.every(Number.isFinite)).toBe(true);
    expect(y[0]).toBeCloseTo(1 - 9.357622968840175e-14, 15);
    expect(y[1]).toBeCloseTo(9.357622968840175e-14, 25);
    expect(y[2]).toBe(1);
    expect(y[3]! / 7.124576406741286e-218).toBeCloseTo(1, 12); // e^−500, not 0, in float64
    expect(dy[2]).toBe(0);
    expect(dy[3]! / 7.124576406741286e-218).toBeCloseTo(1, 12);
  });

  it('sigmoid in float32 at ±500 gives exactly 0 and 1, no NaN', () => {
    const x = tensor([500, -500], { requiresGrad: true });
    const y = sigmoid(x);
    sum(y).backward();
    expect(y.toArray()).toEqual([1, 0]);
    expect(x.grad!.toArray()).toEqual([0, 0]);
  });

  it('tanh at ±30 and ±500', () => {
    const { y, dy } = valueAndSlope(tanh, [30, -30, 500, -500]);
    expect(y).toEqual([1, -1, 1, -1]);
    expect(dy).toEqual([0, 0, 0, 0]);
  });
});

describe('activation gradients (float64 central differences)', () => {
  const x = () => randAwayFromZero([4, 5], 1);
  it('relu, leakyRelu (default and 0.2), elu (1 and 0.5)', () => {
    expectGradcheck((x) => relu(x), [x()]);
    expectGradcheck((x) => leakyRelu(x), [x()]);
    expectGradcheck((x) => leakyRelu(x, 0.2), [x()]);
    expectGradcheck((x) => elu(x), [x()]);
    expectGradcheck((x) => elu(x, 0.5), [x()]);
  });

  it('prelu with a scalar alpha and with one alpha per feature (x and alpha)', () => {
    expectGradcheck((x, a) => prelu(x, a), [x(), tensor([0.25], { dtype: 'float64', requiresGrad: true })]);
    expectGradcheck((x, a) => prelu(x, a), [x(), rand([5], 2, 0, 1)]);
  });

  it('sigmoid, tanh, identity', () => {
    expectGradcheck((x) => sigmoid(x), [rand([4, 5], 3, -6, 6)]);
    expectGradcheck((x) => tanh(x), [rand([4, 5], 4, -3, 3)]);
    expectGradcheck((x) => identity(x), [rand([4, 5], 5)]);
    expectGradcheck((x) => mul(identity(x), identity(x)), [rand([4, 5], 6)]);
  });
});

describe('a plain array where a Tensor belongs', () => {
  it('is refused at the call with a hint', () => {
    expect(() => relu([1, 2] as never)).toThrow(/relu: the input must be a Tensor, got an array \(wrap it with tensor\(\.\.\.\)\)/);
    expect(() => prelu(tensor([1]), [0.25] as never)).toThrow(/prelu: the alpha must be a Tensor/);
    expect(() => sigmoid(null as never)).toThrow(/sigmoid: the input must be a Tensor, got null/);
  });
});
