// Training curves as an SVG string: written by Node without a browser or a plotting library.

export interface Series {
  name: string;
  values: readonly number[];
  color: string;
}

const W = 420;
const H = 300;
const PAD = { left: 56, right: 16, top: 36, bottom: 44 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick values (step 1, 2 or 5 × 10ᵏ, at most about 5 of them) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function panel(title: string, series: readonly Series[], dx: number): string {
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  if (all.length === 0) return '';
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-12) {
    lo -= 0.5;
    hi += 0.5;
  }
  const n = Math.max(...series.map((s) => s.values.length));
  const x = (i: number): number => dx + PAD.left + (n <= 1 ? 0 : (i / (n - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number): number => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const out: string[] = [`<text x="${dx + W / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  for (const t of niceTicks(lo, hi)) {
    out.push(`<line x1="${dx + PAD.left}" x2="${dx + W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${dx + PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  for (const t of niceTicks(1, n)) {
    if (!Number.isInteger(t)) continue;
    out.push(`<text x="${x(t - 1).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<text x="${dx + W / 2}" y="${H - 8}" text-anchor="middle">epoch</text>`);
  out.push(`<rect x="${dx + PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#999"/>`);
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean);
    if (pts.length > 0) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"><title>${esc(s.name)}</title></polyline>`);
    const lx = dx + W - PAD.right - 110;
    const ly = PAD.top + 14 + k * 16;
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/><text x="${lx + 24}" y="${ly}">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/**
 * Two panels side by side (loss curves, metric curves) as a standalone SVG document.
 * @example
 * trainingCurvesSvg([{ name: 'train loss', values: [1, 0.5], color: '#1f77b4' }], [], 'accuracy');
 */
export function trainingCurvesSvg(lossSeries: readonly Series[], metricSeries: readonly Series[], metricName: string): string {
  const panels = [panel('loss', lossSeries, 0)];
  if (metricSeries.some((s) => s.values.length > 0)) panels.push(panel(metricName, metricSeries, W));
  const width = W * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${H}" fill="white"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
