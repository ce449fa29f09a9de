import {
  ELU, Identity, LeakyReLU, Linear, Model, PReLU, ReLU, Sigmoid, Tanh, concat, input, noGrad,
  type HeadSpec, type Module, type SymbolicTensor, type Tensor,
} from './sloika.js';
import { orderedFeatures } from './features.js';
import { outputUnits, type Activation, type LayerSpec, type PlaygroundState } from './state.js';

// The page's network, made of the library's own layers. One shape serves both modes: a list
// of blocks (Linear then activation), each reading the concatenation of earlier blocks. The
// chain mode is blocks in a row; the graph mode is two branches on the input, then a head.
// The same layer objects also form a graph `Model` (the library's functional API): training
// runs through it, and export saves it.

/** One block of neurons: y = act(concat(sources) W + b). */
export interface Block {
  id: string;
  /** As the page labels it ("hidden 1", "branch A", "output"). */
  label: string;
  /** Ids of the blocks it reads, concatenated in this order ('input' for the features). */
  sources: string[];
  units: number;
  activation: Activation;
  /** LeakyReLU's slope or ELU's scale for this block. */
  alpha: number;
  linear: Linear;
  act: Module;
  /** The PReLU layer when the activation is learnable (its alphas are shown). */
  prelu: PReLU | null;
  /** Output block: 'main' (classifier or regression) or 'value' (the multi-task regression head). */
  head: 'main' | 'value' | null;
}

/** The activation's layer; `alpha` is LeakyReLU's slope and ELU's scale. */
export function activationLayer(a: Activation, alpha: number, units: number): Module {
  switch (a) {
    case 'relu': return new ReLU();
    case 'tanh': return new Tanh();
    case 'sigmoid': return new Sigmoid();
    case 'linear': return new Identity();
    case 'leakyRelu': return new LeakyReLU(alpha);
    case 'elu': return new ELU(alpha);
    case 'prelu': return new PReLU({ numParameters: units });
  }
}

/** Seeds of the layers follow from the state's seed, so a link gives the same start. */
function layerSeed(seed: number, index: number): number {
  return (Math.imul(seed + 1, 2654435761) + index * 40503) >>> 0;
}

export class PlaygroundNet {
  readonly blocks: Block[] = [];
  readonly inputs: number;
  /** The library's graph model over the same layers: outputs 'y' and, multi-task, 'value'. */
  readonly model: Model;

  constructor(readonly state: PlaygroundState) {
    this.inputs = orderedFeatures(state.features).length;
    if (this.inputs === 0) throw new RangeError('the network needs at least one input feature; click one to turn it on');
    const add = (id: string, label: string, sources: string[], spec: LayerSpec, head: Block['head']) => {
      const { units, activation } = spec;
      const alpha = spec.alpha ?? state.alpha;
      const fanIn = sources.reduce((n, s) => n + (s === 'input' ? this.inputs : this.block(s).units), 0);
      const linear = new Linear(fanIn, units, { seed: layerSeed(state.seed, this.blocks.length), name: label });
      const act = activationLayer(activation, alpha, units);
      this.blocks.push({ id, label, sources, units, activation, alpha, linear, act, prelu: act instanceof PReLU ? act : null, head });
    };
    let last = ['input'];
    if (state.mode === 'graph') {
      const [a, b] = state.branches;
      add('A', 'branch A', ['input'], a, null);
      add('B', 'branch B', ['input'], b, null);
      last = ['A', 'B'];
    } else {
      state.layers.forEach((l, i) => {
        add(`h${i}`, `hidden ${i + 1}`, last, l, null);
        last = [`h${i}`];
      });
    }
    add('out', 'output', last, { units: outputUnits(state), activation: 'linear' }, 'main');
    if (state.multiTask && state.problem !== 'regression') add('value', 'value head', last, { units: 1, activation: 'linear' }, 'value');
    this.model = this.graphModel();
  }

  /** Apply the blocks to a symbolic input: the graph API records the same layers as a DAG. */
  private graphModel(): Model {
    const x = input({ name: 'x', features: this.inputs });
    const symbols = new Map<string, SymbolicTensor>([['input', x]]);
    for (const b of this.blocks) {
      const srcs = b.sources.map((s) => symbols.get(s)!);
      const z = b.linear.apply(srcs.length === 1 ? srcs[0]! : concat(srcs));
      symbols.set(b.id, b.head ? z : b.act.apply(z));
    }
    const outputs: Record<string, SymbolicTensor> = { y: symbols.get('out')! };
    if (symbols.has('value')) outputs.value = symbols.get('value')!;
    return new Model({ inputs: x, outputs, heads: this.heads() });
  }

  /** Heads and their loss weights for the current state (the multi-task weight can change while training). */
  heads(state: PlaygroundState = this.state): HeadSpec[] {
    const multi = this.blocks.some((b) => b.head === 'value');
    const heads: HeadSpec[] = [{ output: 'y', kind: state.problem, weight: multi ? 1 - state.taskWeight : 1 }];
    if (multi) heads.push({ output: 'value', kind: 'regression', weight: state.taskWeight });
    return heads;
  }

  block(id: string): Block {
    const b = this.blocks.find((x) => x.id === id);
    if (!b) throw new RangeError(`no block '${id}' in the network`);
    return b;
  }

  /** Every block's output, by id, plus 'input'. Records gradients unless run under noGrad. */
  forwardAll(x: Tensor): Map<string, Tensor> {
    const values = new Map<string, Tensor>([['input', x]]);
    for (const b of this.blocks) {
      const srcs = b.sources.map((s) => values.get(s)!);
      const h = srcs.length === 1 ? srcs[0]! : concat(srcs, 1);
      values.set(b.id, b.act.forward(b.linear.forward(h)));
    }
    return values;
  }

  /** Raw outputs through the graph model: the main head (logits or values) and the value head when multi-task. */
  forward(x: Tensor): { main: Tensor; value: Tensor | null } {
    const out = this.model.forward({ x });
    return { main: out.y!, value: out.value ?? null };
  }

  /** Evaluation without recording gradients. */
  evaluate(x: Tensor): Map<string, Tensor> {
    return noGrad(() => this.forwardAll(x));
  }

  parameters(): Tensor[] {
    return this.blocks.flatMap((b) => [...b.linear.parameters(), ...(b.prelu ? b.prelu.parameters() : [])]);
  }

  /** The weight matrices (what L1/L2 regularisation penalises; biases and alphas are not). */
  weights(): Tensor[] {
    return this.blocks.map((b) => b.linear.weight);
  }

  /** Units feeding block `b`, in the order of its weight matrix's rows: [source id, unit] pairs. */
  fanIn(b: Block): [string, number][] {
    const out: [string, number][] = [];
    for (const s of b.sources) {
      const n = s === 'input' ? this.inputs : this.block(s).units;
      for (let i = 0; i < n; i++) out.push([s, i]);
    }
    return out;
  }
}
