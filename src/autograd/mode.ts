let gradEnabled = true;

/** Whether ops currently record their history for backward. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Run `fn` without recording history: its results have no gradFn and need no memory for
 * backward. Use it for evaluation, prediction and parameter updates.
 *
 * @example
 * const y = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = before;
  }
}
