/**
 * The seen-set: every distinct global state, stored exactly, bit-packed into a fixed number of
 * 32-bit words per state, and found again through a hash index of state ids (table.ts). Each slot
 * of the vector gets as many bits as the largest value seen in it so far (plus one spare); when a
 * value outgrows its slot, the layout widens and every stored state is repacked (rare: a slot
 * doubles its range each time). A state's id is its discovery number, so a BFS frontier is a range
 * of ids. Vectors, parents, flags and depths sit in chunked columns (lineage.ts) that grow without
 * copying. A trace is rebuilt by replaying from the parents, never stored per state.
 */
import { murmur3 } from './hash.js';
import { DEFAULT_CHUNK_STATES, Lineage } from './lineage.js';
import { HashTable } from './table.js';

export { levelOf } from './lineage.js';

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

export class StateStore extends Lineage {
  readonly width: number;
  private lay: Layout;
  /** Packed vectors, `chunkStates` states per chunk. */
  private data: Int32Array[] = [];
  private packed: Int32Array;
  private readonly table: HashTable;

  /** `chunkStates`: states per chunk of every column (small only in tests). */
  constructor(width: number, chunkStates = DEFAULT_CHUNK_STATES, order: 'bfs' | 'dfs' = 'bfs') {
    super(chunkStates, order);
    this.width = width;
    this.lay = layout(new Uint8Array(width).fill(1));
    this.packed = new Int32Array(this.lay.words);
    // `same` serves `find`; `insert`, the hot path, probes the segments itself (no call per probe).
    this.table = new HashTable(true, (id) => this.equalAt(id));
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
    const base = (id & this.chunkMask) * P;
    const d = this.data[id >>> this.chunkBits];
    const p = this.packed;
    for (let i = 0; i < P; i++) if (d[base + i] !== p[i]) return false;
    return true;
  }

  protected override addChunk(): void {
    super.addChunk();
    this.data.push(new Int32Array(this.chunkStates * this.lay.words));
  }

  /** Returns the id of `v`, inserting it (with parent and depth) when new; `isNew` tells which. */
  insert(v: Int32Array, parent: number, depth: number): number {
    if (!this.pack(v)) {
      this.widen(v);
      this.pack(v);
    }
    // The packed words are the state (the packing is injective): hash those, fewer than the slots.
    const h = StateStore.hashWords(this.packed, 0, this.lay.words);
    const t = this.table.segment(h);
    const mask = (t.length >> 1) - 1;
    let slot = h & mask;
    for (;;) {
      const e = t[2 * slot];
      if (e === 0) break;
      if (t[2 * slot + 1] === h && this.equalAt(e - 1)) {
        this.isNew = false;
        return e - 1;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.count;
    this.record(id, parent, depth);
    this.data[id >>> this.chunkBits].set(this.packed, (id & this.chunkMask) * this.lay.words);
    this.table.addAt(h, id, slot);
    this.isNew = true;
    return id;
  }

  /** The id of `v`, or -1 when it was never inserted. */
  find(v: Int32Array): number {
    if (!this.pack(v)) return -1;
    return this.table.find(StateStore.hashWords(this.packed, 0, this.lay.words));
  }

  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): Int32Array {
    return this.unpack(this.data[id >>> this.chunkBits], (id & this.chunkMask) * this.lay.words, this.lay, out);
  }

  private unpack(d: Int32Array, base: number, L: Layout, out: Int32Array): Int32Array {
    for (let j = 0; j < this.width; j++) {
      const w = d[base + L.word[j]];
      out[j] = L.bits[j] === 32 ? w : (w >>> L.shift[j]) & L.max[j];
    }
    return out;
  }

  /** Bytes of the vectors and the lineage columns (allocated chunks), and of the hash index. */
  memory(): { store: number; table: number } {
    return { store: this.chunks * (this.chunkStates * this.lay.words * 4 + this.lineageChunkBytes()), table: this.table.bytes() };
  }

  bytes(): number {
    const m = this.memory();
    return m.store + m.table;
  }

  /** Bytes the next growth allocates at once: one chunk of every column, or the largest table segment doubled. */
  growthBytes(): number {
    return Math.max(this.chunkStates * this.lay.words * 4 + this.lineageChunkBytes(), this.table.growthBytes());
  }

  /** Bytes per stored state, counting only what is in use (no growth slack in the chunks). */
  bytesPerState(): number {
    return this.lay.words * 4 + this.lineageBytesPerState() + this.table.bytes() / Math.max(1, this.count);
  }

  /** Widens the slots `v` overflows (one spare bit) and repacks every stored state, chunk by chunk. */
  private widen(v: Int32Array): void {
    const old = this.lay;
    const bits = old.bits.slice();
    for (let j = 0; j < this.width; j++) {
      if ((v[j] >>> 0) > old.max[j]) bits[j] = Math.min(32, Math.max(bits[j] + 1, v[j] < 0 ? 32 : bitsFor(v[j]) + 1));
    }
    const L = layout(bits);
    const tmp = new Int32Array(this.width);
    for (let c = 0; c < this.data.length; c++) {
      const src = this.data[c];
      const dst = new Int32Array(this.chunkStates * L.words);
      const n = Math.min(this.chunkStates, this.count - c * this.chunkStates);
      for (let i = 0; i < n; i++) {
        this.unpack(src, i * old.words, old, tmp);
        const base = i * L.words;
        for (let j = 0; j < this.width; j++) dst[base + L.word[j]] |= tmp[j] << L.shift[j];
      }
      this.data[c] = dst;
    }
    this.lay = L;
    this.packed = new Int32Array(L.words);
    // Hashes are of the packed words, so a new layout rehashes every state.
    this.table.clear();
    for (let id = 0; id < this.count; id++) {
      this.table.put(StateStore.hashWords(this.data[id >>> this.chunkBits], (id & this.chunkMask) * L.words, L.words), id);
    }
  }
}
