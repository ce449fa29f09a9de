// Bytes a piece of code allocates on the JS heap, measured with V8's GC profiler: heap used after
// − heap used before + what every collection in between freed (the profiler reports each one).
// Typed arrays count through their heap objects; ArrayBuffer memory outside the heap does not.
// Used by bench/memory.ts and by the memory tests (test/train/*.memory.test.ts).
import v8 from 'node:v8';

/**
 * Bytes allocated while `fn` runs `calls` times (the measurement's own few objects included:
 * subtract the same measurement around an empty function where that matters).
 * @example bytesAllocated(() => train.run(x, y), 2000) / 2000; // bytes per step
 */
export function bytesAllocated(fn: () => void, calls = 1): number {
  const profiler = new v8.GCProfiler();
  const before = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  for (let i = 0; i < calls; i++) fn();
  const after = v8.getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  let freed = 0;
  for (const gc of statistics) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  return after - before + freed;
}
