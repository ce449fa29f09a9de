import { describe, expect, it } from 'vitest';
import {
  binaryHead,
  concat,
  Dropout,
  ELU,
  Identity,
  input,
  LeakyReLU,
  Linear,
  LogSoftmax,
  Model,
  Module,
  multiclassHead,
  mul,
  PReLU,
  regressionHead,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  tensor,
  toOnnx,
  type Tensor,
} from '../../../src/index.js';
import { registerLayer } from '../../../src/nn/registry.js';
import { decodeModel } from '../../../src/io/onnx/codec.js';
import { maxAbsDiff, runOrt } from './ort.js';

// Every exported model runs in ONNX Runtime and must give what model.predict gives.

/** Seeded uniform numbers in [-2, 2) as an [n, d] tensor. */
function data(n: number, d: number, seed: number): Tensor {
  let s = seed;
  const rows = Array.from({ length: n }, () =>
    Array.from({ length: d }, () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return (s / 2147483648) * 4 - 2;
    }),
  );
  return tensor(rows);
}

async function expectSameInOrt(model: Model, inputs: Record<string, Tensor>): Promise<void> {
  const want = model.predict(inputs);
  const got = await runOrt(toOnnx(model), inputs);
  expect(Object.keys(got).sort()).toEqual([...model.outputNames].sort());
  for (const name of model.outputNames) {
    expect(got[name]!.dims).toEqual(want[name]!.shape);
    expect(maxAbsDiff(got[name]!.data, want[name]!.data)).toBeLessThan(1e-5);
  }
}

describe('toOnnx runs in ONNX Runtime like predict', () => {
  const layerCases: [string, () => Module][] = [
    ['ReLU', () => new ReLU()],
    ['LeakyReLU(0.2)', () => new LeakyReLU(0.2)],
    ['LeakyReLU default', () => new LeakyReLU()],
    ['PReLU one slope', () => new PReLU({ init: 0.3 })],
    ['ELU(0.7)', () => new ELU(0.7)],
    ['Sigmoid', () => new Sigmoid()],
    ['Tanh', () => new Tanh()],
    ['Softmax', () => new Softmax()],
    ['LogSoftmax', () => new LogSoftmax()],
    ['Identity', () => new Identity()],
    ['Dropout (inference)', () => new Dropout(0.5)],
  ];
  it.each(layerCases)('Linear → %s → Linear', async (_, make) => {
    const x = input({ name: 'x', features: 3 });
    const h = make().apply(new Linear(3, 4, { seed: 1 }).apply(x));
    const model = new Model({ inputs: x, outputs: { y: new Linear(4, 2, { seed: 2 }).apply(h) } });
    await expectSameInOrt(model, { x: data(6, 3, 1) });
  });

  it('PReLU with one slope per feature, and a Linear without bias', async () => {
    const x = input({ name: 'x', features: 3 });
    const prelu = new PReLU({ numParameters: 4 });
    prelu.alpha.data = Float32Array.of(0.1, -0.5, 0.9, 2);
    const h = prelu.apply(new Linear(3, 4, { seed: 3, bias: false }).apply(x));
    const model = new Model({ inputs: x, outputs: h });
    await expectSameInOrt(model, { x: data(8, 3, 2) });
  });

  it('two branches joined by concat (the handbook graph), binary head read as a probability', async () => {
    const x = input({ name: 'x', features: 2 });
    const left = new Tanh().apply(new Linear(2, 5, { seed: 4 }).apply(x));
    const right = new ReLU().apply(new Linear(2, 3, { seed: 5 }).apply(x));
    const model = new Model({ inputs: x, outputs: binaryHead(concat([left, right]), { name: 'p', seed: 6 }) });
    await expectSameInOrt(model, { x: data(7, 2, 3) });
  });

  it('two inputs, three heads (multiclass, binary, regression)', async () => {
    const a = input({ name: 'numbers', features: 4 });
    const b = input({ name: 'flags', features: 2 });
    const h = new ELU().apply(new Linear(6, 8, { seed: 7 }).apply(concat([new LeakyReLU(0.2).apply(a), b])));
    const model = new Model({
      inputs: [a, b],
      outputs: [
        multiclassHead(h, { classes: 3, name: 'kind', seed: 8 }),
        binaryHead(h, { name: 'flag', seed: 9 }),
        regressionHead(h, { name: 'size', outputs: 2, seed: 10 }),
      ],
    });
    await expectSameInOrt(model, { numbers: data(5, 4, 4), flags: data(5, 2, 5) });
  });

  it('a Sequential exports as input x → output y, what forward returns', async () => {
    const net = new Sequential(new Linear(3, 5, { seed: 12 }), new ReLU(), new Linear(5, 2, { seed: 13 }), new Softmax());
    const x = data(4, 3, 7);
    const got = await runOrt(toOnnx(net), { x });
    expect(maxAbsDiff(got.y!.data, net.forward(x).data)).toBeLessThan(1e-5);
    expect(() => toOnnx(new Sequential(new ReLU()))).toThrow(/no Linear layer, so its number of input features is unknown/);
  });

  it('a layer applied twice shares one set of weights in the file', async () => {
    const x = input({ name: 'x', features: 3 });
    const shared = new Linear(3, 3, { seed: 11 });
    const out = shared.apply(new Tanh().apply(shared.apply(x)));
    const model = new Model({ inputs: x, outputs: { y: out } });
    const bytes = toOnnx(model);
    expect(decodeModel(bytes).graph!.initializer!.map((t) => t.name)).toEqual(['linear_1.weight', 'linear_1.bias']);
    await expectSameInOrt(model, { x: data(4, 3, 6) });
  });
});

describe('toOnnx writes a plain ONNX graph', () => {
  it('opset 13, a symbolic batch N, Gemm with W as [in, out], LeakyReLU alpha written out', () => {
    const x = input({ name: 'x', features: 3 });
    const model = new Model({ inputs: x, outputs: { y: new LeakyReLU().apply(new Linear(3, 2, { seed: 1, name: 'dense' }).apply(x)) } });
    const proto = decodeModel(toOnnx(model));
    expect(proto.opsetImport).toEqual([{ version: 13 }]);
    const g = proto.graph!;
    expect(g.input![0]!.type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'N' }, { dimValue: 3 }]);
    expect(g.output![0]!.name).toBe('y');
    expect(g.output![0]!.type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'N' }, { dimValue: 2 }]);
    expect(g.node!.map((n) => n.opType)).toEqual(['Gemm', 'LeakyRelu']);
    expect(g.initializer![0]!.dims).toEqual([3, 2]);
    const alpha = g.node![1]!.attribute!.find((a) => a.name === 'alpha')!;
    expect(alpha.f).toBeCloseTo(0.01, 7);
  });

  it('names a layer it cannot write, and the kinds it can', () => {
    class Square extends Module {
      forward(t: Tensor): Tensor {
        return mul(t, t);
      }
    }
    registerLayer({ kind: 'Square', layerClass: Square, config: () => ({}), create: () => new Square(), outputFeatures: (_, d) => d });
    const x = input({ name: 'x', features: 2 });
    const model = new Model({ inputs: x, outputs: { y: new Square().apply(x) } });
    expect(() => toOnnx(model)).toThrow(/^toOnnx: layer 'square_1' is a Square, which has no ONNX form here; the exporter writes Linear, PReLU, ReLU/);
  });
});
