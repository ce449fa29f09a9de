// The training layer: fit loop, evaluation, prediction, metrics, schedules. Re-exported from
// the package root.
export { asTrainable, type AsTrainableOptions, type ModuleModel } from './adapter.js';
export type { Dataset, TargetValue } from './data.js';
export { DivergenceError, type DivergenceInfo } from './divergence.js';
export type { EarlyStoppingOptions } from './earlyStopping.js';
export { evaluate, predict, predictAll, type Evaluation, type PredictOptions } from './evaluate.js';
export { fit, fitAsync } from './fit.js';
export type { LossFn, LossName, LossSpec, ObjectiveOptions } from './heads.js';
export { History, type EpochLogs, type HistoryJson, type StopReason } from './history.js';
export { accuracy, binaryAccuracy, confusionMatrix, mae, mse, r2, METRIC_NAMES, type MetricInput, type MetricName } from './metrics.js';
export { makeOptimizer, OPTIMIZER_NAMES, type OptimizerName, type OptimizerSpec } from './optimizers.js';
export type { BatchLogs, Callback, CallbackResult, FitOptions, TrainerView } from './options.js';
export { cosineDecay, exponentialDecay, stepDecay, type LrSchedule } from './schedules.js';
export { Trainer } from './trainer.js';
export { featureNames, predictRows, tabularPreprocessing, type RawCell, type RawRow, type RowPredictions } from './tabular.js';
// The model contract fit works against (the graph Model implements it; so does asTrainable's result).
export type { HeadKind, HeadSpec, TensorMap, TrainableModel } from '../graph/types.js';
