import { orderedFeatures } from './features.js';
import type { Block, PlaygroundNet } from './model.js';
import { toBytes, type Model } from './sloika.js';
import type { Activation, PlaygroundState } from './state.js';

// Export: the trained network as a sloika graph Model in the library's saved format (the same
// layer objects, so the same weights), and a TypeScript snippet that rebuilds the architecture.

/** The page's network as a graph Model, its input features listed in the metadata. */
export function toModel(net: PlaygroundNet, state: PlaygroundState): Model {
  net.model.metadata = { playground: { features: orderedFeatures(state.features).map((f) => f.code), problem: state.problem } };
  return net.model;
}

/** The saved model's bytes (what `fromBytes` / `loadModel` read back). */
export function modelBytes(net: PlaygroundNet, state: PlaygroundState): ArrayBuffer {
  return toBytes(toModel(net, state));
}

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Download the trained model as `playground-model.sloika`; returns a message for the page. */
export async function downloadModel(net: PlaygroundNet, state: PlaygroundState): Promise<string> {
  const bytes = modelBytes(net, state);
  download('playground-model.sloika', bytes, 'application/octet-stream');
  return `Saved playground-model.sloika (${bytes.byteLength} bytes). Load it with fromBytes(bytes) from 'sloika', or the CLI.`;
}

const LAYER_CLASS: Record<Activation, string> = {
  relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: 'Identity', leakyRelu: 'LeakyReLU', prelu: 'PReLU', elu: 'ELU',
};

function activationCode(b: Block, state: PlaygroundState): string {
  const cls = LAYER_CLASS[b.activation];
  if (b.activation === 'leakyRelu' || b.activation === 'elu') return `new ${cls}(${b.alpha})`;
  if (b.activation === 'prelu') return `new PReLU({ numParameters: ${b.units} })`;
  return `new ${cls}()`;
}

/**
 * A short TypeScript program that rebuilds the same architecture with the graph API.
 * @example snippet(defaultState()).includes("input({ name: 'x', features: 2 })"); // true
 */
export function snippet(state: PlaygroundState, net: PlaygroundNet): string {
  const feats = orderedFeatures(state.features);
  const used = new Set<string>(['Model', 'input', 'Linear']);
  const lines: string[] = [];
  const names = new Map<string, string>([['input', 'x']]);
  net.blocks.forEach((b, i) => {
    const src = b.sources.map((s) => names.get(s)!);
    const from = src.length === 1 ? src[0]! : `concat([${src.join(', ')}])`;
    if (src.length > 1) used.add('concat');
    const fanIn = net.fanIn(b).length;
    const v = b.head ? (b.head === 'main' ? 'y' : 'value') : `h${i + 1}`;
    names.set(b.id, v);
    const lin = `new Linear(${fanIn}, ${b.units}, { seed: ${i + 1} }).apply(${from})`;
    if (b.head) lines.push(`const ${v} = ${lin};`);
    else {
      used.add(LAYER_CLASS[b.activation]);
      lines.push(`const ${v} = ${activationCode(b, state)}.apply(${lin}); // ${b.label}: [N, ${b.units}]`);
    }
  });
  const heads = net.heads(state).map((h) => `{ output: '${h.output}', kind: '${h.kind}'${h.weight === 1 ? '' : `, weight: ${+h.weight!.toFixed(4)}`} }`);
  const outputs = heads.length > 1 ? '{ y, value }' : '{ y }';
  return [
    `import { ${[...used].sort().join(', ')} } from 'sloika';`,
    '',
    `// Inputs, in this order: ${feats.map((f) => f.code).join(', ')}`,
    `const x = input({ name: 'x', features: ${feats.length} });`,
    ...lines,
    `export const model = new Model({ inputs: x, outputs: ${outputs}, heads: [${heads.join(', ')}] });`,
    'console.log(model.summary());',
    '',
  ].join('\n');
}

/** Download the snippet; returns a message for the page. */
export function downloadSnippet(state: PlaygroundState, net: PlaygroundNet): string {
  download('playground-model.ts', snippet(state, net), 'text/typescript');
  return 'Saved playground-model.ts: the same architecture, written with the graph API.';
}
