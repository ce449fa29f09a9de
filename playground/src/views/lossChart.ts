import type { EpochRecord } from '../session.js';

// The live loss chart: train loss (dark) and test loss (grey) against epochs, y from 0 to the
// largest loss seen.

export function drawLossChart(canvas: HTMLCanvasElement, history: readonly EpochRecord[]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  if (history.length < 2) return;
  let max = 0;
  for (const r of history) {
    if (Number.isFinite(r.trainLoss)) max = Math.max(max, r.trainLoss);
    if (Number.isFinite(r.testLoss)) max = Math.max(max, r.testLoss);
  }
  if (max === 0) max = 1;
  const line = (pick: (r: EpochRecord) => number, color: string) => {
    ctx.beginPath();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    let started = false;
    // Long histories are drawn with at most one point per pixel column.
    const stride = Math.max(1, Math.floor(history.length / w));
    for (let i = 0; i < history.length; i += stride) {
      const v = pick(history[i]!);
      if (!Number.isFinite(v)) continue;
      const x = (i / (history.length - 1)) * (w - 2) + 1;
      const y = h - 2 - (v / max) * (h - 4);
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    }
    ctx.stroke();
  };
  line((r) => r.testLoss, '#999');
  line((r) => r.trainLoss, '#222');
}
