import { describe, expect, it } from 'vitest';
import { linear, matmul, sum, tensor } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

describe('matmul', () => {
  it('multiplies [M, K] by [K, N]', () => {
    // [1 2; 3 4] · [5; 6] = [1·5 + 2·6; 3·5 + 4·6] = [17; 39]
    expect(matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray()).toEqual([[17], [39]]);
  });

  it('gives dA = G Bᵀ and dB = Aᵀ G', () => {
    // With G all ones: dA[i][k] = Σ_j B[k][j], dB[k][j] = Σ_i A[i][k].
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b = tensor([[5, 6, 7], [8, 9, 10]], { requiresGrad: true });
    sum(matmul(a, b)).backward();
    expect(a.grad!.toArray()).toEqual([[18, 27], [18, 27]]);
    expect(b.grad!.toArray()).toEqual([[4, 4, 4], [6, 6, 6]]);
  });

  it('names both shapes when the inner sizes differ', () => {
    expect(() => matmul(tensor([[1, 2, 3], [4, 5, 6]]), tensor(new Float32Array(20), { shape: [4, 5] }))).toThrow(
      /cannot multiply \[2, 3\] by \[4, 5\]/,
    );
  });

  it('names the shapes when an input is not a matrix', () => {
    expect(() => matmul(tensor([1, 2]), tensor([[1], [2]]))).toThrow(/needs two matrices, got shapes \[2\] and \[2, 1\]/);
  });

  it('passes gradcheck for several shapes', () => {
    expectGradcheck((a, b) => matmul(a, b), [rand([3, 4], 1), rand([4, 2], 2)]);
    expectGradcheck((a, b) => matmul(a, b), [rand([1, 5], 3), rand([5, 1], 4)]);
    expectGradcheck((a, b) => matmul(a, b), [rand([6, 1], 5), rand([1, 3], 6)]);
  });
});

describe('linear (x W + b as one op)', () => {
  it('adds the bias to every row', () => {
    expect(linear(tensor([[1, 2], [0, 0]]), tensor([[1], [1]]), tensor([0.5])).toArray()).toEqual([[3.5], [0.5]]);
  });

  it('works without a bias', () => {
    expect(linear(tensor([[1, 2]]), tensor([[3], [4]]), null).toArray()).toEqual([[11]]);
  });

  it('names the bias shape it expected', () => {
    expect(() => linear(tensor([[1, 2]]), tensor([[1], [1]]), tensor([1, 2]))).toThrow(/bias has shape \[2\], expected \[1\]/);
  });

  it('passes gradcheck with and without a bias', () => {
    expectGradcheck((x, w, b) => linear(x, w, b), [rand([4, 3], 7), rand([3, 5], 8), rand([5], 9)]);
    expectGradcheck((x, w) => linear(x, w, null), [rand([4, 3], 10), rand([3, 2], 11)]);
  });
});
