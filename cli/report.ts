// The human report and the --json object for train and eval.

import type { Metrics, RegressionMetrics } from './metrics.js';

/** Past this many classes the confusion matrix is too wide for a terminal; --json still has it. */
const MAX_PRINTED_CLASSES = 20;

function num(v: number | null, digits = 4): string {
  return v === null ? 'n/a' : v.toFixed(digits);
}

function pad(s: string, w: number, right = false): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

/**
 * A confusion matrix as aligned text, rows = true class, columns = predicted class.
 * @example confusionTable([[2, 0], [1, 3]], ['no', 'yes']);
 */
export function confusionTable(matrix: number[][], classes: string[]): string {
  const corner = 'true\\pred';
  const labelW = Math.max(corner.length, ...classes.map((c) => c.length)) + 2;
  const cellW = Math.max(5, ...classes.map((c) => c.length + 1), ...matrix.flat().map((v) => String(v).length + 1));
  const head = pad(corner, labelW) + classes.map((c) => pad(c, cellW, true)).join('');
  const rows = matrix.map((r, i) => pad(classes[i]!, labelW) + r.map((v) => pad(String(v), cellW, true)).join(''));
  return [head, ...rows].join('\n');
}

function regressionTable(parts: { name: string; m: RegressionMetrics }[]): string {
  const columns = Object.keys(parts[0]!.m.perTarget);
  const nameW = Math.max(8, ...columns.map((c) => c.length)) + 2;
  const lines = [pad('target', nameW) + parts.map((p) => ['RMSE', 'MAE', 'R²'].map((h) => pad(`${p.name} ${h}`, 14, true)).join('')).join('')];
  for (const c of columns) {
    lines.push(pad(c, nameW) + parts.map((p) => {
      const t = p.m.perTarget[c]!;
      return [num(t.rmse), num(t.mae), num(t.r2)].map((v) => pad(v, 14, true)).join('');
    }).join(''));
  }
  if (columns.length > 1) {
    lines.push(pad('average', nameW) + parts.map((p) => [num(p.m.rmse), num(p.m.mae), num(p.m.r2)].map((v) => pad(v, 14, true)).join('')).join(''));
  }
  return lines.join('\n');
}

/**
 * Metrics of one or more row sets (train, test, or the eval file) as text.
 * @example metricsText([{ name: 'test', m: metrics }]);
 */
export function metricsText(parts: { name: string; m: Metrics }[]): string {
  const first = parts[0]!.m;
  if ('accuracy' in first) {
    const lines = parts.map((p) => {
      const m = p.m as typeof first;
      const right = m.confusionMatrix.reduce((s, r, i) => s + r[i]!, 0);
      return `${pad(`${p.name} accuracy`, 16)}${num(m.accuracy)}  (${right}/${m.rows} rows)`;
    });
    const last = parts[parts.length - 1]!;
    const cm = last.m as typeof first;
    if (cm.classes.length > MAX_PRINTED_CLASSES) {
      lines.push('', `confusion matrix: ${cm.classes.length} classes are too many to print; --json gives it (confusionMatrix)`);
    } else {
      lines.push('', `confusion matrix, ${last.name} rows (rows: true class, columns: predicted):`, confusionTable(cm.confusionMatrix, cm.classes));
    }
    return lines.join('\n');
  }
  return regressionTable(parts.map((p) => ({ name: p.name, m: p.m as RegressionMetrics })));
}

/** The top-level JSON keys scripts read: accuracy, or r2/rmse/mae (+ perTarget when several). */
export function metricsJson(m: Metrics): Record<string, unknown> {
  if ('accuracy' in m) return { accuracy: m.accuracy, classes: m.classes, confusionMatrix: m.confusionMatrix, rows: m.rows };
  const out: Record<string, unknown> = { r2: m.r2, rmse: m.rmse, mae: m.mae, rows: m.rows };
  if (Object.keys(m.perTarget).length > 1) out.perTarget = m.perTarget;
  return out;
}
