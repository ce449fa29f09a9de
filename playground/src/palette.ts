// One visual language for data, neuron outputs and weights (TensorFlow Playground's good idea):
// orange is negative / class 0, blue is positive / class 1; further classes get their own hue.

export type RGB = [number, number, number];

const ORANGE: RGB = [245, 147, 34];
const WHITE: RGB = [232, 234, 235];
const BLUE: RGB = [8, 119, 189];

/** Class colours: class 0 orange, class 1 blue, then green, purple, red. */
export const CLASS_COLORS: readonly RGB[] = [ORANGE, BLUE, [44, 160, 44], [148, 103, 189], [214, 39, 40]];

export function css([r, g, b]: RGB, alpha = 1): string {
  return alpha === 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;
}

/** v in [-1, 1] (clamped) → orange … white … blue, written into `out` at `o`. */
export function diverging(v: number, out: Uint8ClampedArray, o: number): void {
  const t = v > 1 ? 1 : v < -1 ? -1 : v !== v ? 0 : v;
  const to = t >= 0 ? BLUE : ORANGE;
  const a = t >= 0 ? t : -t;
  out[o] = WHITE[0] + (to[0] - WHITE[0]) * a;
  out[o + 1] = WHITE[1] + (to[1] - WHITE[1]) * a;
  out[o + 2] = WHITE[2] + (to[2] - WHITE[2]) * a;
  out[o + 3] = 255;
}

/** A class colour faded towards white by `strength` in [0, 1]. */
export function classShade(k: number, strength: number, out: Uint8ClampedArray, o: number): void {
  const c = CLASS_COLORS[k % CLASS_COLORS.length]!;
  const a = strength < 0 ? 0 : strength > 1 ? 1 : strength;
  out[o] = WHITE[0] + (c[0] - WHITE[0]) * a;
  out[o + 1] = WHITE[1] + (c[1] - WHITE[1]) * a;
  out[o + 2] = WHITE[2] + (c[2] - WHITE[2]) * a;
  out[o + 3] = 255;
}

/** CSS colour of a signed value (weights, regression targets). */
export function signedColor(v: number): string {
  const px = new Uint8ClampedArray(4);
  diverging(v, px, 0);
  return `rgb(${px[0]},${px[1]},${px[2]})`;
}

/** CSS colour of a data point: its class, or its value for regression. */
export function pointColor(y: number, regression: boolean): string {
  return regression ? signedColor(y) : css(CLASS_COLORS[y % CLASS_COLORS.length]!);
}
