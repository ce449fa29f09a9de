// Toy 2-D data sets (seeded, pure) and the helpers to split them; see README "Playground".
export { RANGE, type DataKind, type GenerateOptions, type Sample } from './types.js';
export { blobs, circle, gaussians, multiGaussian, multiGaussianAt, multiSpiral, plane, spiral, wedge, xor } from './generators.js';
export { DATASETS, datasetInfo, generateDataset, type DatasetInfo, type DatasetName } from './registry.js';
export { trainTestSplit, toRows, type Split } from './split.js';
