import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Linear, loadOnnx, PReLU, tensor } from '../../../src/index.js';
import { maxAbsDiff, runOrt } from './ort.js';

// The fixture PyTorch 1.13.1 exported (../shared/onnx, see its README): two inputs, a tanh
// branch and a PReLU branch joined by Concat, LeakyReLU(0.1), a softmax head and a regression head.
const dir = new URL('../../../../shared/onnx/', import.meta.url);
const bytes = new Uint8Array(readFileSync(new URL('two_input_two_head.onnx', dir)));
const recorded = JSON.parse(readFileSync(new URL('two_input_two_head.json', dir), 'utf8')) as {
  inputs: Record<string, number[][]>;
  outputs: Record<string, number[][]>;
};
const inputs = { xa: tensor(recorded.inputs.xa!), xb: tensor(recorded.inputs.xb!) };

describe('loadOnnx on a PyTorch export', () => {
  it('predicts what PyTorch recorded, to 1e-5', () => {
    const model = loadOnnx(bytes);
    const out = model.predict(inputs);
    expect(maxAbsDiff(out.probs!.data, recorded.outputs.probs!.flat())).toBeLessThan(1e-5);
    expect(maxAbsDiff(out.values!.data, recorded.outputs.values!.flat())).toBeLessThan(1e-5);
  });

  it('keeps the names, shapes and the softmax as a multiclass head', () => {
    const model = loadOnnx(bytes);
    expect(model.inputNames).toEqual(['xa', 'xb']);
    expect(model.outputNames).toEqual(['probs', 'values']);
    expect(model.heads).toEqual([
      { output: 'probs', kind: 'multiclass' },
      { output: 'values', kind: 'regression' },
    ]);
    // forward gives logits: their softmax is the recorded probability.
    const logits = model.forward(inputs).probs!.toArray() as number[][];
    const row = logits[0]!.map(Math.exp);
    const total = row.reduce((a, b) => a + b, 0);
    expect(row[2]! / total).toBeCloseTo(recorded.outputs.probs![0]![2]!, 6);
  });

  it('turns PyTorch [out, in] weights (Gemm transB=1) into sloika [in, out] ones', () => {
    const model = loadOnnx(bytes);
    const a = model.layers.find((l) => l.name === 'a')!.layer as Linear;
    expect(a.weight.shape).toEqual([3, 4]);
    const act = model.layers.find((l) => l.kind === 'PReLU')!.layer as PReLU;
    expect(Array.from(act.alpha.data)).toEqual([0.2, 0.2, 0.2].map(Math.fround));
    // 3·4+4 + 2·3+3 + 3 + 7·3+3 + 7·2+2 = 16 + 9 + 3 + 24 + 16
    expect(model.parameterCount()).toBe(68);
    expect(model.summary()).toContain('PReLU');
  });

  it('agrees with ONNX Runtime on the same file', async () => {
    const ort = await runOrt(bytes, inputs);
    expect(maxAbsDiff(ort.probs!.data, recorded.outputs.probs!.flat())).toBeLessThan(1e-6);
  });
});
