import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NODE_HELPER_SOURCE } from './helperProtocol.js';
import { installHelperSpawner, type HelperSpawner } from './helperPool.js';

// Node's helper threads for large matrix products: worker_threads started from source (no file
// to resolve, so it works from src/ under tsx and from dist/ alike) and unref'd, so a script
// that never calls anything to shut them down still exits when its own work is done.

/**
 * A spawner of unref'd worker threads running `source` (tests pass sources that misbehave).
 * A worker's error or exit marks its helper unusable; the caller is never left waiting on it.
 * @example installHelperSpawner(nodeSpawnerOf(NODE_HELPER_SOURCE), 2);
 */
export function nodeSpawnerOf(source: string): HelperSpawner {
  return (init, failed) => {
    const worker = new Worker(source, { eval: true, workerData: init });
    worker.unref();
    worker.on('error', failed);
    worker.on('exit', failed);
    return { stop: () => void worker.terminate() };
  };
}

/** Node's helper threads: the kernel's helper loop in a worker thread. */
export const nodeHelperSpawner: HelperSpawner = nodeSpawnerOf(NODE_HELPER_SOURCE);

/**
 * The default thread count in Node: the SLOIKA_THREADS environment variable when it holds a whole
 * number ≥ 1 (e.g. SLOIKA_THREADS=1 to time one core without changing code), otherwise two where
 * there are two cores (where it was measured); setThreads(n) asks for more from code.
 */
export const DEFAULT_NODE_THREADS = threadsFromEnvironment(process.env['SLOIKA_THREADS']) ?? Math.min(2, availableParallelism());

function threadsFromEnvironment(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  if (Number.isInteger(n) && n >= 1) return n;
  process.emitWarning(`SLOIKA_THREADS=${value} is not a whole number ≥ 1; using min(2, cores)`);
  return null;
}

installHelperSpawner(nodeHelperSpawner, DEFAULT_NODE_THREADS);
