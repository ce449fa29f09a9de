import { result } from '../autograd/record.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, tensor, type NestedArray } from '../tensor/tensor.js';

export type ClassTarget = number[] | Int32Array | Tensor | NestedArray;

/** Integer labels as an Int32Array, checked against K classes, or null for a [B, K] target. */
function labelsOf(target: ClassTarget, B: number, K: number): Int32Array | null {
  let values: ArrayLike<number>;
  if (target instanceof Tensor) {
    if (target.rank === 2) return null;
    if (target.rank !== 1) {
      throw new RangeError(`crossEntropyLoss: the target has shape ${formatShape(target.shape)}; give [${B}] class labels or a [${B}, ${K}] probability target`);
    }
    values = target.data;
  } else if (target instanceof Int32Array) {
    values = target;
  } else if (Array.isArray(target) && target.length > 0 && Array.isArray(target[0])) {
    return null;
  } else if (Array.isArray(target)) {
    values = target as number[];
  } else {
    throw new TypeError('crossEntropyLoss: the target must be class labels (number[] or Int32Array) or a [B, K] Tensor');
  }
  if (values.length !== B) {
    throw new RangeError(`crossEntropyLoss: ${values.length} labels for ${B} rows of logits; give one label per row`);
  }
  const labels = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= K) {
      throw new RangeError(`crossEntropyLoss: the label in row ${i} is ${v}; labels must be integers from 0 to ${K - 1} for ${K} classes`);
    }
    labels[i] = v;
  }
  return labels;
}

/**
 * Softmax cross-entropy on logits `[B, K]`, averaged over the B rows. The target is either B
 * integer class labels or a `[B, K]` probability (or one-hot) tensor.
 * @example crossEntropyLoss(tensor([[2, 0, 0]]), [0]).item(); // ≈ 0.2395
 */
export function crossEntropyLoss(logits: Tensor, target: ClassTarget): Tensor {
  if (!(logits instanceof Tensor)) throw new TypeError('crossEntropyLoss: the logits must be a Tensor');
  if (logits.rank !== 2) {
    throw new RangeError(`crossEntropyLoss: the logits have shape ${formatShape(logits.shape)}; expected [B, K]`);
  }
  const [B, K] = logits.shape as [number, number];
  const labels = labelsOf(target, B, K);
  let probs: Tensor | null = null;
  if (labels === null) {
    probs = target instanceof Tensor ? target : tensor(target as NestedArray, { dtype: logits.dtype });
    if (probs.rank !== 2 || probs.shape[0] !== B || probs.shape[1] !== K) {
      throw new RangeError(`crossEntropyLoss: the logits have shape ${formatShape(logits.shape)} but the target has shape ${formatShape(probs.shape)}`);
    }
  }
  const soft = allocate(logits.dtype, B * K); // softmax, kept for backward
  const tmass = new Float64Array(B); // Σ_k t_ik per row
  const pd = probs === null ? null : probs.data;
  const out = allocate(logits.dtype, 1);
  softmaxCrossEntropyInto(logits.data, B, K, labels, pd, soft, tmass, out);
  return result(out, [], 'crossEntropyLoss', [logits], (g) => {
    const gz = allocate(logits.dtype, B * K);
    softmaxCrossEntropyGradInto(soft, tmass, labels, pd, g[0]!, B, K, gz);
    return [gz];
  });
}

/**
 * out[0] = softmax cross-entropy of logits `z [B, K]` averaged over the rows, against integer `labels`
 * (B of them) or, when labels is null, a `[B, K]` probability target `probs`. Writes the
 * softmax into `soft [B·K]` and each row's target mass Σₖ t into `tmass [B]` for
 * softmaxCrossEntropyGradInto. The loss op and compiled training steps share it.
 * @example softmaxCrossEntropyInto(Float32Array.of(2, 0, 0), 1, 3, [0], null, soft, tmass, out); // out[0] ≈ 0.2395
 */
export function softmaxCrossEntropyInto(
  z: TypedArray, B: number, K: number, labels: ArrayLike<number> | null, probs: ArrayLike<number> | null,
  soft: TypedArray, tmass: Float64Array, out: TypedArray,
): void {
  let total = 0;
  for (let r = 0; r < B; r++) {
    const o = r * K;
    let max = -Infinity;
    for (let j = 0; j < K; j++) if (z[o + j]! > max) max = z[o + j]!;
    let s = 0;
    for (let j = 0; j < K; j++) s += Math.exp(z[o + j]! - max);
    // log-probabilities as (z − max) − log s (torch's order), exact for logits of ±500.
    const logS = Math.log(s);
    for (let j = 0; j < K; j++) soft[o + j] = Math.exp(z[o + j]! - max - logS);
    if (labels !== null) {
      total -= z[o + labels[r]!]! - max - logS;
      tmass[r] = 1;
    } else {
      let mass = 0;
      for (let j = 0; j < K; j++) {
        const tj = probs![o + j]!;
        if (tj !== 0) total -= tj * (z[o + j]! - max - logS);
        mass += tj;
      }
      tmass[r] = mass;
    }
  }
  out[0] = total / B;
}

/**
 * gz = (upstream / B)·(softmax·Σₖt − t) per row, from what softmaxCrossEntropyInto recorded.
 * @example softmaxCrossEntropyGradInto(soft, tmass, labels, null, 1, B, K, gz);
 */
export function softmaxCrossEntropyGradInto(
  soft: TypedArray, tmass: Float64Array, labels: ArrayLike<number> | null, probs: ArrayLike<number> | null,
  upstream: number, B: number, K: number, gz: TypedArray,
): void {
  const scale = upstream / B;
  for (let r = 0; r < B; r++) {
    const o = r * K;
    for (let j = 0; j < K; j++) gz[o + j] = scale * soft[o + j]! * tmass[r]!;
    if (labels !== null) gz[o + labels[r]!] -= scale;
    else for (let j = 0; j < K; j++) gz[o + j] -= scale * probs![o + j]!;
  }
}
