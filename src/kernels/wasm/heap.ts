// A first-fit allocator over a WebAssembly module's linear memory. The bookkeeping lives in
// JavaScript (a sorted free list and a map of live blocks), not in the memory itself, so the
// kernels never see it and a stray write cannot corrupt it. Blocks are 16-byte aligned (v128
// loads) and the memory grows when no free block fits.
//
// With SHARED memory, growing does not detach earlier views: a Float32Array into a block stays
// valid for the block's lifetime, which is what lets parameters live in the module's memory.
// With private memory, growing detaches every view, so callers re-take `f32()` after `alloc`.

const PAGE = 65536;
const ALIGN = 16;

interface FreeBlock {
  start: number;
  size: number;
}

/**
 * Allocator over `memory` from byte `base` upwards.
 * @example
 * const heap = new WasmHeap(memory, 1024);
 * const p = heap.alloc(4 * 100); // 16-byte aligned byte address
 * heap.f32().fill(1, p >> 2, (p >> 2) + 100);
 * heap.release(p);
 */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Free blocks sorted by start, never adjacent (neighbours are merged). */
  private readonly free: FreeBlock[] = [];
  /** Live blocks: start → size in bytes. */
  private readonly live = new Map<number, number>();
  /** End of the managed region: the memory's current byte length. */
  private end: number;
  private view: Float32Array;
  /** Every buffer object the memory has handed out (one per growth for shared memory). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    const start = Math.max(ALIGN, (base + ALIGN - 1) & ~(ALIGN - 1));
    this.end = memory.buffer.byteLength;
    if (this.end > start) this.free.push({ start, size: this.end - start });
    else this.end = start; // the first alloc grows the memory up to here
    this.view = new Float32Array(memory.buffer);
    this.buffers.add(memory.buffer);
  }

  /** Reserve `bytes` (rounded up to 16); returns the block's byte address. Throws RangeError when the memory cannot grow. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, (bytes + ALIGN - 1) & ~(ALIGN - 1));
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i]!;
      if (f.size < size) continue;
      const start = f.start;
      if (f.size === size) this.free.splice(i, 1);
      else {
        f.start += size;
        f.size -= size;
      }
      this.live.set(start, size);
      return start;
    }
    this.grow(size);
    return this.alloc(bytes);
  }

  /** Give a block back (its address from `alloc`); merges it with free neighbours. */
  release(address: number): void {
    const size = this.live.get(address);
    if (size === undefined) throw new Error(`WasmHeap: ${address} is not a live block`);
    this.live.delete(address);
    this.insertFree(address, size);
  }

  /** Size in bytes of the live block at `address` (0 when none). */
  sizeOf(address: number): number {
    return this.live.get(address) ?? 0;
  }

  /** Bytes in live blocks. */
  get bytesInUse(): number {
    let n = 0;
    for (const s of this.live.values()) n += s;
    return n;
  }

  /** A float view of the whole memory, re-taken after growth. */
  f32(): Float32Array {
    if (this.view.byteLength !== this.memory.buffer.byteLength) this.refresh();
    return this.view;
  }

  /** Whether `buffer` is (a growth of) this memory's buffer: views into it need no copy. */
  owns(buffer: ArrayBufferLike): boolean {
    return this.buffers.has(buffer);
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    this.view = new Float32Array(buffer);
    this.buffers.add(buffer);
  }

  /** Grow so that a free block of `size` bytes ends the region. */
  private grow(size: number): void {
    const last = this.free[this.free.length - 1];
    const tail = last !== undefined && last.start + last.size === this.end ? last.size : 0;
    const need = size - tail;
    const have = this.memory.buffer.byteLength;
    const target = this.end + need;
    if (target > have) this.memory.grow(Math.ceil((target - have) / PAGE)); // RangeError past the maximum
    const newEnd = this.memory.buffer.byteLength;
    this.insertFree(this.end, newEnd - this.end);
    this.end = newEnd;
    this.refresh();
  }

  private insertFree(start: number, size: number): void {
    if (size <= 0) return;
    const list = this.free;
    let i = 0;
    while (i < list.length && list[i]!.start < start) i++;
    const prev = list[i - 1];
    const next = list[i];
    if (prev !== undefined && prev.start + prev.size === start) {
      prev.size += size;
      if (next !== undefined && prev.start + prev.size === next.start) {
        prev.size += next.size;
        list.splice(i, 1);
      }
    } else if (next !== undefined && start + size === next.start) {
      next.start = start;
      next.size += size;
    } else {
      list.splice(i, 0, { start, size });
    }
  }
}

/**
 * One block of a heap reused by successive calls (a kernel driver's scratch space): kept while it
 * is big enough, replaced by one `growth` times the asked size when not, so a run of growing
 * requests does not reallocate every time. Its contents survive while it is kept.
 * @example
 * const scratch = new ScratchBlock(heap, 1.5);
 * const at = scratch.reserve(4 * n); // byte address, or -1 past the memory's maximum
 */
export class ScratchBlock {
  private address = 0;
  private bytes = 0;

  constructor(private readonly heap: WasmHeap, private readonly growth: number) {}

  /** Byte address of a block of at least `bytes`, or -1 when the memory cannot grow that far. */
  reserve(bytes: number): number {
    if (bytes <= this.bytes) return this.address;
    if (this.bytes > 0) this.heap.release(this.address);
    this.bytes = 0;
    for (const want of [Math.ceil((bytes * this.growth) / ALIGN) * ALIGN, bytes]) {
      try {
        this.address = this.heap.alloc(want);
        this.bytes = want;
        return this.address;
      } catch (e) {
        if (!(e instanceof RangeError)) throw e; // RangeError: past the memory's maximum
      }
    }
    return -1;
  }
}
