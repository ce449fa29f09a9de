import { describe, expect, it } from 'vitest';
import {
  classIndices, decodeOutputs, describeTarget, encodeFeatures, encodeTargets, fitPreprocessing, isPreprocessing, networkWidths,
} from '../../src/data/preprocess.js';
import { DataError, splitRows, type Table } from '../../src/data/table.js';

function table(columns: string[], rows: (string | number)[][], source = 'd.csv'): Table {
  return { source, columns, rows: rows.map((r) => r.map(String)), lines: rows.map((_, i) => i + 2) };
}

const pets = table(['x', 'pet', 'y'], [[1, 'cat', 'no'], [2, 'dog', 'yes'], [3, 'cat', 'no'], [4, 'eel', 'yes']]);

describe('describeTarget (task auto-detection)', () => {
  it('two values → binary, labels kept as strings in sorted order (the second is positive)', () => {
    const { target, reason } = describeTarget(pets, ['y'], 'auto');
    expect(target).toEqual({ kind: 'binary', column: 'y', classes: ['no', 'yes'] });
    expect(reason).toBe('column "y" has 2 distinct values');
    expect(classIndices(pets, target)).toEqual([0, 1, 0, 1]);
  });

  it('numeric labels match by value when scoring: "2.0" in a new file is class "2"', () => {
    const target = { kind: 'multiclass' as const, column: 'y', classes: ['0', '1', '2'] };
    expect(classIndices(table(['y'], [['2.0'], ['0'], ['1.00']]), target)).toEqual([2, 0, 1]);
    expect(() => classIndices(table(['y'], [['3.0']], 'new.csv'), target)).toThrow('new.csv, row 1 (line 2), column "y": label "3.0" was not among the training classes (0, 1, 2)');
  });

  it('text or a few integers → multiclass; integer labels sort numerically', () => {
    expect(describeTarget(pets, ['pet'], 'auto').target).toEqual({ kind: 'multiclass', column: 'pet', classes: ['cat', 'dog', 'eel'] });
    const t = table(['x', 'k'], [[0, 10], [1, 2], [2, 1], [3, 2], [4, 10]]);
    expect(describeTarget(t, ['k'], 'auto')).toEqual({ target: { kind: 'multiclass', column: 'k', classes: ['1', '2', '10'] }, reason: 'column "k" has 3 distinct integer values' });
  });

  it('many distinct numbers or several columns → regression', () => {
    const t = table(['x', 'v', 'w'], Array.from({ length: 30 }, (_, i) => [i, i * 1.5, i % 7]));
    expect(describeTarget(t, ['v'], 'auto').target.kind).toBe('regression');
    expect(describeTarget(t, ['v'], 'auto').reason).toBe('column "v" has 30 distinct numeric values');
    expect(describeTarget(t, ['v', 'w'], 'auto')).toEqual({ target: { kind: 'regression', columns: ['v', 'w'], mean: [], std: [] }, reason: '2 target columns' });
  });

  it('refuses what cannot be trained, naming the place', () => {
    expect(() => describeTarget(pets, ['pet'], 'binary')).toThrow('d.csv, column "pet": --task binary needs exactly 2 classes, the target has 3; use --task multiclass');
    expect(() => describeTarget(table(['x', 'y'], [[1, 'a'], [2, 'a']]), ['y'], 'auto')).toThrow('the target has the single value "a" in every row');
    expect(() => describeTarget(pets, ['pet'], 'regression')).toThrow('d.csv, row 1 (line 2), column "pet": "cat" is not a number, and regression needs numbers; use --task multiclass for labels');
    expect(() => describeTarget(table(['x', 'y'], [[1, 'a'], [2, ''], [3, 'b']]), ['y'], 'auto')).toThrow('d.csv, row 2 (line 3), column "y": the target is empty; remove the row (targets are never imputed)');
    expect(() => describeTarget(pets, ['z'], 'auto')).toThrow(DataError);
  });
});

describe('fitPreprocessing and encodeFeatures', () => {
  const { target } = describeTarget(pets, ['y'], 'auto');
  const prep = fitPreprocessing(pets, { target, trainRows: [0, 1, 2] });

  it('standardises numbers with training-row statistics and one-hot encodes text', () => {
    expect(prep.features[0]).toEqual({ name: 'x', kind: 'numeric', mean: 2, std: Math.sqrt(2 / 3), fill: null });
    expect(prep.features[1]).toEqual({ name: 'pet', kind: 'categorical', categories: ['cat', 'dog', 'eel'], fill: null });
    expect(prep.inputNames).toEqual(['x', 'pet=cat', 'pet=dog', 'pet=eel']);
    expect(networkWidths(prep)).toEqual({ inputs: 4, outputs: 1 });
    const { x, rows, width } = encodeFeatures(prep, pets);
    expect([rows, width]).toEqual([4, 4]);
    const s = Math.sqrt(2 / 3);
    expect(Array.from(x)).toEqual(Array.from(Float32Array.from([-1 / s, 1, 0, 0, 0, 0, 1, 0, 1 / s, 1, 0, 0, 2 / s, 0, 0, 1])));
  });

  it('survives a JSON round trip (it is stored in the model file)', () => {
    const copy = JSON.parse(JSON.stringify(prep));
    expect(isPreprocessing(copy)).toBe(true);
    expect(isPreprocessing({ format: 'other' })).toBe(false);
    expect(encodeFeatures(copy, pets).x).toEqual(encodeFeatures(prep, pets).x);
  });

  it('an unseen category gives an all-zero one-hot row and a warning', () => {
    const t = table(['pet', 'x'], [[' fox', 2]], 'new.csv');
    const e = encodeFeatures(prep, t);
    expect(Array.from(e.x)).toEqual([0, 0, 0, 0]);
    expect(e.warnings).toEqual(['new.csv, column "pet": 1 row(s) have a category the model never saw in training ("fox" in row 1); they get an all-zero one-hot encoding']);
  });

  it('names missing columns and bad cells', () => {
    expect(() => encodeFeatures(prep, table(['y'], [['no']], 'p.csv'))).toThrow('p.csv: missing columns "x", "pet" that the model was trained on; add them (the model expects "x", "pet")');
    // Applying a model, --impute is not an option any more: the hint says what the model can do.
    expect(() => encodeFeatures(prep, table(['x', 'pet'], [[1, 'cat'], ['', 'dog']], 'p.csv'))).toThrow('p.csv, row 2 (line 3), column "x": empty cell; fill it in or remove the row (the model was trained without --impute, so it has no fill value)');
    expect(() => encodeFeatures(prep, table(['x', 'pet'], [['inf', 'cat']], 'p.csv'))).toThrow('p.csv, row 1 (line 2), column "x": "inf" is not a finite number; replace it with a number, or remove the row');
    const filled = { ...prep, features: prep.features.map((f) => (f.kind === 'numeric' ? { ...f, fill: 2.5 } : f)) };
    expect(() => encodeFeatures(filled, table(['x', 'pet'], [['NaN', 'cat']], 'p.csv'))).toThrow('"NaN" is not a finite number; replace it with a number, or empty the cell (the model fills it with 2.5)');
  });

  it('a column of numbers with one word is a typo, not a text column', () => {
    const t = table(['x', 'y'], [[1, 'a'], [2, 'b'], ['two', 'a'], [4, 'b']]);
    expect(() => fitPreprocessing(t, { target: describeTarget(t, ['y'], 'auto').target, trainRows: [0, 1, 2, 3] }))
      .toThrow('d.csv, row 3 (line 4), column "x": "two" is not a number, but the column holds numbers');
  });

  it('--ignore leaves columns out; no feature left is an error', () => {
    const p = fitPreprocessing(pets, { target, trainRows: [0, 1], ignore: ['pet'] });
    expect(p.inputNames).toEqual(['x']);
    expect(() => fitPreprocessing(pets, { target, trainRows: [0, 1], ignore: ['pet', 'x'] })).toThrow('there are no feature columns besides the target');
  });
});

describe('imputation', () => {
  const t = table(['x', 'c', 'y'], [[1, 'a', 0], ['', 'b', 1], [3, 'NA', 0], [8, 'b', 1], ['NA', 'a', 0]]);
  const { target } = describeTarget(t, ['y'], 'auto');

  it('mean: numbers get the training mean, text the most frequent training value', () => {
    const p = fitPreprocessing(t, { target, trainRows: [0, 1, 2, 3, 4], impute: 'mean' });
    expect(p.features[0]).toMatchObject({ kind: 'numeric', mean: 4, fill: 4 });
    expect(p.features[1]).toMatchObject({ kind: 'categorical', categories: ['a', 'b'], fill: 'a' }); // a:2, b:2 → alphabetical tie-break
    const x = encodeFeatures(p, t).x;
    expect(x[3]).toBe(0); // row 2's x filled with the mean → standardised 0
    expect(Array.from(x.subarray(7, 9))).toEqual([1, 0]); // row 3's NA colour → 'a'
  });

  it('median uses the training rows only', () => {
    const p = fitPreprocessing(t, { target, trainRows: [0, 2, 3], impute: 'median' });
    expect(p.features[0]).toMatchObject({ mean: 4, fill: 3 });
  });

  it('without --impute the first empty cell, row by row, is an error', () => {
    expect(() => fitPreprocessing(t, { target, trainRows: [0, 1] })).toThrow('d.csv, row 2 (line 3), column "x": empty cell;');
  });
});

describe('targets', () => {
  it('regression targets are standardised with training statistics and decoded to original units', () => {
    const t = table(['x', 'v'], [[1, 10], [2, 20], [3, 30], [4, 100]]);
    const { target } = describeTarget(t, ['v'], 'regression');
    const p = fitPreprocessing(t, { target, trainRows: [0, 1, 2] });
    const sd = Math.sqrt(200 / 3);
    expect(p.target).toEqual({ kind: 'regression', columns: ['v'], mean: [20], std: [sd] });
    const e = encodeTargets(p.target, t);
    expect(Array.from(e.original!)).toEqual([10, 20, 30, 100]);
    expect(e.y[3]).toBeCloseTo(80 / sd, 5);
    const d = decodeOutputs(p.target, [1, -0.5], 2);
    expect(d.kind === 'regression' && Array.from(d.values)).toEqual([20 + sd, 20 - 0.5 * sd]);
  });

  it('binary logits → probabilities of both classes and the label', () => {
    const d = decodeOutputs({ kind: 'binary', column: 'y', classes: ['no', 'yes'] }, [0, Math.log(3)], 2);
    if (d.kind === 'regression') throw new Error('expected classes');
    expect(Array.from(d.probabilities)).toEqual([0.5, 0.5, 0.25, 0.75].map((v, i) => (i < 2 ? v : expect.closeTo(v, 12))));
    expect(d.labels).toEqual(['no', 'yes']); // an exact tie (p = 0.5) goes to the first class
  });

  it('multiclass logits → softmax probabilities and the most probable label', () => {
    const d = decodeOutputs({ kind: 'multiclass', column: 'k', classes: ['a', 'b', 'c'] }, [0, Math.log(2), Math.log(5)], 1);
    if (d.kind === 'regression') throw new Error('expected classes');
    expect(Array.from(d.probabilities).map((p) => p * 8)).toEqual([expect.closeTo(1, 10), expect.closeTo(2, 10), expect.closeTo(5, 10)]);
    expect(d.labels).toEqual(['c']);
  });
});

describe('splitRows', () => {
  it('is seeded, disjoint, complete and sorted', () => {
    const a = splitRows(50, 0.2, 7);
    expect(a).toEqual(splitRows(50, 0.2, 7));
    expect(a.test).toHaveLength(10);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a.test).toEqual([...a.test].sort((x, y) => x - y));
    expect(splitRows(50, 0.2, 8).test).not.toEqual(a.test);
  });

  it('stratifies by class: each class keeps its share in the test part', () => {
    const groups = Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1));
    const s = splitRows(40, 0.2, 1, groups);
    expect(s.test.filter((i) => groups[i] === 0)).toHaveLength(6);
    expect(s.test.filter((i) => groups[i] === 1)).toHaveLength(2);
  });
});

describe('missing-value spellings', () => {
  it('NA, N/A, #N/A, <NA>, null, None and ? are gaps; NaN is a gap in a text column', () => {
    const t = table(['c', 'y'], [['a', 0], ['NaN', 1], ['b', 0], ['#N/A', 1], ['<NA>', 0], ['None', 1], ['?', 0], ['null', 1]]);
    const { target } = describeTarget(t, ['y'], 'auto');
    const p = fitPreprocessing(t, { target, trainRows: [0, 1, 2, 3, 4, 5, 6, 7], impute: 'mean' });
    expect(p.features[0]).toEqual({ name: 'c', kind: 'categorical', categories: ['a', 'b'], fill: 'a' });
    expect(() => encodeFeatures({ ...p, features: [{ ...p.features[0]!, fill: null }] as typeof p.features }, t))
      .toThrow('d.csv, row 2 (line 3), column "c": empty cell ("NaN"); fill it in or remove the row (the model was trained without --impute, so it has no fill value)');
  });
});
