// The allocation-free Trainer (reused batch tensors, sums in typed arrays, no logs unless asked)
// must train exactly as the Trainer before it did: these weights (an FNV-1a hash of every
// parameter's bytes) and histories were recorded with the Trainer of commit a71b0db, before
// that change, on the same data and options. Re-recorded on 2026-11-27 when the tanh and sigmoid
// derivatives took torch's float32 rules (ops/activations.ts): weights moved by float32 roundings,
// losses by at most 1.4e-7 relatively; W2 (ReLU) kept its bits.
import { describe, expect, it } from 'vitest';
import { asTrainable, fit, Linear, Random, ReLU, sequentialModel, Sequential, Tanh, Tensor, Trainer, type TrainableModel } from '../../src/index.js';

function weightHash(model: { parameters(): Tensor[] }): string {
  let h = 0x811c9dc5;
  for (const p of model.parameters()) {
    const b = new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

function normals(length: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length }, () => rng.normal(0, 1));
}

const W1_X = normals(1000, 7);
const W1_DATA = {
  x: new Tensor(W1_X, [500, 2]),
  y: new Tensor(Float32Array.from({ length: 500 }, (_, i) => (W1_X[2 * i]! * W1_X[2 * i + 1]! > 0 ? 1 : 0)), [500, 1]),
};
const w1 = (): TrainableModel =>
  asTrainable(new Sequential(new Linear(2, 8, { seed: 1 }), new Tanh(), new Linear(8, 8, { seed: 2 }), new Tanh(), new Linear(8, 1, { seed: 3 })), { head: 'binary' });

const W2_X = normals(600 * 64, 8);
const W2_Y = Array.from({ length: 600 }, (_, i) => (W2_X[64 * i]! > 0 ? 1 : 0) + 2 * (i % 5));
const W2_DATA = { x: new Tensor(W2_X, [600, 64]), y: W2_Y };
const w2 = (): TrainableModel =>
  asTrainable(new Sequential(new Linear(64, 128, { seed: 1 }), new ReLU(), new Linear(128, 64, { seed: 2 }), new ReLU(), new Linear(64, 10, { seed: 3 })), { head: 'multiclass' });

const RECORDED = {
  "W1": {
    "w": "271a406d",
    "h": {
      "epoch": [
        1,
        2,
        3,
        4
      ],
      "loss": [
        0.6956729006767273,
        0.6890256679058075,
        0.6873698151111602,
        0.6862852513790131
      ],
      "valLoss": [],
      "lr": [
        0.03,
        0.03,
        0.03,
        0.03
      ],
      "metrics": {},
      "stopReason": "completed",
      "restoredEpoch": null,
      "divergence": null
    },
    "wMetrics": "a65a932",
    "hMetrics": {
      "epoch": [
        1,
        2,
        3
      ],
      "loss": [
        0.6982085153460502,
        0.6938378229737282,
        0.692016738653183
      ],
      "valLoss": [
        0.6916849613189697,
        0.6832603216171265,
        0.6796691417694092
      ],
      "lr": [
        0.03,
        0.03,
        0.03
      ],
      "metrics": {
        "accuracy": [
          0.485,
          0.4825,
          0.48
        ],
        "val.accuracy": [
          0.55,
          0.54,
          0.56
        ]
      },
      "stopReason": "completed",
      "restoredEpoch": null,
      "divergence": null
    }
  },
  "W2": {
    "w": "9df419a3",
    "h": {
      "epoch": [
        1,
        2,
        3
      ],
      "loss": [
        2.3114227040608726,
        2.2653133551279705,
        2.229784151713053
      ],
      "valLoss": [],
      "lr": [
        0.001,
        0.001,
        0.001
      ],
      "metrics": {},
      "stopReason": "completed",
      "restoredEpoch": null,
      "divergence": null
    },
    "wMetrics": "9b6e7143",
    "hMetrics": {
      "epoch": [
        1,
        2
      ],
      "loss": [
        2.3114227040608726,
        2.2653133551279705
      ],
      "valLoss": [
        2.271784543991089,
        2.234060764312744
      ],
      "lr": [
        0.001,
        0.001
      ],
      "metrics": {
        "accuracy": [
          0.11333333333333333,
          0.20166666666666666
        ],
        "val.accuracy": [
          0.18,
          0.27
        ]
      },
      "stopReason": "completed",
      "restoredEpoch": null,
      "divergence": null
    }
  },
  "chain": {
    "w": "bb3b45d6",
    "h": {
      "epoch": [
        1,
        2,
        3
      ],
      "loss": [
        2.673756954405043,
        0.8255114263958401,
        0.6991581042607625
      ],
      "valLoss": [],
      "lr": [
        0.05,
        0.05,
        0.05
      ],
      "metrics": {
        "mae": [
          1.2343445880015174,
          0.6251078397553,
          0.7080848316765493
        ]
      },
      "stopReason": "completed",
      "restoredEpoch": null,
      "divergence": null
    }
  }
};

describe('the Trainer trains as before, bit for bit', () => {
  it('W1 (binary, SGD, batch 10, 500 rows): weights and history', () => {
    const m = w1();
    const h = fit(m, W1_DATA, { epochs: 4, batchSize: 10, optimizer: { name: 'sgd', lr: 0.03 }, seed: 3 });
    expect(weightHash(m)).toBe(RECORDED.W1.w);
    expect(h.toJSON()).toEqual(RECORDED.W1.h);
  });

  it('W1 with accuracy and a validation split', () => {
    const m = w1();
    const h = fit(m, W1_DATA, { epochs: 3, batchSize: 10, optimizer: { name: 'sgd', lr: 0.03 }, seed: 3, metrics: ['accuracy'], validationSplit: 0.2 });
    expect(weightHash(m)).toBe(RECORDED.W1.wMetrics);
    expect(h.toJSON()).toEqual(RECORDED.W1.hMetrics);
  });

  it('W2 (multiclass, Adam, batch 64, a last batch of 24): weights and history', () => {
    const m = w2();
    const h = fit(m, W2_DATA, { epochs: 3, batchSize: 64, optimizer: { name: 'adam', lr: 0.001 }, seed: 4 });
    expect(weightHash(m)).toBe(RECORDED.W2.w);
    expect(h.toJSON()).toEqual(RECORDED.W2.h);
  });

  it('W2 with accuracy and validation data, stepped with trainBatch, trainBatches and runEpoch', () => {
    const opts = { epochs: 2, batchSize: 64, optimizer: { name: 'adam' as const, lr: 0.001 }, seed: 4, metrics: ['accuracy' as const] };
    const validationData = { x: new Tensor(W2_X.slice(0, 6400), [100, 64]), y: W2_Y.slice(0, 100) };
    const m = w2();
    const t = new Trainer(m, W2_DATA, { ...opts, validationData });
    t.trainBatch();
    expect(t.trainBatches(3)).toBe(3);
    expect(t.runEpoch()!.epoch).toBe(1);
    while (!t.done) t.trainBatch();
    expect(weightHash(m)).toBe(RECORDED.W2.wMetrics);
    expect(t.history.toJSON()).toEqual(RECORDED.W2.hMetrics);
  });

  it('a chain graph Model (regression, momentum, clipping, no shuffling, mae)', () => {
    const X = normals(270, 9);
    const x = new Tensor(X, [90, 3]);
    const y = new Tensor(Float32Array.from({ length: 90 }, (_, i) => X[3 * i]! - 2 * X[3 * i + 2]!), [90, 1]);
    const m = sequentialModel({ inputs: 3, hidden: [6], activation: 'tanh', head: { kind: 'regression' }, seed: 5 });
    const h = fit(m, { x, y }, { epochs: 3, batchSize: 16, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, shuffle: false, clipGradNorm: 1, metrics: ['mae'] });
    expect(weightHash(m)).toBe(RECORDED.chain.w);
    expect(h.toJSON()).toEqual(RECORDED.chain.h);
  });
});
