import { allocate, type TypedArray } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { registerBackward, Tensor } from '../tensor/tensor.js';

// Each backward pass gets a number; a tensor whose `backwardPass` equals it has been reached.
// This replaces a visited Set and a gradient Map per pass (the tape of a tiny network is a
// dozen tensors, so hashing cost more than the arithmetic).
let passCount = 0;
let running = false;
// The traversal's working arrays, reused by every pass. Slots are overwritten with a
// placeholder after use (not truncated, which would free and regrow their storage each pass),
// so no tensor of a finished pass stays reachable from here.
const PLACEHOLDER = new Tensor(new Float32Array(0), [0]);
const order: Tensor[] = [];
const stackNodes: Tensor[] = [];
const stackNext: number[] = [];

/**
 * Write into `order` every tensor that `root` depends on through recorded ops and that
 * requires a gradient, inputs before consumers, marking each with a new pass number.
 * Returns how many were written.
 */
function collect(root: Tensor): number {
  const pass = ++passCount;
  let count = 0;
  // Iterative DFS: deep graphs (long chains) must not overflow the call stack.
  let top = 0;
  stackNodes[0] = root;
  stackNext[0] = 0;
  root.backwardPass = pass;
  while (top >= 0) {
    const node = stackNodes[top]!;
    const fn = node.gradFn;
    const i = stackNext[top]!;
    if (fn !== null && i < fn.inputs.length) {
      stackNext[top] = i + 1;
      const child = fn.inputs[i]!;
      if (child.requiresGrad && child.backwardPass !== pass) {
        child.backwardPass = pass;
        top++;
        stackNodes[top] = child;
        stackNext[top] = 0;
      }
    } else {
      order[count++] = node;
      stackNodes[top] = PLACEHOLDER;
      top--;
    }
  }
  return count;
}

/** Forget the tensors of the pass that filled order[0…count). */
function release(count: number): void {
  for (let k = 0; k < count; k++) {
    order[k]!.pendingGrad = null;
    order[k] = PLACEHOLDER;
  }
}

/** Every tensor that `root` depends on through recorded ops, inputs before consumers. */
export function topologicalOrder(root: Tensor): Tensor[] {
  if (running) throw new Error('topologicalOrder(): called while backward() is running');
  const count = collect(root);
  const out = order.slice(0, count);
  release(count);
  return out;
}

function accumulate(into: TypedArray, from: TypedArray): void {
  for (let i = 0; i < into.length; i++) into[i] += from[i]!;
}

/**
 * Reverse-mode differentiation from `root`. Each node is visited once, in reverse topological
 * order, after all its consumers have added their contributions to its gradient. Leaves that
 * require a gradient accumulate into `.grad` (summing over calls until zeroGrad()).
 */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error(
      'backward(): this tensor does not require a gradient: no input of the computation had requiresGrad: true (or it ran inside noGrad)',
    );
  }
  let seed: TypedArray;
  let ownsSeed = true;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward(): the tensor has shape ${formatShape(root.shape)}, not a single value; pass a gradient of that shape (t.backward(g)) or reduce it first with sum() or mean()`,
      );
    }
    seed = allocate(root.dtype, 1);
    seed[0] = 1;
  } else {
    if (!sameShape(grad.shape, root.shape)) {
      throw new RangeError(
        `backward(): the gradient has shape ${formatShape(grad.shape)} but the tensor has shape ${formatShape(root.shape)}`,
      );
    }
    if (grad.dtype === root.dtype) {
      // Read in place: backward rules never write into their gradOut, and the engine copies
      // a gradient it does not own before summing into it or storing it as a .grad.
      seed = grad.data;
      ownsSeed = false;
    } else {
      seed = allocate(root.dtype, root.size);
      seed.set(grad.data);
    }
  }
  if (running) {
    throw new Error('backward(): called while another backward() is running (from inside an op’s backward rule); call it after that pass returns');
  }
  running = true;
  let count = 0;
  try {
    count = collect(root);
    root.pendingGrad = seed;
    root.ownsPendingGrad = ownsSeed;
    propagate(count);
  } finally {
    // Normally every pending gradient was consumed; after an error in a backward rule the
    // rest are dropped here, so the next pass starts clean.
    release(count);
    running = false;
  }
}

function propagate(count: number): void {
  for (let k = count - 1; k >= 0; k--) {
    const node = order[k]!;
    const g = node.pendingGrad;
    if (g === null) continue;
    node.pendingGrad = null;
    const fn = node.gradFn;
    if (fn === null || node.retainsGrad) storeGrad(node, g, node.ownsPendingGrad);
    if (fn === null) continue;
    const inputGrads = fn.backward(g);
    const inputs = fn.inputs;
    const fresh = fn.freshGrads === true;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const ig = inputGrads[i];
      if (!input.requiresGrad || ig === null || ig === undefined) continue;
      const prev = input.pendingGrad;
      if (prev === null) {
        // The op may have returned its own buffer or a shared one (add passes g to both sides,
        // identity passes its g on): ownership belongs to a tensor, never to a buffer, so the
        // first contribution is kept as is and copied on the second write only — unless the
        // op vouched that the buffer is a fresh one for this input alone.
        input.pendingGrad = ig;
        input.ownsPendingGrad = fresh;
      } else if (input.ownsPendingGrad) {
        accumulate(prev, ig);
      } else {
        const sum = allocate(input.dtype, input.size);
        sum.set(prev);
        accumulate(sum, ig);
        input.pendingGrad = sum;
        input.ownsPendingGrad = true;
      }
    }
  }
}

/**
 * Add `g` into node.grad. A first gradient the engine owns (`owned`: its own sum buffer or a
 * fresh one an op vouched for, referenced by no other tensor) becomes .grad as is; any other is
 * copied, so a .grad never aliases the caller's seed or another tensor's gradient.
 */
function storeGrad(node: Tensor, g: TypedArray, owned: boolean): void {
  if (node.grad === null) {
    if (owned && g.length === node.size && g instanceof Float64Array === node.data instanceof Float64Array) {
      node.grad = new Tensor(g, node.shape);
      return;
    }
    const data = allocate(node.dtype, node.size);
    data.set(g);
    node.grad = new Tensor(data, node.shape);
  } else {
    accumulate(node.grad.data, g);
  }
}

registerBackward(backward);
