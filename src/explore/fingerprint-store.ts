/**
 * The seen-set of `--store fingerprint` (TLC's fingerprint set, SPIN's hash-compact): each state is
 * kept as a 64-bit fingerprint only (two 32-bit MurmurHash3 of its vector under two fixed seeds,
 * so runs are reproducible), with its parent id. Two distinct states with the same fingerprint are
 * taken for one: the second is never expanded, and what lies only behind it is silently missed.
 * That is why a fingerprint run never says *holds* (check.ts reports *probably holds* with the
 * omission probability of `omissionProbability`).
 *
 * Breadth-first only: the full vectors of discovered but unexpanded states (the BFS frontier) are
 * kept in chunks and dropped once expanded. An expanded state's vector is rebuilt on demand by
 * replay: from the initial state along the parent ids, taking at each step the successor whose
 * fingerprint is the child's. A counterexample is therefore a real path of the model; its last
 * state is re-checked after rebuilding (check.ts).
 */
import { murmur3 } from './hash.js';
import { levelOf } from './store.js';

/** The two fixed seeds of the 64-bit fingerprint (any two distinct constants; never change them:
 * counts of a run that hit a collision would change with them). */
const SEED_HI = 0x2545f491;
const SEED_LO = 0x6c8e9cf5;

/**
 * TLC's optimistic estimate of the probability that a fingerprint collision made the run omit a
 * state: n (t - n) / 2^64, n distinct states, t states generated (every successor computed, plus
 * the initial state). Each of the t - n generated states that matched a stored fingerprint could
 * have been a new state with the same fingerprint as one of the n stored ones (each 2^-64).
 */
export function omissionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}
export const OMISSION_FORMULA = 'n (t - n) / 2^64';


export type Successors = (state: Int32Array, visit: (step: number, next: Int32Array) => void) => void;

export class FingerprintStore {
  readonly width: number;
  readonly order = 'bfs' as const;
  count = 0;
  isNew = false;
  /** Fingerprint of state id: words 2 id (seed hi) and 2 id + 1 (seed lo). */
  private fp: Int32Array;
  parent: Int32Array;
  private flags: Uint8Array;
  private readonly levelStarts: number[] = [];
  /** Open addressing: id + 1 per slot, 0 = empty; compared through `fp`. */
  private table: Int32Array;
  private mask: number;
  private capacity: number;
  /** Full vectors of the frontier: chunk c holds ids c * this.chunk ..; dropped once expanded. */
  private readonly chunks: (Int32Array | undefined)[] = [];
  /** Every id below this was expanded and its chunk dropped. */
  private dropped = 0;
  private initialVec: Int32Array | null = null;

  /** `chunk`: states per frontier chunk (small only in tests, to exercise replay). */
  constructor(width: number, private readonly successors: Successors, private readonly chunk = 1 << 14, initialCapacity = 1 << 12) {
    this.width = width;
    const cap = Math.max(16, initialCapacity);
    this.capacity = cap;
    this.fp = new Int32Array(cap * 2);
    this.parent = new Int32Array(cap);
    this.flags = new Uint8Array((cap >> 3) + 1);
    let t = 16;
    while (t < cap * 2) t <<= 1;
    this.table = new Int32Array(t);
    this.mask = t - 1;
  }

  insert(v: Int32Array, parent: number, depth: number): number {
    const hi = murmur3(v, 0, this.width, SEED_HI);
    const lo = murmur3(v, 0, this.width, SEED_LO);
    const t = this.table;
    const fp = this.fp;
    let slot = (hi ^ lo) & this.mask;
    for (;;) {
      const e = t[slot];
      if (e === 0) break;
      if (fp[2 * (e - 1)] === hi && fp[2 * (e - 1) + 1] === lo) {
        this.isNew = false;
        return e - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.count;
    if (id >= this.capacity) this.grow();
    this.fp[2 * id] = hi;
    this.fp[2 * id + 1] = lo;
    this.parent[id] = parent;
    if (depth >= this.levelStarts.length) this.levelStarts.push(id);
    const c = (id / this.chunk) | 0;
    let chunk = this.chunks[c];
    if (!chunk) chunk = this.chunks[c] = new Int32Array(this.chunk * this.width);
    chunk.set(v, (id - c * this.chunk) * this.width);
    if (id === 0) this.initialVec = v.slice();
    t[slot] = id + 1;
    this.count = id + 1;
    this.isNew = true;
    if (this.count * 10 > (this.mask + 1) * 7) this.growTable();
    return id;
  }

  depthOf(id: number): number {
    return levelOf(this.levelStarts, id);
  }

  /** Copies state `id` into `out`: from the frontier, or rebuilt by replay once expanded. The
   * explorer reads ids in increasing order; a read drops the chunks wholly below it. */
  read(id: number, out: Int32Array): Int32Array {
    if (id < this.dropped) return this.replay(id, out);
    const c = (id / this.chunk) | 0;
    for (let k = (this.dropped / this.chunk) | 0; k < c; k++) this.chunks[k] = undefined;
    this.dropped = Math.max(this.dropped, c * this.chunk);
    const base = (id - c * this.chunk) * this.width;
    out.set(this.chunks[c]!.subarray(base, base + this.width));
    return out;
  }

  private replay(id: number, out: Int32Array): Int32Array {
    const path = this.pathTo(id);
    const v = this.initialVec!.slice();
    for (let i = 1; i < path.length; i++) {
      const hi = this.fp[2 * path[i]];
      const lo = this.fp[2 * path[i] + 1];
      let found = false;
      this.successors(v.slice(), (_step, next) => {
        if (!found && murmur3(next, 0, this.width, SEED_HI) === hi && murmur3(next, 0, this.width, SEED_LO) === lo) {
          found = true;
          v.set(next);
        }
      });
      if (!found) throw new Error('internal: fingerprint replay found no successor with the stored fingerprint');
    }
    out.set(v);
    return out;
  }

  markViolating(id: number): void {
    this.flags[id >> 3] |= 1 << (id & 7);
  }

  isViolating(id: number): boolean {
    return (this.flags[id >> 3] & (1 << (id & 7))) !== 0;
  }

  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let s = id; s >= 0; s = this.parent[s]) path.push(s);
    return path.reverse();
  }

  private frontierBytes(): number {
    let b = 0;
    for (const c of this.chunks) if (c) b += c.byteLength;
    return b;
  }

  bytes(): number {
    return this.fp.byteLength + this.parent.byteLength + this.flags.byteLength + this.table.byteLength + this.frontierBytes();
  }

  /** Bytes the next growth of the arrays and of the hash table allocates (as StateStore.growthBytes). */
  growthBytes(): number {
    const cap = Math.ceil(this.capacity * 1.5);
    return cap * 12 + (cap >> 3) + this.table.byteLength * 2;
  }

  /** Bytes per stored state, growth slack and the (transient) frontier left out. */
  bytesPerState(): number {
    return 8 + 4 + 1 / 8 + this.table.byteLength / Math.max(1, this.count);
  }

  private grow(): void {
    const cap = Math.ceil(this.capacity * 1.5);
    const fp = new Int32Array(cap * 2);
    fp.set(this.fp);
    this.fp = fp;
    const p = new Int32Array(cap);
    p.set(this.parent);
    this.parent = p;
    const f = new Uint8Array((cap >> 3) + 1);
    f.set(this.flags);
    this.flags = f;
    this.capacity = cap;
  }

  private growTable(): void {
    const size = (this.mask + 1) * 2;
    const t = new Int32Array(size);
    const mask = size - 1;
    const fp = this.fp;
    for (const e of this.table) {
      if (e === 0) continue;
      let slot = (fp[2 * (e - 1)] ^ fp[2 * (e - 1) + 1]) & mask;
      while (t[slot] !== 0) slot = (slot + 1) & mask;
      t[slot] = e;
    }
    this.table = t;
    this.mask = mask;
  }
}
