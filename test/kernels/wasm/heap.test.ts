import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../../src/kernels/wasm/heap.js';

// The first-fit allocator over a wasm memory: alignment, reuse, merging, growth.

const PAGE = 65536;
const sharedMemory = (pages = 1, maximum = 64): WebAssembly.Memory => new WebAssembly.Memory({ initial: pages, maximum, shared: true });

describe('WasmHeap', () => {
  it('hands out 16-byte aligned, disjoint blocks from the base upwards', () => {
    const heap = new WasmHeap(sharedMemory(), 1000);
    const a = heap.alloc(4);
    const b = heap.alloc(20);
    const c = heap.alloc(16);
    expect([a, b, c]).toEqual([1008, 1024, 1056]); // base rounded up to 1008; 20 bytes take 32
    expect(heap.sizeOf(b)).toBe(32);
    expect(heap.bytesInUse).toBe(16 + 32 + 16);
  });

  it('reuses a freed block first-fit and merges freed neighbours', () => {
    const heap = new WasmHeap(sharedMemory(), 0);
    const a = heap.alloc(64);
    const b = heap.alloc(64);
    const c = heap.alloc(64);
    heap.release(b);
    expect(heap.alloc(48)).toBe(b); // fits in b's hole
    heap.release(b);
    heap.release(a);
    expect(heap.alloc(128)).toBe(a); // a and b merged into one 128-byte hole
    expect(heap.alloc(16)).toBe(c + 64); // c is still live: the next block comes after it
    expect(() => heap.release(c + 4)).toThrow(/not a live block/);
  });

  it('grows the memory when nothing fits, and views taken before growth keep their values (shared)', () => {
    const memory = sharedMemory(1);
    const heap = new WasmHeap(memory, 0);
    const a = heap.alloc(1000 * 4);
    const before = new Float32Array(heap.f32().buffer, a, 1000);
    before.fill(2.5);
    const big = heap.alloc(3 * PAGE); // past the first page
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(4 * PAGE);
    expect(big + 3 * PAGE).toBeLessThanOrEqual(memory.buffer.byteLength);
    expect(before[999]).toBe(2.5); // not detached
    before[0] = 7;
    expect(heap.f32()[a >> 2]).toBe(7); // the same bytes as the grown view
    expect(heap.owns(before.buffer)).toBe(true);
    expect(heap.owns(heap.f32().buffer)).toBe(true);
    expect(heap.owns(new SharedArrayBuffer(16))).toBe(false);
  });

  it('re-takes its view after a private memory grows (old views detach)', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 8 });
    const heap = new WasmHeap(memory, 0);
    const a = heap.alloc(16);
    heap.f32()[a >> 2] = 3;
    heap.alloc(2 * PAGE);
    expect(heap.f32().length).toBe(memory.buffer.byteLength / 4);
    expect(heap.f32()[a >> 2]).toBe(3);
  });

  it('throws a RangeError past the maximum and stays usable', () => {
    const heap = new WasmHeap(sharedMemory(1, 2), 0);
    expect(() => heap.alloc(4 * PAGE)).toThrow(RangeError);
    const a = heap.alloc(PAGE);
    expect(a % 16).toBe(0);
  });
});
