import type { PreparedData } from '../dataset.js';
import { el, fmt } from '../dom.js';
import { GRID, paintOutput, paintUnit } from '../grid.js';
import { diverging, pointColor } from '../palette.js';
import type { EpochRecord } from '../session.js';
import { RANGE, type Tensor } from '../sloika.js';
import type { PlaygroundState } from '../state.js';
import { drawLossChart } from './lossChart.js';

// The right-hand column: losses and metric, the live chart, and the large decision heatmap
// with the data drawn on top. Clicking the heatmap reports plane coordinates (to add points).

const SIZE = 320;

export class OutputView {
  readonly root: HTMLElement;
  private readonly stats = el('div', { class: 'stats', id: 'stats', 'aria-live': 'polite' });
  private readonly chart = el('canvas', { width: 300, height: 60, class: 'chart', id: 'loss-chart' });
  private readonly heat = el('canvas', { width: SIZE, height: SIZE, class: 'heatmap', id: 'heatmap', tabindex: 0 });
  private readonly valueHeat = el('canvas', { width: 120, height: 120, class: 'value-heatmap' });
  private readonly valueBox = el('div', { class: 'value-box' }, el('span', {}, 'value head (distance from centre)'), this.valueHeat);
  private readonly small = document.createElement('canvas');

  constructor(onPlaneClick: (x1: number, x2: number) => void) {
    this.small.width = GRID;
    this.small.height = GRID;
    this.heat.addEventListener('click', (e) => {
      const r = this.heat.getBoundingClientRect();
      const x1 = ((e.clientX - r.left) / r.width) * 2 * RANGE - RANGE;
      const x2 = RANGE - ((e.clientY - r.top) / r.height) * 2 * RANGE;
      onPlaneClick(x1, x2);
    });
    this.root = el('section', { class: 'column output', 'aria-label': 'output' },
      el('h2', {}, 'Output'), this.stats, this.chart, this.heat, this.valueBox);
  }

  /** Redraw numbers, chart and heatmaps. */
  render(state: PlaygroundState, data: PreparedData, grid: Map<string, Tensor>, history: readonly EpochRecord[], hover: { t: Tensor; col: number } | null = null): void {
    const last = history[history.length - 1];
    if (last) {
      const metricName = state.problem === 'regression' ? 'R²' : 'accuracy';
      const m = (v: number) => (state.problem === 'regression' ? fmt(v) : `${(v * 100).toFixed(1)} %`);
      this.stats.innerHTML =
        `<div>Test loss <b id="test-loss">${fmt(last.testLoss)}</b> · ${metricName} <b id="test-metric">${m(last.testMetric)}</b></div>` +
        `<div>Training loss <b id="train-loss">${fmt(last.trainLoss)}</b> · ${metricName} <b>${m(last.trainMetric)}</b></div>`;
    }
    drawLossChart(this.chart, history);

    const sctx = this.small.getContext('2d')!;
    const img = sctx.createImageData(GRID, GRID);
    // Hovering a neuron shows its output large, in place of the network's.
    if (hover) paintUnit(hover.t, hover.col, img);
    else paintOutput(grid.get('out')!, state.problem, state.discretize, img);
    sctx.putImageData(img, 0, 0);
    const ctx = this.heat.getContext('2d')!;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.small, 0, 0, SIZE, SIZE);
    const regression = state.problem === 'regression';
    drawPoints(ctx, data.train.samples, regression, '#fff');
    if (state.showTest) drawPoints(ctx, data.test.samples, regression, '#000');

    const value = grid.get('value');
    this.valueBox.hidden = !value;
    if (value) {
      const vimg = sctx.createImageData(GRID, GRID);
      // The value head predicts roughly [0, 1]; stretch it to the orange–blue scale.
      for (let p = 0; p < GRID * GRID; p++) diverging(value.data[p]! * 2 - 1, vimg.data, p * 4);
      sctx.putImageData(vimg, 0, 0);
      this.valueHeat.getContext('2d')!.drawImage(this.small, 0, 0, 120, 120);
    }
  }
}

function drawPoints(ctx: CanvasRenderingContext2D, pts: readonly { x1: number; x2: number; y: number }[], regression: boolean, stroke: string): void {
  const s = SIZE / (2 * RANGE);
  ctx.lineWidth = 1;
  ctx.strokeStyle = stroke;
  for (const p of pts) {
    ctx.beginPath();
    ctx.arc((p.x1 + RANGE) * s, (RANGE - p.x2) * s, 3, 0, 2 * Math.PI);
    ctx.fillStyle = pointColor(p.y, regression);
    ctx.fill();
    ctx.stroke();
  }
}
