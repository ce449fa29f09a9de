// Learning-rate schedules: pure functions of the epoch index (0 for the first epoch) and the
// learning rate the optimizer started with. fit applies the result to every parameter group
// (each group scaled from its own starting rate) before each epoch.

/** lr for epoch `epoch` (0-based) given the initial lr. */
export type LrSchedule = (epoch: number, initialLr: number) => number;

/**
 * Multiply the rate by `gamma` every `stepSize` epochs (PyTorch's StepLR).
 * @example stepDecay({ stepSize: 2, gamma: 0.5 }) // lr 1 → 1, 1, 0.5, 0.5, 0.25, …
 */
export function stepDecay(opts: { stepSize: number; gamma?: number }): LrSchedule {
  const { stepSize, gamma = 0.1 } = opts;
  if (!(Number.isInteger(stepSize) && stepSize > 0)) throw new RangeError(`stepDecay: stepSize must be a positive integer, got ${stepSize}`);
  if (!(gamma > 0)) throw new RangeError(`stepDecay: gamma must be > 0, got ${gamma}`);
  return (epoch, lr0) => lr0 * gamma ** Math.floor(epoch / stepSize);
}

/**
 * Multiply the rate by `gamma` every epoch (PyTorch's ExponentialLR).
 * @example exponentialDecay({ gamma: 0.9 }) // lr 1 → 1, 0.9, 0.81, …
 */
export function exponentialDecay(opts: { gamma: number }): LrSchedule {
  if (!(opts.gamma > 0)) throw new RangeError(`exponentialDecay: gamma must be > 0, got ${opts.gamma}`);
  return (epoch, lr0) => lr0 * opts.gamma ** epoch;
}

/**
 * Cosine annealing from the initial rate down to `minLr` over `epochs` epochs (PyTorch's
 * CosineAnnealingLR closed form), then held at `minLr`.
 * @example cosineDecay({ epochs: 4 }) // lr 1 → 1, 0.8536, 0.5, 0.1464, 0
 */
export function cosineDecay(opts: { epochs: number; minLr?: number }): LrSchedule {
  const { epochs, minLr = 0 } = opts;
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new RangeError(`cosineDecay: epochs must be a positive integer, got ${epochs}`);
  return (epoch, lr0) => minLr + ((lr0 - minLr) * (1 + Math.cos((Math.PI * Math.min(epoch, epochs)) / epochs))) / 2;
}
