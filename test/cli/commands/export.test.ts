import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exportCommand } from '../../../cli/commands/export.js';
import { buildNetwork, predictRaw, type NetworkSpec } from '../../../cli/engine/index.js';
import { saveModelFile } from '../../../cli/model-file.js';
import type { Preprocessing } from '../../../src/data/preprocess.js';
import { tensor } from '../../../src/index.js';
import { maxAbsDiff, runOrt } from '../../io/onnx/ort.js';

// `sloika export MODEL --onnx OUT.onnx`: the ONNX file takes the CSV's columns as they are
// and answers like `sloika predict` (probabilities, or values in original units).
const dir = mkdtempSync(join(tmpdir(), 'sloika-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (head: NetworkSpec['head'], outputs: number): NetworkSpec => ({
  inputs: 3, outputs, hidden: [4], activation: 'tanh', dropout: 0, head, seed: 3, inputName: 'features', outputName: 'y',
});
const features: Preprocessing['features'] = [
  { name: 'age', kind: 'numeric', mean: 40, std: 10, fill: null },
  { name: 'color', kind: 'categorical', categories: ['blue', 'red'], fill: null },
];
const raw = [[50, 1, 0], [20, 0, 1]];
const standardised = [[1, 1, 0], [-2, 0, 1]];

function exported(head: NetworkSpec['head'], outputs: number, target: Preprocessing['target']) {
  const network = buildNetwork(spec(head, outputs));
  const preprocessing: Preprocessing = { format: 'sloika-preprocessing', version: 1, impute: 'none', features, target, inputNames: ['age', 'color=blue', 'color=red'] };
  const modelPath = join(dir, `${head}.sloika`);
  const onnxPath = join(dir, `${head}.onnx`);
  saveModelFile(modelPath, network, { preprocessing, training: {} });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(exportCommand(modelPath, { onnx: onnxPath })).toBe(0);
  const note = String(stderr.mock.calls[0]?.[0]);
  stderr.mockRestore();
  const logits = predictRaw(network, { data: Float32Array.from(standardised.flat()), rows: 2, cols: 3 });
  return { bytes: new Uint8Array(readFileSync(onnxPath)), logits, note };
}

describe('sloika export --onnx', () => {
  it('a regression model answers in original units from raw columns', async () => {
    const { bytes, logits, note } = exported('regression', 1, { kind: 'regression', columns: ['price'], mean: [100], std: [20] });
    expect(note).toContain("input 'features' [N, 3] takes the columns age, color=blue, color=red");
    const ort = await runOrt(bytes, { features: tensor(raw) });
    expect(maxAbsDiff(ort.y!.data, Array.from(logits, (v) => v * 20 + 100))).toBeLessThan(1e-4);
  });

  it('a multiclass model gives the class probabilities', async () => {
    const { bytes, logits, note } = exported('multiclass', 3, { kind: 'multiclass', column: 'kind', classes: ['a', 'b', 'c'] });
    expect(note).toContain("output 'y' [N, 3] gives class probabilities");
    const ort = await runOrt(bytes, { features: tensor(raw) });
    const probs = [0, 1].flatMap((r) => {
      const row = Array.from(logits.subarray(r * 3, r * 3 + 3), Math.exp);
      const s = row.reduce((a, b) => a + b, 0);
      return row.map((v) => v / s);
    });
    expect(maxAbsDiff(ort.y!.data, probs)).toBeLessThan(1e-5);
  });

  it('without --onnx it says what to give', () => {
    expect(() => exportCommand('m.sloika', {})).toThrow('give the output file: sloika export MODEL --onnx OUT.onnx');
  });
});
