import { describe, expect, it } from 'vitest';
import { binaryHead, concat, ELU, input, LeakyReLU, Linear, loadOnnx, Model, multiclassHead, PReLU, regressionHead, ReLU, Tanh, tensor, toOnnx } from '../../../src/index.js';
import { decodeModel } from '../../../src/io/onnx/codec.js';
import { maxAbsDiff, runOrt } from './ort.js';

function handbookModel(metadata: Record<string, unknown> = {}): Model {
  const a = input({ name: 'numbers', features: 3 });
  const b = input({ name: 'flags', features: 2 });
  const left = new Tanh().apply(new Linear(3, 4, { seed: 1 }).apply(a));
  const prelu = new PReLU({ numParameters: 3 });
  prelu.alpha.data = Float32Array.of(0.1, 0.2, 0.3);
  const right = prelu.apply(new Linear(2, 3, { seed: 2 }).apply(b));
  const h = new ELU(0.5).apply(concat([left, right]));
  return new Model({
    inputs: [a, b],
    outputs: [
      multiclassHead(h, { classes: 3, name: 'kind', seed: 3, weight: 2 }),
      binaryHead(h, { name: 'flag', seed: 4 }),
      regressionHead(h, { name: 'size', seed: 5 }),
    ],
    metadata,
  });
}

const inputs = {
  numbers: tensor([[0.5, -1, 2], [1.5, 0, -0.25], [-3, 1, 1]]),
  flags: tensor([[1, 0], [0, 1], [-1, 2]]),
};

describe('export → import', () => {
  it('gives identical predictions, heads, names and metadata', () => {
    const model = handbookModel({ note: 'kept' });
    const back = loadOnnx(toOnnx(model));
    expect(back.inputNames).toEqual(model.inputNames);
    expect(back.outputNames).toEqual(model.outputNames);
    expect(back.heads).toEqual(model.heads);
    expect(back.metadata).toEqual({ note: 'kept' });
    expect(back.parameterCount()).toBe(model.parameterCount());
    const want = model.predict(inputs);
    const got = back.predict(inputs);
    for (const name of model.outputNames) expect(Array.from(got[name]!.data)).toEqual(Array.from(want[name]!.data));
    // forward too: the head activations were moved back into the heads, not left in the graph.
    expect(Array.from(back.forward(inputs).kind!.data)).toEqual(Array.from(model.forward(inputs).kind!.data));
  });

  it('model.toOnnx() is the same bytes as toOnnx(model)', () => {
    const model = handbookModel();
    expect(model.toOnnx()).toEqual(toOnnx(model));
  });

  it('a second export of the imported model runs in ONNX Runtime like the first', async () => {
    const model = handbookModel();
    const again = toOnnx(loadOnnx(toOnnx(model)));
    const ort = await runOrt(again, inputs);
    const want = model.predict(inputs);
    for (const name of model.outputNames) expect(maxAbsDiff(ort[name]!.data, want[name]!.data)).toBeLessThan(1e-5);
  });
});

describe('the CLI preprocessing in the metadata', () => {
  // As `sloika train` stores it (src/data/preprocess.ts): age standardised, color one-hot,
  // a regression target the network learns standardised.
  const preprocessing = {
    format: 'sloika-preprocessing',
    version: 1,
    impute: 'none',
    features: [
      { name: 'age', kind: 'numeric', mean: 40, std: 10, fill: null },
      { name: 'color', kind: 'categorical', categories: ['blue', 'red'], fill: null },
    ],
    target: { kind: 'regression', columns: ['price'], mean: [100], std: [20] },
    inputNames: ['age', 'color=blue', 'color=red'],
  };
  function cliModel(): Model {
    const x = input({ name: 'x', features: 3 });
    const h = new LeakyReLU(0.1).apply(new Linear(3, 4, { seed: 7 }).apply(x));
    return new Model({ inputs: x, outputs: regressionHead(new ReLU().apply(h), { name: 'y', seed: 8 }), metadata: { sloikaCli: { preprocessing } } });
  }

  it('is exported as Sub/Div in front and Mul/Add behind, so ONNX takes raw columns and answers in price units', async () => {
    const model = cliModel();
    const bytes = toOnnx(model);
    const ops = decodeModel(bytes).graph!.node!.map((n) => n.opType);
    expect(ops).toEqual(['Sub', 'Div', 'Gemm', 'LeakyRelu', 'Relu', 'Gemm', 'Mul', 'Add', 'Identity']);
    const raw = tensor([[50, 1, 0], [25, 0, 1]]);
    // What the CLI computes: standardise by hand, predict, undo the target's standardisation.
    const standardised = tensor([[1, 1, 0], [-1.5, 0, 1]]);
    const expected = Array.from(model.predict(standardised).y!.data, (v) => v * 20 + 100);
    const ort = await runOrt(bytes, { x: raw });
    expect(maxAbsDiff(ort.y!.data, expected)).toBeLessThan(1e-4);
    // Without it, the file is the bare network.
    expect(decodeModel(toOnnx(model, { preprocessing: false })).graph!.node!.map((n) => n.opType)).toEqual(['Gemm', 'LeakyRelu', 'Relu', 'Gemm']);
  });

  it('comes back as metadata on import, with the network unchanged', () => {
    const model = cliModel();
    const back = loadOnnx(toOnnx(model));
    expect(back.metadata).toEqual({ sloikaCli: { preprocessing } });
    const x = tensor([[1, 1, 0]]);
    expect(Array.from(back.predict(x).y!.data)).toEqual(Array.from(model.predict(x).y!.data));
  });
});
