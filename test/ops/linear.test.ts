// linearActivation (x W + b then tanh/relu/sigmoid as one tape node) must be indistinguishable
// from the two ops it replaces: the same bits forward and backward, in float32 and float64, on
// odd shapes, and the same error messages.
import { describe, expect, it } from 'vitest';
import { linear, mul, Random, relu, sigmoid, sum, tanh, Tensor, type DType } from '../../src/index.js';
import { linearActivation, type FusedActivation } from '../../src/ops/linear.js';
import { expectGradcheck, rand } from '../autograd/check.js';

const SEPARATE: Record<FusedActivation, (t: Tensor) => Tensor> = { tanh, relu, sigmoid };
const ACTIVATIONS: FusedActivation[] = ['tanh', 'relu', 'sigmoid'];

function random(shape: number[], seed: number, dtype: DType, requiresGrad = true): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.range(-2, 2);
  if (n > 2) data[1] = 0; // an exact zero input: relu's kink must behave the same way
  return new Tensor(data, shape, requiresGrad);
}

/** Forward output and the gradients of x, w and b under a fixed random upstream gradient. */
function run(fused: boolean, activation: FusedActivation, dtype: DType, [M, K, N]: number[], withBias: boolean, nonLeafWeight: boolean) {
  const x = random([M!, K!], 1, dtype);
  const w0 = random([K!, N!], 2, dtype);
  const b = withBias ? random([N!], 3, dtype) : null;
  // A weight computed by an op (not a leaf) takes the path that returns its gradient.
  const w = nonLeafWeight ? mul(w0, 1) : w0;
  const y = fused ? linearActivation(x, w, b, activation) : SEPARATE[activation](linear(x, w, b));
  y.backward(random([M!, N!], 4, dtype, false));
  return { y: Array.from(y.data), gx: Array.from(x.grad!.data), gw: Array.from(w0.grad!.data), gb: b ? Array.from(b.grad!.data) : null, op: y.gradFn!.op };
}

describe('linearActivation', () => {
  for (const activation of ACTIVATIONS) {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      it(`${activation} in ${dtype}: values and gradients equal linear then ${activation}, bit for bit`, () => {
        for (const shape of [[1, 3, 5], [3, 2, 8], [17, 8, 1], [10, 8, 8], [4, 1, 3]]) {
          for (const withBias of [true, false]) {
            for (const nonLeafWeight of [false, true]) {
              const separate = run(false, activation, dtype, shape, withBias, nonLeafWeight);
              const fused = run(true, activation, dtype, shape, withBias, nonLeafWeight);
              expect(fused.op).toBe(`linear+${activation}`);
              expect({ ...fused, op: '' }).toEqual({ ...separate, op: '' });
            }
          }
        }
      });
    }

    it(`${activation}: gradients of x, W and b agree with central differences (float64)`, () => {
      for (const [M, K, N] of [[1, 3, 2], [3, 4, 5], [17, 2, 3]]) {
        // Away from relu's kink: shift the bias so no pre-activation sits near 0.
        expectGradcheck((x, w, b) => linearActivation(x, w, b, activation), [rand([M!, K!], 5, 0.1, 1), rand([K!, N!], 6, 0.1, 1), rand([N!], 7, 0.5, 1)]);
      }
    });
  }

  it('keeps the error messages of linear, naming the shapes', () => {
    const x = random([2, 3], 1, 'float32');
    expect(() => linearActivation(x, random([4, 2], 2, 'float32'), null, 'tanh')).toThrow(
      'linear: cannot multiply [2, 3] by [4, 2]: the inner sizes 3 and 4 differ',
    );
    expect(() => linearActivation(x, random([3, 2], 2, 'float32'), random([3], 3, 'float32'), 'relu')).toThrow(
      'linear: the bias has shape [3], expected [2] to match the weight [3, 2]',
    );
    expect(() => linearActivation(x, random([3, 2], 2, 'float32'), null, 'gelu' as FusedActivation)).toThrow(
      "linearActivation: unknown activation 'gelu'; use 'tanh', 'relu' or 'sigmoid'",
    );
  });

  it('records nothing when no input needs a gradient', () => {
    const y = linearActivation(random([2, 2], 1, 'float32', false), random([2, 2], 2, 'float32', false), null, 'tanh');
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('hands x its own fresh gradient: two passes and two consumers sum correctly, aliasing nothing', () => {
    const x = random([3, 2], 1, 'float64');
    const w = random([2, 4], 2, 'float64', false);
    const once = () => sum(linearActivation(x, w, null, 'tanh')).backward();
    once();
    const first = Array.from(x.grad!.data);
    once();
    expect(Array.from(x.grad!.data)).toEqual(first.map((v) => v + v));
    x.grad = null;
    sum(mul(linearActivation(x, w, null, 'relu'), linearActivation(x, w, null, 'sigmoid'))).backward();
    const viaTwo = Array.from(x.grad!.data);
    x.grad = null;
    const y = (t: Tensor) => sum(mul(relu(linear(t, w, null)), sigmoid(linear(t, w, null))));
    y(x).backward();
    expect(viaTwo).toEqual(Array.from(x.grad!.data));
  });

  it('accumulates a reused layer’s gradient over both uses (the scratch buffer is not shared)', () => {
    // y = tanh(tanh(x W) W): W gets two contributions, computed in two backward calls.
    const x = rand([3, 2], 8);
    const w = rand([2, 2], 9);
    expectGradcheck((x, w) => sum(linearActivation(linearActivation(x, w, null, 'tanh'), w, null, 'sigmoid')), [x, w]);
  });
});

describe('linear bias rows on large outputs (filled by copying, not by a loop)', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    it(`${dtype}: a zero input gives every row exactly b, and a 1-wide input b + w, on 70×61 (past the copy threshold)`, () => {
      const [M, N] = [70, 61];
      const b = random([N], 3, dtype, false);
      const w = random([1, N], 2, dtype, false);
      const zeros = linear(new Tensor(dtype === 'float64' ? new Float64Array(M) : new Float32Array(M), [M, 1]), w, b);
      const ones = linear(new Tensor((dtype === 'float64' ? new Float64Array(M) : new Float32Array(M)).fill(1), [M, 1]), w, b);
      const round = dtype === 'float64' ? (v: number) => v : Math.fround;
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          expect(zeros.data[i * N + j]).toBe(b.data[j]);
          expect(ones.data[i * N + j]).toBe(round(b.data[j]! + w.data[j]!));
        }
      }
    });
  }
});
