import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Module, ModelFormatError, registerLayer, tensor, input, Model, type Tensor } from '../../src/index.js';
import { loadModel, saveModel, writeFileAtomic, ARCHITECTURE_FILE, WEIGHTS_FILE } from '../../src/node.js';
import { everything, twoBranch } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fresh = () => mkdtempSync(path.join(tmpdir(), 'sloika-io-'));
const x = tensor([[0.1, -2], [3, 0.5]]);
const bits = (t: Tensor) => Array.from(new Uint32Array(new Float32Array(t.data).buffer));

describe('saveModel / loadModel (sloika/node)', () => {
  it('one file: loads the identical model', () => {
    const file = path.join(fresh(), 'model.sloika');
    const model = twoBranch();
    saveModel(model, file);
    expect(readFileSync(file).subarray(0, 6).toString()).toBe('sloika');
    expect(bits(loadModel(file).predict({ x }).y!)).toEqual(bits(model.predict({ x }).y!));
  });

  it('a directory: readable model.json + weights.bin', () => {
    const dir = path.join(fresh(), 'cats');
    const model = everything();
    saveModel(model, dir, { format: 'directory', metadata: { by: 'test' } });
    expect(readdirSync(dir).sort()).toEqual([ARCHITECTURE_FILE, WEIGHTS_FILE]);
    const json = JSON.parse(readFileSync(path.join(dir, ARCHITECTURE_FILE), 'utf8'));
    expect(json.metadata).toEqual({ by: 'test' });
    const copy = loadModel(dir);
    const inputs = { image: tensor([[1, 2, 3, 4]]), extra: tensor([[-1, 0, 1, 2]]) };
    expect(bits(copy.predict(inputs).count!)).toEqual(bits(model.predict(inputs).count!));
  });

  it('missing paths and bad files give a ModelFormatError line', () => {
    const dir = fresh();
    expect(() => loadModel(path.join(dir, 'nope.sloika'))).toThrow(new ModelFormatError(`no such file or directory: ${path.join(dir, 'nope.sloika')}`));
    expect(() => loadModel(dir)).toThrow(new ModelFormatError(`no such file: ${path.join(dir, ARCHITECTURE_FILE)}`));
    writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    expect(() => loadModel(path.join(dir, 'notes.txt'))).toThrow(/^cannot load model: not a sloika model file \(it starts with "hello"/);
  });

  it('a write that fails part-way leaves the previous file intact and no temporary file behind', () => {
    const dir = fresh();
    const file = path.join(dir, 'model.sloika');
    saveModel(twoBranch(), file);
    const before = readFileSync(file);
    const crash = (fd: number, bytes: Uint8Array) => {
      writeFileSync(fd, bytes.subarray(0, 100)); // half a file reaches the disk…
      throw new Error('disk full'); // …then the write fails
    };
    expect(() => writeFileAtomic(file, new Uint8Array(1000).fill(7), crash)).toThrow('disk full');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['model.sloika']);
    expect(loadModel(file).parameterCount()).toBe(147);
  });

  it('a model that cannot be saved does not touch the previous file', () => {
    const dir = fresh();
    const file = path.join(dir, 'model.sloika');
    saveModel(twoBranch(), file);
    const before = readFileSync(file);
    class Unsaveable extends Module {
      forward(t: Tensor): Tensor {
        return t;
      }
    }
    // Registered, so graphs can use it, but its config cannot become JSON: saving fails before any write.
    registerLayer({ kind: 'Unsaveable', layerClass: Unsaveable, config: () => ({ big: 10n }), create: () => new Unsaveable(), outputFeatures: (_, d) => d });
    const xi = input({ name: 'x', features: 2 });
    const model = new Model({ inputs: xi, outputs: new Unsaveable().apply(xi) });
    expect(() => saveModel(model, file)).toThrow(/BigInt/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['model.sloika']);
  });

  it('killing a process in the middle of saving leaves a loadable file', async () => {
    const dir = fresh();
    const file = path.join(dir, 'model.sloika');
    const script = path.join(dir, 'writer.ts');
    const src = (f: string) => pathToFileURL(path.resolve(here, '..', '..', 'src', f)).href;
    writeFileSync(
      script,
      `import { saveModel } from '${src('node.ts')}';
       import { sequentialModel } from '${src('index.ts')}';
       const small = sequentialModel({ inputs: 2, hidden: [4], head: 'binary', seed: 1 });
       const big = sequentialModel({ inputs: 64, hidden: [512, 512], head: 'binary', seed: 2 });
       saveModel(small, ${JSON.stringify(file)});
       console.log('ready');
       for (;;) saveModel(big, ${JSON.stringify(file)});`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    await new Promise((r) => setTimeout(r, 300)); // a few big saves in flight
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(file)).toBe(true);
    // Either the small model or a complete big one: never a torn file.
    expect([2 * 4 + 4 + 4 + 1, 64 * 512 + 512 + 512 * 512 + 512 + 512 + 1]).toContain(loadModel(file).parameterCount());
  }, 30_000);
});
