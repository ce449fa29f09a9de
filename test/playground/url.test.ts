import { describe, expect, it } from 'vitest';
import { defaultState, handbookPreset, type PlaygroundState } from '../../playground/src/state.js';
import { hashToState, readLayers, readPoints, stateToHash, writeLayers, writePoints } from '../../playground/src/url.js';

describe('state ⇄ URL', () => {
  it('the default state writes only the pinned seed and data set', () => {
    expect(stateToHash(defaultState())).toBe('dataset=circle&seed=1');
    expect(hashToState('')).toEqual(defaultState());
  });

  it('round-trips a state that changes every field', () => {
    const s: PlaygroundState = {
      mode: 'graph',
      problem: 'multiclass',
      dataset: 'multiSpiral',
      classes: 5,
      noise: 35,
      trainPercent: 70,
      seed: 123456,
      features: ['x1', 'x2', 'x1Squared', 'sinX2'],
      layers: [{ units: 8, activation: 'prelu' }, { units: 3, activation: 'elu', alpha: 0.7 }, { units: 1, activation: 'leakyRelu' }],
      alpha: 0.2,
      learningRate: 0.003,
      optimizer: 'adam',
      regularization: 'l2',
      regularizationRate: 0.01,
      batchSize: 25,
      showTest: true,
      discretize: true,
      showGradients: true,
      branches: [{ units: 5, activation: 'sigmoid' }, { units: 2, activation: 'linear' }],
      multiTask: true,
      taskWeight: 0.3,
      approxUnits: 12,
      curve: 'custom',
      curvePoints: [0, 0.5, -0.25, 1],
      points: [{ x1: 1.5, x2: -2.25, y: 1 }, { x1: 0, x2: 3, y: 0 }],
      hide: ['dataset', 'learningRate'],
      caption: 'Watch the border: it bends & twists = fun?',
    };
    expect(hashToState(stateToHash(s))).toEqual(s);
    expect(hashToState(`#${stateToHash(s)}`)).toEqual(s);
  });

  it('writes readable keys with TensorFlow Playground names where they exist', () => {
    const hash = stateToHash({ ...defaultState(), dataset: 'spiral', noise: 10, trainPercent: 60, showTest: true });
    expect(hash).toBe('dataset=spiral&noise=10&percTrainData=60&seed=1&showTestData=1');
  });

  it('keeps the default for values that do not parse or are out of range', () => {
    const s = hashToState('#noise=80&batchSize=0&learningRate=abc&layers=9:tanh&features=x1,x3&mode=3d&classes=7&optimizer=lbfgs&showTestData=yes');
    expect(s).toEqual(defaultState());
  });

  it('ignores unknown keys and keeps the known ones', () => {
    const s = hashToState('dataset=xor&foo=bar&noise=5');
    expect(s.dataset).toBe('xor');
    expect(s.noise).toBe(5);
  });

  it('reads zero hidden layers from an empty list', () => {
    const s = hashToState(stateToHash({ ...defaultState(), layers: [] }));
    expect(s.layers).toEqual([]);
  });

  it('layers and points have compact forms', () => {
    expect(writeLayers([{ units: 4, activation: 'tanh' }, { units: 2, activation: 'relu' }])).toBe('4:tanh,2:relu');
    expect(readLayers('4:tanh,2:relu')).toEqual([{ units: 4, activation: 'tanh' }, { units: 2, activation: 'relu' }]);
    expect(readLayers('1,2,3,4,5,6,7')).toBeUndefined();
    expect(writeLayers([{ units: 3, activation: 'elu', alpha: 0.5 }])).toBe('3:elu:0.5');
    expect(readLayers('3:elu:0.5')).toEqual([{ units: 3, activation: 'elu', alpha: 0.5 }]);
    expect(readLayers('3:elu:-1')).toBeUndefined();
    expect(readLayers('3:elu:0.5:9')).toBeUndefined();
    expect(writePoints([{ x1: 1.234, x2: -5, y: 2 }])).toBe('1.23_-5_2');
    expect(readPoints('1.23_-5_2~0_0_1')).toEqual([{ x1: 1.23, x2: -5, y: 2 }, { x1: 0, x2: 0, y: 1 }]);
    expect(readPoints('1_2')).toBeUndefined();
  });

  it('the handbook preset survives a link', () => {
    const p = handbookPreset();
    expect(hashToState(stateToHash(p))).toEqual(p);
    expect(p.layers).toEqual([{ units: 2, activation: 'sigmoid' }]);
  });
});
