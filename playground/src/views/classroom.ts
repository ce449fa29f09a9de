import { el } from '../dom.js';
import { HIDEABLE, type Hideable, type PlaygroundState } from '../state.js';
import { stateToHash } from '../url.js';

// Classroom mode: a teacher ticks the controls to hide and copies a link; whoever opens it
// sees the same setup without those controls.

const LABELS: Record<Hideable, string> = {
  dataset: 'data set', noise: 'noise', ratio: 'train/test ratio', batch: 'batch size', regenerate: 'regenerate',
  features: 'features', layers: 'layers', activation: 'activation', learningRate: 'learning rate',
  regularization: 'regularization', problem: 'problem type', optimizer: 'optimizer', mode: 'mode',
  export: 'export', userData: 'your data',
};

export function classroomPanel(s: PlaygroundState): HTMLElement {
  const chosen = new Set<Hideable>(s.hide);
  const link = el('input', { id: 'classroom-link', type: 'text', readonly: true, 'aria-label': 'classroom link' });
  const refresh = () => {
    const url = new URL(location.href);
    url.hash = stateToHash({ ...s, hide: HIDEABLE.filter((h) => chosen.has(h)) });
    link.value = url.toString();
  };
  const boxes = HIDEABLE.map((h) => {
    const box = el('input', { type: 'checkbox', value: h, checked: chosen.has(h) });
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(h);
      else chosen.delete(h);
      refresh();
    });
    return el('label', { class: 'check' }, box, ` ${LABELS[h]}`);
  });
  refresh();
  return el('details', { class: 'classroom', id: 'classroom' },
    el('summary', {}, 'Classroom link: hide controls'),
    el('div', { class: 'hide-list' }, ...boxes),
    link,
    el('button', { onclick: () => { link.select(); void navigator.clipboard?.writeText(link.value); } }, 'Copy link'));
}
