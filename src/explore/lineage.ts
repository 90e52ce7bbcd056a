/**
 * What both state stores keep per state id besides the state itself: the parent id (a trace is
 * rebuilt by replay from the parents, never stored per state), a violation bit, and the depth
 * (level boundaries under BFS, where ids are discovered level by level; a column under DFS).
 *
 * Every per-state column grows in fixed chunks of `chunkStates` states: a growing store allocates
 * one more chunk and never copies what it holds, so there is no moment when an old and a new copy
 * of a big array are both resident (that copy was the peak of a run).
 */

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

/** States per chunk by default: 16,384 (a 3-word packed state: 192 KiB of vectors per chunk). */
export const DEFAULT_CHUNK_STATES = 1 << 14;

export abstract class Lineage {
  /** Number of states stored; ids are 0 .. count - 1 in order of discovery. */
  count = 0;
  /** True when the last `insert` added a new state. */
  isNew = false;
  /** log2 of the states per chunk, and the mask of an id's index within its chunk. */
  protected readonly chunkBits: number;
  protected readonly chunkMask: number;
  private readonly parents: Int32Array[] = [];
  /** 1 bit per state: it violates a safety property and is not expanded. */
  private readonly flags: Uint8Array[] = [];
  /** DFS only: depth per state. */
  private readonly depths: Int32Array[] | null;
  /** BFS only: levelStarts[d] is the first id at depth d. */
  private readonly levelStarts: number[] = [];

  /** `chunkStates` is rounded up to a power of two (small only in tests, to cross chunk boundaries). */
  constructor(chunkStates: number, readonly order: 'bfs' | 'dfs') {
    this.chunkBits = Math.max(3, 32 - Math.clz32(Math.max(8, chunkStates) - 1));
    this.chunkMask = (1 << this.chunkBits) - 1;
    this.depths = order === 'dfs' ? [] : null;
  }

  get chunkStates(): number {
    return 1 << this.chunkBits;
  }

  /** Records new state `id` (always `count`): its parent and depth; a chunk is added when `id` starts one. */
  protected record(id: number, parent: number, depth: number): void {
    const c = id >>> this.chunkBits;
    if (c === this.parents.length) this.addChunk();
    const i = id & this.chunkMask;
    this.parents[c][i] = parent;
    if (this.depths) this.depths[c][i] = depth;
    else if (depth >= this.levelStarts.length) this.levelStarts.push(id);
    this.count = id + 1;
  }

  /** Adds one chunk to every column; a store with columns of its own extends it. */
  protected addChunk(): void {
    const n = this.chunkStates;
    this.parents.push(new Int32Array(n));
    this.flags.push(new Uint8Array(n >> 3));
    this.depths?.push(new Int32Array(n));
  }

  parentOf(id: number): number {
    return this.parents[id >>> this.chunkBits][id & this.chunkMask];
  }

  /** Path of ids from the initial state to `id`. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let s = id; s >= 0; s = this.parentOf(s)) path.push(s);
    return path.reverse();
  }

  depthOf(id: number): number {
    return this.depths ? this.depths[id >>> this.chunkBits][id & this.chunkMask] : levelOf(this.levelStarts, id);
  }

  markViolating(id: number): void {
    const i = id & this.chunkMask;
    this.flags[id >>> this.chunkBits][i >> 3] |= 1 << (i & 7);
  }

  isViolating(id: number): boolean {
    const i = id & this.chunkMask;
    return (this.flags[id >>> this.chunkBits][i >> 3] & (1 << (i & 7))) !== 0;
  }

  /** Bytes of one chunk of the lineage columns. */
  protected lineageChunkBytes(): number {
    return this.chunkStates * (4 + (this.depths ? 4 : 0)) + (this.chunkStates >> 3);
  }

  /** Bytes per state of the lineage columns. */
  protected lineageBytesPerState(): number {
    return 4 + (this.depths ? 4 : 0) + 1 / 8;
  }

  /** Chunks allocated so far. */
  protected get chunks(): number {
    return this.parents.length;
  }
}
