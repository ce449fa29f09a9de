import { describe, expect, it } from 'vitest';
import { classList } from '../../cli/commands/train.js';
import { classificationMetrics } from '../../cli/metrics.js';
import { metricsText } from '../../cli/report.js';

// A target with hundreds of classes (say --task multiclass on a price column) must not print
// a line of every label and a 300 × 300 table.
describe('many classes in the report', () => {
  const classes = Array.from({ length: 30 }, (_, k) => `c${String(k).padStart(2, '0')}`);

  it('the task line lists the first ten labels and counts the rest', () => {
    expect(classList(classes)).toBe('c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, … (20 more)');
    expect(classList(['no', 'yes'])).toBe('no, yes');
    expect(classList(classes.slice(0, 12))).toBe(classes.slice(0, 12).join(', '));
  });

  it('the confusion matrix is printed up to 20 classes, and pointed to in --json past that', () => {
    const truth = Int32Array.from(classes.map((_, k) => k));
    const many = metricsText([{ name: 'test', m: classificationMetrics(truth, truth, classes) }]);
    expect(many).toBe('test accuracy   1.0000  (30/30 rows)\n\nconfusion matrix: 30 classes are too many to print; --json gives it (confusionMatrix)');
    const few = metricsText([{ name: 'test', m: classificationMetrics(truth.slice(0, 20), truth.slice(0, 20), classes.slice(0, 20)) }]);
    expect(few.split('\n')).toHaveLength(1 + 2 + 1 + 20); // accuracy, blank, title, header, 20 rows
  });
});
