import { allocateParameter } from '../kernels/resident.js';
import type { DType } from '../tensor/dtype.js';
import type { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Weight initialisations by name. `default` is PyTorch's nn.Linear rule: weight and bias
 * from U(−1/√in, 1/√in). The others set the bias to zero.
 */
export type InitName = 'default' | 'glorot' | 'glorotNormal' | 'he' | 'heUniform' | 'zeros';
export const INIT_NAMES: readonly InitName[] = ['default', 'glorot', 'glorotNormal', 'he', 'heUniform', 'zeros'];

export function initLinear(
  inF: number,
  outF: number,
  init: InitName,
  rng: Random,
  dtype: DType,
  withBias: boolean,
): { weight: Tensor; bias: Tensor | null } {
  // Float32 parameters live in the WebAssembly kernels' memory when it is shared: read in place.
  const w = allocateParameter(dtype, inF * outF);
  const b = withBias ? allocateParameter(dtype, outF) : null;
  switch (init) {
    case 'default': {
      const bound = 1 / Math.sqrt(inF);
      for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
      if (b) for (let i = 0; i < b.length; i++) b[i] = rng.range(-bound, bound);
      break;
    }
    case 'glorot': {
      const bound = Math.sqrt(6 / (inF + outF));
      for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
      break;
    }
    case 'glorotNormal': {
      const std = Math.sqrt(2 / (inF + outF));
      for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
      break;
    }
    case 'he': {
      const std = Math.sqrt(2 / inF);
      for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
      break;
    }
    case 'heUniform': {
      const bound = Math.sqrt(6 / inF);
      for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
      break;
    }
    case 'zeros':
      break;
    default:
      throw new RangeError(`unknown init '${String(init)}'; choose one of ${INIT_NAMES.join(', ')}`);
  }
  return {
    weight: new Tensor(w, [inF, outF], true),
    bias: b ? new Tensor(b, [outF], true) : null,
  };
}
