import { prepareData } from './dataset.js';
import { PlaygroundNet } from './model.js';
import { TrainingSession, type EpochRecord } from './session.js';
import type { PlaygroundState } from './state.js';
import type { ToWorker, WorkerUpdate } from './remote.js';

// The training loop off the page's main thread. It builds the same network and data as the
// page (same state, same seed, so the same numbers), trains in slices, and after each slice
// posts the parameters, their gradients and the new loss records back to the page.

/** At most one epoch per 16 ms, about the pace of TensorFlow Playground's one per frame. */
const SLICE_MS = 12;
const EPOCH_MS = 16;

let session: TrainingSession | null = null;
let net: PlaygroundNet | null = null;
let generation = 0;
let playing = false;
let sent = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

const post = (msg: WorkerUpdate) => (self as unknown as Worker).postMessage(msg);

function update(): void {
  if (!session || !net) return;
  const history: EpochRecord[] = session.history.slice(sent);
  sent = session.history.length;
  const params = net.parameters();
  post({
    type: 'update',
    generation,
    params: params.map((p) => Float32Array.from(p.data)),
    grads: params.map((p) => (p.grad ? Float32Array.from(p.grad.data) : null)),
    epoch: session.epoch,
    steps: session.steps,
    history,
    diverged: session.diverged,
  });
}

function slice(): void {
  timer = null;
  if (!playing || !session) return;
  const start = performance.now();
  session.advance(SLICE_MS, 1);
  update();
  if (session.diverged) {
    playing = false;
    return;
  }
  timer = setTimeout(slice, Math.max(0, EPOCH_MS - (performance.now() - start)));
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'init': {
      generation = msg.generation;
      const state: PlaygroundState = msg.state;
      net = new PlaygroundNet(state);
      session = new TrainingSession(net, prepareData(state), state);
      sent = 0;
      update();
      break;
    }
    case 'retune':
      session?.retune(msg.state);
      break;
    case 'play':
      playing = msg.on;
      if (playing && timer === null) slice();
      break;
    case 'step':
      playing = false;
      session?.advance(1e9, 1);
      update();
      break;
    case 'setParams':
      if (net && session) {
        net.parameters().forEach((p, i) => p.data.set(msg.params[i]!));
        session.history.push({ epoch: session.epoch, ...session.measure() });
        update();
      }
      break;
  }
};
