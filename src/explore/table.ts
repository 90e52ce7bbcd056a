/**
 * The stores' hash index from a state to its id: open addressing with linear probing, split into
 * 64 segments chosen by the top 6 bits of the hash. Each segment doubles on its own when it passes
 * a load of 0.7, so a growth rehashes 1/64 of the table and the old and new copies of only that
 * segment are live together (one big table doubling had the old and the new table both resident
 * at the run's peak).
 *
 * A slot holds id + 1 (0: empty) and, when `tagged`, the state's full 32-bit hash next to it: a
 * probe compares hashes in the same cache line and asks the store to compare the state itself
 * only on a full-hash match, and a growth rehashes from the stored hashes without reading any
 * state. Untagged (the fingerprint store, whose state is its fingerprint), a slot is id + 1 alone,
 * every occupied slot on the probe path is compared by the store, and a growth asks the store for
 * each id's hash.
 */

const SEG_BITS = 6;
const SEGS = 1 << SEG_BITS;
const SEG_SHIFT = 32 - SEG_BITS;
/** Slots per segment at the start. */
const FIRST_SLOTS = 16;

export class HashTable {
  /** Words per slot: 2 when tagged (id + 1, hash), else 1. */
  private readonly stride: number;
  private readonly segs: Int32Array[] = [];
  /** Slots - 1, per segment. */
  private readonly masks = new Int32Array(SEGS);
  private readonly used = new Int32Array(SEGS);
  /** Where the last unsuccessful `find` stopped: the empty slot `add` fills. */
  private lastSlot = 0;

  /**
   * `same(id)`: the state being looked up is state `id`. `hashOf(id)`: state `id`'s hash (untagged
   * tables only, to rehash a growing segment).
   */
  constructor(
    private readonly tagged: boolean,
    private readonly same: (id: number) => boolean,
    private readonly hashOf: (id: number) => number = () => {
      throw new Error('internal: a tagged table rehashes from its stored hashes');
    },
  ) {
    this.stride = tagged ? 2 : 1;
    for (let s = 0; s < SEGS; s++) {
      this.segs.push(new Int32Array(FIRST_SLOTS * this.stride));
      this.masks[s] = FIRST_SLOTS - 1;
    }
  }

  /**
   * The segment of hash `h`: a hot caller may probe it itself (slot `h & (slots - 1)`, then linear;
   * slots = length / 2 when tagged) and compare without a call, then `addAt` the empty slot it met.
   */
  segment(h: number): Int32Array {
    return this.segs[h >>> SEG_SHIFT];
  }

  /** The id of the state with hash `h` (confirmed by `same`), or -1; then `add(h, id)` may follow. */
  find(h: number): number {
    const s = h >>> SEG_SHIFT;
    const t = this.segs[s];
    const mask = this.masks[s];
    let slot = h & mask;
    if (this.tagged) {
      for (;;) {
        const e = t[2 * slot];
        if (e === 0) break;
        if (t[2 * slot + 1] === h && this.same(e - 1)) return e - 1;
        slot = (slot + 1) & mask;
      }
    } else {
      for (;;) {
        const e = t[slot];
        if (e === 0) break;
        if (this.same(e - 1)) return e - 1;
        slot = (slot + 1) & mask;
      }
    }
    this.lastSlot = slot;
    return -1;
  }

  /** Adds `id` under hash `h`, right after a `find(h)` that returned -1. */
  add(h: number, id: number): void {
    this.addAt(h, id, this.lastSlot);
  }

  /** Adds `id` under hash `h` at `slot`, the empty slot a probe of `segment(h)` ended on. */
  addAt(h: number, id: number, slot: number): void {
    const s = h >>> SEG_SHIFT;
    const t = this.segs[s];
    if (this.tagged) {
      t[2 * slot] = id + 1;
      t[2 * slot + 1] = h;
    } else {
      t[slot] = id + 1;
    }
    const n = ++this.used[s];
    if (n * 10 > (this.masks[s] + 1) * 7) this.growSegment(s);
  }

  /** Empties the table (a store that repacked every state rehashes it). */
  clear(): void {
    for (const t of this.segs) t.fill(0);
    this.used.fill(0);
  }

  /** Adds `id`, known to be absent, under hash `h` (no comparison: for a rehash). */
  put(h: number, id: number): void {
    const s = h >>> SEG_SHIFT;
    const t = this.segs[s];
    const mask = this.masks[s];
    const st = this.stride;
    let slot = h & mask;
    while (t[slot * st] !== 0) slot = (slot + 1) & mask;
    this.addAt(h, id, slot);
  }

  bytes(): number {
    let b = 0;
    for (const t of this.segs) b += t.byteLength;
    return b;
  }

  /** Bytes the next growth allocates at most (the largest segment doubled). */
  growthBytes(): number {
    let m = 0;
    for (const t of this.segs) m = Math.max(m, t.byteLength);
    return 2 * m;
  }

  private growSegment(s: number): void {
    const old = this.segs[s];
    const size = (this.masks[s] + 1) * 2;
    const mask = size - 1;
    const st = this.stride;
    const t = new Int32Array(size * st);
    for (let i = 0; i < old.length; i += st) {
      const e = old[i];
      if (e === 0) continue;
      const h = this.tagged ? old[i + 1] : this.hashOf(e - 1);
      let slot = h & mask;
      while (t[slot * st] !== 0) slot = (slot + 1) & mask;
      t[slot * st] = e;
      if (this.tagged) t[slot * st + 1] = h;
    }
    this.segs[s] = t;
    this.masks[s] = mask;
  }
}
