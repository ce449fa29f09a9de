import { Dropout } from '../nn/dropout.js';
import type { InitName } from '../nn/init.js';
import { Linear, type LinearOptions } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { createLayer } from '../nn/registry.js';
import { binaryHead, multiclassHead, regressionHead, type Head } from './heads.js';
import { Model } from './model.js';
import { input, type SymbolicTensor } from './symbolic.js';

/** Activation names accepted by `sequentialModel` (and the CLI). */
export type ActivationName = 'relu' | 'leakyRelu' | 'prelu' | 'elu' | 'sigmoid' | 'tanh' | 'identity';
export const ACTIVATION_NAMES: readonly ActivationName[] = ['relu', 'leakyRelu', 'prelu', 'elu', 'sigmoid', 'tanh', 'identity'];

const KIND_OF: Record<ActivationName, string> = {
  relu: 'ReLU',
  leakyRelu: 'LeakyReLU',
  prelu: 'PReLU',
  elu: 'ELU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  identity: 'Identity',
};

/**
 * A fresh activation layer by name.
 * @example activationLayer('tanh').forward(tensor([0])).toArray(); // [0]
 */
export function activationLayer(name: ActivationName): Module {
  const kind = KIND_OF[name];
  if (!kind) throw new RangeError(`unknown activation '${String(name)}'; choose one of ${ACTIVATION_NAMES.join(', ')}`);
  return createLayer(kind, {});
}

export type SequentialHead =
  | 'binary'
  | 'regression'
  | { kind: 'binary' }
  | { kind: 'multiclass'; classes: number }
  | { kind: 'regression'; outputs?: number };

export interface SequentialModelOptions {
  /** Number of input features d. */
  inputs: number;
  /** Widths of the hidden layers, e.g. [64, 32] (default none: a linear model). */
  hidden?: readonly number[];
  /** Activation after each hidden layer (default 'relu'). */
  activation?: ActivationName;
  head: SequentialHead;
  /** Dropout rate after each hidden activation (default 0: none). */
  dropout?: number;
  /** Seed for every layer's initial weights (layer i uses seed + i). */
  seed?: number;
  init?: InitName;
  /** L1/L2 weight penalties on every Linear layer. */
  l1?: number;
  l2?: number;
  /** Input and output names (default 'x' and 'y'). */
  inputName?: string;
  outputName?: string;
}

/**
 * The common chain as a graph Model: x → [Linear → activation (→ Dropout)]* → head.
 * @example
 * const model = sequentialModel({ inputs: 4, hidden: [16, 8], head: { kind: 'multiclass', classes: 3 }, seed: 1 });
 * model.predict({ x: zeros([2, 4]) }).y.shape; // [2, 3]
 */
export function sequentialModel(opts: SequentialModelOptions): Model {
  const hidden = opts.hidden ?? [];
  const activation = opts.activation ?? 'relu';
  const seedAt = (i: number) => (opts.seed === undefined ? undefined : opts.seed + i);
  const x = input({ name: opts.inputName ?? 'x', features: opts.inputs });
  let h: SymbolicTensor = x;
  hidden.forEach((width, i) => {
    const linearOpts: LinearOptions & { l1?: number; l2?: number } = { seed: seedAt(i), init: opts.init };
    if (opts.l1) linearOpts.l1 = opts.l1;
    if (opts.l2) linearOpts.l2 = opts.l2;
    h = new Linear(h.features, width, linearOpts).apply(h);
    h = activationLayer(activation).apply(h);
    if (opts.dropout) h = new Dropout(opts.dropout, { seed: seedAt(1000 + i) }).apply(h);
  });
  const headOpts = { name: opts.outputName ?? 'y', seed: seedAt(hidden.length), init: opts.init };
  const spec: Exclude<SequentialHead, string> = typeof opts.head === 'string' ? { kind: opts.head } : opts.head;
  let head: Head;
  if (spec?.kind === 'binary') head = binaryHead(h, headOpts);
  else if (spec?.kind === 'multiclass') head = multiclassHead(h, { ...headOpts, classes: spec.classes });
  else if (spec?.kind === 'regression') head = regressionHead(h, { ...headOpts, outputs: 'outputs' in spec ? spec.outputs : undefined });
  else throw new RangeError(`sequentialModel: head must be 'binary', 'regression' or { kind: 'multiclass', classes: K }, got ${JSON.stringify(opts.head)}`);
  return new Model({ inputs: x, outputs: head });
}
