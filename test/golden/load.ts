// Shared helpers for the PyTorch reference cases in ../shared/golden (beside DESIGN.md).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Tensor, tensor, type DType } from '../../src/index.js';

/** The repository root (/work/main): this file lives in <root>/test/golden. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The golden folder: ../shared/golden relative to the repository. */
export const goldenDir = path.resolve(repoRoot, '..', 'shared', 'golden');

export type Nested = number | Nested[];

export interface GoldenFile<C> {
  meta: Record<string, unknown>;
  cases: C[];
}

/** Parse one golden file by its base name (`activations`, `losses`, ...). */
export function loadGolden<C = any>(name: string): GoldenFile<C> {
  // The README documents a cases/ subfolder; the files may also sit at the top level.
  const candidates = [path.join(goldenDir, `${name}.json`), path.join(goldenDir, 'cases', `${name}.json`)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error(`golden file ${name}.json not found under ${goldenDir}`);
  return JSON.parse(readFileSync(file, 'utf8')) as GoldenFile<C>;
}

/** A tensor from golden nested arrays, in the given dtype. */
export function t(value: Nested, dtype: DType, requiresGrad = false): Tensor {
  return tensor(value, { dtype, requiresGrad });
}

/** Flatten nested arrays (or a number) to plain numbers, row-major. */
export function flat(value: Nested): number[] {
  return typeof value === 'number' ? [value] : value.flatMap((v) => flat(v));
}

/** Tolerances per element: |actual − expected| <= atol + rtol·|expected|. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/** The golden README's float64 tolerance. */
export const F64: Tolerance = { atol: 1e-10, rtol: 1e-8 };
/** Single ops in float32. */
export const F32: Tolerance = { atol: 1e-6, rtol: 1e-4 };

/** Largest errors seen per label (absolute, and relative to max(1, |expected|)), for the report. */
export const worstErrors = new Map<string, { abs: number; rel: number }>();

function note(label: string, abs: number, rel: number): void {
  const w = worstErrors.get(label) ?? { abs: 0, rel: 0 };
  worstErrors.set(label, { abs: Math.max(w.abs, abs), rel: Math.max(w.rel, rel) });
}

/**
 * Assert every element of `actual` is within tolerance of `expected`, naming the first element
 * that is not. Shapes must agree. Returns the largest absolute error.
 */
export function expectClose(actual: Tensor | number | number[], expected: Nested, tol: Tolerance, what: string, label = what): number {
  let got: ArrayLike<number>;
  if (actual instanceof Tensor) {
    got = actual.data;
    const expectedShape = shapeOf(expected);
    const actualShape = actual.shape.length === 0 ? [] : actual.shape;
    // Golden scalars may stand for a [1] or [] tensor.
    if (!(expectedShape.length === 0 && actual.size === 1)) {
      expect(actualShape, `${what}: shape`).toEqual(expectedShape);
    }
  } else {
    got = typeof actual === 'number' ? [actual] : actual;
  }
  const want = flat(expected);
  expect(got.length, `${what}: number of values`).toBe(want.length);
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!;
    const e = want[i]!;
    const err = Math.abs(a - e);
    if (!(err <= tol.atol + tol.rtol * Math.abs(e))) {
      expect.fail(`${what}: element ${i} is ${a}, expected ${e} (error ${err.toExponential(2)})`);
    }
    maxAbs = Math.max(maxAbs, err);
    maxRel = Math.max(maxRel, err / Math.max(1, Math.abs(e)));
  }
  note(label, maxAbs, maxRel);
  return maxAbs;
}

function shapeOf(value: Nested): number[] {
  if (typeof value === 'number') return [];
  if (value.length === 0) return [0];
  return [value.length, ...shapeOf(value[0]!)];
}

/** Print the worst errors per label (visible with vitest's reporter output). */
export function reportWorst(title: string): void {
  const rows = [...worstErrors.entries()].map(([k, v]) => `  ${k}: max abs ${v.abs.toExponential(2)}, max rel ${v.rel.toExponential(2)}`);
  console.log(`${title}\n${rows.join('\n')}`);
}
