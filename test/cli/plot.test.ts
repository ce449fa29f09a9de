import { describe, expect, it } from 'vitest';
import { niceTicks, trainingCurvesSvg } from '../../cli/plot.js';

describe('training curves SVG', () => {
  it('round tick values', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 200)).toEqual([50, 100, 150, 200]);
    expect(niceTicks(0.13, 0.47)).toEqual([0.2, 0.3, 0.4]); // step 0.1: the first of 1, 2, 5, 10 × 0.01 above the range / 5
  });

  it('two panels with one polyline per series, names escaped', () => {
    const svg = trainingCurvesSvg(
      [{ name: 'train loss', values: [1, 0.5, 0.25], color: '#111' }, { name: 'test <loss>', values: [1.2, 0.7, 0.6], color: '#222' }],
      [{ name: 'test accuracy', values: [0.5, 0.75, 1], color: '#333' }],
      'accuracy',
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="840" height="300"')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(svg).toContain('test &lt;loss&gt;');
    // train loss: first point at the panel's top-left corner of the plot area (x = 56), last at the right edge (x = 404)
    expect(svg).toMatch(/<polyline fill="none" stroke="#111" stroke-width="2" points="56\.0,[\d.]+ 230\.0,[\d.]+ 404\.0,[\d.]+">/);
    expect(svg.endsWith('</svg>\n')).toBe(true);
  });

  it('no metric values: one panel', () => {
    expect(trainingCurvesSvg([{ name: 'loss', values: [2, 1], color: '#111' }], [], 'r2')).toContain('width="420"');
  });
});
