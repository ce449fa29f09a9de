import { BROWSER_HELPER_SOURCE } from './helperProtocol.js';
import { installHelperSpawner, type HelperSpawner } from './helperPool.js';
import { wasmRuntime } from './runtime.js';

// Helper threads in browsers: Web Workers started from a Blob URL (no file to serve). Only
// cross-origin-isolated pages (COOP same-origin + COEP require-corp) have SharedArrayBuffer and
// so the shared-memory kernel the helpers need; elsewhere products stay on one thread. Opt-in:
// a page decides whether spending a second core on its products is welcome.

let helperUrl: string | null = null;

/** Start one helper as a Web Worker; an error event marks it unusable. */
export const browserHelperSpawner: HelperSpawner = (init, failed) => {
  helperUrl ??= URL.createObjectURL(new Blob([BROWSER_HELPER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(helperUrl); // throws under a CSP without worker-src blob:
  worker.onerror = failed;
  worker.postMessage(init);
  return { stop: () => worker.terminate() };
};

/**
 * Let large float32 products use `count` threads in this page or worker (default: two where
 * there are two cores or more). Returns false, changing nothing, where helper threads cannot
 * work: no Web Workers, or a page that is not cross-origin isolated.
 * @example if (!enableBrowserThreads()) console.log('one thread: serve the page with COOP/COEP');
 */
export function enableBrowserThreads(count?: number): boolean {
  const scope = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') return false;
  if (scope.crossOriginIsolated !== true || wasmRuntime === null || !wasmRuntime.shared) return false;
  installHelperSpawner(browserHelperSpawner, count ?? Math.min(2, scope.navigator?.hardwareConcurrency ?? 1));
  return true;
}
