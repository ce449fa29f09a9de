import { add } from '../ops/arithmetic.js';
import { Tensor } from '../tensor/tensor.js';
import { isLayerApplicable, type LayerApplicable } from './symbolic.js';

/**
 * Base of every layer. Parameters are found by walking the object's own fields (tensors that
 * require a gradient, sub-modules, arrays of sub-modules), so a layer just stores them.
 */
export abstract class Module {
  /** Training mode (dropout active) or evaluation mode. */
  training = true;

  abstract forward(x: Tensor): Tensor;

  /**
   * Apply the layer. On a Tensor this is `forward`; on a graph symbol (from `input()`) it
   * adds a node to the graph, checks the shapes and returns the new symbol.
   * @example new ReLU().apply(tensor([[-1, 2]])).toArray(); // [[0, 2]]
   */
  apply(x: Tensor): Tensor;
  apply<S>(x: LayerApplicable<S>): S;
  apply(x: Tensor | LayerApplicable<unknown>): unknown {
    if (x instanceof Tensor) return this.forward(x);
    if (isLayerApplicable(x)) return x.applyLayer(this);
    throw new TypeError(`${this.constructor.name}.apply: expects a Tensor or a graph symbol from input(), got ${typeof x}`);
  }

  /** Every learnable tensor, each once, in field order. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Parameters with dotted paths such as `layers.0.weight`. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const visit = (value: unknown, path: string): void => {
      if (value instanceof Tensor) {
        if (value.requiresGrad && !seen.has(value)) {
          seen.add(value);
          out.push([path, value]);
        }
      } else if (value instanceof Module) {
        for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => visit(v, path ? `${path}.${i}` : String(i)));
      }
    };
    visit(this, prefix);
    return out;
  }

  /** Set training mode here and in every sub-module. */
  train(mode = true): this {
    setTraining(this, mode);
    return this;
  }

  /** Evaluation mode: dropout off. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Σ of every layer's weight penalty (L1/L2 set per layer, e.g. `new Linear(4, 3, { l2: 1e-4 })`),
   * each layer counted once even when reused; null when no layer sets one. Training adds it to the loss.
   * @example new Sequential(new Linear(2, 2, { l2: 0.1 })).regularization()?.item(); // 0.1·ΣW²
   */
  regularization(): Tensor | null {
    // Runs every training step: an array and plain loops rather than a Set and closures.
    const modules: Module[] = [];
    collectModules(this, modules);
    let total: Tensor | null = null;
    for (let i = 0; i < modules.length; i++) {
      const own = modules[i]!.penalty();
      if (own !== null) total = total === null ? own : add(total, own);
    }
    return total;
  }

  /** This layer's own penalty on its weights (not its sub-layers'); null when it has none. */
  protected penalty(): Tensor | null {
    return null;
  }

  /** Zero the gradients of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Number of learnable values. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}

/** Set `training` on every module reachable through fields and arrays of fields. */
function setTraining(value: unknown, mode: boolean): void {
  if (value instanceof Module) {
    value.training = mode;
    for (const key in value) {
      const v: unknown = (value as unknown as Record<string, unknown>)[key];
      if (v !== value && (v instanceof Module || Array.isArray(v))) setTraining(v, mode);
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) setTraining(value[i], mode);
  }
}

/** Every module reachable from `value`, each once, in the order a depth-first walk first meets it. */
function collectModules(value: unknown, into: Module[]): void {
  if (value instanceof Module) {
    if (into.includes(value)) return;
    into.push(value);
    for (const key in value) {
      const v: unknown = (value as unknown as Record<string, unknown>)[key];
      if (v instanceof Module || Array.isArray(v)) collectModules(v, into);
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectModules(value[i], into);
  }
}
