import type { Model } from '../graph/model.js';
import { layerTypeOf } from '../nn/registry.js';
import { FORMAT_NAME, FORMAT_VERSION, type LayerJson, type ModelJson, type NodeJson, type SerializedModel } from './format.js';

/**
 * A model as { json, weights }: the architecture (no code) and its parameters as one
 * little-endian float32 buffer (float64 when any parameter is float64).
 * @example const { json, weights } = serialize(model); JSON.stringify(json);
 */
export function serialize(model: Model, opts: { metadata?: Record<string, unknown> } = {}): SerializedModel {
  const wide = model.parameters().some((p) => p.dtype === 'float64');
  const bytesPer = wide ? 8 : 4;
  let offset = 0;
  const placed: { data: ArrayLike<number>; offset: number }[] = [];
  const layers: LayerJson[] = model.layers.map(({ name, kind, layer }) => {
    const type = layerTypeOf(layer);
    if (!type) throw new TypeError(`serialize: layer '${name}' is a ${layer.constructor.name}, which is not registered; call registerLayer for it first`);
    const weights = layer.namedParameters().map(([field, p]) => {
      const entry = { name: field, shape: p.shape.slice(), offset };
      placed.push({ data: p.data, offset });
      offset += p.size * bytesPer;
      return entry;
    });
    return { name, kind, config: type.config(layer), weights };
  });
  const buffer = new ArrayBuffer(offset);
  const view = new DataView(buffer);
  for (const { data, offset: start } of placed) {
    for (let i = 0; i < data.length; i++) {
      if (wide) view.setFloat64(start + i * 8, data[i]!, true);
      else view.setFloat32(start + i * 4, data[i]!, true);
    }
  }
  const nodes: NodeJson[] = model.nodes.map((n): NodeJson => {
    if (n.op === 'input') return { name: n.name, op: 'input', features: n.features };
    if (n.op === 'concat') return { name: n.name, op: 'concat', inputs: [...n.inputs], features: n.features };
    return { name: n.name, op: 'layer', layer: n.layerName!, inputs: [n.inputs[0]!], features: n.features };
  });
  const json: ModelJson = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    inputs: [...model.inputNames],
    outputs: { ...model.outputNodes },
    nodes,
    layers,
    heads: model.heads.map((h) => ({ ...h })),
    weights: { dtype: wide ? 'float64' : 'float32', byteOrder: 'little-endian', byteLength: offset },
    metadata: JSON.parse(JSON.stringify(opts.metadata ?? model.metadata)) as Record<string, unknown>,
  };
  return { json, weights: buffer };
}
