import { describe, expect, it } from 'vitest';
import { SplitChooser } from '../../../src/kernels/wasm/splitChooser.js';

// The per-shape choice between one thread and a split, driven by made-up timings.

/** Run `n` products of one shape whose timings are `alone` and `split` ms; returns the choices. */
function run(chooser: SplitChooser, n: number, alone: number, split: number): string[] {
  const choices: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = chooser.choose(128, 784, 512);
    choices.push(c);
    chooser.record(128, 784, 512, c, c === 'alone' ? alone : split);
  }
  return choices;
}

describe('SplitChooser', () => {
  it('times one thread, then the split, then keeps the split while it wins, re-timing one thread now and then', () => {
    const choices = run(new SplitChooser(), 200, 4, 2.2);
    expect(choices.slice(0, 3)).toEqual(['alone', 'split', 'split']);
    // At the 4th, 8th, 16th, 32nd product, then every 64th.
    expect(choices.map((c, i) => (c === 'alone' ? i + 1 : 0)).filter((i) => i > 0)).toEqual([1, 4, 8, 16, 32, 64, 128, 192]);
  });

  it('keeps one thread when the split is slower or only a tie, re-timing the split now and then', () => {
    for (const split of [6, 3.9]) { // slower; within the 5 % margin
      const choices = run(new SplitChooser(), 130, 4, split);
      expect(choices.slice(0, 3)).toEqual(['alone', 'split', 'alone']);
      expect(choices.map((c, i) => (c === 'split' ? i + 1 : 0)).filter((i) => i > 0)).toEqual([2, 4, 8, 16, 32, 64, 128]);
    }
  });

  it('undoes an unlucky first timing of the split at the 4th product', () => {
    const chooser = new SplitChooser();
    expect(chooser.choose(128, 784, 512)).toBe('alone');
    chooser.record(128, 784, 512, 'alone', 4);
    expect(chooser.choose(128, 784, 512)).toBe('split');
    chooser.record(128, 784, 512, 'split', 9); // the helper was asleep, say
    expect(chooser.choose(128, 784, 512)).toBe('alone');
    expect(chooser.choose(128, 784, 512)).toBe('split'); // the 4th
    chooser.record(128, 784, 512, 'split', 2.2);
    expect(chooser.choose(128, 784, 512)).toBe('split');
  });

  it('follows the load: a split that turns slow is dropped, and taken again once it is fast', () => {
    const chooser = new SplitChooser();
    run(chooser, 10, 4, 2); // splitting
    const busy = run(chooser, 40, 4, 30); // the other core gets busy: one slow split, then one thread
    expect(busy[0]).toBe('split');
    expect(busy.slice(1, 5)).toEqual(['alone', 'alone', 'alone', 'alone']);
    const free = run(chooser, 16, 4, 2); // free again: the next re-timed split wins at once
    expect(free.at(-1)).toBe('split');
  });

  it('keeps shapes apart, and splits everything when not measuring', () => {
    const chooser = new SplitChooser();
    run(chooser, 3, 4, 2);
    expect(chooser.choose(1024, 784, 512)).toBe('alone'); // a new shape starts over
    chooser.measuring = false;
    expect(chooser.choose(7, 7, 7)).toBe('split');
  });
});
