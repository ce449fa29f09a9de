import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/table.js';
import { Linear, featureNames, predictRows, sequentialModel, tabularPreprocessing, type Model } from '../../src/index.js';
import type { Preprocessing } from '../../src/data/preprocess.js';

// A linear model whose stored CSV preprocessing is known, so every answer is worked out by hand:
// inputs [ (size − 10) / 2, color=blue, color=red ], one output 1·x + 0·blue + 2·red + 0.5.
function linearWith(head: 'binary' | 'regression', target: Preprocessing['target']): Model {
  const model = sequentialModel({ inputs: 3, head: head === 'binary' ? 'binary' : { kind: 'regression', outputs: 1 }, seed: 1 });
  const linear = model.layers.find((l) => l.kind === 'Linear')!.layer as Linear;
  linear.weight.data = new Float32Array([1, 0, 2]);
  linear.bias!.data = new Float32Array([0.5]);
  const preprocessing: Preprocessing = {
    format: 'sloika-preprocessing', version: 1, impute: 'none', target,
    features: [
      { name: 'size', kind: 'numeric', mean: 10, std: 2, fill: null },
      { name: 'color', kind: 'categorical', categories: ['blue', 'red'], fill: null },
    ],
    inputNames: ['size', 'color=blue', 'color=red'],
  };
  model.metadata = { sloikaCli: { preprocessing, training: {} } };
  return model;
}

describe('predictRows: a CLI model applied to raw rows from code', () => {
  const regression = linearWith('regression', { kind: 'regression', columns: ['price'], mean: [100], std: [5] });

  it('standardises numbers, one-hots text and gives regression values in original units', () => {
    // size 12 → 1; red → 2; 1 + 2 + 0.5 = 3.5 standardised → 3.5·5 + 100 = 117.5.
    // size 8 → −1; blue → 0; −1 + 0.5 = −0.5 → 97.5.
    const p = predictRows(regression, [{ size: 12, color: 'red', extra: 'ignored' }, { size: '8', color: 'blue' }]);
    expect(p.kind).toBe('regression');
    if (p.kind !== 'regression') return;
    expect(p.columns).toEqual(['price']);
    expect(p.values[0]![0]).toBeCloseTo(117.5, 5);
    expect(p.values[1]![0]).toBeCloseTo(97.5, 5);
    expect(p.warnings).toEqual([]);
  });

  it('takes rows as arrays in featureNames order', () => {
    expect(featureNames(regression)).toEqual(['size', 'color']);
    const p = predictRows(regression, [[12, 'red']]);
    expect(p.kind === 'regression' && p.values[0]![0]).toBeCloseTo(117.5, 5);
  });

  it('gives class labels and probabilities for a binary model', () => {
    // size 10 → 0; blue → 0; logit 0.5 → p(yes) = σ(0.5) = 0.622459.
    const binary = linearWith('binary', { kind: 'binary', column: 'buy', classes: ['no', 'yes'] });
    const p = predictRows(binary, [{ size: 10, color: 'blue' }, { size: 4, color: 'blue' }]);
    expect(p.kind).toBe('binary');
    if (p.kind === 'regression') return;
    expect(p.classes).toEqual(['no', 'yes']);
    expect(p.probabilities[0]![1]).toBeCloseTo(0.622459, 5);
    expect(p.probabilities[0]![0]).toBeCloseTo(0.377541, 5);
    expect(p.labels).toEqual(['yes', 'no']); // size 4 → −3; logit −2.5
  });

  it('warns about an unseen category (all-zero one-hot) and names the row and column of a bad value', () => {
    const p = predictRows(regression, [{ size: 12, color: 'green' }]);
    expect(p.kind === 'regression' && p.values[0]![0]).toBeCloseTo((1 + 0.5) * 5 + 100, 5);
    expect(p.warnings[0]).toContain('column "color": 1 row(s) have a category the model never saw in training ("green" in row 1)');
    expect(() => predictRows(regression, [{ size: 1, color: 'red' }, { size: 'big', color: 'red' }])).toThrow(DataError);
    expect(() => predictRows(regression, [{ size: 1, color: 'red' }, { size: 'big', color: 'red' }])).toThrow('rows, row 2, column "size": "big" is not a number');
    expect(() => predictRows(regression, [{ size: null, color: 'red' }])).toThrow('rows, row 1, column "size": empty cell');
    expect(() => predictRows(regression, [{ color: 'red' }])).toThrow('rows, row 1: no value for "size"; the model reads "size", "color"');
    expect(() => predictRows(regression, [[1]])).toThrow('rows, row 1: 1 values but the model reads 2 columns ("size", "color")');
  });

  it('refuses a model without CSV preprocessing, in one sentence', () => {
    const bare = sequentialModel({ inputs: 2, head: 'binary', seed: 1 });
    expect(tabularPreprocessing(bare)).toBeNull();
    expect(() => predictRows(bare, [[1, 2]])).toThrow('predictRows: this model carries no CSV preprocessing (it was not written by `sloika train`)');
  });
});
