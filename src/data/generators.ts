import { Random } from '../tensor/random.js';
import type { GenerateOptions, Sample } from './types.js';

// Pure seeded generators of 2-D toy data, after TensorFlow Playground's sets plus the
// multiclass ones. Each takes { n, noise, seed } and returns fresh samples.

interface Resolved {
  n: number;
  noise: number;
  rng: Random;
  classes: number;
}

function resolve(name: string, opts: GenerateOptions): Resolved {
  const n = opts.n ?? 500;
  const noise = opts.noise ?? 0;
  const classes = opts.classes ?? 3;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name}: n must be a positive integer, got ${n}`);
  if (!(noise >= 0 && noise <= 1)) throw new RangeError(`${name}: noise must be in [0, 1] (0.5 is "50"), got ${noise}`);
  if (!Number.isInteger(classes) || classes < 2 || classes > 8) {
    throw new RangeError(`${name}: classes must be an integer from 2 to 8, got ${classes}`);
  }
  return { n, noise, rng: new Random(opts.seed ?? 0), classes };
}

/**
 * Binary: class 1 inside a disc of radius 2.5, class 0 in a ring from 3.5 to 5.
 * @example circle({ n: 4, seed: 1 }).map((s) => s.y); // [1, 1, 0, 0]
 */
export function circle(opts: GenerateOptions = {}): Sample[] {
  const { n, noise, rng } = resolve('circle', opts);
  const radius = 5;
  const out: Sample[] = [];
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const inside = i < half + (n % 2);
    const r = inside ? rng.range(0, radius * 0.5) : rng.range(radius * 0.7, radius);
    const angle = rng.range(0, 2 * Math.PI);
    const x1 = r * Math.sin(angle);
    const x2 = r * Math.cos(angle);
    // Noise moves the point; the label still follows the clean border, as in TF Playground.
    const nx = rng.range(-radius, radius) * noise;
    const ny = rng.range(-radius, radius) * noise;
    const y = Math.hypot(x1 + nx, x2 + ny) < radius * 0.5 ? 1 : 0;
    out.push({ x1, x2, y });
  }
  return out;
}

/**
 * Binary: class 1 where x1·x2 ≥ 0 (first and third quadrants), points kept 0.3 off the axes.
 * @example xor({ n: 2, seed: 1 }).every((s) => s.y === (s.x1 * s.x2 >= 0 ? 1 : 0)); // true
 */
export function xor(opts: GenerateOptions = {}): Sample[] {
  const { n, noise, rng } = resolve('xor', opts);
  const padding = 0.3;
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    let x1 = rng.range(-5, 5);
    x1 += x1 > 0 ? padding : -padding;
    let x2 = rng.range(-5, 5);
    x2 += x2 > 0 ? padding : -padding;
    const nx = rng.range(-5, 5) * noise;
    const ny = rng.range(-5, 5) * noise;
    out.push({ x1, x2, y: (x1 + nx) * (x2 + ny) >= 0 ? 1 : 0 });
  }
  return out;
}

/**
 * Binary: two Gaussian clouds at (2, 2) (class 1) and (−2, −2) (class 0); noise widens them.
 * @example gaussians({ n: 2, seed: 1 }).map((s) => s.y); // [1, 0]
 */
export function gaussians(opts: GenerateOptions = {}): Sample[] {
  const { n, noise, rng } = resolve('gaussians', opts);
  const std = Math.sqrt(0.5 + noise * 7); // variance 0.5 clean … 4 at noise 0.5
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 2 === 0 ? 1 : 0;
    const c = y === 1 ? 2 : -2;
    out.push({ x1: rng.normal(c, std), x2: rng.normal(c, std), y });
  }
  return out;
}

/**
 * Binary: two interleaved spiral arms of 1.75 turns, one per class.
 * @example spiral({ n: 100, seed: 1 }).filter((s) => s.y === 1).length; // 50
 */
export function spiral(opts: GenerateOptions = {}): Sample[] {
  const r = resolve('spiral', opts);
  return spiralArms(r, 2, 1.75);
}

/**
 * Multiclass: K spiral arms (default 3), one per class.
 * @example multiSpiral({ n: 90, classes: 3, seed: 1 }).filter((s) => s.y === 2).length; // 30
 */
export function multiSpiral(opts: GenerateOptions = {}): Sample[] {
  const r = resolve('multiSpiral', opts);
  return spiralArms(r, r.classes, 1.25);
}

function spiralArms({ n, noise, rng }: Resolved, arms: number, turns: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const arm = i % arms;
    const t = Math.floor(i / arms) / Math.ceil(n / arms); // 0..1 along the arm
    const radius = 5 * t + 0.2;
    const angle = turns * t * 2 * Math.PI + (arm * 2 * Math.PI) / arms;
    const x1 = radius * Math.sin(angle) + rng.range(-1, 1) * noise * 2;
    const x2 = radius * Math.cos(angle) + rng.range(-1, 1) * noise * 2;
    out.push({ x1, x2, y: arm });
  }
  return out;
}

/**
 * Multiclass: K Gaussian blobs (default 3) with centres evenly spaced on a circle of radius 3.5.
 * @example blobs({ n: 6, classes: 3, seed: 1 }).map((s) => s.y); // [0, 1, 2, 0, 1, 2]
 */
export function blobs(opts: GenerateOptions = {}): Sample[] {
  const { n, noise, rng, classes } = resolve('blobs', opts);
  const std = 0.8 + noise * 4;
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    const a = (k * 2 * Math.PI) / classes + Math.PI / 2;
    out.push({ x1: rng.normal(3.5 * Math.cos(a), std), x2: rng.normal(3.5 * Math.sin(a), std), y: k });
  }
  return out;
}

/**
 * Binary: class 1 above the bent border x2 = 0.75·|x1| − 1 (a V), class 0 below. Two sigmoid
 * neurons can draw it (the handbook's exercise); one straight line cannot.
 * @example wedge({ n: 300, seed: 1 }).every((s) => s.y === (s.x2 > 0.75 * Math.abs(s.x1) - 1 ? 1 : 0)); // true
 */
export function wedge(opts: GenerateOptions = {}): Sample[] {
  return labelledSquare(resolve('wedge', opts), (x1, x2, nx, ny) => (x2 + ny > 0.75 * Math.abs(x1 + nx) - 1 ? 1 : 0));
}

/**
 * Regression: y = (x1 + x2) / 10 on a uniform square, so y spans [-1, 1]; noise shifts the inputs.
 * @example plane({ n: 1, seed: 3 })[0]!.y; // (x1 + x2) / 10 of the clean point, with noise 0
 */
export function plane(opts: GenerateOptions = {}): Sample[] {
  return labelledSquare(resolve('plane', opts), (x1, x2, nx, ny) => clamp1((x1 + nx + x2 + ny) / 10));
}

/** Bumps of the multi-Gaussian surface: centre and sign, on a 3×3 grid of spacing 4. */
const BUMPS: readonly [number, number, number][] = [
  [-4, 2.5, -1], [0, 2.5, 1], [4, 2.5, -1],
  [-4, -2.5, 1], [0, -2.5, -1], [4, -2.5, 1],
];

/**
 * Regression: a surface of six Gaussian bumps of height ±1 (TF Playground's "multi-Gaussian").
 * @example multiGaussian({ n: 1, seed: 2 })[0]!.y; // a value in [-1, 1]
 */
export function multiGaussian(opts: GenerateOptions = {}): Sample[] {
  return labelledSquare(resolve('multiGaussian', opts), (x1, x2, nx, ny) => multiGaussianAt(x1 + nx, x2 + ny));
}

/** The clean multi-Gaussian surface at (x1, x2). @example multiGaussianAt(0, 2.5); // ≈ 1 */
export function multiGaussianAt(x1: number, x2: number): number {
  let y = 0;
  for (const [cx, cy, sign] of BUMPS) y += sign * Math.exp(-((x1 - cx) ** 2 + (x2 - cy) ** 2) / 2);
  return clamp1(y);
}

/**
 * Points uniform on the square [-5, 5]², each labelled by `labelAt` from the clean point and a
 * noise shift (nx, ny): the stored point stays clean, so noise shows up as labels on the wrong
 * side of the border.
 */
function labelledSquare(
  { n, noise, rng }: Resolved,
  labelAt: (x1: number, x2: number, nx: number, ny: number) => number,
): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = rng.range(-5, 5);
    const x2 = rng.range(-5, 5);
    const nx = rng.range(-5, 5) * noise;
    const ny = rng.range(-5, 5) * noise;
    out.push({ x1, x2, y: labelAt(x1, x2, nx, ny) });
  }
  return out;
}

function clamp1(v: number): number {
  return v < -1 ? -1 : v > 1 ? 1 : v;
}
