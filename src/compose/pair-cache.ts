/**
 * A bounded memo of a pure function of two small integers (a mailbox content and a message, a
 * content and the receiver's local state) with a few integer values: a direct-mapped cache in one
 * typed array off the V8 heap. A pair that collides with another overwrites it and is recomputed
 * when met again, so the memory stays bounded (at most `maxEntries` entries) however many contents
 * a protocol with many message types and selective receive reaches; a `Map` per content, before,
 * took hundreds of bytes a content (docs/performance.md). Results never depend on what the cache
 * holds: only the time to compute them does.
 */
import { fmix32 } from '../explore/hash.js';

/** Entries at the start; the cache doubles while it fills up, to `maxEntries`. */
const FIRST_ENTRIES = 1 << 10;

function pairHash(a: number, b: number): number {
  return fmix32(Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b));
}

export class PairCache {
  /** Integers per entry: the two keys (first key -1: empty), then the values. */
  private readonly rec: number;
  private slots: Int32Array;
  private mask: number;
  /** Entries written since the last doubling. */
  private written = 0;

  constructor(readonly values: number, readonly maxEntries = 1 << 18) {
    this.rec = 2 + values;
    this.mask = FIRST_ENTRIES - 1;
    this.slots = PairCache.empty(FIRST_ENTRIES, this.rec);
  }

  private static empty(n: number, rec: number): Int32Array {
    const s = new Int32Array(n * rec);
    for (let i = 0; i < s.length; i += rec) s[i] = -1;
    return s;
  }

  /** The entry holding (a, b), or -1 when the cache does not hold it (any more). */
  find(a: number, b: number): number {
    const e = pairHash(a, b) & this.mask;
    const o = e * this.rec;
    return this.slots[o] === a && this.slots[o + 1] === b ? e : -1;
  }

  /** Value `j` of entry `e`. */
  value(e: number, j: number): number {
    return this.slots[e * this.rec + 2 + j];
  }

  /** Stores (a, b) -> values, over whatever the entry held; returns the entry. */
  put(a: number, b: number, v0: number, v1 = 0, v2 = 0): number {
    if (++this.written > this.mask + 1 && this.mask + 1 < this.maxEntries) this.double();
    const e = pairHash(a, b) & this.mask;
    this.write(this.slots, e * this.rec, a, b, v0, v1, v2);
    return e;
  }

  private write(s: Int32Array, o: number, a: number, b: number, v0: number, v1: number, v2: number): void {
    s[o] = a;
    s[o + 1] = b;
    s[o + 2] = v0;
    if (this.values > 1) s[o + 3] = v1;
    if (this.values > 2) s[o + 4] = v2;
  }

  /** Twice the entries, the old ones kept (a small array: at most `maxEntries` entries). */
  private double(): void {
    const old = this.slots;
    const n = (this.mask + 1) * 2;
    this.slots = PairCache.empty(n, this.rec);
    this.mask = n - 1;
    this.written = 0;
    for (let o = 0; o < old.length; o += this.rec) {
      if (old[o] < 0) continue;
      const e = pairHash(old[o], old[o + 1]) & this.mask;
      this.write(this.slots, e * this.rec, old[o], old[o + 1], old[o + 2], old[o + 3], old[o + 4]);
    }
  }

  bytes(): number {
    return this.slots.byteLength;
  }
}
