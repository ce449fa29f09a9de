import { describe, expect, it } from 'vitest';
import { Linear, binaryHead, headActivation, headLoss, headLosses, input, multiclassHead, regressionHead, tensor, totalLoss } from '../../src/index.js';

describe('head constructors', () => {
  it('add the head\'s Linear layer, named after the output, and return its spec', () => {
    const h = input({ name: 'h', features: 5 });
    const bin = binaryHead(h, { name: 'spam', seed: 1 });
    expect(bin.output.shape).toEqual(['N', 1]);
    expect(bin.spec).toEqual({ output: 'spam', kind: 'binary' });
    const layer = bin.output.node.layer as Linear;
    expect([layer.inFeatures, layer.outFeatures, layer.name]).toEqual([5, 1, 'spam']);
    expect(Array.from(layer.weight.data)).toEqual(Array.from(new Linear(5, 1, { seed: 1 }).weight.data));
    expect(multiclassHead(h, { classes: 4 }).output.shape).toEqual(['N', 4]);
    expect(multiclassHead(h, { classes: 4 }).spec).toEqual({ output: 'y', kind: 'multiclass' });
    expect(regressionHead(h, { outputs: 2, weight: 0.3 }).spec).toEqual({ output: 'y', kind: 'regression', weight: 0.3 });
    expect(() => regressionHead(h, { outputs: 0 })).toThrow('regressionHead: outputs must be a positive integer, got 0');
  });
});

describe('head arithmetic', () => {
  it('headActivation: sigmoid, softmax, identity', () => {
    expect(headActivation('binary', tensor([[0], [Math.log(3)]])).toArray().map((r: number[]) => r[0]!.toFixed(6))).toEqual(['0.500000', '0.750000']);
    const p = headActivation('multiclass', tensor([[0, Math.log(3)]])).toArray()[0] as number[];
    expect(p.map((v) => v.toFixed(6))).toEqual(['0.250000', '0.750000']);
    const raw = tensor([[1.5, -2]]);
    expect(headActivation('regression', raw)).toBe(raw);
  });

  it('headLoss: log loss on the logit, cross-entropy on logits, mean squared error', () => {
    // Logit 0 → p = 0.5 → log loss ln 2, whatever the label.
    expect(headLoss({ output: 'y', kind: 'binary' }, tensor([[0], [0]]), tensor([[1], [0]])).item()).toBeCloseTo(Math.LN2, 6);
    // Two equal logits → cross-entropy ln 2.
    expect(headLoss({ output: 'y', kind: 'multiclass' }, tensor([[3, 3]]), [1]).item()).toBeCloseTo(Math.LN2, 6);
    // (1² + 3²) / 2 = 5.
    expect(headLoss({ output: 'y', kind: 'regression' }, tensor([[1], [3]]), tensor([[0], [0]])).item()).toBeCloseTo(5, 6);
  });

  it('totalLoss weights each head (1 when unset), headLosses gives them apart', () => {
    const heads = [{ output: 'a', kind: 'regression' as const, weight: 0.5 }, { output: 'b', kind: 'regression' as const }];
    const outputs = { a: tensor([[2]]), b: tensor([[1]]) };
    const targets = { a: tensor([[0]]), b: tensor([[0]]) };
    expect(Object.fromEntries(Object.entries(headLosses(heads, outputs, targets)).map(([k, v]) => [k, v.item()]))).toEqual({ a: 4, b: 1 });
    expect(totalLoss(heads, outputs, targets).item()).toBe(3);
    expect(() => totalLoss([], outputs, targets)).toThrow(/the model has no heads/);
    expect(() => totalLoss([{ output: 'c', kind: 'binary' }], outputs, targets)).toThrow("no output 'c' among the outputs (a, b)");
  });
});
