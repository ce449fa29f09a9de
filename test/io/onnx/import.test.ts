import { describe, expect, it } from 'vitest';
import { fit, Linear, loadOnnx, tensor } from '../../../src/index.js';
import { encodeModel } from '../../../src/io/onnx/codec.js';
import { DataType } from '../../../src/io/onnx/schema.js';
import { f, i, onnxFile, weights } from './build.js';
import { maxAbsDiff, runOrt } from './ort.js';

// Hand-built files in the layouts other exporters use; expected values worked out by hand.

describe('loadOnnx', () => {
  it('reads MatMul + Add (the Keras/tf2onnx layout, W stored [in, out]) as one Linear', () => {
    const bytes = onnxFile({
      inputs: { x: 2 },
      outputs: { y: 1 },
      nodes: [
        { opType: 'MatMul', name: 'dense/MatMul', input: ['x', 'W'], output: ['xw'] },
        { opType: 'Add', name: 'dense/Add', input: ['xw', 'b'], output: ['z'] },
        { opType: 'Relu', name: 'relu', input: ['z'], output: ['y'] },
      ],
      initializers: [weights('W', [2, 1], [2, -1]), weights('b', [1], [0.5])],
    });
    const model = loadOnnx(bytes);
    expect(model.layers.map((l) => l.kind)).toEqual(['Linear', 'ReLU']);
    // [1, 3]: 2 − 3 + 0.5 = −0.5 → 0; [2, 1]: 4 − 1 + 0.5 = 3.5
    expect(model.predict(tensor([[1, 3], [2, 1]])).y!.toArray()).toEqual([[0], [3.5]]);
  });

  it('reads Gemm with transB=0, alpha and beta by scaling the weight and the bias', async () => {
    const bytes = onnxFile({
      inputs: { x: 2 },
      outputs: { y: 2 },
      nodes: [{ opType: 'Gemm', name: 'g', input: ['x', 'W', 'c'], output: ['y'], attribute: [f('alpha', 2), f('beta', 0.5), i('transB', 0)] }],
      initializers: [weights('W', [2, 2], [1, 0, 0, 1]), weights('c', [2], [4, -4])],
    });
    const x = tensor([[1, 2]]);
    // 2·[1, 2] + 0.5·[4, −4] = [4, 2]
    expect(loadOnnx(bytes).predict(x).y!.toArray()).toEqual([[4, 2]]);
    expect(Array.from((await runOrt(bytes, { x })).y!.data)).toEqual([4, 2]);
  });

  it('reads sigmoid outputs of one column as a binary head, and LeakyRelu with ONNX’s default alpha', () => {
    const bytes = onnxFile({
      inputs: { x: 1 },
      outputs: { p: 1 },
      nodes: [
        { opType: 'LeakyRelu', name: 'lr', input: ['x'], output: ['h'] },
        { opType: 'Sigmoid', name: 's', input: ['h'], output: ['p'] },
      ],
    });
    const model = loadOnnx(bytes);
    expect(model.heads).toEqual([{ output: 'p', kind: 'binary' }]);
    // leaky(−100) = −1 (alpha 0.01); sigmoid(−1) = 0.268941…
    expect((model.predict(tensor([[-100]])).p!.toArray() as number[][])[0]![0]).toBeCloseTo(1 / (1 + Math.E), 6);
    expect(model.forward(tensor([[-100]])).p!.toArray()).toEqual([[-1]]);
  });

  it('keeps one Linear for a weight two Gemm nodes share', () => {
    const bytes = onnxFile({
      inputs: { x: 2 },
      outputs: { y: 2 },
      nodes: [
        { opType: 'Gemm', name: 'g1', input: ['x', 'W'], output: ['h'], attribute: [i('transB', 1)] },
        { opType: 'Gemm', name: 'g2', input: ['h', 'W'], output: ['y'], attribute: [i('transB', 1)] },
      ],
      initializers: [weights('W', [2, 2], [1, 1, 0, 1])],
    });
    const model = loadOnnx(bytes);
    expect(model.layers).toHaveLength(1);
    expect(model.parameterCount()).toBe(4);
    // W (PyTorch layout) [[1, 1], [0, 1]] → y = x Wᵀ: [1, 2] → [3, 2] → [5, 2]
    expect(model.predict(tensor([[1, 2]])).y!.toArray()).toEqual([[5, 2]]);
  });

  it('reads weights routed through Transpose or Identity, MatMul without bias, and Flatten', () => {
    const bytes = onnxFile({
      inputs: { x: 2 },
      outputs: { y: 2 },
      nodes: [
        { opType: 'Flatten', name: 'flat', input: ['x'], output: ['xf'], attribute: [i('axis', 1)] },
        { opType: 'Transpose', name: 't', input: ['W'], output: ['Wt'], attribute: [{ name: 'perm', type: 7, ints: [1, 0] }] },
        { opType: 'Identity', name: 'same', input: ['Wt'], output: ['Wt2'] },
        { opType: 'MatMul', name: 'mm', input: ['xf', 'Wt2'], output: ['y'] },
      ],
      initializers: [weights('W', [2, 2], [1, 2, 3, 4])],
    });
    // Wᵀ = [[1, 3], [2, 4]]: [1, 1] → [3, 7]
    expect(loadOnnx(bytes).predict(tensor([[1, 1]])).y!.toArray()).toEqual([[3, 7]]);
  });

  it('works out weights made by Constant, Reshape and Unsqueeze nodes', () => {
    const bytes = onnxFile({
      inputs: { x: 2 },
      outputs: { y: 2 },
      nodes: [
        { opType: 'Constant', name: 'c', output: ['flat'], attribute: [{ name: 'value_floats', type: 6, floats: [1, 0, 0, 2] }] },
        { opType: 'Constant', name: 's', output: ['shape'], attribute: [{ name: 'value_ints', type: 7, ints: [2, -1] }] },
        { opType: 'Reshape', name: 'r', input: ['flat', 'shape'], output: ['W'] },
        { opType: 'MatMul', name: 'mm', input: ['x', 'W'], output: ['h'] },
        { opType: 'Unsqueeze', name: 'u', input: ['slope1', 'axes'], output: ['slope'] },
        { opType: 'PRelu', name: 'p', input: ['h', 'slope'], output: ['y'] },
      ],
      initializers: [weights('slope1', [2], [0.5, 0.25]), { name: 'axes', dims: [1], dataType: DataType.INT64, int64Data: [0] }],
    });
    // W = diag(1, 2): [−2, −2] → [−2, −4] → slopes 0.5, 0.25 → [−1, −1]
    expect(loadOnnx(bytes).predict(tensor([[-2, -2], [3, 1]])).y!.toArray()).toEqual([[-1, -1], [3, 2]]);
  });

  it('fails in one line naming an unsupported op and its node', () => {
    const bytes = onnxFile({
      inputs: { x: 2 },
      outputs: { y: 2 },
      nodes: [{ opType: 'Cos', name: 'my_cos', input: ['x'], output: ['y'] }],
    });
    expect(() => loadOnnx(bytes)).toThrow(/^loadOnnx: Cos node 'my_cos': unsupported op 'Cos'; sloika reads Gemm, Relu, .*$/);
  });

  it('fails on bytes that are not ONNX, on inputs that are not [N, d], and on external weights', () => {
    expect(() => loadOnnx(Uint8Array.of(0xff, 0xff, 0xff))).toThrow(/^loadOnnx: these 3 bytes are not an ONNX model/);
    expect(() => loadOnnx('model.onnx' as unknown as Uint8Array)).toThrow('loadOnnx: expects the bytes of an .onnx file (a Uint8Array or an ArrayBuffer)');
    const ok = onnxFile({ inputs: { x: 2 }, outputs: { y: 2 }, nodes: [{ opType: 'Relu', input: ['x'], output: ['y'] }] });
    expect(ok.buffer.byteLength).toBe(ok.length);
    expect(loadOnnx(ok.buffer as ArrayBuffer).outputNames).toEqual(['y']); // an ArrayBuffer (from fetch) works too
    const image = encodeModel({
      opsetImport: [{ version: 13 }],
      graph: {
        node: [{ opType: 'Relu', input: ['img'], output: ['y'] }],
        input: [{ name: 'img', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }, { dimValue: 28 }, { dimValue: 28 }] } } } }],
        output: [{ name: 'y' }],
      },
    });
    expect(() => loadOnnx(image)).toThrow("loadOnnx: input 'img' has shape [N, 3, 28, 28]; sloika reads inputs of shape [N, features] with a fixed number of features");
    const external = onnxFile({
      inputs: { x: 2 },
      outputs: { y: 2 },
      nodes: [{ opType: 'PRelu', name: 'p', input: ['x', 's'], output: ['y'] }],
      initializers: [{ name: 's', dims: [2], dataType: DataType.FLOAT, dataLocation: 1 }],
    });
    expect(() => loadOnnx(external)).toThrow("loadOnnx: initializer 's' keeps its data in an external file; save the model with its weights inside");
  });

  it('gives a model that fine-tunes with fit: the loss on the imported head goes down', () => {
    const bytes = onnxFile({
      inputs: { x: 2 },
      outputs: { probs: 2 },
      nodes: [
        { opType: 'Gemm', name: 'fc', input: ['x', 'W', 'b'], output: ['logits'], attribute: [i('transB', 1)] },
        { opType: 'Softmax', name: 'sm', input: ['logits'], output: ['probs'], attribute: [i('axis', 1)] },
      ],
      initializers: [weights('W', [2, 2], [0.1, 0, 0, 0.1]), weights('b', [2], [0, 0])],
      opset: 11,
    });
    const model = loadOnnx(bytes);
    expect(model.heads).toEqual([{ output: 'probs', kind: 'multiclass' }]);
    const x = tensor([[1, 0], [0, 1], [2, 0], [0, 2]]);
    const history = fit(model, { x, y: [1, 0, 1, 0] }, { epochs: 30, batchSize: 4, optimizer: { name: 'adam', lr: 0.1 } });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]! / 2);
    expect((model.layers[0]!.layer as Linear).weight.shape).toEqual([2, 2]);
  });

  it('agrees with ONNX Runtime on every supported activation', async () => {
    const nodes = [
      { opType: 'Elu', name: 'elu', input: ['x'], output: ['a'], attribute: [f('alpha', 0.5)] },
      { opType: 'Tanh', name: 'tanh', input: ['x'], output: ['b'] },
      { opType: 'PRelu', name: 'prelu', input: ['x', 'slope'], output: ['c'] },
      { opType: 'Identity', name: 'id', input: ['x'], output: ['d'] },
      { opType: 'Concat', name: 'cat', input: ['a', 'b', 'c', 'd'], output: ['e'], attribute: [i('axis', -1)] },
      { opType: 'LogSoftmax', name: 'ls', input: ['e'], output: ['y'], attribute: [i('axis', -1)] },
    ];
    const bytes = onnxFile({ inputs: { x: 3 }, outputs: { y: 12 }, nodes, initializers: [weights('slope', [3], [0.1, 0.2, 0.3])] });
    const x = tensor([[-1, 0.5, -2], [3, -0.25, 0]]);
    const ort = await runOrt(bytes, { x });
    expect(maxAbsDiff(loadOnnx(bytes).predict(x).y!.data, ort.y!.data)).toBeLessThan(1e-5);
  });
});
