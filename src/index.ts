// sloika: fully-connected networks as differentiable computational graphs.
// The package root exports the eager core; see DESIGN.md for the layers of the cake.

export { Tensor, tensor, zeros, ones, full, type NestedArray, type TensorOptions, type GradNode } from './tensor/tensor.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { formatShape, type Shape } from './tensor/shape.js';
export { Random, manualSeed } from './tensor/random.js';

export { backward, topologicalOrder } from './autograd/engine.js';
export { noGrad, isGradEnabled } from './autograd/mode.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';

export { add, sub, mul, div } from './ops/arithmetic.js';
export { neg, exp, log, square, sqrt, abs } from './ops/unary.js';
export { matmul, linear } from './ops/matmul.js';
export { linearActivation, type FusedActivation } from './ops/linear.js';
export { sum, mean } from './ops/reduce.js';
export { reshape, transpose } from './ops/shape.js';
export { relu, leakyRelu, prelu, elu, sigmoid, tanh, identity } from './ops/activations.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { dropout } from './ops/dropout.js';

export { bceLoss, bceWithLogitsLoss } from './losses/bce.js';
export { crossEntropyLoss, type ClassTarget } from './losses/crossEntropy.js';
export { mseLoss, maeLoss } from './losses/mse.js';
export { weightedSum } from './losses/weighted.js';

export { Module } from './nn/module.js';
export { Linear, type LinearOptions } from './nn/linear.js';
export { PReLU, type PReLUOptions } from './nn/prelu.js';
export { ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Softmax, LogSoftmax, Identity } from './nn/activations.js';
export { Dropout } from './nn/dropout.js';
export { Sequential } from './nn/sequential.js';
export { fusedActivation } from './nn/fusion.js';
export { INIT_NAMES, type InitName } from './nn/init.js';
export { registerLayer, createLayer, layerKind, layerKinds, LayerConfigError, type LayerConfig, type LayerType } from './nn/registry.js';
export type { LayerApplicable } from './nn/symbolic.js';

// Graph models: symbols [N, d], Model, heads, summary, drawing (see README "Graph models").
// concat joins tensors eagerly or graph symbols into a node.
export { concat } from './graph/concat.js';
export { input, SymbolicTensor, GraphNode, type NodeOp } from './graph/symbolic.js';
export { Model, type ModelOptions, type ModelNode, type ModelLayer, type ModelEdge } from './graph/model.js';
export { binaryHead, multiclassHead, regressionHead, headActivation, headLoss, headLosses, totalLoss, type Head, type HeadOptions, type HeadTarget } from './graph/heads.js';
export { sequentialModel, activationLayer, ACTIVATION_NAMES, type ActivationName, type SequentialModelOptions, type SequentialHead } from './graph/sequentialModel.js';
export { valueStats, type GraphTrace, type ValueStats, type EdgeTrace } from './graph/trace.js';
export { toSvg, type SvgOptions } from './graph/render/svg.js';
export { toMermaid, toDot } from './graph/render/text.js';
export { layoutModel, type Layout, type LayoutBox, type LayoutEdge } from './graph/render/layout.js';

// Saving and loading without code (see README "Saving and loading"); files: 'sloika/node'.
export { serialize } from './io/serialize.js';
export { deserialize } from './io/deserialize.js';
export { toBytes, fromBytes } from './io/bytes.js';
export { validateModelJson } from './io/validate.js';
export { FORMAT_NAME, FORMAT_VERSION, ModelFormatError, type ModelJson, type SerializedModel, type LayerJson, type NodeJson, type WeightEntry } from './io/format.js';
// ONNX: toOnnx(model) / model.toOnnx() and loadOnnx(bytes) (README "Running sloika models elsewhere").
export { toOnnx, loadOnnx, ONNX_OPSET, EXPORTABLE_KINDS, ONNX_IMPORT_OPS, type ToOnnxOptions } from './io/onnx/index.js';

// Threads for large float32 products: Node starts them by itself (index.node.ts); pages opt in.
export { getThreads, setThreads } from './kernels/wasm/helperPool.js';
export { enableBrowserThreads } from './kernels/wasm/threads.browser.js';

export { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamsArg } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';

// Training: fit/Trainer, evaluate, predict, metrics, schedules (see README "Training").
export * from './train/index.js';
// A Sequential MLP's training step compiled to reused buffers: no allocation per step.
export { compileStep, CompiledStep, type CompileStepOptions, type StepInput } from './train/compiledStep.js';
export type { StepLossName, StepLossSpec, StepTarget } from './train/stepLoss.js';
