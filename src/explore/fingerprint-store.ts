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
import { DEFAULT_CHUNK_STATES, Lineage } from './lineage.js';
import { HashTable } from './table.js';

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

export class FingerprintStore extends Lineage {
  readonly width: number;
  /** Fingerprints, `chunkStates` per chunk: words 2 i (seed hi) and 2 i + 1 (seed lo) of a chunk. */
  private readonly fp: Int32Array[] = [];
  private readonly table: HashTable;
  /** The fingerprint being looked up. */
  private hi = 0;
  private lo = 0;
  /** Full vectors of the frontier: chunk c holds ids c * this.chunk ..; dropped once expanded. */
  private readonly frontier: (Int32Array | undefined)[] = [];
  /** Every id below this was expanded and its frontier chunk dropped. */
  private dropped = 0;
  private initialVec: Int32Array | null = null;

  /** `chunk`: states per frontier chunk; `chunkStates`: per chunk of the other columns (both small only in tests). */
  constructor(width: number, private readonly successors: Successors, private readonly chunk = 1 << 14, chunkStates = DEFAULT_CHUNK_STATES) {
    super(chunkStates, 'bfs');
    this.width = width;
    // Untagged: the fingerprint is the state, and a slot is its id alone (4 bytes).
    this.table = new HashTable(false, (id) => this.fpHi(id) === this.hi && this.fpLo(id) === this.lo, (id) => this.fpHi(id) ^ this.fpLo(id));
  }

  private fpHi(id: number): number {
    return this.fp[id >>> this.chunkBits][2 * (id & this.chunkMask)];
  }

  private fpLo(id: number): number {
    return this.fp[id >>> this.chunkBits][2 * (id & this.chunkMask) + 1];
  }

  protected override addChunk(): void {
    super.addChunk();
    this.fp.push(new Int32Array(2 * this.chunkStates));
  }

  insert(v: Int32Array, parent: number, depth: number): number {
    const hi = (this.hi = murmur3(v, 0, this.width, SEED_HI));
    const lo = (this.lo = murmur3(v, 0, this.width, SEED_LO));
    const found = this.table.find(hi ^ lo);
    if (found >= 0) {
      this.isNew = false;
      return found;
    }
    const id = this.count;
    this.record(id, parent, depth);
    const f = this.fp[id >>> this.chunkBits];
    f[2 * (id & this.chunkMask)] = hi;
    f[2 * (id & this.chunkMask) + 1] = lo;
    const c = (id / this.chunk) | 0;
    let chunk = this.frontier[c];
    if (!chunk) chunk = this.frontier[c] = new Int32Array(this.chunk * this.width);
    chunk.set(v, (id - c * this.chunk) * this.width);
    if (id === 0) this.initialVec = v.slice();
    this.table.add(hi ^ lo, id);
    this.isNew = true;
    return id;
  }

  /** Copies state `id` into `out`: from the frontier, or rebuilt by replay once expanded. The
   * explorer reads ids in increasing order; a read drops the chunks wholly below it. */
  read(id: number, out: Int32Array): Int32Array {
    if (id < this.dropped) return this.replay(id, out);
    const c = (id / this.chunk) | 0;
    for (let k = (this.dropped / this.chunk) | 0; k < c; k++) this.frontier[k] = undefined;
    this.dropped = Math.max(this.dropped, c * this.chunk);
    const base = (id - c * this.chunk) * this.width;
    out.set(this.frontier[c]!.subarray(base, base + this.width));
    return out;
  }

  private replay(id: number, out: Int32Array): Int32Array {
    const path = this.pathTo(id);
    const v = this.initialVec!.slice();
    for (let i = 1; i < path.length; i++) {
      const hi = this.fpHi(path[i]);
      const lo = this.fpLo(path[i]);
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

  private frontierBytes(): number {
    let b = 0;
    for (const c of this.frontier) if (c) b += c.byteLength;
    return b;
  }

  /** Bytes of the fingerprints, the lineage columns and the frontier, and of the hash index. */
  memory(): { store: number; table: number } {
    return { store: this.chunks * (8 * this.chunkStates + this.lineageChunkBytes()) + this.frontierBytes(), table: this.table.bytes() };
  }

  bytes(): number {
    const m = this.memory();
    return m.store + m.table;
  }

  /** Bytes the next growth allocates at once (as StateStore.growthBytes). */
  growthBytes(): number {
    return Math.max(8 * this.chunkStates + this.lineageChunkBytes(), this.chunk * this.width * 4, this.table.growthBytes());
  }

  /** Bytes per stored state, the (transient) frontier left out. */
  bytesPerState(): number {
    return 8 + this.lineageBytesPerState() + this.table.bytes() / Math.max(1, this.count);
  }
}
