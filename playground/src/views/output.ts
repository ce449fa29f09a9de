import type { PreparedData } from '../dataset.js';
import { el, fmt } from '../dom.js';
import { FINE_GRID, GRID, paintOutput, paintUnit } from '../grid.js';
import { diverging, pointColor } from '../palette.js';
import type { EpochRecord } from '../session.js';
import { RANGE, type Tensor } from '../sloika.js';
import type { PlaygroundState } from '../state.js';
import { drawLossChart } from './lossChart.js';

// The right-hand column: losses and metric, the live chart, and the large decision heatmap
// with the data drawn on top. Clicking the heatmap reports plane coordinates (to add points).
// Cheap per frame: the heatmap canvas has the grid's resolution (CSS scales it up), the points
// sit on their own canvas redrawn only when the data changes, and text changes only when it must.

const SIZE = 320;

export class OutputView {
  readonly root: HTMLElement;
  private readonly testLoss = el('b', { id: 'test-loss' });
  private readonly trainLoss = el('b', { id: 'train-loss' });
  private readonly testMetric = el('b', { id: 'test-metric' });
  private readonly trainMetric = el('b', { id: 'train-metric' });
  private readonly metricNames = [el('span', {}), el('span', {})];
  private readonly chart = el('canvas', { width: 300, height: 60, class: 'chart', id: 'loss-chart' });
  /** Drawn smoothly at 4× the grid (a CSS-scaled grid canvas would look blocky). */
  private readonly heat = el('canvas', { width: FINE_GRID * 2, height: FINE_GRID * 2, class: 'heatmap', id: 'heatmap' });
  /** The grid-sized image, drawn scaled into `heat` (coarse or fine grid). */
  private readonly small = el('canvas', { width: GRID, height: GRID });
  private readonly points = el('canvas', { width: SIZE, height: SIZE, class: 'points', id: 'points', role: 'img', 'aria-label': 'decision heatmap: click to add a point' });
  private readonly valueHeat = el('canvas', { width: GRID, height: GRID, class: 'value-heatmap' });
  private readonly valueBox = el('div', { class: 'value-box' }, el('span', {}, 'value head (distance from centre)'), this.valueHeat);
  private pointsKey: unknown[] = [];
  private chartLength = -1;
  private chartHistory: readonly EpochRecord[] | null = null;

  constructor(onPlaneClick: (x1: number, x2: number) => void) {
    this.points.addEventListener('click', (e) => {
      const r = this.points.getBoundingClientRect();
      const x1 = ((e.clientX - r.left) / r.width) * 2 * RANGE - RANGE;
      const x2 = RANGE - ((e.clientY - r.top) / r.height) * 2 * RANGE;
      onPlaneClick(x1, x2);
    });
    this.root = el('section', { class: 'column output', 'aria-label': 'output' },
      el('h2', {}, 'Output'),
      el('div', { class: 'stats', id: 'stats' },
        el('div', {}, 'Test loss ', this.testLoss, ' · ', this.metricNames[0]!, ' ', this.testMetric),
        el('div', {}, 'Training loss ', this.trainLoss, ' · ', this.metricNames[1]!, ' ', this.trainMetric)),
      this.chart,
      el('div', { class: 'plane' }, this.heat, this.points),
      this.valueBox);
  }

  /** Redraw what changed: numbers, chart, heatmaps; points only when the data or options change. */
  render(state: PlaygroundState, data: PreparedData, grid: Map<string, Tensor>, history: readonly EpochRecord[], hover: { t: Tensor; col: number } | null = null, fine: Tensor | null = null): void {
    const last = history[history.length - 1];
    if (last && (history !== this.chartHistory || history.length !== this.chartLength)) {
      const regression = state.problem === 'regression';
      const m = (v: number) => (regression ? fmt(v) : `${(v * 100).toFixed(1)} %`);
      setText(this.metricNames[0]!, regression ? 'R²' : 'accuracy');
      setText(this.metricNames[1]!, regression ? 'R²' : 'accuracy');
      setText(this.testLoss, fmt(last.testLoss));
      setText(this.trainLoss, fmt(last.trainLoss));
      setText(this.testMetric, m(last.testMetric));
      setText(this.trainMetric, m(last.trainMetric));
      drawLossChart(this.chart, history);
      this.chartHistory = history;
      this.chartLength = history.length;
    }

    // Hovering a neuron shows its output large, in place of the network's (fine grid if given).
    const out = hover ? hover.t : fine ?? grid.get('out')!;
    const n = Math.round(Math.sqrt(out.shape[0]!));
    if (this.small.width !== n) {
      this.small.width = n;
      this.small.height = n;
    }
    const sctx = this.small.getContext('2d')!;
    const img = sctx.createImageData(n, n);
    if (hover) paintUnit(hover.t, hover.col, img);
    else paintOutput(out, state.problem, state.discretize, img);
    sctx.putImageData(img, 0, 0);
    const ctx = this.heat.getContext('2d')!;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.small, 0, 0, this.heat.width, this.heat.height);

    const key = [data, state.showTest, state.problem];
    if (key.some((k, i) => k !== this.pointsKey[i])) {
      this.pointsKey = key;
      const pctx = this.points.getContext('2d')!;
      pctx.clearRect(0, 0, this.points.width, this.points.height);
      const regression = state.problem === 'regression';
      drawPoints(pctx, data.train.samples, regression, '#fff');
      if (state.showTest) drawPoints(pctx, data.test.samples, regression, '#000');
    }

    const value = grid.get('value');
    this.valueBox.hidden = !value;
    if (value) {
      const vctx = this.valueHeat.getContext('2d')!;
      const vimg = vctx.createImageData(GRID, GRID);
      // The value head predicts roughly [0, 1]; stretch it to the orange–blue scale.
      for (let p = 0; p < GRID * GRID; p++) diverging(value.data[p]! * 2 - 1, vimg.data, p * 4);
      vctx.putImageData(vimg, 0, 0);
    }
  }
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function drawPoints(ctx: CanvasRenderingContext2D, pts: readonly { x1: number; x2: number; y: number }[], regression: boolean, stroke: string): void {
  const s = ctx.canvas.width / (2 * RANGE);
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
