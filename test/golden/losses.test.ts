// Every case of golden/losses.json, including torch's exact-0/1 clamp case (DESIGN.md says
// sloika copies torch's clamps): value and d value / d input.
import { afterAll, describe, expect, it } from 'vitest';
import {
  bceLoss, bceWithLogitsLoss, crossEntropyLoss, mseLoss, weightedSum, type DType, type Tensor,
} from '../../src/index.js';
import { expectClose, F32, F64, loadGolden, reportWorst, t, type Nested, type Tolerance } from './load.js';

interface LossCase {
  name: string;
  loss: 'bce' | 'bce_logits' | 'softmax_ce_labels' | 'softmax_ce_probs' | 'mse' | 'weighted_sum';
  input: Nested;
  target?: Nested;
  labels?: number[];
  value: number;
  grad_input: Nested;
  sse?: number;
  equals_case?: string;
  torch_specific?: boolean;
  // weighted_sum only
  weights?: number[];
  head1_pred?: Nested;
  head1_target?: Nested;
  head2_logits?: Nested;
  head2_labels?: number[];
  component_values?: number[];
  grad_head1_pred?: Nested;
  grad_head2_logits?: Nested;
}

const cases = loadGolden<LossCase>('losses').cases;
// 1 − 1e-6 is not representable closely enough in float32 (README).
const float64Only = new Set(['bce_prob/near_saturated']);

function lossOf(c: LossCase, input: Tensor, dtype: DType): Tensor {
  switch (c.loss) {
    case 'bce': return bceLoss(input, t(c.target!, dtype));
    case 'bce_logits': return bceWithLogitsLoss(input, t(c.target!, dtype));
    case 'softmax_ce_labels': return crossEntropyLoss(input, c.labels!);
    case 'softmax_ce_probs': return crossEntropyLoss(input, t(c.target!, dtype));
    case 'mse': return mseLoss(input, t(c.target!, dtype));
    default: throw new Error(`unexpected loss ${c.loss}`);
  }
}

function checkSingle(c: LossCase, dtype: DType, tol: Tolerance): void {
  const input = t(c.input, dtype, true);
  const loss = lossOf(c, input, dtype);
  expect(loss.shape).toEqual([]);
  expectClose(loss, c.value, tol, `${c.name} ${dtype} value`, `${dtype} ${c.loss} value`);
  loss.backward();
  expectClose(input.grad!, c.grad_input, tol, `${c.name} ${dtype} grad`, `${dtype} ${c.loss} grad`);
}

function checkWeighted(c: LossCase, dtype: DType, tol: Tolerance): void {
  const pred = t(c.head1_pred!, dtype, true);
  const logits = t(c.head2_logits!, dtype, true);
  const l1 = mseLoss(pred, t(c.head1_target!, dtype));
  const l2 = crossEntropyLoss(logits, c.head2_labels!);
  expectClose(l1, c.component_values![0]!, tol, `${c.name} mse component`);
  expectClose(l2, c.component_values![1]!, tol, `${c.name} ce component`);
  const total = weightedSum([l1, l2], c.weights!);
  expectClose(total, c.value, tol, `${c.name} ${dtype} value`, `${dtype} weighted_sum value`);
  total.backward();
  expectClose(pred.grad!, c.grad_head1_pred!, tol, `${c.name} ${dtype} grad head1`, `${dtype} weighted_sum grad`);
  expectClose(logits.grad!, c.grad_head2_logits!, tol, `${c.name} ${dtype} grad head2`, `${dtype} weighted_sum grad`);
}

describe('golden losses (PyTorch float64, mean reduction)', () => {
  it('has the 19 documented cases', () => {
    expect(cases).toHaveLength(19);
  });

  for (const c of cases) {
    const check = c.loss === 'weighted_sum' ? checkWeighted : checkSingle;
    it(`${c.name} in float64`, () => check(c, 'float64', F64));
    if (!float64Only.has(c.name)) it(`${c.name} in float32`, () => check(c, 'float32', F32));
  }

  it('mse cases agree with their stored sum of squares', () => {
    for (const c of cases.filter((k) => k.loss === 'mse')) {
      const input = t(c.input, 'float64');
      expectClose(mseLoss(input, t(c.target!, 'float64')), c.sse! / input.size, F64, `${c.name} sse / n`);
    }
  });

  it('cases marked equals_case agree with the named case', () => {
    for (const c of cases.filter((k) => k.equals_case)) {
      const other = cases.find((k) => k.name === c.equals_case)!;
      const a = lossOf(c, t(c.input, 'float64'), 'float64');
      const b = lossOf(other, t(other.input, 'float64'), 'float64');
      expect(a.item()).toBeCloseTo(b.item(), 14);
    }
  });

  afterAll(() => reportWorst('golden losses, worst errors'));
});
