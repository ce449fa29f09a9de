import { METRICS, type MetricKey, type Metrics } from './timing.js';

// Markdown tables: medians per engine, then sloika's speed relative to each peer.

export interface EngineResult {
  name: string;
  metrics: Metrics;
  skipped?: string;
}

function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** sloika's speed ÷ the peer's speed: > 1 means sloika is faster (times are inverted). */
export function speedup(key: MetricKey, sloika: number | undefined, peer: number | undefined): number | undefined {
  if (sloika === undefined || peer === undefined || key === 'A1ratio') return undefined;
  const higherIsBetter = METRICS.find(([k]) => k === key)![2];
  return higherIsBetter ? sloika / peer : peer / sloika;
}

export function mediansTable(results: EngineResult[]): string {
  const ran = results.filter((r) => !r.skipped);
  const lines = [`| workload | ${ran.map((r) => r.name).join(' | ')} |`, `|---|${ran.map(() => '---:').join('|')}|`];
  for (const [key, label] of METRICS) {
    if (ran.every((r) => r.metrics[key] === undefined)) continue;
    lines.push(`| ${label} | ${ran.map((r) => fmt(r.metrics[key])).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** sloika's speed over each peer's, per workload; a note instead when `--engines` left sloika out. */
export function ratiosTable(results: EngineResult[]): string {
  const sloika = results.find((r) => r.name === 'sloika');
  if (sloika === undefined) return 'No ratios: the eager `sloika` engine did not run (add it to --engines).';
  const peers = results.filter((r) => !r.skipped && r !== sloika);
  const lines = [`| sloika speed ÷ peer speed | ${peers.map((r) => r.name).join(' | ')} |`, `|---|${peers.map(() => '---:').join('|')}|`];
  for (const [key, label] of METRICS) {
    if (key === 'A1ratio') continue;
    const cells = peers.map((p) => speedup(key, sloika.metrics[key], p.metrics[key]));
    if (cells.every((c) => c === undefined)) continue;
    lines.push(`| ${label} | ${cells.map((c) => (c === undefined ? '—' : `${c.toFixed(2)}×`)).join(' | ')} |`);
  }
  return lines.join('\n');
}
