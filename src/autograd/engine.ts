import { allocate, type TypedArray } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { registerBackward, Tensor } from '../tensor/tensor.js';

/** Every tensor that `root` depends on through recorded ops, inputs before consumers. */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long chains) must not overflow the call stack.
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, i] = top;
    const inputs = node.gradFn ? node.gradFn.inputs : [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const child = inputs[i]!;
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      order.push(node);
      stack.pop();
    }
  }
  return order;
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
    seed = allocate(root.dtype, root.size);
    seed.set(grad.data);
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, TypedArray>();
  // Tensors whose pending gradient is a sum buffer the engine allocated for them alone. Only those
  // are added into in place: an op may hand one buffer to several inputs (add passes g to both
  // sides) or pass on a buffer it received, so ownership belongs to a tensor, never to a buffer.
  const ownsBuffer = new Set<Tensor>();
  grads.set(root, seed);
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    const g = grads.get(node);
    if (g === undefined) continue;
    grads.delete(node);
    const fn = node.gradFn;
    if (fn === null || node.retainsGrad) storeGrad(node, g);
    if (fn === null) continue;
    const inputGrads = fn.backward(g);
    for (let i = 0; i < fn.inputs.length; i++) {
      const input = fn.inputs[i]!;
      const ig = inputGrads[i];
      if (!input.requiresGrad || ig === null || ig === undefined) continue;
      const prev = grads.get(input);
      if (prev === undefined) {
        // The op may have returned its own buffer or a shared one; copy on the second write only.
        grads.set(input, ig);
      } else if (ownsBuffer.has(input)) {
        accumulate(prev, ig);
      } else {
        const sum = allocate(input.dtype, input.size);
        sum.set(prev);
        accumulate(sum, ig);
        ownsBuffer.add(input);
        grads.set(input, sum);
      }
    }
  }
}

function storeGrad(node: Tensor, g: TypedArray): void {
  if (node.grad === null) {
    const data = allocate(node.dtype, node.size);
    data.set(g);
    node.grad = new Tensor(data, node.shape);
  } else {
    accumulate(node.grad.data, g);
  }
}

registerBackward(backward);
