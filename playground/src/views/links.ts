import { el, fmt } from '../dom.js';
import type { PlaygroundNet } from '../model.js';
import type { Tensor } from '../sloika.js';
import type { FeatureName, PlaygroundState } from '../state.js';
import { NODE, type Layout } from './layout.js';
import type { NetworkActions } from './network.js';

// The links of the diagram, one curve per weight, drawn on one canvas (hundreds of SVG paths
// restyled every frame cost more than the training). Colour shows the sign, width the size,
// or in the backward view the size of the weight's last gradient. Hovering a curve shows its
// value; clicking opens a small box to type a new one.

interface Link {
  /** Cubic Bézier control points. */
  x1: number; y1: number; x2: number; y2: number;
  weight: Tensor;
  index: number;
}

const tip = () => document.getElementById('tooltip') ?? document.body.appendChild(el('div', { id: 'tooltip', role: 'tooltip' }));

/** Point of the link's curve at t in [0, 1] (control points at the horizontal midpoint). */
function curveAt(l: Link, t: number): [number, number] {
  const mx = (l.x1 + l.x2) / 2;
  const u = 1 - t;
  const x = u * u * u * l.x1 + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * l.x2;
  const y = u * u * u * l.y1 + 3 * u * u * t * l.y1 + 3 * u * t * t * l.y2 + t * t * t * l.y2;
  return [x, y];
}

export class LinkLayer {
  readonly canvas: HTMLCanvasElement;
  private readonly links: Link[] = [];
  private hovered: Link | null = null;

  constructor(private readonly layout: Layout, private readonly net: PlaygroundNet, private readonly state: PlaygroundState, private readonly actions: NetworkActions) {
    this.canvas = el('canvas', { class: 'links', width: layout.width, height: layout.height });
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => { this.hovered = null; tip().style.display = 'none'; });
    this.canvas.addEventListener('click', (e) => {
      const l = this.hovered;
      if (!l) return;
      openEditor(e.pageX + 8, e.pageY - 10, l.weight.data[l.index]!, (v) => { l.weight.data[l.index] = v; this.actions.edited(); });
    });
  }

  /** Lay out one curve per weight, and label the N×d shape flowing into each block. */
  drawShapes(stage: HTMLElement, sourceKeys: (net: PlaygroundNet, id: string, enabled: readonly FeatureName[]) => string[]): void {
    for (const b of this.net.blocks) {
      const sources = sourceKeys(this.net, b.id, this.state.features);
      for (let r = 0; r < sources.length; r++) {
        const from = this.layout.byKey.get(sources[r]!);
        for (let c = 0; c < b.units; c++) {
          const to = this.layout.byKey.get(`${b.id}:${c}`);
          if (!from || !to) continue;
          this.links.push({ x1: from.x + NODE, y1: from.y + NODE / 2, x2: to.x, y2: to.y + NODE / 2, weight: b.linear.weight, index: r * b.units + c });
        }
      }
      const first = this.layout.byKey.get(`${b.id}:0`)!;
      const label = b.sources.length > 1 ? `concat N×${sources.length}` : `N×${sources.length}`;
      stage.append(el('span', { class: 'shape', style: `left:${first.x - 58}px;top:${first.y - 16}px` }, label));
    }
  }

  /** Make a bias square hoverable and editable (by mouse or Enter). */
  attachBias(mark: HTMLElement, bias: Tensor, unit: number): void {
    mark.addEventListener('mouseenter', (e) => showTip(`bias ${fmt(bias.data[unit]!)}`, e));
    mark.addEventListener('mouseleave', () => { tip().style.display = 'none'; });
    const edit = (x: number, y: number) => openEditor(x, y, bias.data[unit]!, (v) => { bias.data[unit] = v; this.actions.edited(); });
    mark.addEventListener('click', (e) => { e.stopPropagation(); edit(e.pageX + 8, e.pageY - 10); });
    mark.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const r = mark.getBoundingClientRect();
        edit(r.right + window.scrollX, r.top + window.scrollY);
      }
    });
  }

  /** Per-frame: redraw every curve, coloured and sized by weight or by gradient. */
  render(showGradients: boolean): void {
    const ctx = this.canvas.getContext('2d')!;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    let maxGrad = 1e-12;
    if (showGradients) for (const l of this.links) maxGrad = Math.max(maxGrad, Math.abs(l.weight.grad?.data[l.index] ?? 0));
    for (const l of this.links) {
      const w = l.weight.data[l.index]!;
      if (showGradients) {
        const g = Math.abs(l.weight.grad?.data[l.index] ?? 0) / maxGrad;
        ctx.strokeStyle = `rgba(120,40,160,${(0.15 + 0.85 * g).toFixed(2)})`;
        ctx.lineWidth = 0.5 + 6 * g;
      } else {
        ctx.strokeStyle = w >= 0 ? '#0877bd' : '#f59322';
        ctx.lineWidth = Math.min(8, 0.4 + Math.abs(w) * 2.5);
      }
      const mx = (l.x1 + l.x2) / 2;
      ctx.beginPath();
      ctx.moveTo(l.x1, l.y1);
      ctx.bezierCurveTo(mx, l.y1, mx, l.y2, l.x2, l.y2);
      ctx.stroke();
    }
    if (this.hovered) showTip(this.describe(this.hovered));
  }

  /** Number of links drawn (one per weight). */
  get count(): number {
    return this.links.length;
  }

  private describe(l: Link): string {
    const g = l.weight.grad ? ` · gradient ${fmt(l.weight.grad.data[l.index]!)}` : '';
    return `weight ${fmt(l.weight.data[l.index]!)}${g} (click to edit)`;
  }

  private onMove(e: MouseEvent): void {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    let best: Link | null = null;
    let bestD = 5; // pixels
    for (const l of this.links) {
      if (x < l.x1 - 4 || x > l.x2 + 4) continue;
      for (let i = 0; i <= 16; i++) {
        const [px, py] = curveAt(l, i / 16);
        const d = Math.hypot(px - x, py - y);
        if (d < bestD) { bestD = d; best = l; }
      }
    }
    this.hovered = best;
    this.canvas.style.cursor = best ? 'pointer' : 'default';
    if (best) showTip(this.describe(best), e);
    else tip().style.display = 'none';
  }
}

function showTip(text: string, e?: MouseEvent): void {
  const t = tip();
  t.textContent = text;
  t.style.display = 'block';
  if (e) {
    t.style.left = `${e.pageX + 12}px`;
    t.style.top = `${e.pageY + 12}px`;
  }
}

/** A small number box at (x, y): Enter sets the value, Escape or leaving cancels. */
function openEditor(x: number, y: number, value: number, set: (v: number) => void): void {
  document.getElementById('edit-box')?.remove();
  const input = el('input', { id: 'edit-box', type: 'number', step: '0.01', value: value.toFixed(3), 'aria-label': 'new value' });
  input.style.left = `${x}px`;
  input.style.top = `${y}px`;
  // Removing a focused input fires 'blur' during the removal; close() runs once.
  const close = () => { if (input.isConnected) input.remove(); };
  input.addEventListener('keydown', (k) => {
    if (k.key === 'Enter') {
      const v = Number(input.value);
      if (input.value !== '' && Number.isFinite(v)) set(v);
      close();
    } else if (k.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 0));
  document.body.append(input);
  input.focus();
  input.select();
}
