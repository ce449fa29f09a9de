// Learning-rate schedules: exact sequences, and fit applying them to every parameter group.
import { describe, expect, it } from 'vitest';
import { SGD, cosineDecay, exponentialDecay, fit, stepDecay, tensor } from '../../src/index.js';
import { linearModel } from './fixtures.js';

const seq = (s: (e: number, lr: number) => number, n: number, lr0 = 1) => Array.from({ length: n }, (_, e) => s(e, lr0));

describe('schedules', () => {
  it('stepDecay multiplies by gamma every stepSize epochs', () => {
    expect(seq(stepDecay({ stepSize: 2, gamma: 0.5 }), 6)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(seq(stepDecay({ stepSize: 1 }), 3, 0.5)).toEqual([0.5, 0.5 * 0.1, 0.5 * 0.1 ** 2]);
  });

  it('cosineDecay follows min + (lr0 − min)(1 + cos(π·e/T))/2 and then holds', () => {
    const s = seq(cosineDecay({ epochs: 4, minLr: 0.1 }), 6);
    const want = [1, 0.1 + 0.45 * (1 + Math.SQRT1_2), 0.55, 0.1 + 0.45 * (1 - Math.SQRT1_2), 0.1, 0.1];
    s.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
  });

  it('exponentialDecay multiplies by gamma each epoch', () => {
    expect(seq(exponentialDecay({ gamma: 0.5 }), 4, 8)).toEqual([8, 4, 2, 1]);
  });

  it('reject nonsense', () => {
    expect(() => stepDecay({ stepSize: 0 })).toThrow(/stepSize must be a positive integer, got 0/);
    expect(() => cosineDecay({ epochs: -1 })).toThrow(/epochs must be a positive integer/);
  });
});

describe('fit with lrSchedule', () => {
  const data = { x: tensor([[1, 0], [0, 1]]), y: [[1], [0]] };

  it('records the exact step sequence in history.lr and uses it in the steps', () => {
    const m = linearModel([[0], [0]], [0], { head: 'regression' });
    const h = fit(m, data, { epochs: 5, batchSize: 2, optimizer: { name: 'sgd', lr: 0.2 }, lrSchedule: stepDecay({ stepSize: 2, gamma: 0.5 }) });
    expect(h.lr).toEqual([0.2, 0.2, 0.1, 0.1, 0.05]);
  });

  it('cosineDecay through fit ends at minLr', () => {
    const m = linearModel([[0], [0]], [0], { head: 'regression' });
    const h = fit(m, data, { epochs: 5, optimizer: { name: 'sgd', lr: 0.4 }, lrSchedule: cosineDecay({ epochs: 4, minLr: 0.1 }) });
    [0.4, 0.1 + 0.15 * (1 + Math.SQRT1_2), 0.25, 0.1 + 0.15 * (1 - Math.SQRT1_2), 0.1].forEach((v, i) => expect(h.lr[i]).toBeCloseTo(v, 12));
  });

  it('scales every parameter group from its own starting rate; a custom function works', () => {
    const m = linearModel([[0], [0]], [0], { head: 'regression' });
    const [w, b] = m.parameters();
    const opt = new SGD([{ params: [w!] }, { params: [b!], lr: 0.01 }], { lr: 0.1 });
    const seen: number[][] = [];
    fit(m, data, {
      epochs: 3,
      optimizer: opt,
      lrSchedule: (epoch, lr0) => lr0 / (epoch + 1),
      callbacks: { onEpochEnd: () => void seen.push(opt.paramGroups.map((g) => g.lr)) },
    });
    expect(seen).toEqual([[0.1, 0.01], [0.05, 0.005], [0.1 / 3, 0.01 / 3]]);
  });

  it('refuses a schedule that returns a bad rate, naming the epoch', () => {
    const m = linearModel([[0], [0]], [0], { head: 'regression' });
    expect(() => fit(m, data, { epochs: 3, lrSchedule: (e) => (e === 1 ? NaN : 0.1) })).toThrow(/lrSchedule gave lr = NaN for epoch 2/);
  });
});
