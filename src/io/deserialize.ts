import { Model } from '../graph/model.js';
import { concatSymbols, input, type SymbolicTensor } from '../graph/symbolic.js';
import type { Module } from '../nn/module.js';
import { createLayer } from '../nn/registry.js';
import { allocateParameter } from '../kernels/resident.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { ModelFormatError, type LayerJson, type ModelJson } from './format.js';
import { validateModelJson } from './validate.js';

/** Run a step of loading; any error becomes a one-line ModelFormatError that says where. */
function step<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(`${where}: ${(e as Error).message ?? String(e)}`);
  }
}

function bytesOf(weights: unknown): Uint8Array {
  if (weights instanceof ArrayBuffer) return new Uint8Array(weights);
  if (ArrayBuffer.isView(weights)) return new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  throw new ModelFormatError('the weights must be an ArrayBuffer or a byte array (Uint8Array, Buffer)');
}

function buildLayer(spec: LayerJson, index: number, json: ModelJson, bytes: Uint8Array): Module {
  const layer = step(`layers[${index}] '${spec.name}'`, () => createLayer(spec.kind, spec.config));
  const wide = json.weights.dtype === 'float64';
  const per = wide ? 8 : 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const params = layer.namedParameters();
  const where = `layer '${spec.name}' (${spec.kind})`;
  for (const entry of spec.weights) {
    if (!params.some(([field]) => field === entry.name)) {
      throw new ModelFormatError(`the file lists a parameter '${entry.name}' for ${where}, which has only ${params.map(([f]) => f).join(', ') || 'no parameters'}`);
    }
  }
  for (const [field, p] of params) {
    const entry = spec.weights.find((w) => w.name === field);
    if (!entry) throw new ModelFormatError(`${where} needs a parameter '${field}' that the file does not list`);
    if (!sameShape(entry.shape, p.shape)) {
      throw new ModelFormatError(`${where}: '${field}' has shape ${formatShape(entry.shape)} in the file but the layer's config makes it ${formatShape(p.shape)}`);
    }
    const end = entry.offset + p.size * per;
    if (entry.offset % per !== 0 || end > json.weights.byteLength) {
      throw new ModelFormatError(`${where}: '${field}' at byte ${entry.offset} runs past the ${json.weights.byteLength} bytes of weights`);
    }
    const data = allocateParameter(p.dtype, p.size); // in the kernels' memory when shared
    for (let i = 0; i < p.size; i++) {
      data[i] = wide ? view.getFloat64(entry.offset + i * 8, true) : view.getFloat32(entry.offset + i * 4, true);
    }
    p.data = data;
  }
  return layer;
}

/**
 * Rebuild a model from `serialize`'s { json, weights }. `json` may be the object or its
 * text. Everything is checked before the model is returned; any problem throws one
 * ModelFormatError line (never a half-built model).
 * @example const copy = deserialize(serialize(model)); // same predictions, bit for bit
 */
export function deserialize(saved: { json: unknown; weights: ArrayBuffer | ArrayBufferView }): Model {
  if (typeof saved !== 'object' || saved === null) throw new ModelFormatError('expected { json, weights }');
  const json = validateModelJson(saved.json);
  const bytes = bytesOf(saved.weights);
  const need = json.weights.byteLength;
  if (bytes.byteLength < need) {
    throw new ModelFormatError(`the weights are truncated: the architecture needs ${need} bytes but only ${bytes.byteLength} are there`);
  }
  if (bytes.byteLength > need) {
    throw new ModelFormatError(`the weights hold ${bytes.byteLength} bytes but the architecture needs ${need}; are the two files from the same model?`);
  }
  const layers = new Map<string, Module>();
  json.layers.forEach((spec, i) => {
    if (layers.has(spec.name)) throw new ModelFormatError(`two layers are named '${spec.name}'`);
    layers.set(spec.name, buildLayer(spec, i, json, bytes));
  });
  const symbols = new Map<string, SymbolicTensor>();
  const used = new Set<string>();
  json.nodes.forEach((n, i) => {
    const where = `node '${n.name}' (nodes[${i}])`;
    if (symbols.has(n.name)) throw new ModelFormatError(`two nodes are named '${n.name}'`);
    const from = (name: string) => {
      const s = symbols.get(name);
      if (!s) throw new ModelFormatError(`${where} reads '${name}', which is not a node defined before it`);
      return s;
    };
    let sym: SymbolicTensor;
    if (n.op === 'input') sym = step(where, () => input({ name: n.name, features: n.features }));
    else if (n.op === 'concat') sym = concatSymbols(n.inputs.map(from));
    else {
      const layer = layers.get(n.layer);
      if (!layer) throw new ModelFormatError(`${where} uses layer '${n.layer}', which is not in "layers"`);
      used.add(n.layer);
      const src = from(n.inputs[0]);
      sym = step(where, () => layer.apply(src));
    }
    if (sym.features !== n.features) {
      throw new ModelFormatError(`${where} has shape [N, ${n.features}] in the file but its layers give [N, ${sym.features}]`);
    }
    symbols.set(n.name, sym);
  });
  for (const name of layers.keys()) if (!used.has(name)) throw new ModelFormatError(`layer '${name}' is not used by any node`);
  const inputs = json.inputs.map((name) => {
    const s = symbols.get(name);
    if (!s || s.node.op !== 'input') throw new ModelFormatError(`"inputs" lists '${name}', which is not an input node`);
    return s;
  });
  const outputs: Record<string, SymbolicTensor> = {};
  for (const [out, node] of Object.entries(json.outputs)) {
    const s = symbols.get(node);
    if (!s) throw new ModelFormatError(`output '${out}' reads node '${node}', which does not exist`);
    outputs[out] = s;
  }
  const model = step('the graph', () => new Model({ inputs, outputs, heads: json.heads, metadata: json.metadata }));
  const names = model.nodes.map((n) => n.name);
  const saved_ = json.nodes.map((n) => n.name);
  if (names.join('\n') !== saved_.join('\n')) {
    throw new ModelFormatError(`the nodes rebuild as ${names.join(', ')} but the file names them ${saved_.join(', ')}; was the file edited by hand?`);
  }
  return model;
}
