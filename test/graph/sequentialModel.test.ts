import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, Linear, activationLayer, fit, sequentialModel, tensor, zeros } from '../../src/index.js';

describe('sequentialModel', () => {
  it('builds x → [Linear → activation (→ Dropout)]* → head with named layers', () => {
    const model = sequentialModel({ inputs: 4, hidden: [16, 8], activation: 'tanh', dropout: 0.2, head: { kind: 'multiclass', classes: 3 }, seed: 1 });
    expect(model.nodes.map((n) => `${n.name}:${n.features}`)).toEqual([
      'x:4', 'linear_1:16', 'tanh_1:16', 'dropout_1:16', 'linear_2:8', 'tanh_2:8', 'dropout_2:8', 'y:3',
    ]);
    expect(model.heads).toEqual([{ output: 'y', kind: 'multiclass' }]);
    expect(model.parameterCount()).toBe(4 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3);
    expect(model.predict({ x: zeros([2, 4]) }).y!.shape).toEqual([2, 3]);
  });

  it('is deterministic under a seed, and each layer gets its own seed', () => {
    const a = sequentialModel({ inputs: 3, hidden: [5], head: 'binary', seed: 7 });
    const b = sequentialModel({ inputs: 3, hidden: [5], head: 'binary', seed: 7 });
    expect(a.parameters().map((p) => Array.from(p.data))).toEqual(b.parameters().map((p) => Array.from(p.data)));
    const first = a.layers[0]!.layer as Linear;
    expect(Array.from(first.weight.data)).toEqual(Array.from(new Linear(3, 5, { seed: 7 }).weight.data));
  });

  it('makes the regression and binary heads, with custom names, and no hidden layer means a linear model', () => {
    const reg = sequentialModel({ inputs: 2, head: { kind: 'regression', outputs: 2 }, inputName: 'features', outputName: 'price' });
    expect(reg.inputNames).toEqual(['features']);
    expect(reg.outputNames).toEqual(['price']);
    expect(reg.outputFeatures('price')).toBe(2);
    expect(reg.nodes).toHaveLength(2);
    expect(sequentialModel({ inputs: 2, hidden: [3], head: 'binary', l2: 0.1 }).regularization()).not.toBeNull();
  });

  it('rejects a bad head or activation with the choices', () => {
    expect(() => sequentialModel({ inputs: 2, head: 'softmax' as never })).toThrow(/head must be 'binary', 'regression' or \{ kind: 'multiclass', classes: K \}, got "softmax"/);
    expect(() => sequentialModel({ inputs: 2, hidden: [2], activation: 'swish' as never, head: 'binary' })).toThrow(
      `unknown activation 'swish'; choose one of ${ACTIVATION_NAMES.join(', ')}`,
    );
    expect(activationLayer('leakyRelu').constructor.name).toBe('LeakyReLU');
  });

  it('trains with fit: XOR becomes separable', () => {
    const model = sequentialModel({ inputs: 2, hidden: [8], activation: 'tanh', head: 'binary', seed: 3 });
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const history = fit(model, { x, y: [[0], [1], [1], [0]] }, { epochs: 300, batchSize: 4, optimizer: { name: 'adam', lr: 0.05 } });
    expect(history.loss.at(-1)!).toBeLessThan(0.05);
    expect(Array.from(model.predict({ x }).y!.data).map((p) => Math.round(p))).toEqual([0, 1, 1, 0]);
  });
});
