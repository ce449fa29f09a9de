import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A copy of parameter values that can be written back. The buffers are allocated once and
 * refilled by `save`, so taking a snapshot every step costs one memcpy per parameter.
 */
export class WeightSnapshot {
  private readonly buffers: TypedArray[];

  constructor(private readonly params: readonly Tensor[]) {
    this.buffers = params.map((p) => p.data.slice());
  }

  /** Copy the parameters' current values into the snapshot. */
  save(): void {
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i]!;
      // `data` may have been replaced by a same-length array (loading weights): copy by value.
      this.buffers[i]!.set(p.data);
    }
  }

  /** Write the saved values back into the parameters. */
  restore(): void {
    for (let i = 0; i < this.params.length; i++) this.params[i]!.data.set(this.buffers[i]!);
  }
}

/** The first parameter holding NaN or ±Infinity, by position, or -1 when all are finite. */
export function firstNonFinite(params: readonly Tensor[]): number {
  for (let i = 0; i < params.length; i++) if (!allFinite(params[i]!.data)) return i;
  return -1;
}

function allFinite(d: TypedArray): boolean {
  // A plain sum has no branch per value and turns NaN or ±Infinity into a non-finite total;
  // four running sums instead of one let the additions overlap (about twice as fast).
  const n = d.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    a += d[j]!;
    b += d[j + 1]!;
    c += d[j + 2]!;
    e += d[j + 3]!;
  }
  for (; j < n; j++) a += d[j]!;
  if (Number.isFinite(a + b + c + e)) return true;
  // Rare: confirm value by value (huge finite float64 values can overflow the sum).
  for (let k = 0; k < n; k++) if (!Number.isFinite(d[k]!)) return false;
  return true;
}

/**
 * Scale every gradient by min(1, maxNorm / ‖g‖) where ‖g‖ is the L2 norm over all of them
 * together (PyTorch's clip_grad_norm_, eps 1e-6). Returns the norm before clipping.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  let sq = 0;
  for (const p of params) {
    if (p.grad === null) continue;
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
  }
  const norm = Math.sqrt(sq);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) {
    for (const p of params) {
      if (p.grad === null) continue;
      const g = p.grad.data;
      for (let i = 0; i < g.length; i++) g[i] *= scale;
    }
  }
  return norm;
}
