import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelBytes, snippet } from '../../playground/src/export.js';
import { PlaygroundNet } from '../../playground/src/model.js';
import { defaultState, type PlaygroundState } from '../../playground/src/state.js';
import { fromBytes, tensor, type Model } from '../../src/index.js';

// Export without a browser: the saved bytes load back with the same predictions, the CLI reads
// the file, and the TypeScript snippet runs and rebuilds the same architecture.

const OUT = new URL('../../test-output/', import.meta.url).pathname;
const SRC = new URL('../../src/index.js', import.meta.url).pathname;

const graphState: PlaygroundState = {
  ...defaultState(), mode: 'graph', problem: 'multiclass', dataset: 'blobs', features: ['x1', 'x2', 'x1x2'],
  branches: [{ units: 3, activation: 'prelu' }, { units: 2, activation: 'elu' }], alpha: 0.5,
};

describe('export', () => {
  it('saves the graph model; fromBytes gives the same outputs and heads', () => {
    const net = new PlaygroundNet(graphState);
    const model = fromBytes(modelBytes(net, graphState));
    const x = tensor([[1, 2, 2], [-3, 0.5, -1.5]]);
    expect(Array.from(model.forward({ x }).y!.data)).toEqual(Array.from(net.forward(x).main.data));
    expect(model.heads).toEqual([{ output: 'y', kind: 'multiclass', weight: 1 }]);
    expect(model.metadata).toEqual({ playground: { features: ['x1', 'x2', 'x1 * x2'], problem: 'multiclass' } });
  });

  it('the snippet runs and builds a model of the same shape and parameter count', async () => {
    const net = new PlaygroundNet(graphState);
    const code = snippet(graphState, net);
    expect(code).toContain('new PReLU({ numParameters: 3 }).apply(new Linear(3, 3, { seed: 1 }).apply(x)); // branch A: [N, 3]');
    expect(code).toContain('new ELU(0.5).apply(new Linear(3, 2, { seed: 2 }).apply(x)); // branch B: [N, 2]');
    expect(code).toContain('new Linear(5, 3, { seed: 3 }).apply(concat([h1, h2]))');
    mkdirSync(OUT, { recursive: true });
    const file = `${OUT}snippet-check.ts`;
    writeFileSync(file, code.replace("from 'sloika'", `from '${SRC}'`).replace('console.log(model.summary());', ''));
    const { model } = (await import(/* @vite-ignore */ file)) as { model: Model };
    expect(model.parameterCount()).toBe(net.model.parameterCount());
    expect(model.nodes.map((n) => [n.kind, n.features])).toEqual(net.model.nodes.map((n) => [n.kind, n.features]));
  });

  it('the snippet of a multi-task network weighs its two heads as the page does', () => {
    const s = { ...defaultState(), multiTask: true, taskWeight: 0.3 };
    expect(snippet(s, new PlaygroundNet(s))).toContain(
      "export const model = new Model({ inputs: x, outputs: { y, value }, heads: [{ output: 'y', kind: 'binary', weight: 0.7 }, { output: 'value', kind: 'regression', weight: 0.3 }] });",
    );
  });

  it('the CLI reads the exported file (sloika summary)', () => {
    const s = { ...defaultState(), multiTask: true };
    const net = new PlaygroundNet(s);
    mkdirSync(OUT, { recursive: true });
    const file = `${OUT}exported.sloika`;
    writeFileSync(file, new Uint8Array(modelBytes(net, s)));
    const cli = new URL('../../cli/main.ts', import.meta.url).pathname;
    const out = execFileSync(process.execPath, ['--import', 'tsx', cli, 'summary', file], { encoding: 'utf8' });
    expect(out).toContain("output 'y'");
    expect(out).toContain("output 'value'");
    expect(out).toMatch(/trainable parameters: 28\b/); // (2·4+4) + (4·2+2) + (2+1) + (2+1)
  });
});
