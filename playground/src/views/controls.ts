import { datasetFits } from '../dataset.js';
import { el, select } from '../dom.js';
import { pointColor } from '../palette.js';
import { DATASETS, RANGE } from '../sloika.js';
import {
  ACTIVATIONS, LEARNING_RATES, MODES, OPTIMIZERS, PROBLEMS, REGULARIZATION_RATES, REGULARIZATIONS,
  type Activation, type PlaygroundState,
} from '../state.js';
import { ACTIVATION_LABELS } from './network.js';

// The top bar (run controls and hyper-parameters) and the data column. Every control calls
// `update` with a patch of the state and what the change needs: a new network ('rebuild'), new
// data and network ('data'), new optimizer settings ('retune') or just a redraw ('redraw').

export type Effect = 'rebuild' | 'data' | 'retune' | 'redraw';

export interface ControlActions {
  update(patch: Partial<PlaygroundState>, effect: Effect): void;
  togglePlay(): void;
  stepEpoch(): void;
  reset(): void;
  regenerate(): void;
  uploadCsv(file: File): void;
  handbook(): void;
  exportModel(): void;
  exportSnippet(): void;
}

const MODE_LABELS = { network: 'layers', graph: 'graph: 2 branches', approx: 'approximation' } as const;
const PROBLEM_LABELS = { binary: 'classification', multiclass: 'multiclass', regression: 'regression' } as const;
const OPTIMIZER_LABELS = { sgd: 'SGD', momentum: 'momentum', adam: 'Adam' } as const;

/** A group a classroom link may hide. */
function group(name: string, ...children: (Node | string)[]): HTMLElement {
  return el('div', { class: 'group', 'data-control': name }, ...children);
}

export function topBar(s: PlaygroundState, a: ControlActions): HTMLElement {
  const shared = s.layers.length && s.layers.every((l) => l.activation === s.layers[0]!.activation) ? s.layers[0]!.activation : undefined;
  const actOptions = [
    ...(shared ? [] : [{ value: 'mixed' as const, text: 'per layer' }]),
    ...ACTIVATIONS.map((v) => ({ value: v, text: ACTIVATION_LABELS[v] })),
  ];
  return el('header', { class: 'top-bar' },
    el('div', { class: 'run' },
      el('button', { id: 'reset', class: 'round', 'aria-label': 'reset the network', title: 'Reset', onclick: a.reset }, '⟲'),
      el('button', { id: 'play', class: 'round big', 'aria-label': 'play or pause training', title: 'Play / pause', onclick: a.togglePlay }, '▶'),
      stepButton(a),
      el('div', { class: 'epoch' }, el('span', {}, 'Epoch'), el('b', { id: 'epoch' }, '000,000'))),
    group('mode', select('mode', 'Mode', MODES.map((v) => ({ value: v, text: MODE_LABELS[v] })), s.mode, (v) => a.update({ mode: v }, 'rebuild'))),
    group('learningRate', select('learning-rate', 'Learning rate', LEARNING_RATES.map((v) => ({ value: v, text: String(v) })), s.learningRate, (v) => a.update({ learningRate: v }, 'retune'))),
    // In graph mode each branch has its own activation (in the diagram), so no global one.
    s.mode === 'graph' ? '' : group('activation', select<string>('activation', 'Activation', actOptions, shared ?? 'mixed', (v) => {
      if (v === 'mixed') return;
      const act = v as Activation;
      a.update({ layers: s.layers.map((l) => ({ ...l, activation: act })) }, 'rebuild');
    })),
    group('activation', el('label', { class: 'field narrow alpha-field', title: 'LeakyReLU slope and ELU scale of layers without their own α' }, el('span', {}, 'default α'),
      el('input', { id: 'alpha', type: 'number', min: 0, max: 10, step: 0.01, value: s.alpha, onchange: (e) => {
        const v = Number((e.target as HTMLInputElement).value);
        if (v >= 0 && v <= 10) a.update({ alpha: v }, 'rebuild');
      } }))),
    group('regularization',
      select('regularization', 'Regularization', REGULARIZATIONS.map((v) => ({ value: v, text: v === 'none' ? 'None' : v.toUpperCase() })), s.regularization, (v) => a.update({ regularization: v }, 'retune')),
      select('regularization-rate', 'Rate', REGULARIZATION_RATES.map((v) => ({ value: v, text: String(v) })), s.regularizationRate, (v) => a.update({ regularizationRate: v }, 'retune'))),
    group('problem', select('problem', 'Problem type', PROBLEMS.map((v) => ({ value: v, text: PROBLEM_LABELS[v] })), s.problem, (v) => a.update({ problem: v }, 'data'))),
    group('optimizer', select('optimizer', 'Optimizer', OPTIMIZERS.map((v) => ({ value: v, text: OPTIMIZER_LABELS[v] })), s.optimizer, (v) => a.update({ optimizer: v }, 'retune'))),
  );
}

function stepButton(a: ControlActions): HTMLElement {
  const b = el('button', { id: 'step', class: 'round', 'aria-label': 'train one epoch', title: 'Step one epoch', onclick: a.stepEpoch });
  // Drawn, not a font glyph: "next track" is missing from many fonts.
  b.innerHTML = '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><path d="M2 2 L10 7 L2 12 Z M11 2 H13 V12 H11 Z" fill="currentColor"/></svg>';
  return b;
}

function slider(id: string, label: string, min: number, max: number, step: number, value: number, show: (v: number) => string, onSet: (v: number) => void): HTMLElement {
  const out = el('output', { for: id }, show(value));
  const input = el('input', { id, type: 'range', min, max, step, value, 'aria-label': label });
  input.addEventListener('input', () => { out.textContent = show(Number(input.value)); });
  input.addEventListener('change', () => onSet(Number(input.value)));
  return el('label', { class: 'slider' }, el('span', {}, label, ': ', out), input);
}

export function dataPanel(s: PlaygroundState, a: ControlActions): HTMLElement {
  const sets = DATASETS.filter((d) => datasetFits(d.name, s.problem));
  const thumbs = el('div', { class: 'datasets', role: 'radiogroup', 'aria-label': 'data set' });
  for (const d of sets) {
    const c = el('canvas', { width: 48, height: 48 });
    drawThumb(c, d.generate({ n: 160, seed: 3, classes: s.classes }), d.kind === 'regression');
    const b = el('button', { class: `thumb${s.dataset === d.name ? ' selected' : ''}`, id: `dataset-${d.name}`, 'aria-pressed': String(s.dataset === d.name), title: d.title, onclick: () => a.update({ dataset: d.name }, 'data') }, c, el('span', {}, d.title));
    thumbs.append(b);
  }
  if (s.points.length) {
    thumbs.append(el('button', { class: `thumb${s.dataset === 'custom' ? ' selected' : ''}`, id: 'dataset-custom', 'aria-pressed': String(s.dataset === 'custom'), onclick: () => a.update({ dataset: 'custom' }, 'data') }, el('span', {}, `your data (${s.points.length})`)));
  }
  const classLabels = s.problem === 'regression' ? [] : Array.from({ length: s.problem === 'multiclass' ? s.classes : 2 }, (_, k) => k);
  const addClass = el('select', { id: 'add-class', 'aria-label': 'class of clicked points' });
  for (const k of classLabels) addClass.append(el('option', { value: k }, `class ${k}`));
  const fileInput = el('input', { id: 'csv-upload', type: 'file', accept: '.csv,text/csv', 'aria-label': 'upload a CSV of points' });
  fileInput.addEventListener('change', () => { if (fileInput.files?.[0]) a.uploadCsv(fileInput.files[0]); });
  return el('section', { class: 'column data', 'aria-label': 'data' },
    el('h2', {}, 'Data'),
    group('dataset', el('p', { class: 'hint' }, 'Which data set do you want to use?'), thumbs,
      s.problem === 'multiclass' ? select('classes', 'Classes', [3, 4, 5].map((v) => ({ value: v, text: String(v) })), s.classes, (v) => a.update({ classes: v }, 'data')) : ''),
    group('ratio', slider('train-ratio', 'Ratio of training to test data', 10, 90, 10, s.trainPercent, (v) => `${v}%`, (v) => a.update({ trainPercent: v }, 'data'))),
    group('noise', slider('noise', 'Noise', 0, 50, 5, s.noise, String, (v) => a.update({ noise: v }, 'data'))),
    group('batch', slider('batch-size', 'Batch size', 1, 30, 1, s.batchSize, String, (v) => a.update({ batchSize: v }, 'retune'))),
    group('regenerate', el('button', { id: 'regenerate', onclick: a.regenerate }, 'Regenerate'), el('small', { id: 'seed-label' }, ` seed ${s.seed}`)),
    group('userData', el('h3', {}, 'Your data'),
      el('p', { class: 'hint' }, 'CSV with columns x1,x2,label (label a class, or a value for regression). Or click the output to add a point of:'),
      fileInput, classLabels.length ? addClass : el('small', {}, 'value = 0.5 for clicked points'),
      el('button', { id: 'clear-points', onclick: () => a.update({ points: [], dataset: s.dataset === 'custom' ? defaultFor(s) : s.dataset }, 'data') }, 'Clear your points')),
    s.problem !== 'regression' ? group('multiTask', el('label', { class: 'check' },
      el('input', { type: 'checkbox', id: 'multi-task', checked: s.multiTask, onchange: (e) => a.update({ multiTask: (e.target as HTMLInputElement).checked }, 'rebuild') }),
      ' multi-task: add a regression head'),
      s.multiTask ? slider('task-weight', 'Weight of the regression loss', 0, 1, 0.05, s.taskWeight, (v) => v.toFixed(2), (v) => a.update({ taskWeight: v }, 'retune')) : '') : '',
    el('div', { class: 'group' }, el('button', { id: 'handbook', onclick: a.handbook }, 'Handbook exercise')),
    group('export', el('h3', {}, 'Export'),
      el('button', { id: 'export-model', onclick: a.exportModel }, 'Download model'),
      el('button', { id: 'export-snippet', onclick: a.exportSnippet }, 'TypeScript snippet')),
  );
}

function defaultFor(s: PlaygroundState): string {
  return s.problem === 'binary' ? 'circle' : s.problem === 'multiclass' ? 'blobs' : 'plane';
}

/** The class a clicked point gets. */
export function clickedClass(): number {
  const sel = document.getElementById('add-class') as HTMLSelectElement | null;
  return sel ? Number(sel.value) : 0.5;
}

function drawThumb(c: HTMLCanvasElement, pts: readonly { x1: number; x2: number; y: number }[], regression: boolean): void {
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = '#f4f5f6';
  ctx.fillRect(0, 0, c.width, c.height);
  const s = c.width / (2 * RANGE);
  for (const p of pts) {
    ctx.fillStyle = pointColor(p.y, regression);
    ctx.fillRect((p.x1 + RANGE) * s - 1, (RANGE - p.x2) * s - 1, 2, 2);
  }
}
