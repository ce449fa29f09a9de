// A few lines of DOM building so views read as structure, not as createElement calls.

type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/** Create an element: `el('button', { class: 'x', onclick: f }, 'Play')`. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') node.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children) node.append(c);
  return node;
}

/** A labelled <select> whose change calls `onPick` with the chosen value. */
export function select<T extends string | number>(
  id: string, label: string, options: readonly { value: T; text: string }[], current: T, onPick: (v: T) => void,
): HTMLElement {
  const s = el('select', { id, 'aria-label': label });
  for (const o of options) {
    const opt = el('option', { value: String(o.value) }, o.text);
    if (o.value === current) opt.selected = true;
    s.append(opt);
  }
  s.addEventListener('change', () => {
    const o = options.find((x) => String(x.value) === s.value);
    if (o) onPick(o.value);
  });
  return el('label', { class: 'field' }, el('span', {}, label), s);
}

/** Format a number for the page: 3 significant digits, no exponent for ordinary sizes. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 0.001 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return v.toFixed(3);
}
