// Every way a saved model can be wrong gives one clear line: a ModelFormatError that starts
// with "cannot load model:", never a stack of another error type, never a half-built model.
import { describe, expect, it } from 'vitest';
import { ModelFormatError, deserialize, fromBytes, serialize, toBytes, validateModelJson, type ModelJson } from '../../src/index.js';
import { twoBranch } from './fixtures.js';

function saved(): { json: ModelJson; weights: ArrayBuffer } {
  const { json, weights } = serialize(twoBranch());
  return { json: JSON.parse(JSON.stringify(json)) as ModelJson, weights };
}

/** The error thrown by fn, checked to be a one-line ModelFormatError. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFormatError);
    const message = (e as Error).message;
    expect(message.startsWith('cannot load model: ')).toBe(true);
    expect(message).not.toContain('\n');
    return message.slice('cannot load model: '.length);
  }
  throw new Error('expected a ModelFormatError, but it loaded');
}

describe('loading errors', () => {
  it('truncated weights', () => {
    const { json, weights } = saved();
    expect(failure(() => deserialize({ json, weights: weights.slice(0, 500) }))).toBe('the weights are truncated: the architecture needs 588 bytes but only 500 are there');
    const bytes = new Uint8Array(toBytes(twoBranch()));
    expect(failure(() => fromBytes(bytes.subarray(0, bytes.length - 4)))).toBe('the weights are truncated: the architecture needs 588 bytes but only 584 are there');
  });

  it('weights from another model (too many bytes)', () => {
    const { json } = saved();
    expect(failure(() => deserialize({ json, weights: new ArrayBuffer(600) }))).toBe('the weights hold 600 bytes but the architecture needs 588; are the two files from the same model?');
  });

  it('a wrong format version, or not a sloika model at all', () => {
    const s = saved();
    expect(failure(() => deserialize({ ...s, json: { ...s.json, version: 2 } }))).toBe('format version 2 is newer than this sloika reads (version 1); upgrade sloika');
    expect(failure(() => deserialize({ ...s, json: { ...s.json, version: 0 } }))).toBe('format version 0 does not exist; the current version is 1');
    expect(failure(() => deserialize({ ...s, json: { ...s.json, version: '1' } }))).toBe('version must be an integer, got "1"');
    expect(failure(() => deserialize({ ...s, json: { ...s.json, format: 'keras' } }))).toBe('this is not a sloika model (its "format" is "keras", expected "sloika-model")');
    expect(failure(() => deserialize({ ...s, json: { hello: 1 } }))).toBe('this is not a sloika model (its "format" is missing, expected "sloika-model")');
  });

  it('a parameter shape that does not match the architecture', () => {
    const s = saved();
    s.json.layers[0]!.weights[0]!.shape = [3, 16];
    expect(failure(() => deserialize(s))).toBe("layer 'linear_1' (Linear): 'weight' has shape [3, 16] in the file but the layer's config makes it [2, 16]");
  });

  it('a node shape that does not match its layers', () => {
    const s = saved();
    (s.json.nodes[0] as { features: number }).features = 3;
    expect(failure(() => deserialize(s))).toBe("node 'linear_1' (nodes[1]): Linear(2, 16) expects input of shape [N, 2], but it was applied to input 'x', of shape [N, 3]");
    const t = saved();
    (t.json.nodes[5] as { features: number }).features = 25;
    expect(failure(() => deserialize(t))).toBe("node 'concat_1' (nodes[5]) has shape [N, 25] in the file but its layers give [N, 24]");
  });

  it('an unknown layer kind, and a bad layer config', () => {
    const s = saved();
    s.json.layers[1]!.kind = 'Swish';
    expect(failure(() => deserialize(s))).toMatch(/^layers\[1\] 'relu_1': unknown layer kind 'Swish'; known kinds: Linear, PReLU, LeakyReLU, ELU, Dropout, ReLU/);
    const t = saved();
    t.json.layers[0]!.config.outFeatures = -1;
    expect(failure(() => deserialize(t))).toBe("layers[0] 'linear_1': Linear: config.outFeatures must be an integer ≥ 1, got -1");
  });

  it('input that is not JSON', () => {
    const { weights } = saved();
    expect(failure(() => deserialize({ json: '{"format": "sloika-model", ', weights }))).toMatch(/^the architecture is not valid JSON \(.+\)$/);
    expect(failure(() => deserialize({ json: '[1, 2]', weights }))).toBe('the architecture must be an object, got [1,2]');
  });

  it('a file that is not a sloika model, or cut inside its header', () => {
    const json = new TextEncoder().encode('{"format":"sloika-model"}');
    expect(failure(() => fromBytes(json))).toBe('not a sloika model file (it starts with "{"format":"s", not "sloika"); it looks like JSON: load an architecture with deserialize({ json, weights })');
    expect(failure(() => fromBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10])))).toBe('not a sloika model file (it starts with ".PNG..", not "sloika")');
    const bytes = new Uint8Array(toBytes(twoBranch()));
    expect(failure(() => fromBytes(bytes.subarray(0, 10)))).toBe('the file is truncated: 10 bytes, shorter than the 12-byte header');
    expect(failure(() => fromBytes(bytes.subarray(0, 100)))).toMatch(/^the file is truncated: the header announces \d+ bytes of architecture but only 88 follow$/);
    const future = bytes.slice();
    future[6] = 9;
    expect(failure(() => fromBytes(future))).toBe('file container version 9 is not one this sloika reads (version 1); upgrade sloika');
  });

  it('missing or mistyped fields name their JSON path', () => {
    const cases: [(j: Record<string, any>) => void, string][] = [
      [(j) => delete j.nodes, 'nodes must be an array, got nothing'],
      [(j) => (j.nodes[2].op = 'conv'), "nodes[2].op must be 'input', 'layer' or 'concat', got \"conv\""],
      [(j) => (j.nodes[2].inputs = ['a', 'b']), 'nodes[2].inputs must be one node name, got ["a","b"]'],
      [(j) => (j.layers[0].weights[1].offset = -4), 'layers[0].weights[1].offset must be an integer ≥ 0, got -4'],
      [(j) => (j.weights.byteOrder = 'big-endian'), "weights.byteOrder must be 'little-endian', got \"big-endian\""],
      [(j) => (j.heads[0].kind = 'ranking'), "heads[0].kind must be 'binary', 'multiclass' or 'regression', got \"ranking\""],
      [(j) => (j.metadata = 5), 'metadata must be an object, got 5'],
      [(j) => (j.nodes[2].inputs = ['nowhere']), "node 'relu_1' (nodes[2]) reads 'nowhere', which is not a node defined before it"],
      [(j) => (j.nodes[1].layer = 'ghost'), "node 'linear_1' (nodes[1]) uses layer 'ghost', which is not in \"layers\""],
      [(j) => (j.outputs = { y: 'ghost' }), "output 'y' reads node 'ghost', which does not exist"],
      [(j) => (j.inputs = ['relu_1']), "\"inputs\" lists 'relu_1', which is not an input node"],
      [(j) => (j.layers[0].weights[1].name = 'gain'), "the file lists a parameter 'gain' for layer 'linear_1' (Linear), which has only weight, bias"],
      [(j) => j.layers[0].weights.pop(), "layer 'linear_1' (Linear) needs a parameter 'bias' that the file does not list"],
      [(j) => (j.layers[0].weights[1].offset = 584), "layer 'linear_1' (Linear): 'bias' at byte 584 runs past the 588 bytes of weights"],
      [(j) => (j.heads[0].kind = 'binary'), "the graph: binary head on output 'y' needs one logit per row ([N, 1]) but the output has shape [N, 3]; use a multiclass head for 3 classes"],
    ];
    for (const [edit, message] of cases) {
      const s = saved();
      edit(s.json as unknown as Record<string, any>);
      expect(failure(() => deserialize(s)), message).toBe(message);
    }
  });

  it('every cut of a model file is refused with a ModelFormatError', () => {
    const bytes = new Uint8Array(toBytes(twoBranch()));
    for (let n = 0; n < bytes.length; n += 7) failure(() => fromBytes(bytes.subarray(0, n)));
  });

  it('validateModelJson checks an architecture on its own', () => {
    expect(validateModelJson(JSON.stringify(saved().json)).nodes).toHaveLength(7);
  });
});
