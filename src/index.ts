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
export { sum, mean } from './ops/reduce.js';
export { concat, reshape, transpose } from './ops/shape.js';
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
export { INIT_NAMES, type InitName } from './nn/init.js';

export { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamsArg } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';

// Training: fit/Trainer, evaluate, predict, metrics, schedules (see README "Training").
export * from './train/index.js';
