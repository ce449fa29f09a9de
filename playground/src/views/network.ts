import { FEATURE_INFO } from '../features.js';
import { el, fmt } from '../dom.js';
import { GRID, featureGrid, paintUnit } from '../grid.js';
import type { PlaygroundNet } from '../model.js';
import { signedColor } from '../palette.js';
import type { Tensor } from '../sloika.js';
import { ACTIVATIONS, MAX_LAYERS, MAX_UNITS, type Activation, type FeatureName, type PlaygroundState } from '../state.js';
import { NODE, layoutNetwork, sourceKeys, type Layout } from './layout.js';
import { LinkLayer } from './links.js';

// The network diagram: feature nodes, neurons with their small heatmaps, links drawn by weight
// (or gradient), biases as small squares, and the +/− and activation controls per layer.

export const ACTIVATION_LABELS: Record<Activation, string> = {
  relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', linear: 'linear', leakyRelu: 'LeakyReLU', prelu: 'PReLU', elu: 'ELU',
};

export interface NetworkActions {
  toggleFeature(name: FeatureName): void;
  addLayer(delta: 1 | -1): void;
  changeUnits(blockId: string, delta: 1 | -1): void;
  setActivation(blockId: string, a: Activation): void;
  /** A layer's own LeakyReLU slope or ELU scale. */
  setAlpha(blockId: string, alpha: number): void;
  hover(key: string | null): void;
  /** A weight or bias was edited by hand: redraw. */
  edited(): void;
}

export class NetworkView {
  readonly root = el('section', { class: 'column network', 'aria-label': 'network' });
  private canvases = new Map<string, HTMLCanvasElement>();
  private biasMarks = new Map<string, HTMLElement>();
  private alphaLabels = new Map<string, HTMLElement>();
  private links: LinkLayer | null = null;
  private layout: Layout | null = null;
  private img: ImageData | null = null;

  constructor(private readonly actions: NetworkActions) {}

  /** Rebuild the diagram for a new network (architecture or features changed). */
  build(state: PlaygroundState, net: PlaygroundNet): void {
    const width = Math.max(380, Math.min(640, this.root.clientWidth || 560));
    const layout = layoutNetwork(net, state.features, width);
    this.layout = layout;
    this.root.replaceChildren();
    this.canvases.clear();
    this.biasMarks.clear();
    this.alphaLabels.clear();
    this.root.append(this.header(state, net));
    const stage = el('div', { class: 'stage', style: `width:${layout.width}px;height:${layout.height}px` });
    this.root.append(stage);
    this.links = new LinkLayer(layout, net, state, this.actions);
    stage.append(this.links.canvas);
    for (const col of layout.columns.slice(1)) stage.append(this.columnHeader(state, net, col.x, col.blockIds));
    stage.append(el('div', { class: 'col-title', style: `left:${layout.columns[0]!.x - 6}px;top:0` }, 'Features', el('small', {}, `N×${state.features.length}`)));
    for (const n of layout.nodes) {
      // Grid resolution; CSS scales it to the node's size (cheaper than drawing scaled).
      const canvas = el('canvas', { width: GRID, height: GRID });
      const node = el('div', {
        class: `node${n.enabled ? '' : ' off'}`, style: `left:${n.x}px;top:${n.y}px`, 'data-key': n.key,
        tabindex: n.feature ? 0 : undefined, role: n.feature ? 'switch' : undefined,
        'aria-checked': n.feature ? String(n.enabled) : undefined,
        title: n.feature ? `${FEATURE_INFO[n.unit]!.label}: click to turn ${n.enabled ? 'off' : 'on'}` : undefined,
      }, canvas);
      if (!n.feature) {
        const b = net.block(n.blockId!);
        node.title = `${b.label}, neuron ${n.unit + 1}: ${ACTIVATION_LABELS[b.activation]} — hover to see its output large`;
      }
      node.addEventListener('mouseenter', () => this.actions.hover(n.key));
      node.addEventListener('mouseleave', () => this.actions.hover(null));
      if (n.feature) {
        const toggle = () => this.actions.toggleFeature(n.feature!);
        node.addEventListener('click', toggle);
        node.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); }
        });
        node.append(el('span', { class: 'feature-label' }, FEATURE_INFO[n.unit]!.label));
        drawFeature(canvas, n.feature);
      } else {
        this.canvases.set(n.key, canvas);
        const b = net.block(n.blockId!);
        const bias = el('span', { class: 'bias', tabindex: 0, role: 'button' });
        this.links.attachBias(bias, b.linear.bias!, n.unit);
        this.biasMarks.set(n.key, bias);
        node.append(bias);
        if (b.prelu) {
          const a = el('span', { class: 'alpha' });
          this.alphaLabels.set(n.key, a);
          node.append(a);
        }
      }
      stage.append(node);
    }
    this.links.drawShapes(stage, sourceKeys);
    // What the library sees: the same network as a graph Model, summarised by the library.
    this.root.append(el('details', { class: 'summary', id: 'model-summary' },
      el('summary', {}, 'The model as sloika sees it (Model.summary())'),
      el('pre', {}, net.model.summary())));
  }

  /** Per-frame update: neuron heatmaps, link widths and colours, bias squares, PReLU alphas. */
  render(state: PlaygroundState, net: PlaygroundNet, grid: Map<string, Tensor>): void {
    if (!this.layout) return;
    for (const [key, canvas] of this.canvases) {
      const [id, unit] = key.split(':');
      const t = grid.get(id!);
      if (!t) continue;
      const ctx = canvas.getContext('2d')!;
      this.img ??= ctx.createImageData(GRID, GRID);
      paintUnit(t, Number(unit), this.img);
      ctx.putImageData(this.img, 0, 0);
    }
    for (const [key, mark] of this.biasMarks) {
      const [id, unit] = key.split(':');
      const v = net.block(id!).linear.bias!.data[Number(unit)]!;
      mark.style.background = signedColor(v);
      mark.title = `bias ${fmt(v)} (click to edit)`;
    }
    for (const [key, label] of this.alphaLabels) {
      const [id, unit] = key.split(':');
      label.textContent = `α ${net.block(id!).prelu!.alpha.data[Number(unit)]!.toFixed(2)}`;
    }
    this.links?.render(state.showGradients);
  }

  private header(state: PlaygroundState, net: PlaygroundNet): HTMLElement {
    if (state.mode === 'graph') {
      return el('div', { class: 'net-header', id: 'layers-control' },
        el('span', {}, `Graph: input → branch A ‖ branch B → concat → head · ${net.parameters().reduce((n, p) => n + p.size, 0)} parameters`));
    }
    return el('div', { class: 'net-header', id: 'layers-control' },
      el('button', { class: 'round', id: 'add-layer', 'aria-label': 'add a hidden layer', disabled: state.layers.length >= MAX_LAYERS, onclick: () => this.actions.addLayer(1) }, '+'),
      el('button', { class: 'round', id: 'remove-layer', 'aria-label': 'remove a hidden layer', disabled: state.layers.length === 0, onclick: () => this.actions.addLayer(-1) }, '−'),
      el('span', { id: 'layer-count' }, `${state.layers.length} hidden layer${state.layers.length === 1 ? '' : 's'}`),
      el('small', {}, ` · ${net.parameters().reduce((n, p) => n + p.size, 0)} parameters`));
  }

  /** Headers of a column: one per block, placed just above the block's first neuron. */
  private columnHeader(state: PlaygroundState, net: PlaygroundNet, x: number, ids: string[]): HTMLElement {
    const box = el('div', {});
    for (const id of ids) {
      const b = net.block(id);
      const top = this.layout!.byKey.get(`${id}:0`)!.y - 86;
      // Narrow columns (deep networks, small screens) get a short label and a narrow select.
      const spacing = this.layout!.columns[1]!.x - this.layout!.columns[0]!.x;
      const compact = spacing < 84;
      const head = el('div', { class: `col-title${compact ? ' compact' : ''}`, style: `left:${x - (compact ? 12 : 22)}px;top:${Math.max(0, top)}px;${compact ? `max-width:${spacing - 4}px` : ''}` });
      box.append(head);
      if (b.head) {
        const name = b.head === 'main' ? 'Output' : 'Value';
        head.append(el('div', {}, compact ? name.slice(0, 3) : name, compact ? '' : el('small', {}, `N×${b.units}`)));
        continue;
      }
      const units = el('div', { class: 'units' },
        el('button', { class: 'mini', 'aria-label': `add a neuron to ${b.label}`, disabled: b.units >= MAX_UNITS, onclick: () => this.actions.changeUnits(id, 1) }, '+'),
        el('button', { class: 'mini', 'aria-label': `remove a neuron from ${b.label}`, disabled: b.units <= 1, onclick: () => this.actions.changeUnits(id, -1) }, '−'),
        compact ? '' : el('small', {}, `N×${b.units}`));
      const sel = el('select', { class: 'act', 'aria-label': `activation of ${b.label}`, 'data-block': id });
      for (const a of ACTIVATIONS) {
        const o = el('option', { value: a }, ACTIVATION_LABELS[a]);
        if (a === b.activation) o.selected = true;
        sel.append(o);
      }
      sel.addEventListener('change', () => this.actions.setActivation(id, sel.value as Activation));
      let alpha: HTMLElement | string = '';
      if (b.activation === 'leakyRelu' || b.activation === 'elu') {
        const input = el('input', { class: 'alpha-in', type: 'number', min: 0, max: 10, step: 0.01, value: b.alpha, 'aria-label': `alpha of ${b.label}`, title: b.activation === 'elu' ? 'ELU scale α' : 'LeakyReLU slope α', 'data-alpha': id });
        input.addEventListener('change', () => {
          const v = Number(input.value);
          if (input.value !== '' && v >= 0 && v <= 10) this.actions.setAlpha(id, v);
        });
        alpha = el('label', { class: 'alpha-row' }, 'α ', input);
      }
      head.append(el('div', { class: 'block-head' }, el('span', { title: b.label }, compact ? b.label.replace('hidden ', 'h') : b.label), units, sel, alpha));
    }
    return box;
  }
}

/** A feature's heatmap never changes: its value over the plane. */
function drawFeature(canvas: HTMLCanvasElement, name: FeatureName): void {
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(GRID, GRID);
  paintUnit(featureGrid(name), 0, img);
  ctx.putImageData(img, 0, 0);
}
