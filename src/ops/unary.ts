import { result } from '../autograd/record.js';
import { allocate } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './operand.js';

// Elementwise maths that losses and regularisers are built from. Each forward loop sits
// above the backward loop that differentiates it; the `true` after a backward rule says it
// returns a buffer of its own that a leaf may adopt as its .grad.

/** -x. */
export function neg(x: Tensor): Tensor {
  checkTensor(x, 'neg');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = -d[i]!;
  return result(out, x.shape, 'neg', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = -g[i]!;
    return [gx];
  }, true);
}

/** eˣ. */
export function exp(x: Tensor): Tensor {
  checkTensor(x, 'exp');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.exp(d[i]!);
  return result(out, x.shape, 'exp', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = g[i]! * out[i]!;
    return [gx];
  }, true);
}

/** Natural logarithm. */
export function log(x: Tensor): Tensor {
  checkTensor(x, 'log');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.log(d[i]!);
  return result(out, x.shape, 'log', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = g[i]! / d[i]!;
    return [gx];
  }, true);
}

/** x². */
export function square(x: Tensor): Tensor {
  checkTensor(x, 'square');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! * d[i]!;
  return result(out, x.shape, 'square', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = 2 * g[i]! * d[i]!;
    return [gx];
  }, true);
}

/** √x. */
export function sqrt(x: Tensor): Tensor {
  checkTensor(x, 'sqrt');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.sqrt(d[i]!);
  return result(out, x.shape, 'sqrt', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = g[i]! / (2 * out[i]!);
    return [gx];
  }, true);
}

/** |x|; its derivative at 0 is 0 (as PyTorch's sign). */
export function abs(x: Tensor): Tensor {
  checkTensor(x, 'abs');
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.abs(d[i]!);
  return result(out, x.shape, 'abs', [x], (g) => {
    const gx = allocate(x.dtype, d.length);
    for (let i = 0; i < d.length; i++) gx[i] = d[i]! > 0 ? g[i]! : d[i]! < 0 ? -g[i]! : 0;
    return [gx];
  }, true);
}
