// The page's whole state: one typed object. The URL (url.ts) serialises it both ways; views
// read it and call `update` to change it. Nothing here touches the DOM or the library.

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear', 'leakyRelu', 'prelu', 'elu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const FEATURES = ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1x2', 'sinX1', 'sinX2'] as const;
export type FeatureName = (typeof FEATURES)[number];

export const PROBLEMS = ['binary', 'multiclass', 'regression'] as const;
export type Problem = (typeof PROBLEMS)[number];

/** network: a chain of hidden layers; graph: two branches, concatenated, then a head; approx: 1-D curve fitting. */
export const MODES = ['network', 'graph', 'approx'] as const;
export type Mode = (typeof MODES)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const REGULARIZATIONS = ['none', 'l1', 'l2'] as const;
export type Regularization = (typeof REGULARIZATIONS)[number];

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const CURVES = ['sine', 'step', 'bump', 'abs', 'custom'] as const;
export type CurveName = (typeof CURVES)[number];

/** Controls a classroom link may hide (ids of the control groups in the page). */
export const HIDEABLE = [
  'dataset', 'noise', 'ratio', 'batch', 'regenerate', 'features', 'layers', 'activation', 'learningRate',
  'regularization', 'problem', 'optimizer', 'mode', 'export', 'userData',
] as const;
export type Hideable = (typeof HIDEABLE)[number];

export const MAX_LAYERS = 6;
export const MAX_UNITS = 8;

export interface LayerSpec {
  units: number;
  activation: Activation;
  /** This layer's LeakyReLU slope or ELU scale (default: the state's `alpha`). */
  alpha?: number;
}

/** A point the user added by clicking or uploading; y as in src/data's Sample. */
export interface UserPoint {
  x1: number;
  x2: number;
  y: number;
}

export interface PlaygroundState {
  mode: Mode;
  problem: Problem;
  /** A built-in data set name, or 'custom' for the user's own points. */
  dataset: string;
  /** Classes of the multiclass sets (3–5). */
  classes: number;
  /** 0–50, as TensorFlow Playground shows it. */
  noise: number;
  /** Percentage of points used for training (10–90). */
  trainPercent: number;
  seed: number;
  features: FeatureName[];
  /** Hidden layers of the network mode (0–6 layers, 1–8 units each), each with its activation. */
  layers: LayerSpec[];
  /** Negative slope of LeakyReLU and scale of ELU, for layers without an alpha of their own. */
  alpha: number;
  learningRate: number;
  optimizer: OptimizerName;
  regularization: Regularization;
  regularizationRate: number;
  batchSize: number;
  showTest: boolean;
  discretize: boolean;
  /** Draw the links by gradient size instead of weight. */
  showGradients: boolean;
  /** Graph mode: the two parallel branches. */
  branches: [LayerSpec, LayerSpec];
  /** Add a regression head (distance from the centre) trained beside the classifier. */
  multiTask: boolean;
  /** Weight of the regression head's loss in the multi-task total (0–1; the classifier gets 1 − w). */
  taskWeight: number;
  /** Universal approximation: sigmoid neurons and the curve to fit. */
  approxUnits: number;
  curve: CurveName;
  /** The user's drawn curve: values at evenly spaced x in [-1, 1]. */
  curvePoints: number[];
  /** The user's own 2-D points (dataset 'custom'). */
  points: UserPoint[];
  /** Classroom mode: control groups this link hides. */
  hide: Hideable[];
  /** A caption shown above the page (the handbook preset sets one). */
  caption: string;
}

export function defaultState(): PlaygroundState {
  return {
    mode: 'network',
    problem: 'binary',
    dataset: 'circle',
    classes: 3,
    noise: 0,
    trainPercent: 50,
    seed: 1,
    features: ['x1', 'x2'],
    layers: [
      { units: 4, activation: 'tanh' },
      { units: 2, activation: 'tanh' },
    ],
    alpha: 0.01,
    learningRate: 0.03,
    optimizer: 'sgd',
    regularization: 'none',
    regularizationRate: 0,
    batchSize: 10,
    showTest: false,
    discretize: false,
    showGradients: false,
    branches: [
      { units: 4, activation: 'relu' },
      { units: 4, activation: 'tanh' },
    ],
    multiTask: false,
    taskWeight: 0.5,
    approxUnits: 6,
    curve: 'sine',
    curvePoints: [],
    points: [],
    hide: [],
    caption: '',
  };
}

/** Number of points a built-in data set gets (TensorFlow Playground's 500). */
export const NUM_POINTS = 500;

/** Classes the network must output for the current state (1 for binary and regression). */
export function outputUnits(s: PlaygroundState): number {
  return s.problem === 'multiclass' ? s.classes : 1;
}

/**
 * The handbook's exercise: one hidden layer of two sigmoid neurons on data whose border is not
 * a straight line.
 */
export function handbookPreset(): PlaygroundState {
  return {
    ...defaultState(),
    dataset: 'wedge',
    noise: 0,
    features: ['x1', 'x2'],
    layers: [{ units: 2, activation: 'sigmoid' }],
    learningRate: 0.3,
    caption:
      'Handbook exercise: one hidden layer of two sigmoid neurons. Each neuron draws one soft straight ' +
      'line; watch the output combine the two into a bent border between the classes.',
  };
}
