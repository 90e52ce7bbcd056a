/**
 * The seen-set: every distinct global state, stored exactly, bit-packed into a fixed number of
 * 32-bit words per state, and found again through an open-addressing hash table of state ids. Each
 * slot of the vector gets as many bits as the largest value seen in it so far (plus one spare);
 * when a value outgrows its slot, the layout widens and every stored state is repacked (rare: a
 * slot doubles its range each time). A state's id is its discovery number, so a BFS frontier is a
 * range of ids. Parent ids sit in a parallel array; depths are level boundaries under BFS (ids are
 * discovered level by level) and an array under DFS. A trace is rebuilt by replaying from the
 * parents, never stored per state.
 */
import { murmur3 } from './hash.js';

/** Bits needed for a value: negative values keep the full 32 bits. */
function bitsFor(x: number): number {
  return x < 0 ? 32 : Math.max(1, 32 - Math.clz32(x));
}

/** Where each slot of the vector lives: word index and shift; no slot straddles two words. */
interface Layout {
  readonly bits: Uint8Array;
  readonly word: Uint16Array;
  readonly shift: Uint8Array;
  /** Largest value each slot holds (unsigned); 0xffffffff for a 32-bit slot. */
  readonly max: Float64Array;
  readonly words: number;
}

function layout(bits: Uint8Array): Layout {
  const n = bits.length;
  const word = new Uint16Array(n);
  const shift = new Uint8Array(n);
  const max = new Float64Array(n);
  let w = 0;
  let used = 0;
  for (let j = 0; j < n; j++) {
    if (used + bits[j] > 32) {
      w++;
      used = 0;
    }
    word[j] = w;
    shift[j] = used;
    used += bits[j];
    max[j] = bits[j] === 32 ? 0xffffffff : 2 ** bits[j] - 1;
  }
  return { bits, word, shift, max, words: w + 1 };
}

/** BFS discovers states level by level: the last level whose first id is at or before `id`. */
export function levelOf(levelStarts: readonly number[], id: number): number {
  let lo = 0;
  let hi = levelStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (levelStarts[mid] <= id) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class StateStore {
  readonly width: number;
  count = 0;
  /** True when the last `insert` added a new state. */
  isNew = false;
  private lay: Layout;
  private data: Int32Array;
  private packed: Int32Array;
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
    this.lay = layout(new Uint8Array(width).fill(1));
    this.data = new Int32Array(cap * this.lay.words);
    this.packed = new Int32Array(this.lay.words);
    this.parent = new Int32Array(cap);
    this.depths = order === 'dfs' ? new Int32Array(cap) : null;
    this.flags = new Uint8Array((cap >> 3) + 1);
    let t = 16;
    while (t < cap * 2) t <<= 1;
    this.table = new Int32Array(t * 2);
    this.mask = t - 1;
  }

  /** MurmurHash3 (x86, 32-bit) of `n` words at `off`, fixed seed: runs are reproducible. */
  private static hashWords(d: Int32Array, off: number, n: number): number {
    return murmur3(d, off, n, 0x9747b28c);
  }

  /** Packs `v` into `this.packed`; returns false when some value does not fit the layout. */
  private pack(v: Int32Array): boolean {
    const L = this.lay;
    const out = this.packed;
    out.fill(0);
    for (let j = 0; j < this.width; j++) {
      const x = v[j];
      if ((x >>> 0) > L.max[j]) return false;
      out[L.word[j]] |= x << L.shift[j];
    }
    return true;
  }

  private equalAt(id: number): boolean {
    const P = this.lay.words;
    const base = id * P;
    const d = this.data;
    const p = this.packed;
    for (let i = 0; i < P; i++) if (d[base + i] !== p[i]) return false;
    return true;
  }

  /** Returns the id of `v`, inserting it (with parent and depth) when new; `isNew` tells which. */
  insert(v: Int32Array, parent: number, depth: number): number {
    if (!this.pack(v)) {
      this.widen(v);
      this.pack(v);
    }
    // The packed words are the state (the packing is injective): hash those, fewer than the slots.
    const h = StateStore.hashWords(this.packed, 0, this.lay.words);
    let slot = h & this.mask;
    const t = this.table;
    for (;;) {
      const e = t[2 * slot];
      if (e === 0) break;
      if (t[2 * slot + 1] === h && this.equalAt(e - 1)) {
        this.isNew = false;
        return e - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.count;
    if (id >= this.capacity) this.grow();
    this.data.set(this.packed, id * this.lay.words);
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
    if (!this.pack(v)) return -1;
    const h = StateStore.hashWords(this.packed, 0, this.lay.words);
    let slot = h & this.mask;
    for (;;) {
      const e = this.table[2 * slot];
      if (e === 0) return -1;
      if (this.table[2 * slot + 1] === h && this.equalAt(e - 1)) return e - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  depthOf(id: number): number {
    return this.depths ? this.depths[id] : levelOf(this.levelStarts, id);
  }

  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): Int32Array {
    return this.unpack(this.data, id * this.lay.words, this.lay, out);
  }

  private unpack(d: Int32Array, base: number, L: Layout, out: Int32Array): Int32Array {
    for (let j = 0; j < this.width; j++) {
      const w = d[base + L.word[j]];
      out[j] = L.bits[j] === 32 ? w : (w >>> L.shift[j]) & L.max[j];
    }
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
    return this.data.byteLength + this.parent.byteLength + (this.depths?.byteLength ?? 0) + this.flags.byteLength + this.table.byteLength;
  }

  /** Bytes the next growth of the arrays and of the hash table allocates (the old ones live on during the copy). */
  growthBytes(): number {
    const cap = Math.ceil(this.capacity * 1.5);
    return cap * (this.lay.words * 4 + 4 + (this.depths ? 4 : 0)) + (cap >> 3) + this.table.byteLength * 2;
  }

  /** Bytes per stored state, counting only what is in use (no growth slack). */
  bytesPerState(): number {
    return this.lay.words * 4 + 4 + (this.depths ? 4 : 0) + 1 / 8 + this.table.byteLength / Math.max(1, this.count);
  }

  /** Widens the slots `v` overflows (one spare bit) and repacks every stored state. */
  private widen(v: Int32Array): void {
    const old = this.lay;
    const bits = old.bits.slice();
    for (let j = 0; j < this.width; j++) {
      if ((v[j] >>> 0) > old.max[j]) bits[j] = Math.min(32, Math.max(bits[j] + 1, v[j] < 0 ? 32 : bitsFor(v[j]) + 1));
    }
    const L = layout(bits);
    const data = new Int32Array(this.capacity * L.words);
    const tmp = new Int32Array(this.width);
    for (let id = 0; id < this.count; id++) {
      this.unpack(this.data, id * old.words, old, tmp);
      const base = id * L.words;
      for (let j = 0; j < this.width; j++) data[base + L.word[j]] |= tmp[j] << L.shift[j];
    }
    this.lay = L;
    this.data = data;
    this.packed = new Int32Array(L.words);
    // Hashes are of the packed words, so a new layout rehashes every state.
    const t = this.table;
    t.fill(0);
    for (let id = 0; id < this.count; id++) {
      const h = StateStore.hashWords(data, id * L.words, L.words);
      let slot = h & this.mask;
      while (t[2 * slot] !== 0) slot = (slot + 1) & this.mask;
      t[2 * slot] = id + 1;
      t[2 * slot + 1] = h;
    }
  }

  private grow(): void {
    // 1.5x keeps the slack of a growing store small; the copy is amortised.
    const cap = Math.ceil(this.capacity * 1.5);
    const d = new Int32Array(cap * this.lay.words);
    d.set(this.data);
    this.data = d;
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
