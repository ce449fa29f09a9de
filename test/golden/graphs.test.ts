// The four DAGs of golden/graphs.json built from sloika ops: the loss, the gradient of every
// input and parameter, every forward intermediate and (via retainGrad) every intermediate gradient.
import { afterAll, describe, expect, it } from 'vitest';
import {
  add, bceLoss, concat, crossEntropyLoss, gradcheck, linear, matmul, mseLoss, mul, relu, reshape,
  sigmoid, softmax, sum, tanh, Linear, type DType, type Tensor,
} from '../../src/index.js';
import { expectClose, F32, F64, flat, loadGolden, reportWorst, t, type Nested, type Tolerance } from './load.js';

interface GraphCase {
  name: string;
  tensors: Record<string, Nested>;
  loss: number;
  grads: Record<string, Nested>;
  intermediates: Record<string, Nested>;
  intermediate_grads: Record<string, Nested>;
  labels?: number[];
  y?: Nested;
  head1_target?: Nested;
  head2_labels?: number[];
  loss_weights?: number[];
  head_losses?: number[];
  G?: Nested;
  W_equiv?: Nested;
  b_equiv?: Nested;
  Y_equiv?: Nested;
  equiv_grads?: Record<string, Nested>;
}

const cases = loadGolden<GraphCase>('graphs').cases;
const byName = (prefix: string): GraphCase => cases.find((c) => c.name.startsWith(prefix))!;

type Built = { loss: Tensor; inter: Record<string, Tensor>; extra?: Record<string, Tensor> };
type Builder = (p: Record<string, Tensor>, c: GraphCase, dtype: DType) => Built;

// Each builder writes the case's description as sloika ops; `inter` are the named intermediates.
const builders: Record<string, Builder> = {
  a_two_branch_relu_sigmoid_concat_softmax_ce: (p, c) => {
    const Z1 = linear(p.X0!, p.W1!, p.b1!);
    const A1 = relu(Z1);
    const Z2 = add(matmul(p.X0!, p.W2!), p.b2!); // the same map spelled as matmul + broadcast add
    const A2 = sigmoid(Z2);
    const H = concat([A1, A2], 1);
    const logits = linear(H, p.W3!, p.b3!);
    const loss = crossEntropyLoss(logits, c.labels!);
    return { loss, inter: { Z1, A1, Z2, A2, H, logits, probs: softmax(logits) } };
  },
  b_two_inputs_tanh_concat_sigmoid_bce: (p, c, dtype) => {
    const Ha = tanh(linear(p.Xa!, p.Wa!, p.ba!));
    const Hb = tanh(linear(p.Xb!, p.Wb!, p.bb!));
    const H = concat([Ha, Hb], -1);
    const Zo = linear(H, p.Wo!, p.bo!);
    const P = sigmoid(Zo);
    return { loss: bceLoss(P, t(c.y!, dtype)), inter: { Ha, Hb, H, Zo, P } };
  },
  c_multitask_shared_trunk: (p, c, dtype) => {
    const Zt = linear(p.X!, p.Wt!, p.bt!);
    const Ht = relu(Zt);
    const Y1 = linear(Ht, p.W1!, p.b1!);
    const Z2 = linear(Ht, p.W2!, p.b2!);
    const L1 = mseLoss(Y1, t(c.head1_target!, dtype));
    const L2 = crossEntropyLoss(Z2, c.head2_labels!);
    const [w1, w2] = c.loss_weights!;
    const loss = add(mul(L1, w1!), mul(L2, w2!)); // the spelling of a multi-task loss
    return { loss, inter: { Zt, Ht, Y1, Z2 }, extra: { L1, L2 } };
  },
  d_low_rank_bottleneck: (p, c, dtype) => {
    const H = linear(p.X!, p.W1!, p.b1!);
    const Y = linear(H, p.W2!, p.b2!);
    return { loss: sum(mul(Y, t(c.G!, dtype))), inter: { H, Y } };
  },
};

function paramsOf(c: GraphCase, dtype: DType): Record<string, Tensor> {
  const p: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.tensors)) p[k] = t(v, dtype, true);
  return p;
}

function check(c: GraphCase, dtype: DType, tol: Tolerance): void {
  const p = paramsOf(c, dtype);
  const { loss, inter, extra } = builders[c.name]!(p, c, dtype);
  for (const name of Object.keys(c.intermediate_grads)) inter[name]!.retainGrad();
  expectClose(loss, c.loss, tol, `${c.name} ${dtype} loss`, `${dtype} loss`);
  expect(Object.keys(inter).sort()).toEqual(Object.keys(c.intermediates).sort());
  for (const [name, want] of Object.entries(c.intermediates)) {
    expectClose(inter[name]!, want, tol, `${c.name} ${dtype} intermediate ${name}`, `${dtype} intermediates`);
  }
  if (extra && c.head_losses) {
    expectClose(extra.L1!, c.head_losses[0]!, tol, `${c.name} L1`, `${dtype} loss`);
    expectClose(extra.L2!, c.head_losses[1]!, tol, `${c.name} L2`, `${dtype} loss`);
  }
  loss.backward();
  expect(Object.keys(c.grads).sort()).toEqual(Object.keys(c.tensors).sort());
  for (const [name, want] of Object.entries(c.grads)) {
    expectClose(p[name]!.grad!, want, tol, `${c.name} ${dtype} grad ${name}`, `${dtype} grads`);
  }
  for (const [name, want] of Object.entries(c.intermediate_grads)) {
    expectClose(inter[name]!.grad!, want, tol, `${c.name} ${dtype} intermediate grad ${name}`, `${dtype} intermediate grads`);
  }
}

describe('golden graphs (PyTorch float64)', () => {
  it('has the 4 documented cases, each with a builder', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(builders).sort());
  });

  for (const c of cases) {
    it(`${c.name} in float64`, () => check(c, 'float64', F64));
    it(`${c.name} in float32`, () => check(c, 'float32', F32));
    it(`${c.name} passes gradcheck over every tensor`, () => {
      const p = paramsOf(c, 'float64');
      const names = Object.keys(p);
      const r = gradcheck((...xs) => builders[c.name]!(Object.fromEntries(names.map((n, i) => [n, xs[i]!])), c, 'float64').loss, names.map((n) => p[n]!));
      expect(r.passed, JSON.stringify(r.worst)).toBe(true);
      expect(r.maxAbsError).toBeLessThan(1e-6);
    });
  }

  it('(d) the bottleneck equals the single layer W1 W2, b1 W2 + b2, with the same VJPs', () => {
    const c = byName('d_');
    const p = paramsOf(c, 'float64');
    const wEquiv = matmul(p.W1!, p.W2!);
    const bEquiv = reshape(add(matmul(reshape(p.b1!, [1, -1]), p.W2!), p.b2!), [-1]);
    expectClose(wEquiv, c.W_equiv!, F64, 'W_equiv');
    expectClose(bEquiv, c.b_equiv!, F64, 'b_equiv');
    // Load the folded weights into a Linear layer and compare its output and VJPs.
    const single = new Linear(6, 5, { dtype: 'float64' });
    single.weight.data = Float64Array.from(flat(c.W_equiv!));
    single.bias!.data = Float64Array.from(flat(c.b_equiv!));
    const x = t(c.tensors.X!, 'float64', true);
    const y = single.forward(x);
    expectClose(y, c.Y_equiv!, F64, 'Y_equiv');
    expectClose(y, c.intermediates.Y!, { atol: 1e-14, rtol: 1e-12 }, 'Y vs Y_equiv');
    sum(mul(y, t(c.G!, 'float64'))).backward();
    expectClose(x.grad!, c.equiv_grads!.X!, F64, 'equiv dX');
    expectClose(single.weight.grad!, c.equiv_grads!.W_equiv!, F64, 'equiv dW');
    expectClose(single.bias!.grad!, c.equiv_grads!.b_equiv!, F64, 'equiv db');
  });

  afterAll(() => reportWorst('golden graphs, worst errors'));
});
