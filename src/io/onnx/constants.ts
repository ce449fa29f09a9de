import type { OnnxNode } from './codec.js';
import { nodeError } from './importOps.js';
import { readTensor, type ConstantValue } from './tensors.js';

// Exporters sometimes compute a weight from stored numbers with a few shape ops (a Constant
// node, a Transpose, an Unsqueeze of a PReLU slope, an Identity for a shared weight). When
// every input of such a node is a constant, the reader works the result out here.

/** Ops folded when their data input is a constant. */
export const FOLDABLE = new Set(['Constant', 'Identity', 'Transpose', 'Reshape', 'Squeeze', 'Unsqueeze']);

function ints(node: OnnxNode, name: string): number[] | undefined {
  return node.attribute?.find((a) => a.name === name)?.ints?.map(Number);
}

function constantNode(node: OnnxNode, out: string): ConstantValue {
  const a = node.attribute?.[0];
  if (a?.t) return readTensor(a.t, `Constant '${out}'`);
  if (a?.name === 'value_float' && a.f !== undefined) return { dims: [], data: Float32Array.of(a.f) };
  if (a?.name === 'value_floats' && a.floats) return { dims: [a.floats.length], data: Float32Array.from(a.floats) };
  if (a?.name === 'value_int' && a.i !== undefined) return { dims: [], data: Float32Array.of(Number(a.i)) };
  if (a?.name === 'value_ints' && a.ints) return { dims: [a.ints.length], data: Float32Array.from(a.ints.map(Number)) };
  throw nodeError(node, `a Constant given by '${a?.name ?? 'nothing'}' is not supported (use a tensor, float(s) or int(s))`);
}

function transpose(node: OnnxNode, c: ConstantValue): ConstantValue {
  const perm = ints(node, 'perm') ?? [1, 0];
  if (c.dims.length !== 2 || perm[0] !== 1 || perm[1] !== 0) throw nodeError(node, `only the transpose of a matrix constant is supported, got shape [${c.dims.join(', ')}]`);
  const [rows, cols] = c.dims as [number, number];
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[j * rows + i] = c.data[i * cols + j]!;
  return { dims: [cols, rows], data };
}

function reshape(node: OnnxNode, c: ConstantValue, shape: ConstantValue | undefined): ConstantValue {
  if (!shape) throw nodeError(node, 'the target shape is computed, not a constant');
  const dims = Array.from(shape.data, (d, k) => (d === 0 ? c.dims[k]! : d));
  const known = dims.reduce((p, d) => (d === -1 ? p : p * d), 1);
  return { dims: dims.map((d) => (d === -1 ? c.data.length / known : d)), data: c.data };
}

/** Squeeze/Unsqueeze: axes from the attribute (before opset 13) or the second input. */
function squeeze(node: OnnxNode, c: ConstantValue, axesInput: ConstantValue | undefined): ConstantValue {
  const axes = ints(node, 'axes') ?? (axesInput ? Array.from(axesInput.data) : undefined);
  if (node.opType === 'Squeeze') {
    const rank = c.dims.length;
    const drop = new Set((axes ?? c.dims.flatMap((d, k) => (d === 1 ? [k] : []))).map((a) => (a < 0 ? a + rank : a)));
    return { dims: c.dims.filter((_, k) => !drop.has(k)), data: c.data };
  }
  if (!axes) throw nodeError(node, 'Unsqueeze needs its axes');
  const rank = c.dims.length + axes.length;
  const add = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const dims: number[] = [];
  for (let k = 0, j = 0; k < rank; k++) dims.push(add.has(k) ? 1 : c.dims[j++]!);
  return { dims, data: c.data };
}

/**
 * The constant a node computes, or undefined when its data input is not constant.
 * @example foldConstant(transposeNode, (n) => constants.get(n)); // { dims: [3, 4], data }
 */
export function foldConstant(node: OnnxNode, constant: (name: string) => ConstantValue | undefined): ConstantValue | undefined {
  const out = node.output?.[0] ?? '?';
  if (node.opType === 'Constant') return constantNode(node, out);
  const [first, second] = node.input ?? [];
  const c = first !== undefined ? constant(first) : undefined;
  if (!c) return undefined;
  const extra = second ? constant(second) : undefined;
  switch (node.opType) {
    case 'Identity':
      return c;
    case 'Transpose':
      return transpose(node, c);
    case 'Reshape':
      return reshape(node, c, extra);
    case 'Squeeze':
    case 'Unsqueeze':
      return squeeze(node, c, extra);
    default:
      return undefined;
  }
}
