import { median, METRICS, type MetricKey, type Metrics } from './timing.js';

// Markdown tables: medians per engine, then sloika's speed relative to each peer.

export interface EngineResult {
  name: string;
  metrics: Metrics;
  /** Each metric's value in each interleaved round (bench/interleave.ts), in round order. */
  rounds?: Partial<Record<MetricKey, number[]>>;
  skipped?: string;
}

export const RATIOS_NOTE =
  'Ratios: the median over the interleaved rounds of sloika ÷ peer in the same round (the ratio of the medians where a peer ran fewer rounds).';

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

/**
 * sloika's speed over the peer's for one metric: the median of the per-round ratios when both ran
 * the same rounds (calls made moments apart meet the same machine load), else of the medians.
 */
export function ratio(key: MetricKey, sloika: EngineResult, peer: EngineResult): number | undefined {
  const a = sloika.rounds?.[key];
  const b = peer.rounds?.[key];
  if (a === undefined || b === undefined || a.length !== b.length || a.length === 0) return speedup(key, sloika.metrics[key], peer.metrics[key]);
  return median(a.map((v, i) => speedup(key, v, b[i]!)!));
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
    const cells = peers.map((p) => ratio(key, sloika, p));
    if (cells.every((c) => c === undefined)) continue;
    lines.push(`| ${label} | ${cells.map((c) => (c === undefined ? '—' : `${c.toFixed(2)}×`)).join(' | ')} |`);
  }
  return lines.join('\n');
}
