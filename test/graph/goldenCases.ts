// Reading the PyTorch graph cases (../shared/golden/graphs.json, beside DESIGN.md) for the graph tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Linear, tensor, type Tensor } from '../../src/index.js';

type Nested = number | Nested[];
export interface GraphCase {
  name: string;
  tensors: Record<string, Nested>;
  grads: Record<string, Nested>;
  intermediates: Record<string, Nested>;
  intermediate_grads: Record<string, Nested>;
  loss: number;
  [extra: string]: unknown;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const goldenDir = path.resolve(here, '..', '..', '..', 'shared', 'golden');

/** One case of graphs.json by its name's prefix ('a_', 'b_', …). */
export function graphCase(prefix: string): GraphCase {
  const file = [path.join(goldenDir, 'graphs.json'), path.join(goldenDir, 'cases', 'graphs.json')].find(existsSync);
  if (!file) throw new Error(`graphs.json not found under ${goldenDir}`);
  const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: GraphCase[] }).cases;
  const found = cases.find((c) => c.name.startsWith(prefix));
  if (!found) throw new Error(`no golden graph case starting with ${prefix}`);
  return found;
}

export const flat = (v: Nested): number[] => (typeof v === 'number' ? [v] : v.flatMap(flat));

/** A float64 tensor from golden values. */
export const f64 = (v: Nested, requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });

/** A float64 Linear layer holding the golden W [in, out] and b [out]. */
export function goldenLinear(W: Nested, b: Nested, name?: string): Linear {
  const w = f64(W);
  const layer = new Linear(w.shape[0]!, w.shape[1]!, { dtype: 'float64', name });
  layer.weight.data = w.data;
  layer.bias!.data = f64(b).data;
  return layer;
}

/** |actual − expected| ≤ 1e-10 + 1e-8·|expected| per element (the golden README's float64 bar). */
export function expectClose(actual: Tensor | number, expected: Nested, label: string): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual.data);
  const e = flat(expected);
  expect(a.length, `${label}: size`).toBe(e.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]!) <= 1e-10 + 1e-8 * Math.abs(e[i]!))) throw new Error(`${label}[${i}]: got ${v}, expected ${e[i]}`);
  });
}

/** L2 norm of golden values. */
export const norm = (v: Nested): number => Math.sqrt(flat(v).reduce((s, x) => s + x * x, 0));
