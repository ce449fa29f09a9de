import { describe, expect, it } from 'vitest';
import { crossEntropyLoss, tensor, Tensor } from '../../src/index.js';
import { expectGradcheck, rand } from '../autograd/check.js';

const f64 = { dtype: 'float64', requiresGrad: true } as const;

describe('crossEntropyLoss on logits (mean over the B rows)', () => {
  it('hand-worked: two equal logits, label 0', () => {
    // softmax [0.5, 0.5]; −log 0.5 = ln 2; grad softmax − onehot = [−0.5, 0.5].
    const z = tensor([[0, 0]], f64);
    const loss = crossEntropyLoss(z, [0]);
    expect(loss.item()).toBe(Math.LN2);
    loss.backward();
    expect(z.grad!.toArray()).toEqual([[-0.5, 0.5]]);
  });

  it('hand-worked: two rows, labels [0, 2]', () => {
    // row 1 [1, 1, 1]: p = 1/3 each, −log(1/3) = ln 3. row 2 [0, 0, ln 2]: p = [1/4, 1/4, 1/2], −log(1/2) = ln 2.
    // mean (ln 3 + ln 2)/2 = ln 6 / 2 = 0.8958797346140275.
    // grads /B=2: row 1 [1/3 − 1, 1/3, 1/3]/2 = [−1/3, 1/6, 1/6]; row 2 [1/4, 1/4, 1/2 − 1]/2 = [1/8, 1/8, −1/4].
    const z = tensor([[1, 1, 1], [0, 0, Math.LN2]], f64);
    const loss = crossEntropyLoss(z, new Int32Array([0, 2]));
    expect(loss.item()).toBeCloseTo(Math.log(6) / 2, 15);
    loss.backward();
    const want = [-1 / 3, 1 / 6, 1 / 6, 1 / 8, 1 / 8, -1 / 4];
    Array.from(z.grad!.data).forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 15));
  });

  it('hand-worked: a soft target [0.5, 0, 0.5]', () => {
    // logits [0, 0, ln 2] → p = [1/4, 1/4, 1/2]; −(0.5·log(1/4) + 0.5·log(1/2)) = 1.5 ln 2.
    // grad = p·Σt − t = [1/4 − 1/2, 1/4, 1/2 − 1/2] = [−1/4, 1/4, 0].
    const z = tensor([[0, 0, Math.LN2]], f64);
    const loss = crossEntropyLoss(z, tensor([[0.5, 0, 0.5]], { dtype: 'float64' }));
    expect(loss.item()).toBeCloseTo(1.5 * Math.LN2, 15);
    loss.backward();
    [-0.25, 0.25, 0].forEach((w, i) => expect(z.grad!.data[i]).toBeCloseTo(w, 15));
  });

  it('labels as number[], Int32Array, a [B] tensor and a one-hot [B, K] target agree', () => {
    const z = tensor([[2, -1, 0.5], [0, 3, -2]], { dtype: 'float64' });
    const a = crossEntropyLoss(z, [2, 1]).item();
    expect(crossEntropyLoss(z, new Int32Array([2, 1])).item()).toBe(a);
    expect(crossEntropyLoss(z, tensor([2, 1])).item()).toBe(a);
    expect(crossEntropyLoss(z, [[0, 0, 1], [0, 1, 0]]).item()).toBeCloseTo(a, 15);
  });

  it('logits of ±500 stay finite', () => {
    const z = tensor([[500, -500], [-500, 500]], f64);
    const loss = crossEntropyLoss(z, [1, 1]);
    expect(loss.item()).toBe(500); // (1000 + 0)/2
    loss.backward();
    expect(z.grad!.toArray()).toEqual([[0.5, -0.5], [0, 0]]);
  });

  it('names the row of a label that is out of range or not an integer', () => {
    const z = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => crossEntropyLoss(z, [0, 3])).toThrow(/label in row 1 is 3; labels must be integers from 0 to 2 for 3 classes/);
    expect(() => crossEntropyLoss(z, [1.5, 0])).toThrow(/label in row 0 is 1.5/);
    expect(() => crossEntropyLoss(z, [-1, 0])).toThrow(/row 0 is -1/);
    expect(() => crossEntropyLoss(z, [0])).toThrow(/1 labels for 2 rows/);
    expect(() => crossEntropyLoss(z, tensor([[1, 0]]))).toThrow(/logits have shape \[2, 3\] but the target has shape \[1, 2\]/);
    expect(() => crossEntropyLoss(tensor([1, 2, 3]), [0])).toThrow(/logits have shape \[3\]; expected \[B, K\]/);
  });

  it('passes gradcheck with labels and with soft targets', () => {
    expectGradcheck((z) => crossEntropyLoss(z, [0, 3, 1, 1, 2]), [rand([5, 4], 1)]);
    const soft = new Tensor(new Float64Array([0.2, 0.3, 0.5, 0, 1, 0, 0.6, 0.1, 0.3]), [3, 3]);
    expectGradcheck((z) => crossEntropyLoss(z, soft), [rand([3, 3], 2)]);
  });
});
