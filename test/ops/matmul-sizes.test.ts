// matmul and linear against a naive float64 product on shapes that cross every blocking and
// backend threshold of the kernels (tiny, odd, K and N beyond a cache block, many rows), in both
// dtypes, forward and backward. Errors are measured against Σ|a||b|, the scale of rounding.
import { describe, expect, it } from 'vitest';
import { add, linear, matmul, mul, Random, sum, Tensor, type DType } from '../../src/index.js';

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [2, 3, 1], [5, 7, 3], [10, 8, 8], [9, 2, 6], [16, 16, 16], [17, 33, 9], [7, 300, 5], [33, 17, 270], [65, 129, 63], [300, 2, 3], [4, 513, 2],
];

function random(shape: [number, number], seed: number, dtype: DType, requiresGrad = false): Tensor {
  const rng = new Random(seed);
  const n = shape[0] * shape[1];
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.range(-1, 1);
  return new Tensor(data, shape, requiresGrad);
}

/** Naive C = op(A) op(B) in float64, with the matching Σ|a||b| per element. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, M: number, K: number, N: number, ta = false, tb = false): { c: Float64Array; scale: Float64Array } {
  const c = new Float64Array(M * N);
  const scale = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let t = 0;
      for (let k = 0; k < K; k++) {
        const av = ta ? a[k * M + i]! : a[i * K + k]!;
        const bv = tb ? b[j * K + k]! : b[k * N + j]!;
        s += av * bv;
        t += Math.abs(av * bv);
      }
      c[i * N + j] = s;
      scale[i * N + j] = t;
    }
  }
  return { c, scale };
}

function expectProduct(actual: ArrayLike<number>, want: { c: Float64Array; scale: Float64Array }, rel: number, what: string): void {
  expect(actual.length, what).toBe(want.c.length);
  for (let i = 0; i < want.c.length; i++) {
    const err = Math.abs(actual[i]! - want.c[i]!);
    if (!(err <= rel * (want.scale[i]! + 1e-30))) expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${want.c[i]} (error ${err.toExponential(2)})`);
  }
}

describe('matmul and linear on every size class', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const rel = dtype === 'float32' ? 1e-5 : 1e-14; // a wrong index gives errors of order 1
    for (const [M, K, N] of SHAPES) {
      it(`${dtype} [${M}, ${K}] × [${K}, ${N}]: forward, dA = G Bᵀ, dB = Aᵀ G, and linear with a bias`, () => {
        const a = random([M, K], M * 1000 + K, dtype, true);
        const b = random([K, N], K * 1000 + N, dtype, true);
        const g = random([M, N], 7, dtype);
        const y = matmul(a, b);
        expectProduct(y.data, naive(a.data, b.data, M, K, N), rel, 'A B');
        sum(mul(y, g)).backward();
        expectProduct(a.grad!.data, naive(g.data, b.data, M, N, K, false, true), rel, 'G Bᵀ');
        expectProduct(b.grad!.data, naive(a.data, g.data, K, M, N, true, false), rel, 'Aᵀ G');

        const bias = random([1, N], 11, dtype);
        const biasVec = new Tensor(bias.data, [N], true);
        const x = new Tensor(a.data, [M, K], true);
        const w = new Tensor(b.data, [K, N], true);
        const z = linear(x, w, biasVec);
        const want = naive(a.data, b.data, M, K, N);
        for (let i = 0; i < M * N; i++) {
          want.c[i] += bias.data[i % N]!;
          want.scale[i] += Math.abs(bias.data[i % N]!);
        }
        expectProduct(z.data, want, rel, 'X W + b');
        sum(mul(z, g)).backward();
        expectProduct(x.grad!.data, naive(g.data, b.data, M, N, K, false, true), rel, 'linear dX');
        expectProduct(w.grad!.data, naive(a.data, g.data, K, M, N, true, false), rel, 'linear dW');
        const db = new Float64Array(N);
        for (let i = 0; i < M * N; i++) db[i % N] += g.data[i]!;
        db.forEach((v, j) => expect(biasVec.grad!.data[j]).toBeCloseTo(v, dtype === 'float32' ? 3 : 10));
      });
    }
  }
});

describe('a weight shared by two products', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const rel = dtype === 'float32' ? 1e-5 : 1e-14;
    for (const [M, K, N] of [[3, 4, 2], [40, 33, 20]] as [number, number, number][]) {
      it(`${dtype} [${M}, ${K}]·[${K}, ${N}] twice: dW = X1ᵀ G1 + X2ᵀ G2, and it keeps accumulating over backward calls`, () => {
        const w = random([K, N], 3, dtype, true);
        const x1 = random([M, K], 4, dtype);
        const x2 = random([M + 1, K], 5, dtype);
        const g1 = random([M, N], 6, dtype);
        const g2 = random([M + 1, N], 8, dtype);
        const loss = () => add(sum(mul(matmul(x1, w), g1)), sum(mul(linear(x2, w, null), g2)));
        const p1 = naive(x1.data, g1.data, K, M, N, true, false);
        const p2 = naive(x2.data, g2.data, K, M + 1, N, true, false);
        const want = { c: p1.c.map((v, i) => v + p2.c[i]!), scale: p1.scale.map((v, i) => v + p2.scale[i]!) };
        loss().backward();
        expectProduct(w.grad!.data, want, rel, 'dW after one backward');
        loss().backward();
        expectProduct(w.grad!.data, { c: want.c.map((v) => 2 * v), scale: want.scale.map((v) => 2 * v) }, rel, 'dW after two');
        w.zeroGrad();
        loss().backward();
        expectProduct(w.grad!.data, want, rel, 'dW after zeroGrad and one more');
      });
    }
  }
});
