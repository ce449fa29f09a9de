// Early stopping on a scripted loss: the loss *value* follows a script while its gradient is
// the real MSE gradient, so the weights move every epoch and restoring them is observable.
import { describe, expect, it } from 'vitest';
import { add, fit, mseLoss, sub, tensor, Tensor, type EarlyStoppingOptions } from '../../src/index.js';
import { linearModel, weightsOf } from './fixtures.js';

const data = { x: tensor([[1, 2], [2, 1], [0, 1]]), y: [[1], [0], [2]] };

function scripted(script: number[], early: EarlyStoppingOptions | boolean, epochs = script.length) {
  const m = linearModel([[0.1], [0.2]], [0], { head: 'regression' });
  let call = 0;
  const perEpoch: number[][][] = [];
  const h = fit(m, data, {
    epochs,
    batchSize: 3, // one step per epoch, one loss call per epoch
    optimizer: { name: 'sgd', lr: 0.05 },
    loss: (o, t) => {
      const real = mseLoss(o, new Tensor(t.data, o.shape));
      return add(sub(real, real.item()), script[call++]!); // value = script, gradient = MSE's
    },
    earlyStopping: early,
    callbacks: { onEpochEnd: () => void perEpoch.push(weightsOf(m)) },
  });
  return { h, m, perEpoch };
}

describe('early stopping', () => {
  const script = [1.0, 0.8, 0.85, 0.7, 0.75, 0.72, 0.71, 0.9];

  it('stops after `patience` epochs without improvement and restores the best weights exactly', () => {
    const { h, m, perEpoch } = scripted(script, { patience: 2, restoreBestWeights: true });
    // best 0.7 at epoch 4; epochs 5 and 6 do not improve ⇒ stop after epoch 6.
    expect(h.epoch).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.loss.map((v) => Math.round(v * 100) / 100)).toEqual([1, 0.8, 0.85, 0.7, 0.75, 0.72]);
    expect(h.stopReason).toBe('earlyStopping');
    expect(h.restoredEpoch).toBe(4);
    expect(weightsOf(m)).toEqual(perEpoch[3]);
    expect(weightsOf(m)).not.toEqual(perEpoch[5]);
  });

  it('keeps the last weights without restoreBestWeights', () => {
    const { h, m, perEpoch } = scripted(script, { patience: 2 });
    expect(h.epoch.length).toBe(6);
    expect(h.restoredEpoch).toBeNull();
    expect(weightsOf(m)).toEqual(perEpoch[5]);
  });

  it('minDelta: an improvement must beat the best by more than minDelta', () => {
    // 0.97 and 0.96 are within 0.05 of 1.0 ⇒ two epochs without improvement.
    expect(scripted([1.0, 0.97, 0.96, 0.5, 0.4], { patience: 2, minDelta: 0.05 }).h.epoch).toEqual([1, 2, 3]);
    expect(scripted([1.0, 0.97, 0.96, 0.5, 0.4], { patience: 2 }).h.epoch).toEqual([1, 2, 3, 4, 5]);
  });

  it('patience 0 (the default) stops at the first epoch without improvement', () => {
    expect(scripted(script, true).h.epoch).toEqual([1, 2, 3]);
  });

  it('restores at the end of training too when the best epoch was not the last', () => {
    const { h, m, perEpoch } = scripted([1, 0.5, 0.6], { patience: 5, restoreBestWeights: true });
    expect(h.stopReason).toBe('completed');
    expect(h.restoredEpoch).toBe(2);
    expect(weightsOf(m)).toEqual(perEpoch[1]);
  });

  it("monitors 'val.*' series with mode 'max' for accuracy", () => {
    const m = linearModel([[0.3], [-0.2]], [0], { head: 'binary' });
    const x = tensor([[1, 0], [0, 1], [1, 1], [2, 0], [0, 2], [1, 2]]);
    const h = fit(m, { x, y: [1, 0, 1, 1, 0, 0] }, {
      epochs: 50, validationSplit: 0.5, metrics: ['accuracy'], optimizer: { name: 'sgd', lr: 0 },
      earlyStopping: { monitor: 'val.accuracy', patience: 3 },
    });
    // lr 0: accuracy never changes, so it never improves on epoch 1 ⇒ stop after epoch 4.
    expect(h.epoch).toEqual([1, 2, 3, 4]);
  });

  it('explains a monitor that does not exist or needs validation data', () => {
    const m = linearModel([[0.3], [-0.2]], [0], { head: 'regression' });
    expect(() => fit(m, data, { earlyStopping: { monitor: 'val.loss' } })).toThrow(/monitor 'val.loss' needs validation data/);
    expect(() => fit(m, data, { earlyStopping: { monitor: 'r2' } })).toThrow(/no value 'r2' to monitor; available: loss/);
  });
});
