import { describe, expect, it } from 'vitest';
import { classificationMetrics, regressionMetrics } from '../../cli/metrics.js';
import { confusionTable, metricsJson } from '../../cli/report.js';

describe('report metrics', () => {
  it('accuracy and confusion matrix (rows: true, columns: predicted)', () => {
    const m = classificationMetrics([0, 1, 1, 2], [0, 1, 2, 2], ['a', 'b', 'c']);
    expect(m.accuracy).toBe(0.75);
    expect(m.confusionMatrix).toEqual([[1, 0, 0], [0, 1, 1], [0, 0, 1]]);
    expect(confusionTable(m.confusionMatrix, m.classes)).toBe(
      ['true\\pred      a    b    c', 'a              1    0    0', 'b              0    1    1', 'c              0    0    1'].join('\n'),
    );
    expect(metricsJson(m)).toEqual({ accuracy: 0.75, classes: ['a', 'b', 'c'], confusionMatrix: m.confusionMatrix, rows: 4 });
  });

  it('RMSE, MAE and R² worked by hand: truth 3, 5, 7 and predictions 4, 5, 5', () => {
    const m = regressionMetrics([3, 5, 7], [4, 5, 5], ['y']);
    // errors −1, 0, 2: MSE 5/3, MAE 1; SS_tot = 8, so R² = 1 − 5/8
    expect(m.perTarget.y).toEqual({ rmse: Math.sqrt(5 / 3), mae: 1, r2: 0.375 });
    expect(metricsJson(m)).toEqual({ r2: 0.375, rmse: Math.sqrt(5 / 3), mae: 1, rows: 3 }); // one target: no perTarget
  });

  it('several targets: averaged, with perTarget; a constant target has no R²', () => {
    const m = regressionMetrics([3, 1, 5, 1, 7, 1], [4, 1, 5, 2, 5, 1], ['y', 'k']);
    expect(m.perTarget.k).toEqual({ rmse: Math.sqrt(1 / 3), mae: 1 / 3, r2: null });
    expect(m.r2).toBe(0.375);
    expect(m.mae).toBeCloseTo((1 + 1 / 3) / 2, 12);
    expect(Object.keys(metricsJson(m))).toEqual(['r2', 'rmse', 'mae', 'rows', 'perTarget']);
  });
});
