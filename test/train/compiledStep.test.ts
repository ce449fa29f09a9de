// compileStep: the same weights as the eager loop bit for bit, the same losses, clear refusals.
import { describe, expect, it } from 'vitest';
import {
  Adam, AdamW, bceWithLogitsLoss, compileStep, crossEntropyLoss, Dropout, Identity, Linear, mseLoss, noGrad, PReLU, ReLU, RMSprop,
  Sequential, SGD, Sigmoid, Tanh, Tensor, tensor, type Module, type Optimizer, type StepLossName,
} from '../../src/index.js';

type DType = 'float32' | 'float64';
type Act = 'tanh' | 'relu' | 'sigmoid';
const ACTS = { tanh: () => new Tanh(), relu: () => new ReLU(), sigmoid: () => new Sigmoid() };

/** An MLP with fixed seeds: sizes[0] → … → sizes[n], `act` between Linear layers. */
function mlp(sizes: number[], act: Act, dtype: DType): Sequential {
  const layers: Module[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    layers.push(new Linear(sizes[l]!, sizes[l + 1]!, { seed: 10 + l, dtype }));
    if (l + 2 < sizes.length) layers.push(ACTS[act]());
  }
  return new Sequential(...layers);
}

function data(rows: number, cols: number, dtype: DType, seed: number): Tensor {
  const a = dtype === 'float64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(seed * 7.1 + i * 1.3) * 2;
  return new Tensor(a, [rows, cols]);
}

function targetsFor(loss: StepLossName, rows: number, out: number, dtype: DType): Tensor | Int32Array {
  if (loss === 'crossEntropy') return Int32Array.from({ length: rows }, (_, i) => (i * 7) % out);
  const t = data(rows, out, dtype, 3);
  if (loss === 'bceWithLogits') for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! > 0 ? 1 : 0;
  return t;
}

const LOSS_FNS = {
  bceWithLogits: (z: Tensor, y: Tensor | Int32Array) => bceWithLogitsLoss(z, y as Tensor),
  crossEntropy: (z: Tensor, y: Tensor | Int32Array) => crossEntropyLoss(z, y),
  mse: (z: Tensor, y: Tensor | Int32Array) => mseLoss(z, y as Tensor),
};

const OPTIMIZERS: Record<string, (p: Tensor[]) => Optimizer<any>> = {
  sgd: (p) => new SGD(p, { lr: 0.03 }),
  'sgd momentum nesterov wd': (p) => new SGD(p, { lr: 0.03, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
  adam: (p) => new Adam(p, { lr: 0.01 }),
  'adam amsgrad': (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 1e-3 }),
  'adamw maximize': (p) => new AdamW(p, { lr: 0.01, maximize: true }),
  'rmsprop centered momentum': (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 }),
};

/** The raw bits of every parameter, for exact comparison (NaN- and −0-safe). */
function bits(net: Module): number[][] {
  return net.parameters().map((p) => Array.from(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)));
}

/** K steps eager and compiled from the same weights over the given batches; both nets, both loss lists. */
function race(
  make: () => Module, loss: StepLossName, optimizer: (p: Tensor[]) => Optimizer<any>,
  batches: { x: Tensor; y: Tensor | Int32Array }[], steps: number,
) {
  const eager = make();
  const compiled = make();
  const oe = optimizer(eager.parameters());
  const oc = optimizer(compiled.parameters());
  const train = compileStep(compiled, { loss, optimizer: oc, batchSize: batches[0]!.x.shape[0] });
  const eagerLosses: number[] = [];
  const compiledLosses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const b = batches[s % batches.length]!;
    oe.zeroGrad();
    const l = LOSS_FNS[loss](eager.forward(b.x), b.y);
    l.backward();
    oe.step();
    eagerLosses.push(l.item());
    compiledLosses.push(train.step(b.x, b.y));
  }
  return { eager, compiled, eagerLosses, compiledLosses };
}

describe('compileStep equals the eager loop bit for bit', () => {
  const cases: [StepLossName, number][] = [['bceWithLogits', 1], ['bceWithLogits', 3], ['crossEntropy', 4], ['mse', 2]];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const act of ['tanh', 'relu', 'sigmoid'] as const) {
      for (const [loss, out] of cases) {
        it(`${dtype} ${act} ${loss} [B, ${out}], SGD`, () => {
          const batches = [0, 1, 2].map((k) => ({ x: data(10, 2, dtype, k), y: targetsFor(loss, 10, out, dtype) }));
          const r = race(() => mlp([2, 8, 8, out], act, dtype), loss, OPTIMIZERS.sgd!, batches, 12);
          expect(r.compiledLosses).toEqual(r.eagerLosses);
          expect(bits(r.compiled)).toEqual(bits(r.eager));
          // The gradients of the last step are left in .grad, as after the eager loop.
          expect(r.compiled.parameters().map((p) => Array.from(p.grad!.data))).toEqual(r.eager.parameters().map((p) => Array.from(p.grad!.data)));
        });
      }
    }
    for (const [name, optimizer] of Object.entries(OPTIMIZERS)) {
      it(`${dtype} ${name}, tanh, bceWithLogits`, () => {
        const batches = [0, 1].map((k) => ({ x: data(10, 2, dtype, k), y: targetsFor('bceWithLogits', 10, 1, dtype) }));
        const r = race(() => mlp([2, 8, 8, 1], 'tanh', dtype), 'bceWithLogits', optimizer, batches, 15);
        expect(r.compiledLosses).toEqual(r.eagerLosses);
        expect(bits(r.compiled)).toEqual(bits(r.eager));
      });
    }
  }

  it('float32 W2-sized products (the WebAssembly kernel) with Adam and crossEntropy', () => {
    const batches = [0, 1].map((k) => ({ x: data(64, 64, 'float32', k), y: targetsFor('crossEntropy', 64, 10, 'float32') }));
    const r = race(() => mlp([64, 128, 64, 10], 'relu', 'float32'), 'crossEntropy', OPTIMIZERS.adam!, batches, 4);
    expect(r.compiledLosses).toEqual(r.eagerLosses);
    expect(bits(r.compiled)).toEqual(bits(r.eager));
  });

  it('[B, K] probability targets for crossEntropy', () => {
    const probs = new Tensor(Float32Array.from({ length: 30 }, (_, i) => [0.2, 0.5, 0.3][i % 3]!), [10, 3]);
    const r = race(() => mlp([2, 5, 3], 'tanh', 'float32'), 'crossEntropy', OPTIMIZERS.sgd!, [{ x: data(10, 2, 'float32', 1), y: probs as never }], 6);
    expect(r.compiledLosses).toEqual(r.eagerLosses);
    expect(bits(r.compiled)).toEqual(bits(r.eager));
  });

  it('standalone activations, Identity, a leading activation and nested Sequentials', () => {
    const make = () => new Sequential(
      new ReLU(), // before any Linear: runs on the input
      new Linear(3, 6, { seed: 1 }), new Tanh(), new Sigmoid(), // Sigmoid after a fused Tanh: on its own
      new Identity(),
      new Sequential(new Linear(6, 4, { seed: 2 }), new ReLU()),
      new Tanh(), // after the nested Sequential: not fused
      new Linear(4, 2, { seed: 3, bias: false }),
    );
    const batches = [0, 1].map((k) => ({ x: data(7, 3, 'float32', k), y: targetsFor('mse', 7, 2, 'float32') }));
    const r = race(make, 'mse', OPTIMIZERS.adam!, batches, 8);
    expect(r.compiledLosses).toEqual(r.eagerLosses);
    expect(bits(r.compiled)).toEqual(bits(r.eager));
  });

  it('a Linear used twice (shared weights) sums both uses into one .grad in the order of the tape', () => {
    const make = () => {
      const shared = new Linear(4, 4, { seed: 5 });
      return new Sequential(shared, new Tanh(), shared, new Sigmoid(), new Linear(4, 1, { seed: 6 }));
    };
    const batches = [0, 1].map((k) => ({ x: data(6, 4, 'float32', k), y: targetsFor('bceWithLogits', 6, 1, 'float32') }));
    const r = race(make, 'bceWithLogits', OPTIMIZERS['sgd momentum nesterov wd']!, batches, 6);
    expect(r.compiled.parameters()).toHaveLength(4);
    expect(r.compiledLosses).toEqual(r.eagerLosses);
    expect(bits(r.compiled)).toEqual(bits(r.eager));
  });

  it('a last partial batch gets its own buffers; sizes can alternate (more sizes than are kept, too)', () => {
    const batches = [10, 7, 10, 3, 5, 6, 2, 10].map((rows, k) => ({ x: data(rows, 2, 'float32', k), y: targetsFor('bceWithLogits', rows, 1, 'float32') }));
    const r = race(() => mlp([2, 8, 1], 'tanh', 'float32'), 'bceWithLogits', OPTIMIZERS.sgd!, batches, 12);
    expect(r.compiledLosses).toEqual(r.eagerLosses);
    expect(bits(r.compiled)).toEqual(bits(r.eager));
  });

  it('frozen parameters (requiresGrad false) are left alone, as eager backward leaves them', () => {
    const make = () => {
      const net = mlp([2, 8, 8, 1], 'tanh', 'float32');
      const first = net.layers[0] as Linear;
      first.weight.requiresGrad = false;
      first.bias!.requiresGrad = false;
      return net;
    };
    const batches = [{ x: data(10, 2, 'float32', 0), y: targetsFor('bceWithLogits', 10, 1, 'float32') }];
    // Both optimizers get every parameter; the frozen ones have no .grad and are skipped.
    const r = race(make, 'bceWithLogits', (p) => new SGD(p, { lr: 0.1 }), batches, 5);
    expect(bits(r.compiled)).toEqual(bits(r.eager));
    expect((r.compiled as Sequential).layers[0]!.parameters()).toEqual([]);
  });

  it('forwardLoss + backward accumulate into .grad like two eager backward calls', () => {
    const eager = mlp([2, 4, 1], 'sigmoid', 'float64');
    const compiled = mlp([2, 4, 1], 'sigmoid', 'float64');
    const train = compileStep(compiled, { loss: 'mse' });
    const batches = [0, 1].map((k) => ({ x: data(5, 2, 'float64', k), y: data(5, 1, 'float64', k + 5) }));
    for (const b of batches) {
      mseLoss(eager.forward(b.x), b.y).backward();
      const loss = train.forwardLoss(b.x, b.y);
      expect(loss).toBe(mseLoss(eager.forward(b.x), b.y).item());
      train.backward();
    }
    expect(compiled.parameters().map((p) => Array.from(p.grad!.data))).toEqual(eager.parameters().map((p) => Array.from(p.grad!.data)));
    expect(Array.from(train.lastOutput())).toEqual(Array.from(eager.forward(batches[1]!.x).data));
  });

  it('lets a NaN weight reach the output and the loss through Linear + ReLU (eager, noGrad, compiled), as PyTorch', () => {
    // Sizes past the SIMD kernels' thresholds, so the clamp inside the matrix multiply runs too.
    for (const dtype of ['float32', 'float64'] as const) {
      const net = mlp([8, 32, 1], 'relu', dtype);
      (net.layers[0] as Linear).weight.data[3] = NaN; // input 0 → hidden unit 3
      const x = data(64, 8, dtype, 7);
      const y = data(64, 1, dtype, 8);
      const eager = net.forward(x).data;
      const inference = noGrad(() => net.forward(x)).data;
      expect(Array.from(eager).every(Number.isNaN), `eager ${dtype}`).toBe(true);
      expect(Array.from(inference).every(Number.isNaN), `noGrad ${dtype}`).toBe(true);
      expect(compileStep(net, { loss: 'mse', batchSize: 64 }).forwardLoss(x, y), `compiled ${dtype}`).toBeNaN();
    }
  });

  it('reads parameters each step, so replacing .data (loading weights) takes effect', () => {
    const net = mlp([2, 1], 'tanh', 'float32');
    const train = compileStep(net, { loss: 'mse' });
    const layer = net.layers[0] as Linear;
    layer.weight.data = Float32Array.of(1, 1);
    layer.bias!.data = Float32Array.of(0);
    expect(train.forwardLoss(tensor([[1, 2]]), tensor([[0]]))).toBe(9); // (1 + 2 − 0)²
  });
});

describe('compileStep losses, worked by hand', () => {
  /** Linear(1, 1) with w = 2, b = 0.5: the output for x = 1 is 2.5. */
  function unit(dtype: DType = 'float32'): Sequential {
    const l = new Linear(1, 1, { dtype });
    l.weight.data[0] = 2;
    l.bias!.data[0] = 0.5;
    return new Sequential(l);
  }

  it('bceWithLogits: log(1 + e^−2.5) for target 1; SGD then moves w by lr·(σ(2.5) − 1)·x', () => {
    const net = unit('float64');
    const opt = new SGD(net.parameters(), { lr: 0.5 });
    const train = compileStep(net, { loss: bceWithLogitsLoss, optimizer: opt });
    expect(train.step(Float64Array.of(1), Float64Array.of(1))).toBeCloseTo(Math.log1p(Math.exp(-2.5)), 15); // 0.0788897…
    const sigma = 1 / (1 + Math.exp(-2.5));
    expect(net.parameters()[0]!.data[0]).toBeCloseTo(2 - 0.5 * (sigma - 1), 15);
    expect(train.lossValue[0]).toBeCloseTo(0.078889734, 8);
  });

  it('mse: (2.5 − 0.5)² = 4, gradient 2·(2.5 − 0.5) = 4', () => {
    const net = unit();
    const train = compileStep(net, { loss: 'mse' });
    expect(train.forwardLoss(tensor([[1]]), tensor([[0.5]]))).toBe(4);
    train.backward();
    expect(net.parameters().map((p) => p.grad!.data[0])).toEqual([4, 4]);
  });

  it('crossEntropy: logits [2, 0, 0] with label 0 give log(1 + 2e^−2) ≈ 0.2395', () => {
    const l = new Linear(1, 3, { bias: false });
    l.weight.data.set([2, 0, 0]);
    const train = compileStep(new Sequential(l), { loss: 'crossEntropy' });
    expect(train.forwardLoss(tensor([[1]]), [0])).toBeCloseTo(Math.log(1 + 2 * Math.exp(-2)), 6);
    expect(train.lossValue).toBeInstanceOf(Float32Array);
  });
});

describe('compileStep refuses what it cannot run', () => {
  const net = () => mlp([2, 3, 1], 'tanh', 'float32');

  it('names the unsupported layer and lists what is supported', () => {
    expect(() => compileStep(new Sequential(new Linear(2, 3), new Dropout(0.5), new Linear(3, 1)), { loss: 'mse' })).toThrow(
      /cannot compile layer 1 \(Dropout\); a compiled step runs Linear, Tanh, ReLU, Sigmoid, Identity and nested Sequential layers/,
    );
    expect(() => compileStep(new Sequential(new Linear(2, 3), new PReLU()), { loss: 'mse' })).toThrow(/layer 1 \(PReLU\)/);
    expect(() => compileStep(new Linear(2, 3), { loss: 'mse' })).toThrow(/the model must be a Sequential/);
    expect(() => compileStep(new Sequential(new Tanh()), { loss: 'mse' })).toThrow(/no Linear layer/);
    expect(() => compileStep(new Sequential(new Linear(2, 3), new Linear(4, 1)), { loss: 'mse' })).toThrow(/Linear\(4, 1\) expects 4 input features, but the layer before it gives 3/);
  });

  it('refuses other losses and mixed dtypes', () => {
    expect(() => compileStep(net(), { loss: 'bce' as never })).toThrow(/cannot compile the loss bce; a compiled step supports 'bceWithLogits', 'crossEntropy' and 'mse'/);
    expect(() => compileStep(net(), { loss: ((z: Tensor) => z) as never })).toThrow(/cannot compile the loss function/);
    expect(() => compileStep(new Sequential(new Linear(2, 3), new Linear(3, 1, { dtype: 'float64' })), { loss: 'mse' })).toThrow(/float64 parameters but the first Linear has float32/);
  });

  it('checks each batch: input shape and dtype, target size, labels', () => {
    const train = compileStep(net(), { loss: 'mse', optimizer: new SGD(net().parameters(), { lr: 0.1 }) });
    expect(() => train.forwardLoss(tensor([[1, 2, 3]]), tensor([[0]]))).toThrow(/expects input of shape \[N, 2\], got \[1, 3\]/);
    expect(() => train.forwardLoss(new Float64Array(2), tensor([[0]]))).toThrow(/the input is float64 but the model's parameters are float32/);
    expect(() => train.forwardLoss(tensor([[1, 2]]), tensor([[0, 1]]))).toThrow(/output has shape \[1, 1\] but the mse target has \[1, 2\]/);
    const ce = compileStep(mlp([2, 3], 'tanh', 'float32'), { loss: 'crossEntropy' });
    expect(() => ce.forwardLoss(tensor([[1, 2], [3, 4]]), [0, 3])).toThrow(/label in row 1 is 3; labels must be integers from 0 to 2 for 3 classes/);
    expect(() => ce.forwardLoss(tensor([[1, 2]]), [0.5])).toThrow(/label in row 0 is 0.5/);
    expect(() => compileStep(net(), { loss: 'mse' }).step(tensor([[1, 2]]), tensor([[0]]))).toThrow(/no optimizer was given to compileStep/);
    expect(() => compileStep(net(), { loss: 'mse' }).backward()).toThrow(/call forwardLoss\(x, y\) first/);
    expect(() => compileStep(net(), { loss: 'mse', batchSize: 4 }).lastOutput()).toThrow(/no batch has been run yet/);
  });
});
