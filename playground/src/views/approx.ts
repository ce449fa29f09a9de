import { el, fmt } from '../dom.js';
import { Adam, Linear, Sigmoid, Sequential, mseLoss, noGrad, tensor, type Tensor } from '../sloika.js';
import { CURVES, type CurveName, type PlaygroundState } from '../state.js';

// Universal approximation (Cybenko): a 1-D curve, fitted by one hidden layer of N sigmoid
// neurons. Each neuron's scaled sigmoid vᵢ·σ(wᵢx + bᵢ) is drawn thin; their sum plus the output
// bias is the thick curve that closes in on the target.

const SAMPLES = 101;
const CUSTOM_POINTS = 41;
const W = 640;
const H = 320;
/** Inputs are stretched so that the default initialisation already gives visible slopes. */
const X_SCALE = 4;

/** The preset target curves on x in [-1, 1]. */
export function curveValue(name: CurveName, x: number, custom: readonly number[]): number {
  switch (name) {
    case 'sine': return 0.8 * Math.sin(Math.PI * x * 1.5);
    case 'step': return x < 0 ? -0.5 : 0.5;
    case 'bump': return 1.2 * Math.exp(-(x * x) / 0.05) - 0.4;
    case 'abs': return Math.abs(x) * 1.4 - 0.7;
    case 'custom': {
      if (custom.length < 2) return 0;
      const t = ((x + 1) / 2) * (custom.length - 1);
      const i = Math.min(custom.length - 2, Math.floor(t));
      return custom[i]! + (custom[i + 1]! - custom[i]!) * (t - i);
    }
  }
}

export class ApproxView {
  readonly root = el('section', { class: 'approx', id: 'approx', 'aria-label': 'universal approximation', hidden: true });
  private readonly canvas = el('canvas', { width: W, height: H, id: 'approx-canvas', class: 'approx-canvas' });
  private readonly info = el('div', { class: 'stats', id: 'approx-stats' });
  private readonly controls = el('div', { class: 'approx-controls' });
  private net!: Sequential;
  private opt!: Adam;
  private x!: Tensor;
  private y!: Tensor;
  epoch = 0;
  loss = NaN;
  private key = '';
  private drawing = false;

  constructor(private state: PlaygroundState, private readonly update: (patch: Partial<PlaygroundState>) => void) {
    this.root.append(el('h2', {}, 'Universal approximation'),
      el('p', { class: 'hint' }, 'One hidden layer of N sigmoid neurons fits the curve. Thin lines: each neuron\'s scaled sigmoid vᵢ·σ(wᵢx + bᵢ); thick black: their sum plus the bias; grey: the target. Drag on the chart to draw your own curve.'),
      this.controls, this.canvas, this.info);
    this.canvas.addEventListener('pointerdown', (e) => { this.drawing = true; this.canvas.setPointerCapture(e.pointerId); this.drawAt(e); });
    this.canvas.addEventListener('pointermove', (e) => { if (this.drawing) this.drawAt(e); });
    this.canvas.addEventListener('pointerup', () => {
      this.drawing = false;
      this.update({ curve: 'custom', curvePoints: this.state.curvePoints });
    });
    this.setState(state);
  }

  setState(s: PlaygroundState): void {
    this.state = s;
    const key = `${s.approxUnits}|${s.curve}|${s.curvePoints.join(',')}|${s.seed}`;
    this.controls.replaceChildren(
      el('label', { class: 'field' }, el('span', {}, 'Curve'), this.curveSelect()),
      el('button', { class: 'mini', id: 'approx-more', 'aria-label': 'add a sigmoid neuron', onclick: () => this.update({ approxUnits: Math.min(20, s.approxUnits + 1) }) }, '+'),
      el('button', { class: 'mini', id: 'approx-fewer', 'aria-label': 'remove a sigmoid neuron', onclick: () => this.update({ approxUnits: Math.max(1, s.approxUnits - 1) }) }, '−'),
      el('span', { id: 'approx-units' }, ` ${s.approxUnits} sigmoid neurons`));
    if (key !== this.key) {
      this.key = key;
      this.reset();
    }
  }

  private curveSelect(): HTMLSelectElement {
    const sel = el('select', { id: 'curve', 'aria-label': 'curve to fit' });
    for (const c of CURVES) {
      const o = el('option', { value: c }, c === 'custom' ? 'your drawing' : c);
      if (c === this.state.curve) o.selected = true;
      sel.append(o);
    }
    sel.addEventListener('change', () => {
      const curve = sel.value as CurveName;
      // Starting a drawing from the current curve keeps it from jumping to zero.
      const pts = curve === 'custom' && this.state.curvePoints.length === 0
        ? Array.from({ length: CUSTOM_POINTS }, (_, i) => curveValue(this.state.curve, -1 + (2 * i) / (CUSTOM_POINTS - 1), []))
        : this.state.curvePoints;
      this.update({ curve, curvePoints: pts });
    });
    return sel;
  }

  reset(): void {
    const s = this.state;
    this.net = new Sequential(new Linear(1, s.approxUnits, { seed: s.seed }), new Sigmoid(), new Linear(s.approxUnits, 1, { seed: s.seed + 1 }));
    this.opt = new Adam(this.net.parameters(), { lr: 0.03 });
    const xs = Array.from({ length: SAMPLES }, (_, i) => -1 + (2 * i) / (SAMPLES - 1));
    this.x = tensor(xs.map((v) => [v * X_SCALE]));
    this.y = tensor(xs.map((v) => [curveValue(s.curve, v, s.curvePoints)]));
    this.epoch = 0;
    this.loss = noGrad(() => mseLoss(this.net.forward(this.x), this.y).item());
    this.draw();
  }

  /** Train full-batch steps for up to `budgetMs` (at most `maxSteps`) when playing, then draw. */
  frame(playing: boolean, budgetMs: number, maxSteps = Infinity): void {
    if (!playing || this.root.hidden) return;
    const start = performance.now();
    let n = 0;
    while (n < maxSteps && performance.now() - start < budgetMs) {
      this.opt.zeroGrad();
      const loss = mseLoss(this.net.forward(this.x), this.y);
      loss.backward();
      this.opt.step();
      this.loss = loss.item();
      this.epoch++;
      n++;
    }
    this.draw();
  }

  private drawAt(e: PointerEvent): void {
    const r = this.canvas.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * 2 - 1;
    const y = 1.5 - ((e.clientY - r.top) / r.height) * 3;
    const pts = this.state.curvePoints.length === CUSTOM_POINTS
      ? this.state.curvePoints.slice()
      : Array.from({ length: CUSTOM_POINTS }, (_, i) => curveValue(this.state.curve, -1 + (2 * i) / (CUSTOM_POINTS - 1), this.state.curvePoints));
    const i = Math.round(((x + 1) / 2) * (CUSTOM_POINTS - 1));
    if (i >= 0 && i < CUSTOM_POINTS) pts[i] = Math.max(-1.4, Math.min(1.4, y));
    this.state = { ...this.state, curve: 'custom', curvePoints: pts };
    this.y = tensor(Array.from({ length: SAMPLES }, (_, k) => [curveValue('custom', -1 + (2 * k) / (SAMPLES - 1), pts)]));
    this.draw();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    ctx.clearRect(0, 0, W, H);
    const px = (x: number) => ((x + 1) / 2) * W;
    const py = (y: number) => ((1.5 - y) / 3) * H;
    ctx.strokeStyle = '#ddd';
    ctx.beginPath();
    ctx.moveTo(0, py(0));
    ctx.lineTo(W, py(0));
    ctx.stroke();
    const [hidden, , head] = this.net.layers as [Linear, Sigmoid, Linear];
    const w = hidden.weight.data;
    const b = hidden.bias!.data;
    const v = head.weight.data;
    const c = head.bias!.data[0]!;
    const plot = (f: (x: number) => number, color: string, width: number) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      for (let i = 0; i <= 200; i++) {
        const x = -1 + i / 100;
        if (i === 0) ctx.moveTo(px(x), py(f(x)));
        else ctx.lineTo(px(x), py(f(x)));
      }
      ctx.stroke();
    };
    plot((x) => curveValue(this.state.curve, x, this.state.curvePoints), '#bbb', 6);
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    for (let j = 0; j < w.length; j++) {
      plot((x) => v[j]! * sig(w[j]! * x * X_SCALE + b[j]!), `hsl(${(j * 360) / w.length}, 65%, 50%)`, 1.2);
    }
    plot((x) => {
      let s = c;
      for (let j = 0; j < w.length; j++) s += v[j]! * sig(w[j]! * x * X_SCALE + b[j]!);
      return s;
    }, '#111', 2.5);
    this.info.innerHTML = `Step <b id="approx-epoch">${this.epoch}</b> · mean squared error <b id="approx-loss">${fmt(this.loss)}</b>`;
  }
}
