import { describe, expect, it } from 'vitest';
import {
  DATASETS, blobs, circle, gaussians, generateDataset, multiGaussianAt, multiSpiral, plane, spiral, wedge, xor,
} from '../../src/data/index.js';

describe('data set generators', () => {
  it('give the same samples for the same seed and different ones for another seed', () => {
    for (const d of DATASETS) {
      const a = d.generate({ n: 50, noise: 0.2, seed: 11 });
      const b = d.generate({ n: 50, noise: 0.2, seed: 11 });
      const c = d.generate({ n: 50, noise: 0.2, seed: 12 });
      expect(a, d.name).toEqual(b);
      expect(a, d.name).not.toEqual(c);
      expect(a.length).toBe(50);
    }
  });

  it('pin their values: links made today reproduce the same points tomorrow', () => {
    const [a, b] = circle({ n: 2, seed: 1 });
    expect(a!.x1).toBeCloseTo(-0.9918758954181893, 14);
    expect(a!.x2).toBeCloseTo(-0.38541388360322776, 14);
    expect(a!.y).toBe(1);
    expect(b!.x1).toBeCloseTo(1.6733158983582426, 14);
    expect(b!.y).toBe(0);
    const [p] = plane({ n: 1, seed: 1, noise: 0.1 });
    expect(p!.y).toBeCloseTo(0.18833484273327006, 14);
  });

  it('keep every point inside the drawing square when clean', () => {
    for (const d of DATASETS) {
      for (const s of d.generate({ n: 300, seed: 3 })) {
        expect(Math.abs(s.x1), d.name).toBeLessThan(6);
        expect(Math.abs(s.x2), d.name).toBeLessThan(6);
      }
    }
  });

  it('circle: class 1 inside radius 2.5, class 0 from 3.5 to 5, half each', () => {
    const pts = circle({ n: 200, seed: 5 });
    expect(pts.filter((s) => s.y === 1).length).toBe(100);
    for (const s of pts) {
      const r = Math.hypot(s.x1, s.x2);
      if (s.y === 1) expect(r).toBeLessThan(2.5);
      else expect(r).toBeGreaterThanOrEqual(3.5 - 1e-9);
    }
  });

  it('xor: label is the sign of x1·x2 and points stay 0.3 off the axes', () => {
    for (const s of xor({ n: 200, seed: 2 })) {
      expect(s.y).toBe(s.x1 * s.x2 >= 0 ? 1 : 0);
      expect(Math.abs(s.x1)).toBeGreaterThanOrEqual(0.3);
      expect(Math.abs(s.x2)).toBeGreaterThanOrEqual(0.3);
    }
  });

  it('gaussians: alternating classes centred near (2, 2) and (-2, -2)', () => {
    const pts = gaussians({ n: 2000, seed: 4 });
    expect(pts.slice(0, 4).map((s) => s.y)).toEqual([1, 0, 1, 0]);
    const mean = (k: number) => {
      const c = pts.filter((s) => s.y === k);
      return [c.reduce((a, s) => a + s.x1, 0) / c.length, c.reduce((a, s) => a + s.x2, 0) / c.length];
    };
    const [a1, a2] = mean(1);
    const [b1, b2] = mean(0);
    expect(a1).toBeCloseTo(2, 0);
    expect(a2).toBeCloseTo(2, 0);
    expect(b1).toBeCloseTo(-2, 0);
    expect(b2).toBeCloseTo(-2, 0);
  });

  it('spiral: the clean first point of each arm sits at radius 0.2, opposite each other', () => {
    const [a, b] = spiral({ n: 100, seed: 1 });
    expect(a).toEqual({ x1: 0, x2: 0.2, y: 0 });
    expect(b!.x1).toBeCloseTo(0, 12);
    expect(b!.x2).toBeCloseTo(-0.2, 12);
    expect(b!.y).toBe(1);
  });

  it('multiclass sets give K balanced classes', () => {
    for (const classes of [3, 4, 5]) {
      for (const gen of [blobs, multiSpiral]) {
        const pts = gen({ n: classes * 20, classes, seed: 9 });
        for (let k = 0; k < classes; k++) expect(pts.filter((s) => s.y === k).length).toBe(20);
      }
    }
  });

  it('blobs: class 0 is centred straight up at (0, 3.5)', () => {
    const c0 = blobs({ n: 3000, classes: 3, seed: 1 }).filter((s) => s.y === 0);
    expect(c0.reduce((a, s) => a + s.x1, 0) / c0.length).toBeCloseTo(0, 0);
    expect(c0.reduce((a, s) => a + s.x2, 0) / c0.length).toBeCloseTo(3.5, 0);
  });

  it('wedge: class 1 above the V-shaped border x2 = 0.75·|x1| − 1', () => {
    const pts = wedge({ n: 300, seed: 1 });
    for (const s of pts) expect(s.y).toBe(s.x2 > 0.75 * Math.abs(s.x1) - 1 ? 1 : 0);
    expect(pts.some((s) => s.y === 0) && pts.some((s) => s.y === 1)).toBe(true);
  });

  it('plane: clean targets are (x1 + x2) / 10', () => {
    for (const s of plane({ n: 50, seed: 8 })) expect(s.y).toBeCloseTo((s.x1 + s.x2) / 10, 12);
  });

  it('multi-gaussian: bumps of +1 at (0, 2.5) and −1 at (0, −2.5)', () => {
    expect(multiGaussianAt(0, 2.5)).toBeCloseTo(1, 1);
    expect(multiGaussianAt(0, -2.5)).toBeCloseTo(-1, 1);
    expect(multiGaussianAt(0, 0)).toBeCloseTo(0, 6); // the +1 and −1 bumps cancel
  });

  it('name errors list the data sets that exist', () => {
    expect(() => generateDataset('moons')).toThrow(/unknown data set 'moons'; choose one of circle, xor/);
    expect(() => circle({ noise: 2 })).toThrow(/noise must be in \[0, 1\]/);
    expect(() => blobs({ classes: 1 })).toThrow(/classes must be an integer from 2 to 8/);
  });
});
