import type { Module } from './module.js';

/**
 * Something besides a Tensor that a layer can be applied to. The graph API's symbolic
 * tensors implement it, so `layer.apply(symbol)` records a node in a graph instead of
 * computing — and src/nn never has to know the graph exists (imports go downward only).
 */
export interface LayerApplicable<Out> {
  applyLayer(layer: Module): Out;
}

/** Whether a value implements the protocol above. */
export function isLayerApplicable(x: unknown): x is LayerApplicable<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { applyLayer?: unknown }).applyLayer === 'function';
}
