// The CLI keeps its preprocessing in the model's metadata (see src/data/preprocess.ts,
// `format: 'sloika-preprocessing'`). The exporter turns its standardisation into ops so the
// ONNX model takes raw features and returns answers in original units. Only the fields
// used here are read, structurally, so this file does not depend on the CSV code.

/** Per-column affine map: (x − mean) / std in front, y·std + mean behind. */
export interface Standardization {
  mean: number[];
  std: number[];
}

interface PreprocessingLike {
  format: 'sloika-preprocessing';
  features: ({ kind: 'numeric'; mean: number; std: number } | { kind: 'categorical'; categories: string[] })[];
  target: { kind: string; mean?: number[]; std?: number[] };
  inputNames: string[];
}

function isPreprocessingLike(v: unknown): v is PreprocessingLike {
  const p = v as Partial<PreprocessingLike> | null;
  return !!p && typeof p === 'object' && p.format === 'sloika-preprocessing' && Array.isArray(p.features) && Array.isArray(p.inputNames) && !!p.target;
}

/**
 * The preprocessing object in a model's metadata, or null. It is found at any depth up to
 * three (the CLI keeps it at `metadata.sloikaCli.preprocessing`).
 */
export function findPreprocessing(metadata: unknown, depth = 3): PreprocessingLike | null {
  if (isPreprocessingLike(metadata)) return metadata;
  if (depth === 0 || typeof metadata !== 'object' || metadata === null) return null;
  for (const value of Object.values(metadata)) {
    const found = findPreprocessing(value, depth - 1);
    if (found) return found;
  }
  return null;
}

/**
 * Standardisation of the network's input columns; one-hot columns pass through (mean 0, std 1).
 * @example inputStandardization({ preprocessing: prep })?.mean; // [41.5, 0, 0]
 */
export function inputStandardization(metadata: Record<string, unknown>): Standardization | null {
  const prep = findPreprocessing(metadata);
  if (!prep) return null;
  const mean: number[] = [];
  const std: number[] = [];
  for (const f of prep.features) {
    if (f.kind === 'numeric') {
      mean.push(f.mean);
      std.push(f.std);
    } else {
      for (let k = 0; k < f.categories.length; k++) {
        mean.push(0);
        std.push(1);
      }
    }
  }
  return mean.length === prep.inputNames.length ? { mean, std } : null;
}

/**
 * The regression target's standardisation (the network predicts (y − mean) / std), or null.
 * @example outputStandardization({ preprocessing: prep }); // { mean: [12.5], std: [3.1] }
 */
export function outputStandardization(metadata: Record<string, unknown>): Standardization | null {
  const t = findPreprocessing(metadata)?.target;
  if (!t || t.kind !== 'regression' || !Array.isArray(t.mean) || !Array.isArray(t.std) || t.mean.length === 0) return null;
  return { mean: t.mean, std: t.std };
}
