import { describe, expect, it } from 'vitest';
import { FORMAT_NAME, FORMAT_VERSION, Linear, Model, deserialize, fromBytes, input, serialize, tensor, toBytes, Random, type Tensor } from '../../src/index.js';
import { everything, twoBranch } from './fixtures.js';

function randomRows(rows: number, cols: number, seed: number): Tensor {
  const rng = new Random(seed);
  return tensor(Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal(0, 2))));
}

const bits = (t: Tensor) => Array.from(new Uint32Array(new Float32Array(t.data).buffer));

describe('serialize / deserialize', () => {
  it('writes a versioned architecture: nodes, layer kinds and configs, inputs, outputs, heads, weight layout', () => {
    const { json, weights } = serialize(twoBranch());
    expect(json.format).toBe(FORMAT_NAME);
    expect(json.version).toBe(FORMAT_VERSION);
    expect(json.inputs).toEqual(['x']);
    expect(json.outputs).toEqual({ y: 'y' });
    expect(json.heads).toEqual([{ output: 'y', kind: 'multiclass' }]);
    expect(json.nodes[5]).toEqual({ name: 'concat_1', op: 'concat', inputs: ['relu_1', 'sigmoid_1'], features: 24 });
    expect(json.nodes[1]).toEqual({ name: 'linear_1', op: 'layer', layer: 'linear_1', inputs: ['x'], features: 16 });
    expect(json.layers[0]).toEqual({
      name: 'linear_1', kind: 'Linear', config: { inFeatures: 2, outFeatures: 16, bias: true, dtype: 'float32' },
      weights: [{ name: 'weight', shape: [2, 16], offset: 0 }, { name: 'bias', shape: [16], offset: 128 }],
    });
    expect(json.layers.map((l) => l.kind)).toEqual(['Linear', 'ReLU', 'Linear', 'Sigmoid', 'Linear']);
    expect(json.weights).toEqual({ dtype: 'float32', byteOrder: 'little-endian', byteLength: 147 * 4 });
    expect(weights.byteLength).toBe(588);
    // Little-endian float32, in layer order: the first value is linear_1.weight[0][0].
    const first = twoBranch().layers[0]!.layer as Linear;
    expect(new DataView(weights).getFloat32(0, true)).toBe(first.weight.data[0]);
  });

  it('rebuilds an identical model: same structure, same predictions to the bit', () => {
    for (const make of [twoBranch, everything]) {
      const model = make();
      const { json, weights } = serialize(model);
      const copy = deserialize({ json: JSON.parse(JSON.stringify(json)), weights });
      expect(copy.summary()).toBe(model.summary());
      expect(copy.heads).toEqual(model.heads);
      const x = Object.fromEntries(model.inputNames.map((n, i) => [n, randomRows(9, model.inputFeatures(n), i)]));
      const a = model.predict(x);
      const b = copy.predict(x);
      for (const out of model.outputNames) expect(bits(b[out]!)).toEqual(bits(a[out]!));
    }
  });

  it('keeps layer options, shared layers, PReLU slopes, penalties and metadata', () => {
    const copy = deserialize(serialize(everything()));
    expect(copy.layers.map((l) => `${l.name}:${l.kind}`)).toEqual([
      'shared:Linear', 'prelu_1:PReLU', 'elu_1:ELU', 'linear_1:Linear', 'leaky_relu_1:LeakyReLU', 'dropout_1:Dropout', 'tanh_1:Tanh', 'count:Linear', 'cat:Linear',
    ]);
    expect(copy.nodes.filter((n) => n.layerName === 'shared').map((n) => n.name)).toEqual(['shared', 'shared#2']);
    expect(Array.from((copy.layers[1]!.layer as unknown as { alpha: Tensor }).alpha.data)).toEqual(Array.from(new Float32Array([0.1, -0.2, 0.3, 0.45])));
    expect((copy.layers[3]!.layer as unknown as { l2: number }).l2).toBe(1e-3);
    expect(copy.heads).toEqual([{ output: 'count', kind: 'regression', weight: 0.7 }, { output: 'cat', kind: 'binary', weight: 0.3 }]);
    expect(copy.metadata).toEqual({ preprocessing: { standardize: { mean: [1, 2], std: [3, 4] } }, note: 'ünïcode ✓' });
    expect(deserialize(serialize(everything(), { metadata: { v: 2 } })).metadata).toEqual({ v: 2 });
  });

  it('keeps float64 models in float64', () => {
    const x = input({ name: 'x', features: 3 });
    const model = new Model({ inputs: x, outputs: new Linear(3, 2, { dtype: 'float64', seed: 1 }).apply(x) });
    const { json, weights } = serialize(model);
    expect(json.weights.dtype).toBe('float64');
    expect(weights.byteLength).toBe(8 * 8);
    const copy = deserialize({ json, weights });
    const p = copy.parameters()[0]!;
    expect(p.dtype).toBe('float64');
    expect(Array.from(p.data)).toEqual(Array.from(model.parameters()[0]!.data));
  });

  it('the loaded model trains on its own: fresh tensors, not the original\'s', () => {
    const model = twoBranch();
    const copy = fromBytes(toBytes(model));
    for (const p of copy.parameters()) p.data[0] = 42;
    expect(model.parameters().some((p) => p.data[0] === 42)).toBe(false);
  });
});

describe('toBytes / fromBytes', () => {
  it('one buffer: "sloika", version, JSON length, padded JSON, then the weights at a multiple of 8', () => {
    const model = twoBranch();
    const bytes = new Uint8Array(toBytes(model));
    expect(String.fromCharCode(...bytes.subarray(0, 6))).toBe('sloika');
    expect(bytes[6]).toBe(1);
    const jsonLength = new DataView(bytes.buffer).getUint32(8, true);
    expect((12 + jsonLength) % 8).toBe(0);
    const json = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength)));
    expect(json.format).toBe('sloika-model');
    expect(bytes.length - 12 - jsonLength).toBe(588);
    const copy = fromBytes(bytes);
    const x = randomRows(5, 2, 1);
    expect(bits(copy.predict({ x }).y!)).toEqual(bits(model.predict({ x }).y!));
  });

  it('accepts a view into a larger buffer (a Node Buffer from a pool, say)', () => {
    const bytes = new Uint8Array(toBytes(twoBranch()));
    const big = new Uint8Array(bytes.length + 16);
    big.set(bytes, 8);
    expect(fromBytes(big.subarray(8, 8 + bytes.length)).parameterCount()).toBe(147);
  });
});
