import type { PlaygroundNet } from './model.js';
import { Tensor } from './sloika.js';
import type { Divergence, EpochRecord } from './session.js';
import type { PlaygroundState } from './state.js';

// The page's side of the training worker: it mirrors what the views read (epoch, loss history,
// divergence) and copies each update's parameters and gradients into the page's own network,
// which the views draw and the export saves.

export type ToWorker =
  | { type: 'init'; generation: number; state: PlaygroundState }
  | { type: 'retune'; state: PlaygroundState }
  | { type: 'play'; on: boolean }
  | { type: 'step' }
  | { type: 'setParams'; params: Float32Array[] };

export interface WorkerUpdate {
  type: 'update';
  generation: number;
  params: Float32Array[];
  grads: (Float32Array | null)[];
  epoch: number;
  steps: number;
  history: EpochRecord[];
  diverged: Divergence | null;
}

export class RemoteTrainer {
  epoch = 0;
  steps = 0;
  history: EpochRecord[] = [];
  diverged: Divergence | null = null;
  private readonly worker: Worker;
  private generation = 0;
  private net: PlaygroundNet | null = null;

  /** `onUpdate` runs after each update from the worker has been applied. */
  constructor(private readonly onUpdate: () => void) {
    this.worker = new Worker(new URL('./trainWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerUpdate>) => this.apply(e.data);
  }

  /** Start over with a new network (the worker builds the same one from the same state). */
  init(net: PlaygroundNet, state: PlaygroundState): void {
    this.net = net;
    this.generation++;
    this.epoch = 0;
    this.steps = 0;
    this.history = [];
    this.diverged = null;
    this.send({ type: 'init', generation: this.generation, state });
  }

  retune(state: PlaygroundState): void {
    this.send({ type: 'retune', state });
  }

  play(on: boolean): void {
    this.send({ type: 'play', on });
  }

  step(): void {
    this.send({ type: 'step' });
  }

  /** The user edited a weight or bias in the page: the worker takes the page's parameters. */
  pushParams(): void {
    if (this.net) this.send({ type: 'setParams', params: this.net.parameters().map((p) => Float32Array.from(p.data)) });
  }

  private send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  private apply(u: WorkerUpdate): void {
    if (u.generation !== this.generation || !this.net) return; // from a network since replaced
    this.net.parameters().forEach((p, i) => {
      p.data.set(u.params[i]!);
      const g = u.grads[i];
      if (g) {
        if (!p.grad) p.grad = new Tensor(new Float32Array(g.length), p.shape);
        p.grad.data.set(g);
      }
    });
    this.epoch = u.epoch;
    this.steps = u.steps;
    this.history.push(...u.history);
    this.diverged = u.diverged;
    this.onUpdate();
  }
}
