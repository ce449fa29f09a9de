// The handbook's four graphs built with the graph API, checked against PyTorch (float64).
import { describe, expect, it } from 'vitest';
import { Model, ReLU, Sigmoid, Tanh, bceLoss, concat, input, matmul, mul, sum } from '../../src/index.js';
import { expectClose, f64, goldenLinear, graphCase, norm } from './goldenCases.js';

describe('golden graphs (PyTorch, float64)', () => {
  it('(a) two branches, relu and sigmoid, concat, softmax cross-entropy: forward, every gradient, per-edge gradients', () => {
    const c = graphCase('a_');
    const T = c.tensors;
    const l1 = goldenLinear(T.W1!, T.b1!);
    const l2 = goldenLinear(T.W2!, T.b2!);
    const l3 = goldenLinear(T.W3!, T.b3!);
    const X0 = input({ name: 'X0', features: 4 });
    const H = concat([new ReLU().apply(l1.apply(X0)), new Sigmoid().apply(l2.apply(X0))]);
    const model = new Model({ inputs: X0, outputs: { logits: l3.apply(H) }, heads: [{ output: 'logits', kind: 'multiclass' }] });
    model.setTracing(true);

    const x = f64(T.X0!, true);
    const out = model.forward({ X0: x });
    expectClose(out.logits!, c.intermediates.logits!, 'logits');
    const loss = model.loss(out, { logits: c.labels as number[] });
    expectClose(loss, c.loss, 'loss');
    loss.backward();
    expectClose(x.grad!, c.grads.X0!, 'dX0');
    for (const [layer, w, b] of [[l1, 'W1', 'b1'], [l2, 'W2', 'b2'], [l3, 'W3', 'b3']] as const) {
      expectClose(layer.weight.grad!, c.grads[w]!, `d${w}`);
      expectClose(layer.bias!.grad!, c.grads[b]!, `d${b}`);
    }
    // The trace's per-edge gradients are the intermediate gradients of the handbook's backward pass.
    const grads = Object.fromEntries(model.lastTrace()!.edges.map((e) => [`${e.from}->${e.to}`, e.gradNorm]));
    const edgeOf: Record<string, string> = { Z1: 'linear_1->relu_1', A1: 'relu_1->concat_1', Z2: 'linear_2->sigmoid_1', A2: 'sigmoid_1->concat_1', H: 'concat_1->linear_3', logits: 'linear_3->output:logits' };
    for (const [name, edge] of Object.entries(edgeOf)) expect(grads[edge], edge).toBeCloseTo(norm(c.intermediate_grads[name]!), 12);
    // predict reads the multiclass head through a softmax.
    expectClose(model.predict({ X0: f64(T.X0!) }).logits!, c.intermediates.probs!, 'probs');
  });

  it('(b) two inputs, tanh, concat, sigmoid + bce: the binary head (log loss on the logit) gives the same loss and gradients', () => {
    const c = graphCase('b_');
    const T = c.tensors;
    const la = goldenLinear(T.Wa!, T.ba!);
    const lb = goldenLinear(T.Wb!, T.bb!);
    const lo = goldenLinear(T.Wo!, T.bo!);
    const a = input({ name: 'a', features: 3 });
    const b = input({ name: 'b', features: 2 });
    const z = lo.apply(concat([new Tanh().apply(la.apply(a)), new Tanh().apply(lb.apply(b))]));
    const model = new Model({ inputs: [a, b], outputs: { z }, heads: [{ output: 'z', kind: 'binary' }] });
    const xa = f64(T.Xa!, true);
    const xb = f64(T.Xb!, true);
    const out = model.forward({ a: xa, b: xb });
    expectClose(out.z!, c.intermediates.Zo!, 'Zo');
    const loss = model.loss(out, { z: f64(c.y as number[][]) });
    expectClose(loss, c.loss, 'loss');
    loss.backward();
    expectClose(xa.grad!, c.grads.Xa!, 'dXa');
    expectClose(xb.grad!, c.grads.Xb!, 'dXb');
    expectClose(lo.weight.grad!, c.grads.Wo!, 'dWo');
    expectClose(la.bias!.grad!, c.grads.ba!, 'dba');
    const p = model.predict({ a: f64(T.Xa!), b: f64(T.Xb!) }).z!;
    expectClose(p, c.intermediates.P!, 'P');
    expectClose(bceLoss(p, f64(c.y as number[][])), c.loss, 'bce on probabilities');
  });

  it('(c) shared trunk with a regression head and a multiclass head, loss weights 1.0 and 0.5', () => {
    const c = graphCase('c_');
    const T = c.tensors;
    const trunk = goldenLinear(T.Wt!, T.bt!);
    const h1 = goldenLinear(T.W1!, T.b1!, 'amount');
    const h2 = goldenLinear(T.W2!, T.b2!, 'kind');
    const x = input({ name: 'x', features: 5 });
    const ht = new ReLU().apply(trunk.apply(x));
    const [w1, w2] = c.loss_weights as number[];
    const model = new Model({
      inputs: x,
      outputs: { amount: h1.apply(ht), kind: h2.apply(ht) },
      heads: [{ output: 'amount', kind: 'regression' }, { output: 'kind', kind: 'multiclass' }],
      lossWeights: { amount: w1!, kind: w2! },
    });
    const out = model.forward({ x: f64(T.X!) });
    const loss = model.loss(out, { amount: f64(c.head1_target as number[][]), kind: c.head2_labels as number[] });
    expectClose(loss, c.loss, 'weighted loss');
    loss.backward();
    expectClose(trunk.weight.grad!, c.grads.Wt!, 'dWt');
    expectClose(h1.weight.grad!, c.grads.W1!, 'dW1');
    expectClose(h2.bias!.grad!, c.grads.b2!, 'db2');
  });

  it('(d) low-rank bottleneck m → k → n equals one Linear with W = W1·W2 of rank k', () => {
    const c = graphCase('d_');
    const T = c.tensors;
    const down = goldenLinear(T.W1!, T.b1!);
    const up = goldenLinear(T.W2!, T.b2!);
    const x = input({ name: 'x', features: 6 });
    const model = new Model({ inputs: x, outputs: up.apply(down.apply(x)) });
    expect(model.summary()).toContain('[N, 2]');
    const X = f64(T.X!, true);
    const y = model.forward({ x: X }).y!;
    expectClose(y, c.intermediates.Y!, 'Y');
    expectClose(y, c.Y_equiv as number[][], 'Y vs the single layer');
    expectClose(matmul(down.weight, up.weight), c.W_equiv as number[][], 'W1·W2');
    sum(mul(y, f64(c.G as number[][]))).backward();
    expectClose(X.grad!, c.grads.X!, 'dX');
    expectClose(down.weight.grad!, c.grads.W1!, 'dW1');
    expectClose(up.weight.grad!, c.grads.W2!, 'dW2');
  });
});
