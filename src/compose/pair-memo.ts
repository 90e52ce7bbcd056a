/**
 * A memo table keyed by a pair of small integers (a mailbox content and a message, a content and
 * the receiver's local state), holding a few integers per entry, in chunked typed arrays off the
 * V8 heap: about 20-28 bytes an entry with its hash slot, where a `Map` per content cost hundreds
 * (the memo tables of a protocol whose mailboxes hold many distinct contents outgrew the state
 * store; docs/performance.md).
 */
import { HashTable } from '../explore/table.js';

const BITS = 12;
const MASK = (1 << BITS) - 1;

/** A 32-bit mix of two integers (MurmurHash3's finaliser over a multiply-combine). */
function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

export class PairMemo {
  /** Entries so far. */
  count = 0;
  /** Integers per entry: the two keys, then the values. */
  private readonly rec: number;
  private readonly chunks: Int32Array[] = [];
  private readonly table: HashTable;
  /** The pair being looked up. */
  private a = 0;
  private b = 0;

  constructor(readonly values: number) {
    this.rec = 2 + values;
    this.table = new HashTable(true, (e) => {
      const c = this.chunks[e >>> BITS];
      const o = (e & MASK) * this.rec;
      return c[o] === this.a && c[o + 1] === this.b;
    });
  }

  /** The entry of (a, b), or -1. */
  find(a: number, b: number): number {
    this.a = a;
    this.b = b;
    return this.table.find(pairHash(a, b));
  }

  /** Adds an entry for (a, b), absent, with `values` values; returns it. */
  add(a: number, b: number, ...values: number[]): number {
    if (this.find(a, b) >= 0) throw new Error('internal: pair memo entry added twice');
    const e = this.count++;
    if (e >>> BITS === this.chunks.length) this.chunks.push(new Int32Array((MASK + 1) * this.rec));
    const c = this.chunks[e >>> BITS];
    const o = (e & MASK) * this.rec;
    c[o] = a;
    c[o + 1] = b;
    for (let j = 0; j < this.values; j++) c[o + 2 + j] = values[j];
    this.table.add(pairHash(a, b), e);
    return e;
  }

  /** Value `j` of entry `e`. */
  value(e: number, j: number): number {
    return this.chunks[e >>> BITS][(e & MASK) * this.rec + 2 + j];
  }

  bytes(): number {
    return this.chunks.length * (MASK + 1) * this.rec * 4 + this.table.bytes();
  }
}
