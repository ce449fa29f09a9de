import type { Model } from '../graph/model.js';
import { deserialize } from './deserialize.js';
import { ModelFormatError } from './format.js';
import { serialize } from './serialize.js';

// One buffer for the whole model, for the browser (download, IndexedDB, fetch) and for
// single-file saves in Node:
//   bytes 0–5  "sloika"   6  container version (1)   7  0
//   bytes 8–11 JSON length L (uint32, little-endian)
//   bytes 12…  the architecture as UTF-8 JSON, padded with spaces so the weights start at a multiple of 8
//   then       the weights, exactly json.weights.byteLength bytes

const MAGIC = 'sloika';
const CONTAINER_VERSION = 1;
const HEADER = 12;

/**
 * The whole model in one ArrayBuffer.
 * @example const bytes = toBytes(model); const copy = fromBytes(bytes);
 */
export function toBytes(model: Model, opts: { metadata?: Record<string, unknown> } = {}): ArrayBuffer {
  const { json, weights } = serialize(model, opts);
  let text = JSON.stringify(json);
  let encoded = new TextEncoder().encode(text);
  const pad = (8 - ((HEADER + encoded.length) % 8)) % 8;
  if (pad) encoded = new TextEncoder().encode((text += ' '.repeat(pad)));
  const out = new Uint8Array(HEADER + encoded.length + weights.byteLength);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  out[6] = CONTAINER_VERSION;
  new DataView(out.buffer).setUint32(8, encoded.length, true);
  out.set(encoded, HEADER);
  out.set(new Uint8Array(weights), HEADER + encoded.length);
  return out.buffer;
}

/** Whether bytes start like a model from `toBytes`. */
export function looksLikeModelBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && String.fromCharCode(...bytes.subarray(0, 6)) === MAGIC;
}

/**
 * A model from `toBytes`' buffer, checked throughout (ModelFormatError on any problem).
 * @example const model = fromBytes(await (await fetch('model.sloika')).arrayBuffer());
 */
export function fromBytes(data: ArrayBuffer | ArrayBufferView): Model {
  if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) throw new ModelFormatError('expected an ArrayBuffer or a byte array');
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!looksLikeModelBytes(bytes)) {
    const start = new TextDecoder().decode(bytes.subarray(0, 12)).replace(/[^\x20-\x7e]/g, '.');
    const hint = start.trimStart().startsWith('{') ? '; it looks like JSON: load an architecture with deserialize({ json, weights })' : '';
    throw new ModelFormatError(`not a sloika model file (it starts with "${start}", not "${MAGIC}")${hint}`);
  }
  if (bytes.length < HEADER) throw new ModelFormatError(`the file is truncated: ${bytes.length} bytes, shorter than the ${HEADER}-byte header`);
  if (bytes[6] !== CONTAINER_VERSION) {
    throw new ModelFormatError(`file container version ${bytes[6]} is not one this sloika reads (version ${CONTAINER_VERSION}); upgrade sloika`);
  }
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (HEADER + jsonLength > bytes.length) {
    throw new ModelFormatError(`the file is truncated: the header announces ${jsonLength} bytes of architecture but only ${bytes.length - HEADER} follow`);
  }
  const text = new TextDecoder().decode(bytes.subarray(HEADER, HEADER + jsonLength));
  return deserialize({ json: text, weights: bytes.subarray(HEADER + jsonLength) });
}
