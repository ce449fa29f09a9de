import type { DType } from '../tensor/dtype.js';
import { ELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './activations.js';
import { Dropout } from './dropout.js';
import { Linear, type LinearOptions } from './linear.js';
import type { Module } from './module.js';
import { PReLU } from './prelu.js';

// The registry turns a layer into { kind, config } and back, so that a saved model needs no
// code, and tells the graph builder how a layer changes the number of features.

/** A layer's options as plain JSON. */
export type LayerConfig = Record<string, unknown>;

/** What a layer needs to take part in graphs and files. */
export interface LayerType<L extends Module = Module> {
  /** Stable name written to files, e.g. 'Linear'. */
  readonly kind: string;
  /** The class; matched exactly (a subclass needs its own entry). */
  readonly layerClass: abstract new (...args: never[]) => L;
  /** Options that rebuild the layer (not its weights). */
  config(layer: L): LayerConfig;
  /** A fresh layer from a config; throws a one-line message naming the bad field. */
  create(config: LayerConfig): L;
  /** Output features for `inFeatures` input features, or what the layer expects instead. */
  outputFeatures(layer: L, inFeatures: number): number | { expects: string };
}

/** Thrown by `create` for a config that cannot be a layer of that kind. */
export class LayerConfigError extends Error {
  override name = 'LayerConfigError';
}

const byKind = new Map<string, LayerType>();

/**
 * Teach the registry a layer class of your own, so graphs can use it and files can hold it.
 * @example registerLayer({ kind: 'Square', layerClass: Square, config: () => ({}), create: () => new Square(), outputFeatures: (_, d) => d });
 */
export function registerLayer<L extends Module>(type: LayerType<L>): void {
  byKind.set(type.kind, type as unknown as LayerType);
}

/** The registered type of a layer object, or null for an unregistered class. */
export function layerTypeOf(layer: Module): LayerType | null {
  for (const type of byKind.values()) if (layer.constructor === type.layerClass) return type;
  return null;
}

/** Every registered kind, for error messages. */
export function layerKinds(): string[] {
  return [...byKind.keys()];
}

/** A layer's kind: its registered name, or its class name when unregistered. */
export function layerKind(layer: Module): string {
  return layerTypeOf(layer)?.kind ?? layer.constructor.name;
}

/**
 * Rebuild a layer from its kind and config.
 * @example createLayer('Linear', { inFeatures: 4, outFeatures: 2, bias: true }).weight.shape; // [4, 2]
 */
export function createLayer(kind: string, config: LayerConfig): Module {
  const type = byKind.get(kind);
  if (!type) throw new LayerConfigError(`unknown layer kind '${kind}'; known kinds: ${layerKinds().join(', ')}`);
  return type.create(config);
}

// --- config field readers: each failure names the kind and the field --------------------

function field(config: LayerConfig, kind: string, key: string): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new LayerConfigError(`${kind}: the config must be an object`);
  }
  return config[key];
}

function int(config: LayerConfig, kind: string, key: string, min: number): number {
  const v = field(config, kind, key);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new LayerConfigError(`${kind}: config.${key} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function num(config: LayerConfig, kind: string, key: string, fallback: number): number {
  const v = field(config, kind, key) ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new LayerConfigError(`${kind}: config.${key} must be a finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function dtype(config: LayerConfig, kind: string): DType {
  const v = field(config, kind, 'dtype') ?? 'float32';
  if (v !== 'float32' && v !== 'float64') {
    throw new LayerConfigError(`${kind}: config.dtype must be 'float32' or 'float64', got ${JSON.stringify(v)}`);
  }
  return v;
}

const sameFeatures = (_: Module, d: number): number => d;

/** Register a layer without options whose output has as many features as its input. */
function stateless<L extends Module>(kind: string, layerClass: new () => L): void {
  registerLayer<L>({ kind, layerClass, config: () => ({}), create: () => new layerClass(), outputFeatures: sameFeatures });
}

// --- the built-in layers ---------------------------------------------------------------

registerLayer<Linear>({
  kind: 'Linear',
  layerClass: Linear,
  config(l) {
    const penalties = l as unknown as { l1?: number; l2?: number };
    return {
      inFeatures: l.inFeatures,
      outFeatures: l.outFeatures,
      bias: l.bias !== null,
      dtype: l.weight.dtype,
      ...(l.name !== undefined ? { name: l.name } : {}),
      ...(penalties.l1 ? { l1: penalties.l1 } : {}),
      ...(penalties.l2 ? { l2: penalties.l2 } : {}),
    };
  },
  create(c) {
    const bias = field(c, 'Linear', 'bias') ?? true;
    if (typeof bias !== 'boolean') throw new LayerConfigError(`Linear: config.bias must be true or false, got ${JSON.stringify(bias)}`);
    const name = field(c, 'Linear', 'name');
    if (name !== undefined && typeof name !== 'string') throw new LayerConfigError('Linear: config.name must be a string');
    // 'zeros' draws no random numbers: the weights are about to be overwritten anyway.
    const opts: LinearOptions & { l1?: number; l2?: number } = { bias, dtype: dtype(c, 'Linear'), init: 'zeros', name };
    const l1 = num(c, 'Linear', 'l1', 0);
    const l2 = num(c, 'Linear', 'l2', 0);
    if (l1) opts.l1 = l1;
    if (l2) opts.l2 = l2;
    return new Linear(int(c, 'Linear', 'inFeatures', 1), int(c, 'Linear', 'outFeatures', 1), opts);
  },
  outputFeatures: (l, d) => (d === l.inFeatures ? l.outFeatures : { expects: `[N, ${l.inFeatures}]` }),
});

registerLayer<PReLU>({
  kind: 'PReLU',
  layerClass: PReLU,
  config: (l) => ({ numParameters: l.alpha.size, dtype: l.alpha.dtype }),
  create: (c) => new PReLU({ numParameters: int(c, 'PReLU', 'numParameters', 1), dtype: dtype(c, 'PReLU') }),
  outputFeatures: (l, d) =>
    l.alpha.size === 1 || l.alpha.size === d ? d : { expects: `[N, ${l.alpha.size}] (one slope per feature)` },
});

registerLayer<LeakyReLU>({
  kind: 'LeakyReLU',
  layerClass: LeakyReLU,
  config: (l) => ({ alpha: l.alpha }),
  create: (c) => new LeakyReLU(num(c, 'LeakyReLU', 'alpha', 0.01)),
  outputFeatures: sameFeatures,
});

registerLayer<ELU>({
  kind: 'ELU',
  layerClass: ELU,
  config: (l) => ({ alpha: l.alpha }),
  create: (c) => new ELU(num(c, 'ELU', 'alpha', 1)),
  outputFeatures: sameFeatures,
});

registerLayer<Dropout>({
  kind: 'Dropout',
  layerClass: Dropout,
  config: (l) => ({ rate: l.rate }),
  create(c) {
    const rate = num(c, 'Dropout', 'rate', 0.5);
    if (!(rate >= 0 && rate < 1)) throw new LayerConfigError(`Dropout: config.rate must be in [0, 1), got ${rate}`);
    return new Dropout(rate);
  },
  outputFeatures: sameFeatures,
});

stateless('ReLU', ReLU);
stateless('Sigmoid', Sigmoid);
stateless('Tanh', Tanh);
stateless('Softmax', Softmax);
stateless('LogSoftmax', LogSoftmax);
stateless('Identity', Identity);
