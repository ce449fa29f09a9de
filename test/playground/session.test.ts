import { describe, expect, it } from 'vitest';
import { prepareData } from '../../playground/src/dataset.js';
import { PlaygroundNet } from '../../playground/src/model.js';
import { TrainingSession, metric } from '../../playground/src/session.js';
import { defaultState, type PlaygroundState } from '../../playground/src/state.js';
import { bceWithLogitsLoss, noGrad, tensor } from '../../src/index.js';

// The page's training without a page: same seed, same run; the loss is the library's; L2 adds
// its penalty to the step; divergence is caught with its epoch and step.

const setup = (patch: Partial<PlaygroundState>) => {
  const s = { ...defaultState(), ...patch };
  const net = new PlaygroundNet(s);
  return { s, net, session: new TrainingSession(net, prepareData(s), s) };
};

describe('TrainingSession', () => {
  it('reports the library loss of the untrained network at epoch 0', () => {
    const { net, session } = setup({ dataset: 'gaussians' });
    const data = session.data;
    const expected = noGrad(() => bceWithLogitsLoss(net.forward(data.test.x).main, data.test.y).item());
    expect(session.history[0]!.testLoss).toBeCloseTo(expected, 6);
    expect(session.history[0]!.epoch).toBe(0);
  });

  it('learns two gaussians and repeats itself exactly for the same state', () => {
    const a = setup({ dataset: 'gaussians', learningRate: 0.1 }).session;
    const b = setup({ dataset: 'gaussians', learningRate: 0.1 }).session;
    for (let i = 0; i < 5; i++) {
      a.advance(1e9, 1);
      b.advance(1e9, 1);
    }
    expect(a.epoch).toBe(5);
    expect(a.steps).toBe(5 * 25); // 250 training points in batches of 10
    expect(a.history.at(-1)!.testMetric).toBeGreaterThan(0.95);
    expect(b.history).toEqual(a.history);
  });

  it('L2 regularisation shrinks the weights compared with none', () => {
    const norm = (n: PlaygroundNet) => n.weights().reduce((acc, w) => acc + Array.from(w.data).reduce((x, v) => x + v * v, 0), 0);
    const plain = setup({ dataset: 'xor', learningRate: 0.1 });
    const l2 = setup({ dataset: 'xor', learningRate: 0.1, regularization: 'l2', regularizationRate: 0.3 });
    for (let i = 0; i < 10; i++) {
      plain.session.advance(1e9, 1);
      l2.session.advance(1e9, 1);
    }
    expect(norm(l2.net)).toBeLessThan(0.5 * norm(plain.net));
  });

  it('retune changes the learning rate of the running optimizer', () => {
    const { s, session } = setup({});
    session.retune({ ...s, learningRate: 0.3 });
    expect((session as unknown as { optimizer: { paramGroups: { lr: number }[] } }).optimizer.paramGroups[0]!.lr).toBe(0.3);
  });

  it('stops at a NaN or infinite loss and says where', () => {
    const { session } = setup({ problem: 'regression', dataset: 'plane', learningRate: 10, layers: [{ units: 8, activation: 'relu' }, { units: 8, activation: 'relu' }] });
    for (let i = 0; i < 50 && !session.diverged; i++) session.advance(1e9, 1);
    expect(session.diverged).not.toBeNull();
    expect(session.diverged!.step).toBeGreaterThan(0);
    expect(session.diverged!.message).toMatch(/^Training diverged at epoch \d+, step \d+: .*Try a lower learning rate \(now 10; e\.g\. 1\)/);
    // The Trainer put the last finite weights back.
    expect(session.net.parameters().every((p) => Array.from(p.data).every(Number.isFinite))).toBe(true);
    expect(session.advance(1e9, 1)).toBe(0);
  });

  it('metric: accuracy from logits and arg-max, R² for regression', () => {
    const { session } = setup({});
    const part = { ...session.data.train, samples: session.data.train.samples.slice(0, 4), labels: Int32Array.from([1, 0, 1, 1]) };
    // Logits: right, right, wrong, right → 3 of 4.
    expect(metric('binary', tensor([[2], [-1], [-0.5], [0.1]]), part)).toBe(0.75);
    // Three classes by arg-max: rows 0 and 1 right, row 2 wrong.
    const three = { ...part, samples: part.samples.slice(0, 3), labels: Int32Array.from([2, 0, 1]) };
    expect(metric('multiclass', tensor([[0, 1, 3], [5, 1, 0], [2, 1, 0]]), three)).toBeCloseTo(2 / 3, 12);
    // R² = 1 − SSres/SStot: targets 0, 1, 2 (SStot 2), predictions 0, 1, 1 (SSres 1) → 0.5.
    const reg = { ...part, samples: part.samples.slice(0, 3), y: tensor([[0], [1], [2]]) };
    expect(metric('regression', tensor([[0], [1], [1]]), reg)).toBeCloseTo(0.5, 12);
  });
});

describe('PlaygroundNet', () => {
  it('graph mode: two branches on the input, concatenated into the head, as a library Model', () => {
    const { net } = setup({ mode: 'graph', branches: [{ units: 3, activation: 'relu' }, { units: 5, activation: 'tanh' }] });
    expect(net.blocks.map((b) => [b.id, b.sources.join('+'), b.units])).toEqual([['A', 'input', 3], ['B', 'input', 5], ['out', 'A+B', 1]]);
    expect(net.fanIn(net.block('out')).length).toBe(8);
    expect(net.model.nodes.map((n) => n.kind)).toEqual(['Input', 'Linear', 'ReLU', 'Linear', 'Tanh', 'Concat', 'Linear']);
    const x = prepareData(net.state).test.x;
    expect(Array.from(net.evaluate(x).get('out')!.data)).toEqual(Array.from(noGrad(() => net.forward(x).main.data)));
  });

  it('refuses a network without input features, saying what to do', () => {
    expect(() => new PlaygroundNet({ ...defaultState(), features: [] })).toThrow(/at least one input feature; click one to turn it on/);
  });
});
