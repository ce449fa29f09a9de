import { el, fmt, svg } from '../dom.js';
import type { PlaygroundNet } from '../model.js';
import type { Tensor } from '../sloika.js';
import type { FeatureName, PlaygroundState } from '../state.js';
import { NODE, type Layout } from './layout.js';
import type { NetworkActions } from './network.js';

// The links of the diagram, one SVG path per weight. Colour shows the sign, width the size
// (or, in the backward view, the size of the weight's last gradient). Hovering shows the
// value; clicking opens a small box to type a new one.

interface Link {
  path: SVGPathElement;
  weight: Tensor;
  index: number;
}

const tip = () => document.getElementById('tooltip') ?? document.body.appendChild(el('div', { id: 'tooltip', role: 'tooltip' }));

export class LinkLayer {
  readonly svg: SVGSVGElement;
  private readonly links: Link[] = [];

  constructor(private readonly layout: Layout, private readonly net: PlaygroundNet, private readonly state: PlaygroundState, private readonly actions: NetworkActions) {
    this.svg = svg('svg', { class: 'links', width: layout.width, height: layout.height });
  }

  /** Draw one path per weight, and the N×d shape labels between columns. */
  drawShapes(stage: HTMLElement, sourceKeys: (net: PlaygroundNet, id: string, enabled: readonly FeatureName[]) => string[]): void {
    for (const b of this.net.blocks) {
      const sources = sourceKeys(this.net, b.id, this.state.features);
      for (let r = 0; r < sources.length; r++) {
        const from = this.layout.byKey.get(sources[r]!);
        for (let c = 0; c < b.units; c++) {
          const to = this.layout.byKey.get(`${b.id}:${c}`);
          if (!from || !to) continue;
          const x1 = from.x + NODE;
          const y1 = from.y + NODE / 2;
          const x2 = to.x;
          const y2 = to.y + NODE / 2;
          const mx = (x1 + x2) / 2;
          const path = svg('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, class: 'link' });
          const link = { path, weight: b.linear.weight, index: r * b.units + c };
          this.attach(path, () => `weight ${fmt(link.weight.data[link.index]!)}${link.weight.grad ? ` · gradient ${fmt(link.weight.grad.data[link.index]!)}` : ''}`,
            (v) => { link.weight.data[link.index] = v; }, () => link.weight.data[link.index]!);
          this.links.push(link);
          this.svg.append(path);
        }
      }
      // The tensor flowing into this block, labelled where its links start.
      const first = this.layout.byKey.get(`${b.id}:0`)!;
      const width = sources.length;
      const label = b.sources.length > 1 ? `concat N×${width}` : `N×${width}`;
      stage.append(el('span', { class: 'shape', style: `left:${first.x - 58}px;top:${first.y - 16}px` }, label));
    }
  }

  /** Make a bias square hoverable and editable. */
  attachBias(mark: HTMLElement, bias: Tensor, unit: number): void {
    this.attach(mark, () => `bias ${fmt(bias.data[unit]!)}`, (v) => { bias.data[unit] = v; }, () => bias.data[unit]!);
  }

  /** Per-frame: stroke colour and width from the weights or their gradients. */
  render(showGradients: boolean): void {
    let maxGrad = 1e-12;
    if (showGradients) for (const l of this.links) maxGrad = Math.max(maxGrad, Math.abs(l.weight.grad?.data[l.index] ?? 0));
    for (const l of this.links) {
      const w = l.weight.data[l.index]!;
      if (showGradients) {
        const g = Math.abs(l.weight.grad?.data[l.index] ?? 0) / maxGrad;
        l.path.setAttribute('stroke', `rgba(120,40,160,${0.15 + 0.85 * g})`);
        l.path.setAttribute('stroke-width', (0.5 + 6 * g).toFixed(2));
      } else {
        l.path.setAttribute('stroke', w >= 0 ? '#0877bd' : '#f59322');
        l.path.setAttribute('stroke-width', Math.min(8, 0.4 + Math.abs(w) * 2.5).toFixed(2));
      }
    }
  }

  private attach(target: Element, describe: () => string, set: (v: number) => void, get: () => number): void {
    target.addEventListener('mouseenter', (e) => {
      const t = tip();
      t.textContent = describe();
      t.style.display = 'block';
      place(t, e as MouseEvent);
    });
    target.addEventListener('mousemove', (e) => place(tip(), e as MouseEvent));
    target.addEventListener('mouseleave', () => { tip().style.display = 'none'; });
    const edit = (x: number, y: number) => {
      document.getElementById('edit-box')?.remove();
      const input = el('input', { id: 'edit-box', type: 'number', step: '0.01', value: get().toFixed(3), 'aria-label': 'new value' });
      input.style.left = `${x}px`;
      input.style.top = `${y}px`;
      input.addEventListener('keydown', (k) => {
        if (k.key === 'Enter') {
          const v = Number(input.value);
          if (Number.isFinite(v)) set(v);
          input.remove();
          this.actions.edited();
        } else if (k.key === 'Escape') input.remove();
      });
      input.addEventListener('blur', () => input.remove());
      document.body.append(input);
      input.focus();
      input.select();
    };
    target.addEventListener('click', (e) => {
      const m = e as MouseEvent;
      edit(m.pageX + 8, m.pageY - 10);
    });
    target.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') {
        const r = target.getBoundingClientRect();
        edit(r.right + window.scrollX, r.top + window.scrollY);
      }
    });
  }
}

function place(t: HTMLElement, e: MouseEvent): void {
  t.style.left = `${e.pageX + 12}px`;
  t.style.top = `${e.pageY + 12}px`;
}
