import { blobs, circle, gaussians, multiGaussian, multiSpiral, plane, spiral, wedge, xor } from './generators.js';
import type { DataKind, GenerateOptions, Sample } from './types.js';

/** One named data set: what its target means and how to make it. */
export interface DatasetInfo {
  name: DatasetName;
  kind: DataKind;
  /** Human label, e.g. "two gaussians". */
  title: string;
  generate(opts?: GenerateOptions): Sample[];
}

export type DatasetName =
  | 'circle' | 'xor' | 'gaussians' | 'spiral' | 'wedge'
  | 'plane' | 'multiGaussian'
  | 'blobs' | 'multiSpiral';

/** Every built-in data set, in the order a menu shows them. */
export const DATASETS: readonly DatasetInfo[] = [
  { name: 'circle', kind: 'binary', title: 'circle', generate: circle },
  { name: 'xor', kind: 'binary', title: 'exclusive or', generate: xor },
  { name: 'gaussians', kind: 'binary', title: 'two gaussians', generate: gaussians },
  { name: 'spiral', kind: 'binary', title: 'spiral', generate: spiral },
  { name: 'wedge', kind: 'binary', title: 'wedge (bent border)', generate: wedge },
  { name: 'plane', kind: 'regression', title: 'plane', generate: plane },
  { name: 'multiGaussian', kind: 'regression', title: 'multi-gaussian', generate: multiGaussian },
  { name: 'blobs', kind: 'multiclass', title: 'blobs', generate: blobs },
  { name: 'multiSpiral', kind: 'multiclass', title: 'multi-arm spiral', generate: multiSpiral },
];

/**
 * Look a data set up by name; the error lists the names that exist.
 * @example datasetInfo('spiral').kind; // 'binary'
 */
export function datasetInfo(name: string): DatasetInfo {
  const info = DATASETS.find((d) => d.name === name);
  if (!info) throw new RangeError(`unknown data set '${name}'; choose one of ${DATASETS.map((d) => d.name).join(', ')}`);
  return info;
}

/**
 * Generate a built-in data set by name.
 * @example generateDataset('xor', { n: 200, noise: 0.1, seed: 7 }).length; // 200
 */
export function generateDataset(name: string, opts: GenerateOptions = {}): Sample[] {
  return datasetInfo(name).generate(opts);
}
