import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromBytes } from '../../src/io/bytes.js';
import { tensor } from '../../src/index.js';
import { openPage, startHarness, type Harness } from './browser.js';

// End-to-end: build and serve the page, drive it in Debian's Chromium as a user would, and
// save a screenshot per test in test-output/ (SLOIKA_UPDATE_SCREENSHOT=1 copies the spiral one to
// docs/playground.png, the README's picture).

const OUT = new URL('../../test-output/', import.meta.url).pathname;
let h: Harness;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  h = await startHarness();
}, 60_000);

afterEach(async () => {
  await h?.closePages();
});

afterAll(async () => {
  await h?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${OUT}${name}.png` });
/** The training worker answers a new network with its first losses; read numbers after that. */
const ready = (page: Page) => page.waitForFunction('window.sloikaPlayground.session.history.length > 0');
const num = async (page: Page, sel: string) => {
  await ready(page);
  return Number(await page.textContent(sel));
};
const epoch = async (page: Page) => Number((await page.textContent('#epoch'))!.replace(/,/g, ''));

/** Play until `done` holds (polling), then pause. */
async function trainUntil(page: Page, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  await page.click('#play');
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > timeoutMs) break;
    await page.waitForTimeout(50);
  }
  await page.click('#play');
}

describe('playground in Chromium', () => {
  it('learns the spiral after picking it, adding features, a layer and neurons', async () => {
    const { page, errors } = await openPage(h);
    await page.click('#dataset-spiral');
    await page.click('[data-key="feature:sinX1"]');
    await page.click('[data-key="feature:sinX2"]');
    await page.click('#add-layer');
    expect(await page.textContent('#layer-count')).toBe('3 hidden layers');
    for (let i = 0; i < 4; i++) await page.click('[aria-label="add a neuron to hidden 1"]');
    for (let i = 0; i < 6; i++) await page.click('[aria-label="add a neuron to hidden 2"]');
    await page.selectOption('#optimizer', 'adam');
    await page.selectOption('#learning-rate', '0.01');
    expect(page.url()).toContain('layers=8%3Atanh%2C8%3Atanh%2C2%3Atanh');
    const before = await num(page, '#test-loss');
    await trainUntil(page, async () => (await num(page, '#test-loss')) < 0.25, 25_000);
    const after = await num(page, '#test-loss');
    console.log(`spiral: test loss ${before} → ${after} after ${await epoch(page)} epochs`);
    expect(after).toBeLessThan(0.25);
    await page.check('#show-test');
    await shot(page, 'spiral-trained');
    // The README's picture: refreshed on request only, so test runs leave the tree clean.
    if (process.env.SLOIKA_UPDATE_SCREENSHOT === '1') {
      mkdirSync(new URL('../../docs/', import.meta.url), { recursive: true });
      copyFileSync(`${OUT}spiral-trained.png`, new URL('../../docs/playground.png', import.meta.url));
    }
    expect(errors).toEqual([]);
  });

  it('reproduces the exact setup from its URL (same seed, same data, same start)', async () => {
    const a = await openPage(h, 'dataset=xor&noise=20&percTrainData=70&seed=77&features=x1,x2,x1x2&layers=5:relu,3:elu&learningRate=0.1&batchSize=7&regularization=l2&regularizationRate=0.003');
    const url = a.page.url();
    const b = await openPage(h, url.split('#')[1]);
    await ready(a.page);
    await ready(b.page);
    const read = (p: Page) => p.evaluate(() => {
      const app = (window as any).sloikaPlayground;
      return { state: app.state, first: app.data.train.samples.slice(0, 3), loss: app.session.history[0].testLoss };
    });
    const [ra, rb] = [await read(a.page), await read(b.page)];
    expect(rb).toEqual(ra);
    expect(ra.state.seed).toBe(77);
    expect(await b.page.inputValue('#batch-size')).toBe('7');
    expect(await b.page.inputValue('#regularization')).toBe('l2');
    expect(b.page.url()).toBe(url);
    await shot(b.page, 'url-round-trip');
    await b.page.click('#regenerate');
    expect(b.page.url()).not.toContain('seed=77');
    expect(await b.page.evaluate('window.sloikaPlayground.data.train.samples[0]')).not.toEqual(ra.first[0]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('trains a multiclass softmax head and the two-branch graph mode', async () => {
    const { page, errors } = await openPage(h);
    await page.selectOption('#problem', 'multiclass');
    await page.selectOption('#classes', '4');
    expect(page.url()).toContain('dataset=blobs');
    await page.selectOption('#learning-rate', '0.1');
    await trainUntil(page, async () => (await epoch(page)) >= 30, 10_000);
    expect(await num(page, '#test-loss')).toBeLessThan(0.5);
    // Four class colours fill the heatmap.
    const hues = await page.evaluate(() => {
      const c = document.getElementById('heatmap') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<string>();
      const at = (f: number) => Math.round(f * (c.width - 1));
      for (const [x, y] of [[0.5, 0.1], [0.1, 0.5], [0.5, 0.9], [0.9, 0.5]]) {
        const o = (at(y!) * c.width + at(x!)) * 4;
        seen.add(d[o]! > d[o + 2]! ? (d[o + 1]! > 140 ? 'orange' : 'red') : d[o + 1]! > d[o]! + 40 ? (d[o + 2]! > 150 ? 'blue' : 'green') : 'purple');
      }
      return [...seen];
    });
    expect(hues.length).toBe(4);
    await shot(page, 'multiclass');

    await page.selectOption('#mode', 'graph');
    expect(await page.locator('.shape', { hasText: 'concat N×8' }).count()).toBe(1);
    expect(await page.textContent('#model-summary pre')).toMatch(/Concat\s+\[N, 8\]/);
    await page.selectOption('select[data-block="B"]', 'sigmoid');
    expect(page.url()).toContain('branches=4%3Arelu%2C4%3Asigmoid');
    const start = await num(page, '#train-loss');
    await trainUntil(page, async () => (await epoch(page)) >= 20, 10_000);
    expect(await num(page, '#train-loss')).toBeLessThan(start);
    await shot(page, 'graph-mode');
    expect(errors).toEqual([]);
  });

  it('uploads a CSV of points and trains on it', async () => {
    const { page, errors } = await openPage(h);
    // A bad file is refused with the line and column to fix, and nothing changes.
    await page.setInputFiles('#csv-upload', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x1,x2,label\n1,2,0\n3,oops,1\n') });
    await page.waitForFunction("document.getElementById('message').textContent !== ''");
    expect(await page.textContent('#message')).toBe("CSV line 3, column 2 (x2): 'oops' is not a number");
    expect(await page.$('#dataset-custom')).toBeNull();
    const rows = ['x1,x2,label'];
    for (let i = 0; i < 40; i++) rows.push(`${(i % 8) - 4},${Math.floor(i / 8) * 2 - 4},${(i % 8) - 4 + Math.floor(i / 8) * 2 - 4 > 0 ? 1 : 0}`);
    await page.setInputFiles('#csv-upload', { name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.waitForSelector('#dataset-custom');
    expect(await page.textContent('#message')).toBe('Loaded 40 points, binary.');
    expect(await page.getAttribute('#dataset-custom', 'aria-pressed')).toBe('true');
    const start = await num(page, '#train-loss');
    await trainUntil(page, async () => (await num(page, '#train-loss')) < start * 0.7, 10_000);
    expect(await num(page, '#train-loss')).toBeLessThan(start * 0.7);
    // Clicking the heatmap adds a point of the chosen class to the user's data.
    await page.selectOption('#add-class', '1');
    await page.click('#points', { position: { x: 40, y: 40 } });
    expect(await page.textContent('#dataset-custom')).toBe('your data (41)');
    expect(await page.evaluate('window.sloikaPlayground.state.points.at(-1).y')).toBe(1);
    await shot(page, 'csv-upload');
    expect(errors).toEqual([]);
  });

  it('exports the trained model in sloika format, which the library loads with the same predictions', async () => {
    const { page, errors } = await openPage(h, 'dataset=gaussians&seed=5&layers=3:tanh');
    await trainUntil(page, async () => (await epoch(page)) >= 5, 10_000);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    expect(download.suggestedFilename()).toBe('playground-model.sloika');
    const bytes = readFileSync((await download.path())!);
    const model = fromBytes(bytes);
    const inPage = await page.evaluate(() => {
      const app = (window as any).sloikaPlayground;
      return Array.from(app.net.forward(app.data.test.x).main.data.slice(0, 5) as Float32Array);
    });
    const x = await page.evaluate(() => (window as any).sloikaPlayground.data.test.samples.slice(0, 5).map((s: any) => [s.x1, s.x2]));
    const inNode = Array.from(model.forward({ x: tensor(x) }).y!.data);
    inNode.forEach((v, i) => expect(v).toBeCloseTo(inPage[i]!, 5));
    expect(model.heads).toEqual([{ output: 'y', kind: 'binary', weight: 1 }]);
    const [snippet] = await Promise.all([page.waitForEvent('download'), page.click('#export-snippet')]);
    const code = readFileSync((await snippet.path())!, 'utf8');
    expect(code).toContain("const x = input({ name: 'x', features: 2 });");
    expect(code).toContain('new Tanh().apply(new Linear(2, 3, { seed: 1 }).apply(x))');
    await shot(page, 'export');
    expect(errors).toEqual([]);
  });

  it('redraws smoothly while training: default setup near 60 fps, a 6×8 network without long stalls', async () => {
    const fps = async (hash: string) => {
      const { page, errors } = await openPage(h, hash);
      await page.click('#play');
      await page.waitForTimeout(400);
      // A plain string: the test runner's transform must not touch code run in the page.
      const r = (await page.evaluate(`new Promise((resolve) => {
        const app = window.sloikaPlayground;
        const f0 = app.frames, r0 = app.renders, e0 = app.session.epoch, t0 = performance.now();
        let last = t0, maxGap = 0;
        function tick() {
          const t = performance.now();
          maxGap = Math.max(maxGap, t - last);
          last = t;
          if (t - t0 < 1500) requestAnimationFrame(tick);
          const seconds = (t - t0) / 1000;
          if (t - t0 >= 1500) resolve({ fps: (app.frames - f0) / seconds, redrawsPerSecond: (app.renders - r0) / seconds, epochsPerSecond: (app.session.epoch - e0) / seconds, longestFrameMs: maxGap });
        }
        requestAnimationFrame(tick);
      })`)) as { fps: number; redrawsPerSecond: number; epochsPerSecond: number; longestFrameMs: number };
      expect(errors).toEqual([]);
      return { page, r };
    };
    const small = await fps('');
    await small.page.close();
    const big = await fps('layers=8:tanh,8:tanh,8:tanh,8:tanh,8:tanh,8:tanh&features=x1,x2,x1Squared,x2Squared,x1x2,sinX1,sinX2');
    await shot(big.page, 'six-by-eight');
    const round = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v as number)]));
    console.log(`frames: default ${JSON.stringify(round(small.r))}; 6×8 ${JSON.stringify(round(big.r))}`);
    writeFileSync(`${OUT}frame-rate.json`, JSON.stringify({ default: small.r, sixByEight: big.r }, null, 2));
    // Loose bounds, because CI machines are shared; on an idle machine the default setup runs
    // at 60 frames per second (the figures of each run are in test-output/frame-rate.json).
    expect(small.r.fps).toBeGreaterThan(15);
    expect(small.r.epochsPerSecond).toBeGreaterThan(5);
    expect(big.r.longestFrameMs).toBeLessThan(1000);
  });

  it('shows a NaN divergence plainly, with the step, and resets in one click', async () => {
    const { page, errors } = await openPage(h, 'problem=regression&dataset=plane&learningRate=10&layers=8:relu,8:relu');
    await page.click('#play');
    await page.waitForSelector('#divergence:not([hidden])', { timeout: 10_000 });
    const text = (await page.textContent('#divergence'))!;
    expect(text).toMatch(/Training diverged at epoch \d+, step \d+: (the loss became (NaN|Infinity|-Infinity)|parameter \d+ .* became NaN or infinite after the update)\./);
    expect(text).toMatch(/Try a lower learning rate \(now 10; e\.g\. 1\)/);
    expect(await page.getAttribute('#play', 'aria-pressed')).toBe('false');
    await shot(page, 'divergence');
    await page.click('#divergence-reset');
    expect(await page.isHidden('#divergence')).toBe(true);
    expect(await epoch(page)).toBe(0);
    expect(Number.isFinite(await num(page, '#train-loss'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('fits a curve with N sigmoid neurons in the universal-approximation mode, and lets the user draw one', async () => {
    const { page, errors } = await openPage(h);
    await page.selectOption('#mode', 'approx');
    await page.waitForSelector('#approx-canvas');
    const start = await num(page, '#approx-loss');
    await trainUntil(page, async () => (await num(page, '#approx-loss')) < start / 2, 10_000);
    expect(await num(page, '#approx-loss')).toBeLessThan(start / 2);
    await page.click('#approx-more');
    expect(await page.textContent('#approx-units')).toBe(' 7 sigmoid neurons');
    const box = (await page.locator('#approx-canvas').boundingBox())!;
    await page.mouse.move(box.x + 10, box.y + box.height * 0.3);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 10 + (i * (box.width - 20)) / 20, box.y + box.height * (0.3 + 0.02 * i));
    await page.mouse.up();
    await page.waitForFunction("location.hash.includes('curve=custom')", undefined, { timeout: 5000 });
    expect(await page.inputValue('#curve')).toBe('custom');
    const drawn = await num(page, '#approx-epoch');
    await trainUntil(page, async () => (await num(page, '#approx-epoch')) > drawn + 100, 5_000);
    await shot(page, 'approximation');
    expect(errors).toEqual([]);
  });

  it('classroom links hide the chosen controls; the page works from 1024 px and by keyboard', async () => {
    const { page, errors } = await openPage(h, 'dataset=xor&hide=dataset,learningRate', 1024);
    expect(await page.isHidden('#dataset-xor')).toBe(true);
    expect(await page.isHidden('#learning-rate')).toBe(true);
    expect(await page.isVisible('#noise')).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    // Keyboard: a feature toggles with Enter, play starts from the keyboard.
    await page.focus('[data-key="feature:x1x2"]');
    await page.keyboard.press('Enter');
    expect(page.url()).toContain('features=x1%2Cx2%2Cx1x2');
    await page.focus('#play');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#play', 'aria-pressed')).toBe('true');
    await page.keyboard.press('Enter');
    await page.check('#discretize');
    expect(page.url()).toContain('discretize=1');
    // Each layer may have its own LeakyReLU slope or ELU scale.
    await page.selectOption('select[data-block="h0"]', 'elu');
    await page.fill('input[data-alpha="h0"]', '0.7');
    await page.press('input[data-alpha="h0"]', 'Tab');
    expect(page.url()).toContain('layers=4%3Aelu%3A0.7%2C2%3Atanh');
    expect(await page.evaluate('window.sloikaPlayground.net.blocks[0].act.alpha')).toBe(0.7);
    await shot(page, 'classroom-1024');
    expect(errors).toEqual([]);
  });

  it('handbook preset: two sigmoid neurons bend the border and classify the wedge', async () => {
    const { page, errors } = await openPage(h);
    await page.click('#handbook');
    expect(await page.textContent('#caption')).toContain('two sigmoid neurons');
    expect(page.url()).toContain('layers=2%3Asigmoid');
    await trainUntil(page, async () => Number((await page.textContent('#test-metric'))!.replace(' %', '')) > 90, 15_000);
    expect(Number((await page.textContent('#test-metric'))!.replace(' %', ''))).toBeGreaterThan(90);
    await shot(page, 'handbook');
    expect(errors).toEqual([]);
  });

  it('shows learnable PReLU slopes, trains a multi-task head, and edits a bias by click', async () => {
    const { page, errors } = await openPage(h, 'layers=3:prelu&multiTask=1&learningRate=0.1');
    expect(await page.locator('.alpha').first().textContent()).toBe('α 0.25');
    expect(await page.isVisible('.value-heatmap')).toBe(true);
    await trainUntil(page, async () => (await epoch(page)) >= 30, 10_000);
    const alphas = await page.locator('.alpha').allTextContents();
    expect(alphas.some((a) => a !== 'α 0.25')).toBe(true);
    await page.locator('.bias').first().click();
    await page.fill('#edit-box', '1.5');
    await page.press('#edit-box', 'Enter');
    expect(await page.evaluate('window.sloikaPlayground.net.blocks[0].linear.bias.data[0]')).toBe(1.5);
    // Hovering a node shows its output large: X₁ is orange on the left, blue on the right.
    await page.hover('[data-key="feature:x1"]');
    await page.waitForTimeout(100);
    const [left, right] = (await page.evaluate(`(() => {
      const c = document.getElementById('heatmap'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const at = (x) => { const o = (Math.floor(c.height / 2) * c.width + x) * 4; return [d[o], d[o + 1], d[o + 2]]; };
      return [at(4), at(c.width - 5)];
    })()`)) as number[][];
    expect(left![0]! > left![2]!).toBe(true); // orange: more red than blue
    expect(right![2]! > right![0]!).toBe(true); // blue
    await page.mouse.move(0, 0);
    await page.check('#show-gradients');
    expect(page.url()).toContain('gradients=1');
    await shot(page, 'prelu-multitask');
    expect(errors).toEqual([]);
  });
});
