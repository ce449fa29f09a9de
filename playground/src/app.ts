import { parsePointsCsv } from './csv.js';
import { datasetFits, defaultDatasetFor, prepareData, type PreparedData } from './dataset.js';
import { el } from './dom.js';
import { downloadModel, downloadSnippet } from './export.js';
import { evaluateFineOutput, evaluateGrid, featureGrid } from './grid.js';
import { PlaygroundNet } from './model.js';
import { RemoteTrainer } from './remote.js';
import type { Tensor } from './sloika.js';
import { handbookPreset, MAX_UNITS, type FeatureName, type PlaygroundState } from './state.js';
import { hashToState, stateToHash } from './url.js';
import { ApproxView } from './views/approx.js';
import { classroomPanel } from './views/classroom.js';
import { clickedClass, dataPanel, topBar, type ControlActions, type Effect } from './views/controls.js';
import { NetworkView } from './views/network.js';
import { OutputView } from './views/output.js';

// The page: one state object, the network, the training worker, and the views. Training runs
// in a Web Worker on an identical network; each update copies the weights into the page's
// network, and the next animation frame redraws.

/** Time a frame of the approximation mode (trained in the page) may spend training. */
const FRAME_BUDGET_MS = 11;

export class App implements ControlActions {
  state: PlaygroundState;
  data!: PreparedData;
  net!: PlaygroundNet;
  readonly session: RemoteTrainer;
  playing = false;
  /** Animation frames since load, and redraws among them (the e2e test reads both). */
  frames = 0;
  renders = 0;
  private hoverKey: string | null = null;
  /** The output on the fine grid, and the network it belongs to. */
  private fine: { net: PlaygroundNet; out: Tensor | null } | null = null;
  /** How long a redraw takes (smoothed): a slow one is done every 2nd or 3rd frame. */
  private renderMs = 4;
  private dirty = true;
  private readonly top = el('div', { class: 'top' });
  private readonly left = el('div', { class: 'left' });
  private readonly banner = el('div', { id: 'divergence', class: 'banner', role: 'alert', hidden: true });
  private readonly caption = el('p', { id: 'caption', class: 'caption' });
  private readonly message = el('div', { id: 'message', class: 'message', 'aria-live': 'polite' });
  private readonly network: NetworkView;
  private readonly output: OutputView;
  private readonly approx: ApproxView;
  private readonly options = el('div', { class: 'output-options' });
  private readonly classroom = el('div', { class: 'classroom-box' });
  private readonly main = el('main', { class: 'layout' });

  constructor(root: HTMLElement) {
    this.state = hashToState(location.hash);
    this.session = new RemoteTrainer(() => {
      this.dirty = true;
      if (this.session.diverged && this.playing) this.stopForDivergence();
    });
    this.network = new NetworkView({
      toggleFeature: (f) => {
        const on = this.state.features.includes(f);
        if (on && this.state.features.length === 1) return this.say('keep at least one input feature');
        // The input matrix changes with the features, so the data tensors are rebuilt too.
        this.update({ features: on ? this.state.features.filter((x) => x !== f) : [...this.state.features, f] }, 'data');
      },
      addLayer: (d) => {
        const layers = this.state.layers.slice();
        if (d > 0) layers.push({ units: 2, activation: layers[layers.length - 1]?.activation ?? 'tanh' });
        else layers.pop();
        this.update({ layers }, 'rebuild');
      },
      changeUnits: (id, d) => this.changeUnits(id, d),
      setAlpha: (id, alpha) => {
        if (id === 'A' || id === 'B') {
          const b: PlaygroundState['branches'] = [{ ...this.state.branches[0] }, { ...this.state.branches[1] }];
          b[id === 'A' ? 0 : 1].alpha = alpha;
          this.update({ branches: b }, 'rebuild');
        } else this.update({ layers: this.state.layers.map((l, i) => (`h${i}` === id ? { ...l, alpha } : l)) }, 'rebuild');
      },
      setActivation: (id, a) => {
        if (id === 'A' || id === 'B') {
          const b: PlaygroundState['branches'] = [{ ...this.state.branches[0] }, { ...this.state.branches[1] }];
          b[id === 'A' ? 0 : 1].activation = a;
          this.update({ branches: b }, 'rebuild');
        } else this.update({ layers: this.state.layers.map((l, i) => (`h${i}` === id ? { ...l, activation: a } : l)) }, 'rebuild');
      },
      hover: (key) => { this.hoverKey = key; this.dirty = true; },
      edited: () => { this.session.pushParams(); this.dirty = true; },
    });
    this.output = new OutputView((x1, x2) => this.addPoint(x1, x2));
    this.approx = new ApproxView(this.state, (patch) => this.update(patch, 'redraw'));
    this.main.append(this.left, this.network.root, el('div', { class: 'right' }, this.output.root, this.options));
    root.append(this.top, this.caption, this.banner, this.message, this.main, this.approx.root, this.classroom);
    document.addEventListener('keydown', (e) => {
      if (e.key === ' ' && e.target === document.body) { e.preventDefault(); this.togglePlay(); }
    });
    // The diagram is laid out for the panel's width: lay it out again when the window changes.
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => { this.network.build(this.state, this.net); this.dirty = true; }, 150);
    });
    this.rebuild('data');
    requestAnimationFrame(this.frame);
  }

  /** Change the state, keep the URL in step, and rebuild what the change needs. */
  update(patch: Partial<PlaygroundState>, effect: Effect): void {
    const before = this.state;
    this.state = { ...this.state, ...patch };
    const s = this.state;
    if (!datasetFits(s.dataset, s.problem) || (s.dataset === 'custom' && s.points.length === 0)) s.dataset = defaultDatasetFor(s.problem);
    if (patch.problem && patch.problem !== before.problem && s.dataset === 'custom') s.dataset = defaultDatasetFor(s.problem);
    if (effect === 'retune') {
      this.session.retune(s);
      this.writeUrl();
      this.renderControls();
      return;
    }
    this.rebuild(effect);
  }

  private rebuild(effect: Effect): void {
    this.writeUrl();
    if (effect === 'data' || !this.data) this.data = prepareData(this.state);
    if (effect !== 'redraw' || !this.net) {
      this.net = new PlaygroundNet(this.state);
      this.session.init(this.net, this.state);
      this.session.play(this.playing && this.state.mode !== 'approx');
      this.network.build(this.state, this.net);
    }
    this.renderControls();
    this.dirty = true;
  }

  private renderControls(): void {
    const s = this.state;
    this.top.replaceChildren(topBar(s, this));
    this.left.replaceChildren(dataPanel(s, this));
    this.options.replaceChildren(
      el('label', { class: 'check' }, el('input', { type: 'checkbox', id: 'show-test', checked: s.showTest, onchange: (e) => this.update({ showTest: (e.target as HTMLInputElement).checked }, 'redraw') }), ' Show test data'),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', id: 'discretize', checked: s.discretize, onchange: (e) => this.update({ discretize: (e.target as HTMLInputElement).checked }, 'redraw') }), ' Discretize output'),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', id: 'show-gradients', checked: s.showGradients, onchange: (e) => this.update({ showGradients: (e.target as HTMLInputElement).checked }, 'redraw') }), ' Links show gradient size (backward view)'),
    );
    this.classroom.replaceChildren(classroomPanel(s));
    this.caption.textContent = s.caption;
    this.caption.hidden = s.caption === '';
    const approx = s.mode === 'approx';
    this.main.hidden = approx;
    this.approx.root.hidden = !approx;
    this.approx.setState(s);
    // Classroom links hide chosen controls; the approximation mode has its own few controls.
    const notForApprox = ['learningRate', 'activation', 'regularization', 'problem', 'optimizer'];
    for (const node of Array.from(document.querySelectorAll<HTMLElement>('[data-control]'))) {
      const name = node.dataset.control!;
      node.hidden = s.hide.includes(name as never) || (approx && notForApprox.includes(name));
    }
    this.syncPlayButton();
  }

  private writeUrl(): void {
    history.replaceState(null, '', `#${stateToHash(this.state)}`);
  }

  private changeUnits(id: string, d: 1 | -1): void {
    const clamp = (u: number) => Math.max(1, Math.min(MAX_UNITS, u + d));
    if (id === 'A' || id === 'B') {
      const b: PlaygroundState['branches'] = [{ ...this.state.branches[0] }, { ...this.state.branches[1] }];
      const i = id === 'A' ? 0 : 1;
      b[i].units = clamp(b[i].units);
      this.update({ branches: b }, 'rebuild');
    } else this.update({ layers: this.state.layers.map((l, i) => (`h${i}` === id ? { ...l, units: clamp(l.units) } : l)) }, 'rebuild');
  }

  private readonly frame = (): void => {
    if (this.state.mode === 'approx') {
      this.approx.frame(this.playing, FRAME_BUDGET_MS - 3);
      this.showEpoch(this.approx.epoch);
    }
    else {
      // A big network's redraw is costly: while training, draw every 2nd or 3rd frame so the
      // page keeps answering.
      const every = this.renderMs > 24 ? 3 : this.renderMs > 13 ? 2 : 1;
      if (this.dirty && (!this.playing || this.frames % every === 0)) this.render();
    }
    this.frames++;
    requestAnimationFrame(this.frame);
  };

  private render(): void {
    const start = performance.now();
    this.renders++;
    this.dirty = false;
    const grid = evaluateGrid(this.net, this.state.features);
    this.network.render(this.state, this.net, grid);
    let hover: { t: Tensor; col: number } | null = null;
    if (this.hoverKey?.startsWith('feature:')) hover = { t: featureGrid(this.hoverKey.slice(8) as FeatureName), col: 0 };
    else if (this.hoverKey) {
      const [id, unit] = this.hoverKey.split(':');
      const t = grid.get(id!);
      if (t) hover = { t, col: Number(unit) };
    }
    // The fine output grid costs a few ms: while training it is refreshed every other redraw.
    if (!this.fine || this.fine.net !== this.net || !this.playing || this.renders % 2 === 0) {
      this.fine = { net: this.net, out: evaluateFineOutput(this.net, this.state.features) };
    }
    this.output.render(this.state, this.data, grid, this.session.history, hover, hover ? null : this.fine.out);
    this.showEpoch(this.session.epoch);
    this.renderMs = 0.8 * this.renderMs + 0.2 * (performance.now() - start);
  }

  private showEpoch(n: number): void {
    const text = n.toLocaleString('en-US', { minimumIntegerDigits: 6 });
    const counter = document.getElementById('epoch');
    if (counter && counter.textContent !== text) counter.textContent = text;
  }

  private stopForDivergence(): void {
    this.setPlaying(false);
    const d = this.session.diverged!;
    this.banner.hidden = false;
    this.banner.replaceChildren(
      el('span', {}, `${d.message} `),
      el('button', { id: 'divergence-reset', onclick: () => this.reset() }, 'Reset the network'));
  }

  togglePlay = (): void => {
    if (this.session.diverged && this.state.mode !== 'approx') return;
    this.setPlaying(!this.playing);
  };

  private setPlaying(on: boolean): void {
    this.playing = on;
    this.session.play(on && this.state.mode !== 'approx');
    this.syncPlayButton();
  }

  stepEpoch = (): void => {
    this.setPlaying(false);
    if (this.state.mode === 'approx') return this.approx.frame(true, 1e9, 1);
    this.session.step();
  };

  reset = (): void => {
    this.banner.hidden = true;
    if (this.state.mode === 'approx') return this.approx.reset();
    this.rebuild('rebuild');
  };

  regenerate = (): void => {
    this.update({ seed: (this.state.seed * 48271 + 11) % 2147483647 || 1 }, 'data');
  };

  handbook = (): void => {
    this.setPlaying(false);
    this.state = handbookPreset();
    this.rebuild('data');
  };

  uploadCsv = (file: File): void => {
    void file.text().then((text) => {
      try {
        const parsed = parsePointsCsv(text);
        this.update({ points: parsed.points, problem: parsed.problem, classes: parsed.classes, dataset: 'custom' }, 'data');
        this.say(`Loaded ${parsed.note}.`);
      } catch (e) {
        this.say((e as Error).message);
      }
    });
  };

  exportModel = (): void => {
    void downloadModel(this.net, this.state).then((msg) => this.say(msg), (e: Error) => this.say(e.message));
  };

  exportSnippet = (): void => {
    this.say(downloadSnippet(this.state, this.net));
  };

  private addPoint(x1: number, x2: number): void {
    if (this.state.hide.includes('userData')) return;
    // Clicking starts from the points on screen, so the user adds to what they see.
    const base = this.state.dataset === 'custom' ? this.state.points : [...this.data.train.samples, ...this.data.test.samples];
    const y = this.state.problem === 'regression' ? 0.5 : clickedClass();
    this.update({ points: [...base.map((p) => ({ x1: p.x1, x2: p.x2, y: p.y })), { x1, x2, y }], dataset: 'custom' }, 'data');
  }

  private say(text: string): void {
    this.message.textContent = text;
  }

  private syncPlayButton(): void {
    const b = document.getElementById('play');
    if (b) {
      b.textContent = this.playing ? '❚❚' : '▶';
      b.setAttribute('aria-pressed', String(this.playing));
    }
  }
}
