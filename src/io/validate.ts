import type { HeadKind } from '../graph/types.js';
import { FORMAT_NAME, FORMAT_VERSION, ModelFormatError, type LayerJson, type ModelJson, type NodeJson, type WeightEntry } from './format.js';

// Hand-written schema check of an architecture: every field's type, with its JSON path in
// the message, before anything is built. Small enough to read; no dependency needed.

type Json = unknown;

function fail(path: string, what: string, got: Json): never {
  const shown = JSON.stringify(got);
  throw new ModelFormatError(`${path} must be ${what}, got ${shown === undefined ? 'nothing' : shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`);
}

function obj(v: Json, path: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Record<string, Json>;
}

function arr(v: Json, path: string): Json[] {
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}

function str(v: Json, path: string): string {
  if (typeof v !== 'string' || v === '') fail(path, 'a non-empty string', v);
  return v;
}

function int(v: Json, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(path, `an integer ≥ ${min}`, v);
  return v;
}

function weightEntry(v: Json, path: string): WeightEntry {
  const o = obj(v, path);
  return {
    name: str(o.name, `${path}.name`),
    shape: arr(o.shape, `${path}.shape`).map((s, i) => int(s, `${path}.shape[${i}]`, 1)),
    offset: int(o.offset, `${path}.offset`, 0),
  };
}

function layer(v: Json, path: string): LayerJson {
  const o = obj(v, path);
  return {
    name: str(o.name, `${path}.name`),
    kind: str(o.kind, `${path}.kind`),
    config: obj(o.config, `${path}.config`),
    weights: arr(o.weights, `${path}.weights`).map((w, i) => weightEntry(w, `${path}.weights[${i}]`)),
  };
}

function node(v: Json, path: string): NodeJson {
  const o = obj(v, path);
  const name = str(o.name, `${path}.name`);
  const features = int(o.features, `${path}.features`, 1);
  const inputs = () => arr(o.inputs, `${path}.inputs`).map((s, i) => str(s, `${path}.inputs[${i}]`));
  switch (o.op) {
    case 'input':
      return { name, op: 'input', features };
    case 'layer': {
      const ins = inputs();
      if (ins.length !== 1) fail(`${path}.inputs`, 'one node name', o.inputs);
      return { name, op: 'layer', layer: str(o.layer, `${path}.layer`), inputs: [ins[0]!], features };
    }
    case 'concat': {
      const ins = inputs();
      if (ins.length < 1) fail(`${path}.inputs`, 'at least one node name', o.inputs);
      return { name, op: 'concat', inputs: ins, features };
    }
    default:
      return fail(`${path}.op`, "'input', 'layer' or 'concat'", o.op);
  }
}

/** Check the version first (a newer file gets a message about versions, not fields). */
function checkVersion(o: Record<string, Json>): number {
  if (o.format !== FORMAT_NAME) {
    throw new ModelFormatError(`this is not a sloika model (its "format" is ${JSON.stringify(o.format) ?? 'missing'}, expected "${FORMAT_NAME}")`);
  }
  const version = o.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) fail('version', 'an integer', version);
  if (version > FORMAT_VERSION) {
    throw new ModelFormatError(`format version ${version} is newer than this sloika reads (version ${FORMAT_VERSION}); upgrade sloika`);
  }
  if (version < 1) throw new ModelFormatError(`format version ${version} does not exist; the current version is ${FORMAT_VERSION}`);
  return version;
}

/** Parse (when given text) and check an architecture; throws ModelFormatError with the field's path. */
export function validateModelJson(input: string | Json): ModelJson {
  let value: Json = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new ModelFormatError(`the architecture is not valid JSON (${(e as Error).message.split('\n')[0]})`);
    }
  }
  const o = obj(value, 'the architecture');
  const version = checkVersion(o);
  const weights = obj(o.weights, 'weights');
  if (weights.dtype !== 'float32' && weights.dtype !== 'float64') fail('weights.dtype', "'float32' or 'float64'", weights.dtype);
  if (weights.byteOrder !== 'little-endian') fail('weights.byteOrder', "'little-endian'", weights.byteOrder);
  const outputs = obj(o.outputs, 'outputs');
  const heads = arr(o.heads ?? [], 'heads').map((h, i) => {
    const ho = obj(h, `heads[${i}]`);
    if (ho.kind !== 'binary' && ho.kind !== 'multiclass' && ho.kind !== 'regression') fail(`heads[${i}].kind`, "'binary', 'multiclass' or 'regression'", ho.kind);
    if (ho.weight !== undefined && (typeof ho.weight !== 'number' || !(ho.weight >= 0))) fail(`heads[${i}].weight`, 'a number ≥ 0', ho.weight);
    return { output: str(ho.output, `heads[${i}].output`), kind: ho.kind as HeadKind, ...(ho.weight !== undefined ? { weight: ho.weight as number } : {}) };
  });
  return {
    format: FORMAT_NAME,
    version,
    inputs: arr(o.inputs, 'inputs').map((s, i) => str(s, `inputs[${i}]`)),
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, str(v, `outputs.${k}`)])),
    nodes: arr(o.nodes, 'nodes').map((n, i) => node(n, `nodes[${i}]`)),
    layers: arr(o.layers, 'layers').map((l, i) => layer(l, `layers[${i}]`)),
    heads,
    weights: { dtype: weights.dtype, byteOrder: 'little-endian', byteLength: int(weights.byteLength, 'weights.byteLength', 0) },
    metadata: o.metadata === undefined ? {} : obj(o.metadata, 'metadata'),
  };
}
