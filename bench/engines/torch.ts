import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchData } from '../data.js';
import type { BenchSpec } from '../spec.js';
import type { Metrics } from '../timing.js';

// PyTorch runs out of process (bench/torch_bench.py) on the same data and weights, written to
// raw binary files in a temporary folder. Debian's python3-torch is enough.

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

/** Run the PyTorch side once per thread count; returns one Metrics per count. */
export function measureTorch(spec: BenchSpec, data: BenchData, threads: number[], only: Set<string> | null): Metrics[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'sloika-bench-'));
  try {
    const manifest = path.join(dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ spec, only: only ? [...only] : null, files: writeData(dir, data) }));
    return threads.map((t) => {
      const r = spawnSync(python!, [script, manifest, String(t)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`torch_bench.py failed (threads ${t}):\n${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as Metrics;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
