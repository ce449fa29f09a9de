import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchData } from '../data.js';
import type { BenchSpec } from '../spec.js';
import type { Engine, Unit } from './engine.js';

// PyTorch runs out of process (bench/torch_bench.py) on the same data and weights, written to
// raw binary files in a temporary folder; one process per thread count serves requests for single
// calls, so its calls interleave with the other engines'. Debian's python3-torch is enough.

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'torch_bench.py');

// A pyenv or venv python3 on PATH may not see Debian's packages, so /usr/bin/python3 is tried too.
const candidates = [process.env.SLOIKA_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
let python: string | null = null;
let version = '';

/** Null when some python3 can import torch; otherwise the reason PyTorch is skipped. */
export function torchAvailable(): string | null {
  for (const p of candidates) {
    const r = spawnSync(p, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) {
      python = p;
      version = r.stdout.trim();
      return null;
    }
  }
  return `PyTorch skipped: none of ${candidates.join(', ')} can import torch and numpy (apt-get install -y python3-torch)`;
}

export function torchVersion(): string {
  return version;
}

function writeData(dir: string, data: BenchData): Record<string, string> {
  const files: Record<string, string> = {};
  const put = (name: string, a: Float32Array | Int32Array): void => {
    const file = path.join(dir, `${name}.bin`);
    writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    files[name] = file;
  };
  for (const w of ['W1', 'W2', 'W3'] as const) {
    put(`${w}.x`, data[w].x);
    put(`${w}.labels`, data[w].labels);
    data[w].weights.forEach((a, l) => put(`${w}.w${l}`, a));
    data[w].biases.forEach((a, l) => put(`${w}.b${l}`, a));
  }
  put('I1.x', data.I1.x);
  data.I1.weights.forEach((a, l) => put(`I1.w${l}`, a));
  data.I1.biases.forEach((a, l) => put(`I1.b${l}`, a));
  put('A1', data.A1);
  for (const g of data.G1) {
    put(`G1.${g.n}.a`, g.a);
    put(`G1.${g.n}.b`, g.b);
  }
  return files;
}

/** One torch_bench.py process: a request per line in, a JSON answer per line out. */
class TorchProcess {
  private readonly child;
  private readonly answers: ((line: string) => void)[] = [];
  private stderr = '';
  private exited: string | null = null;

  constructor(manifest: string, threads: number) {
    this.child = spawn(python!, [script, manifest, String(threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answers.shift()?.(line));
    this.child.on('exit', (code) => {
      this.exited = `torch_bench.py (threads ${threads}) exited with code ${code}:\n${this.stderr}`;
      for (const answer of this.answers.splice(0)) answer(JSON.stringify({ error: this.exited }));
    });
  }

  /** Seconds of one 'warm' or 'time' request for `workload` (see torch_bench.py). */
  request(mode: 'warm' | 'time', workload: string): Promise<number> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.answers.push((line) => {
        const reply = JSON.parse(line) as { seconds?: number; error?: string };
        if (reply.error !== undefined) reject(new Error(`PyTorch ${workload}: ${reply.error}`));
        else resolve(reply.seconds!);
      });
      this.child.stdin.write(`${mode} ${workload}\n`);
    });
  }

  stop(): void {
    this.child.stdin.end();
  }
}

/**
 * PyTorch engines, one per thread count, each served by its own process ('remote' engines: the
 * process times its calls). `stop()` ends the processes and removes the data files.
 */
export function startTorch(data: BenchData, spec: BenchSpec, threads: number[]): { engines: Engine[]; stop(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sloika-bench-'));
  const manifest = path.join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ spec, files: writeData(dir, data) }));
  const processes = threads.map((t) => new TorchProcess(manifest, t));
  const engines = processes.map((p, i): Engine => {
    const unit = (workload: string): Unit => (mode = 'time') => p.request(mode, workload);
    return {
      name: `PyTorch ${threads[i]}T`,
      remote: true,
      init: async () => null,
      trainer: (_spec, _data, key) => unit(key),
      inference: (_spec, _data, batch, calls) => unit(`I1 ${batch} ${calls}`),
      activation: (kind) => unit(`A1 ${kind}`),
      matmul: (n) => unit(`G1 ${n}`),
    };
  });
  return {
    engines,
    stop() {
      for (const p of processes) p.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
