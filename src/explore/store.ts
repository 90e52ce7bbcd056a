/**
 * The seen-set: every distinct global state, stored exactly as a fixed-width vector of int32 in one
 * growing typed array, found again through an open-addressing hash table of state ids. A state's
 * id is its discovery number, so a BFS frontier is just a range of ids. Parent ids and depths sit in
 * parallel arrays; a trace is rebuilt by replaying from the parents, never stored per state.
 */
export class StateStore {
  readonly width: number;
  count = 0;
  data: Int32Array;
  parent: Int32Array;
  depth: Int32Array;
  /** 1 bit per state: it violates a safety property and is not expanded. */
  private flags: Uint8Array;
  private table: Int32Array; // id + 1, 0 = empty
  private mask: number;

  constructor(width: number, initialCapacity = 1 << 12) {
    this.width = width;
    const cap = Math.max(16, initialCapacity);
    this.data = new Int32Array(cap * width);
    this.parent = new Int32Array(cap);
    this.depth = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.table = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
  }

  private hash(v: Int32Array, off: number): number {
    // FNV-1a over 32-bit words with a murmur finaliser: fixed seed, so runs are reproducible.
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < this.width; i++) {
      h = Math.imul(h ^ v[off + i], 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h;
  }

  private equalAt(id: number, v: Int32Array): boolean {
    const w = this.width;
    const base = id * w;
    const d = this.data;
    for (let i = 0; i < w; i++) if (d[base + i] !== v[i]) return false;
    return true;
  }

  /** Returns the id of `v`, inserting it (with parent and depth) when new; `isNew` tells which. */
  insert(v: Int32Array, parent: number, depth: number): number {
    let slot = this.hash(v, 0) & this.mask;
    const t = this.table;
    for (;;) {
      const e = t[slot];
      if (e === 0) break;
      if (this.equalAt(e - 1, v)) {
        this.isNew = false;
        return e - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.count;
    if (id * this.width + this.width > this.data.length) this.growData();
    this.data.set(v, id * this.width);
    this.parent[id] = parent;
    this.depth[id] = depth;
    t[slot] = id + 1;
    this.count = id + 1;
    this.isNew = true;
    if (this.count * 2 > this.mask) this.growTable();
    return id;
  }

  isNew = false;

  /** The id of `v`, or -1 when it was never stored (read-only: used by the liveness graph). */
  find(v: Int32Array): number {
    let slot = this.hash(v, 0) & this.mask;
    const t = this.table;
    for (;;) {
      const e = t[slot];
      if (e === 0) return -1;
      if (this.equalAt(e - 1, v)) return e - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): Int32Array {
    const base = id * this.width;
    for (let i = 0; i < this.width; i++) out[i] = this.data[base + i];
    return out;
  }

  markViolating(id: number): void {
    this.flags[id] = 1;
  }

  isViolating(id: number): boolean {
    return this.flags[id] === 1;
  }

  /** Path of ids from the initial state to `id`. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let s = id; s >= 0; s = this.parent[s]) path.push(s);
    return path.reverse();
  }

  bytes(): number {
    return this.data.byteLength + this.parent.byteLength + this.depth.byteLength + this.flags.byteLength + this.table.byteLength;
  }

  private growData(): void {
    const cap = this.parent.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a);
      return b;
    };
    this.data = grow(this.data, cap * this.width);
    this.parent = grow(this.parent, cap);
    this.depth = grow(this.depth, cap);
    this.flags = grow(this.flags, cap);
  }

  private growTable(): void {
    const size = (this.mask + 1) * 2;
    const t = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hash(this.data, id * this.width) & mask;
      while (t[slot] !== 0) slot = (slot + 1) & mask;
      t[slot] = id + 1;
    }
    this.table = t;
    this.mask = mask;
  }
}
