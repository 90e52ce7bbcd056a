/**
 * The seen-set: every distinct global state, stored exactly as a fixed-width vector in one growing
 * typed array (16-bit words while every value fits, 32-bit from the first one that does not), and
 * found again through an open-addressing hash table of state ids. A state's id is its discovery
 * number, so a BFS frontier is just a range of ids. Parent ids sit in a parallel array; depths are
 * level boundaries under BFS (ids are discovered level by level) and an array under DFS. A trace
 * is rebuilt by replaying from the parents, never stored per state.
 */
const U16_LIMIT = 0xffff;

export class StateStore {
  readonly width: number;
  count = 0;
  /** True when the last `insert` added a new state. */
  isNew = false;
  private d16: Uint16Array | null;
  private d32: Int32Array | null = null;
  parent: Int32Array;
  /** DFS only: depth per state. */
  private depths: Int32Array | null;
  /** BFS only: levelStarts[d] is the first id at depth d. */
  private readonly levelStarts: number[] = [];
  /** 1 bit per state: it violates a safety property and is not expanded. */
  private flags: Uint8Array;
  /** Slot pairs (id + 1, full hash), 0 = empty: a probe compares hashes in the same cache line and
   * touches the stored vector only on a full-hash match. */
  private table: Int32Array;
  /** Number of slots - 1. */
  private mask: number;
  private capacity: number;

  constructor(width: number, initialCapacity = 1 << 12, readonly order: 'bfs' | 'dfs' = 'bfs') {
    this.width = width;
    const cap = Math.max(16, initialCapacity);
    this.capacity = cap;
    this.d16 = new Uint16Array(cap * width);
    this.parent = new Int32Array(cap);
    this.depths = order === 'dfs' ? new Int32Array(cap) : null;
    this.flags = new Uint8Array((cap >> 3) + 1);
    let t = 16;
    while (t < cap * 2) t <<= 1;
    this.table = new Int32Array(t * 2);
    this.mask = t - 1;
  }

  private hashVec(v: ArrayLike<number>, off: number): number {
    // MurmurHash3 (x86, 32-bit) over the words, fixed seed: runs are reproducible, and every bit of
    // every word reaches the low bits the table mask keeps.
    let h = 0x9747b28c | 0;
    for (let i = 0; i < this.width; i++) {
      let k = Math.imul(v[off + i], 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    h ^= this.width;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h;
  }

  private equalAt(id: number, v: Int32Array): boolean {
    const w = this.width;
    const base = id * w;
    const d = (this.d16 ?? this.d32)!;
    for (let i = 0; i < w; i++) if (d[base + i] !== v[i]) return false;
    return true;
  }

  private fits16(v: Int32Array): boolean {
    for (let i = 0; i < this.width; i++) if (v[i] < 0 || v[i] >= U16_LIMIT) return false;
    return true;
  }

  /** Returns the id of `v`, inserting it (with parent and depth) when new; `isNew` tells which. */
  insert(v: Int32Array, parent: number, depth: number): number {
    const h = this.hashVec(v, 0);
    let slot = h & this.mask;
    const t = this.table;
    for (;;) {
      const e = t[2 * slot];
      if (e === 0) break;
      if (t[2 * slot + 1] === h && this.equalAt(e - 1, v)) {
        this.isNew = false;
        return e - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.count;
    if (id >= this.capacity) this.grow();
    if (this.d16 && !this.fits16(v)) this.widen();
    (this.d16 ?? this.d32)!.set(v, id * this.width);
    this.parent[id] = parent;
    if (this.depths) this.depths[id] = depth;
    else if (depth >= this.levelStarts.length) this.levelStarts.push(id);
    t[2 * slot] = id + 1;
    t[2 * slot + 1] = h;
    this.count = id + 1;
    this.isNew = true;
    if (this.count * 10 > (this.mask + 1) * 7) this.growTable();
    return id;
  }

  /** The id of `v`, or -1 when it was never inserted. */
  find(v: Int32Array): number {
    const h = this.hashVec(v, 0);
    let slot = h & this.mask;
    for (;;) {
      const e = this.table[2 * slot];
      if (e === 0) return -1;
      if (this.table[2 * slot + 1] === h && this.equalAt(e - 1, v)) return e - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  depthOf(id: number): number {
    if (this.depths) return this.depths[id];
    // BFS discovers states level by level: the last level that starts at or before id.
    const ls = this.levelStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): Int32Array {
    const base = id * this.width;
    const d = (this.d16 ?? this.d32)!;
    for (let i = 0; i < this.width; i++) out[i] = d[base + i];
    return out;
  }

  markViolating(id: number): void {
    this.flags[id >> 3] |= 1 << (id & 7);
  }

  isViolating(id: number): boolean {
    return (this.flags[id >> 3] & (1 << (id & 7))) !== 0;
  }

  /** Path of ids from the initial state to `id`. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let s = id; s >= 0; s = this.parent[s]) path.push(s);
    return path.reverse();
  }

  bytes(): number {
    const d = (this.d16 ?? this.d32)!;
    return d.byteLength + this.parent.byteLength + (this.depths?.byteLength ?? 0) + this.flags.byteLength + this.table.byteLength;
  }

  /** Bytes per stored state, counting only what is in use (no growth slack). */
  bytesPerState(): number {
    const word = this.d16 ? 2 : 4;
    return this.width * word + 4 + (this.depths ? 4 : 0) + 1 / 8 + (this.table.byteLength / Math.max(1, this.count));
  }

  private widen(): void {
    const d = new Int32Array(this.capacity * this.width);
    d.set(this.d16!);
    this.d32 = d;
    this.d16 = null;
  }

  private grow(): void {
    // 1.5x keeps the slack of a growing store small; the copy is amortised.
    const cap = Math.ceil(this.capacity * 1.5);
    const n = cap * this.width;
    if (this.d16) {
      const d = new Uint16Array(n);
      d.set(this.d16);
      this.d16 = d;
    } else {
      const d = new Int32Array(n);
      d.set(this.d32!);
      this.d32 = d;
    }
    const p = new Int32Array(cap);
    p.set(this.parent);
    this.parent = p;
    if (this.depths) {
      const dp = new Int32Array(cap);
      dp.set(this.depths);
      this.depths = dp;
    }
    const f = new Uint8Array((cap >> 3) + 1);
    f.set(this.flags);
    this.flags = f;
    this.capacity = cap;
  }

  private growTable(): void {
    // Rehash from the stored hashes: no vector is read again.
    const old = this.table;
    const size = (this.mask + 1) * 2;
    const t = new Int32Array(size * 2);
    const mask = size - 1;
    for (let i = 0; i < old.length; i += 2) {
      const e = old[i];
      if (e === 0) continue;
      const h = old[i + 1];
      let slot = h & mask;
      while (t[2 * slot] !== 0) slot = (slot + 1) & mask;
      t[2 * slot] = e;
      t[2 * slot + 1] = h;
    }
    this.table = t;
    this.mask = mask;
  }
}
