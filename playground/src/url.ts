import {
  ACTIVATIONS, CURVES, FEATURES, HIDEABLE, MAX_LAYERS, MAX_UNITS, MODES, OPTIMIZERS, PROBLEMS, REGULARIZATIONS,
  defaultState, type LayerSpec, type PlaygroundState, type UserPoint,
} from './state.js';

// One declarative table drives the URL both ways (TensorFlow Playground's good idea): each row
// names a key, how to write the field and how to read it back. Reading never throws: a value
// that does not parse keeps the default, so an old or hand-edited link still opens.

interface Field {
  key: string;
  write(s: PlaygroundState): string;
  /** Apply the text to the state; ignore it when invalid. */
  read(s: PlaygroundState, text: string): void;
}

const int = (lo: number, hi: number) => (t: string): number | undefined => {
  const v = Number(t);
  return Number.isInteger(v) && v >= lo && v <= hi ? v : undefined;
};
const num = (lo: number, hi: number) => (t: string): number | undefined => {
  const v = Number(t);
  return t !== '' && Number.isFinite(v) && v >= lo && v <= hi ? v : undefined;
};
const oneOf = <T extends string>(options: readonly T[]) => (t: string): T | undefined =>
  (options as readonly string[]).includes(t) ? (t as T) : undefined;
const bool = (t: string): boolean | undefined => (t === '1' ? true : t === '0' ? false : undefined);

type Key = keyof PlaygroundState;

/** A scalar field: written with String(), read through `parse`. */
function scalar<K extends Key>(key: string, field: K, parse: (t: string) => PlaygroundState[K] | undefined): Field {
  return {
    key,
    write: (s) => (typeof s[field] === 'boolean' ? (s[field] ? '1' : '0') : String(s[field])),
    read: (s, t) => {
      const v = parse(t);
      if (v !== undefined) s[field] = v;
    },
  };
}

/** "4:tanh,2:relu,3:elu:0.5" ⇄ layer specs (a third part is the layer's own alpha). */
export function writeLayers(layers: readonly LayerSpec[]): string {
  return layers.map((l) => `${l.units}:${l.activation}${l.alpha === undefined ? '' : `:${l.alpha}`}`).join(',');
}

export function readLayers(text: string, maxLayers = MAX_LAYERS): LayerSpec[] | undefined {
  if (text === '') return [];
  const parts = text.split(',');
  if (parts.length > maxLayers) return undefined;
  const out: LayerSpec[] = [];
  for (const p of parts) {
    const [u, a, alphaText, ...rest] = p.split(':');
    const units = int(1, MAX_UNITS)(u ?? '');
    const activation = oneOf(ACTIVATIONS)(a ?? '');
    const alpha = alphaText === undefined ? undefined : num(0, 10)(alphaText);
    if (units === undefined || activation === undefined || rest.length || (alphaText !== undefined && alpha === undefined)) return undefined;
    out.push(alpha === undefined ? { units, activation } : { units, activation, alpha });
  }
  return out;
}

/** Points as "x1_x2_y" triples joined by '~', two decimals: compact and URL-safe. */
export function writePoints(points: readonly UserPoint[]): string {
  const r = (v: number) => String(Math.round(v * 100) / 100);
  return points.map((p) => `${r(p.x1)}_${r(p.x2)}_${r(p.y)}`).join('~');
}

export function readPoints(text: string): UserPoint[] | undefined {
  if (text === '') return [];
  const out: UserPoint[] = [];
  for (const p of text.split('~')) {
    const v = p.split('_').map(Number);
    if (v.length !== 3 || !v.every(Number.isFinite)) return undefined;
    out.push({ x1: v[0]!, x2: v[1]!, y: v[2]! });
  }
  return out;
}

function list<T extends string>(key: string, field: 'features' | 'hide', options: readonly T[]): Field {
  return {
    key,
    write: (s) => (s[field] as string[]).join(','),
    read: (s, t) => {
      const items = t === '' ? [] : t.split(',');
      if (items.every((i) => (options as readonly string[]).includes(i))) (s[field] as string[]) = [...new Set(items)];
    },
  };
}

const FIELDS: readonly Field[] = [
  scalar('mode', 'mode', oneOf(MODES)),
  scalar('problem', 'problem', oneOf(PROBLEMS)),
  scalar('dataset', 'dataset', (t) => (/^[A-Za-z]{1,20}$/.test(t) ? t : undefined)),
  scalar('classes', 'classes', int(3, 5)),
  scalar('noise', 'noise', int(0, 50)),
  scalar('percTrainData', 'trainPercent', int(10, 90)),
  scalar('seed', 'seed', int(0, 2 ** 31 - 1)),
  list('features', 'features', FEATURES),
  {
    key: 'layers',
    write: (s) => writeLayers(s.layers),
    read: (s, t) => {
      const v = readLayers(t);
      if (v) s.layers = v;
    },
  },
  scalar('alpha', 'alpha', num(0, 10)),
  scalar('learningRate', 'learningRate', num(1e-6, 10)),
  scalar('optimizer', 'optimizer', oneOf(OPTIMIZERS)),
  scalar('regularization', 'regularization', oneOf(REGULARIZATIONS)),
  scalar('regularizationRate', 'regularizationRate', num(0, 10)),
  scalar('batchSize', 'batchSize', int(1, 30)),
  scalar('showTestData', 'showTest', bool),
  scalar('discretize', 'discretize', bool),
  scalar('gradients', 'showGradients', bool),
  {
    key: 'branches',
    write: (s) => writeLayers(s.branches),
    read: (s, t) => {
      const v = readLayers(t, 2);
      if (v && v.length === 2) s.branches = [v[0]!, v[1]!];
    },
  },
  scalar('multiTask', 'multiTask', bool),
  scalar('taskWeight', 'taskWeight', num(0, 1)),
  scalar('approxUnits', 'approxUnits', int(1, 20)),
  scalar('curve', 'curve', oneOf(CURVES)),
  {
    key: 'curvePoints',
    write: (s) => s.curvePoints.map((v) => Math.round(v * 100) / 100).join(','),
    read: (s, t) => {
      const v = t === '' ? [] : t.split(',').map(Number);
      if (v.every(Number.isFinite) && v.length <= 200) s.curvePoints = v;
    },
  },
  {
    key: 'points',
    write: (s) => writePoints(s.points),
    read: (s, t) => {
      const v = readPoints(t);
      if (v) s.points = v;
    },
  },
  list('hide', 'hide', HIDEABLE),
  scalar('caption', 'caption', (t) => t.slice(0, 400)),
];

/**
 * The state as URL hash parameters (without the '#'). Fields equal to the default are left
 * out to keep links short, except the seed and data set, which a link always pins.
 * @example stateToHash(defaultState()); // 'dataset=circle&seed=1'
 */
export function stateToHash(s: PlaygroundState): string {
  const d = defaultState();
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    const v = f.write(s);
    if (v !== f.write(d) || f.key === 'seed' || f.key === 'dataset') params.set(f.key, v);
  }
  return params.toString();
}

/**
 * Read a state from URL hash parameters (with or without the '#'); unknown keys and invalid
 * values fall back to the defaults.
 * @example hashToState('#dataset=spiral&noise=10').noise; // 10
 */
export function hashToState(hash: string): PlaygroundState {
  const s = defaultState();
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const f of FIELDS) {
    const t = params.get(f.key);
    if (t !== null) f.read(s, t);
  }
  return s;
}
