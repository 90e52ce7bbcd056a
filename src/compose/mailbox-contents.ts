/**
 * The distinct contents of one mailbox, numbered as met: content 0 is the empty mailbox. A content
 * is the queue of message (event) ids and the set of event types the `drop` policy discarded so
 * far. A protocol with many message types and selective receive (`defer`) reaches a great many
 * contents (the buggy bench lease at 5 clients: 386,150 for the server's mailbox), so they live in
 * chunked typed arrays off the V8 heap, about 50 bytes each, not as a string key, an array and two
 * `Map`s each (about 800 bytes with the memo entries). The memos of what an enqueue or a delivery
 * does to a content are bounded caches (pair-cache.ts).
 */
import { murmur3 } from '../explore/hash.js';
import { HashTable } from '../explore/table.js';

const SEED = 0x3c6ef372;
/** Contents per chunk of the start column. */
const BITS = 12;
const MASK = (1 << BITS) - 1;

export class MailboxContents {
  count = 0;
  /** Per content: where its record starts, as arena chunk * arenaChunk + offset. */
  private readonly starts: Int32Array[] = [];
  /** Records [length, dropped-set id, message ids ...], none straddling two chunks. */
  private readonly arena: Int32Array[] = [];
  private readonly arenaChunk: number;
  private used = 0;
  private readonly table: HashTable;
  /** The record being looked up or built: [length, dropped-set id, messages ...]. */
  private readonly probe: Int32Array;
  private readonly droppedSets: (readonly string[])[] = [];
  private readonly droppedKeys = new Map<string, number>();

  constructor(readonly capacity: number) {
    this.probe = new Int32Array(capacity + 3);
    this.arenaChunk = Math.max(1 << 14, 4 * (capacity + 3));
    this.table = new HashTable(true, (c) => this.sameAsProbe(c));
    this.intern([], []);
  }

  private start(c: number): number {
    return this.starts[c >>> BITS][c & MASK];
  }

  private sameAsProbe(c: number): boolean {
    const s = this.start(c);
    const a = this.arena[(s / this.arenaChunk) | 0];
    const o = s % this.arenaChunk;
    const p = this.probe;
    const n = p[0] + 2;
    for (let i = 0; i < n; i++) if (a[o + i] !== p[i]) return false;
    return true;
  }

  /** The content `msgs` with `dropped` discarded (sorted event types), interned. */
  intern(msgs: readonly number[], dropped: readonly string[]): number {
    const p = this.probe;
    p[0] = msgs.length;
    p[1] = this.droppedId(dropped);
    for (let i = 0; i < msgs.length; i++) p[2 + i] = msgs[i];
    return this.internProbe();
  }

  /** Content `c` with message `msg` appended (the caller checked the capacity). */
  appended(c: number, msg: number): number {
    const n = this.load(c);
    this.probe[2 + n] = msg;
    this.probe[0] = n + 1;
    return this.internProbe();
  }

  /** Content `c` without its message at position `k`, with `dropped` (a dropped-set id) or its own. */
  without(c: number, k: number, dropped = -1): number {
    const n = this.load(c);
    const p = this.probe;
    for (let i = 2 + k; i < 2 + n - 1; i++) p[i] = p[i + 1];
    p[0] = n - 1;
    if (dropped >= 0) p[1] = dropped;
    return this.internProbe();
  }

  /** Copies content `c`'s record into the probe; returns its length. */
  private load(c: number): number {
    const s = this.start(c);
    const a = this.arena[(s / this.arenaChunk) | 0];
    const o = s % this.arenaChunk;
    const n = a[o];
    this.probe.set(a.subarray(o, o + n + 2));
    return n;
  }

  private internProbe(): number {
    const p = this.probe;
    const n = p[0] + 2;
    const h = murmur3(p, 0, n, SEED);
    const found = this.table.find(h);
    if (found >= 0) return found;
    if (this.used + n > this.arenaChunk || this.arena.length === 0) {
      this.arena.push(new Int32Array(this.arenaChunk));
      this.used = 0;
    }
    const k = this.arena.length - 1;
    this.arena[k].set(p.subarray(0, n), this.used);
    const c = this.count++;
    if (c >>> BITS === this.starts.length) this.starts.push(new Int32Array(MASK + 1));
    this.starts[c >>> BITS][c & MASK] = k * this.arenaChunk + this.used;
    this.used += n;
    this.table.add(h, c);
    return c;
  }

  /** Number of messages in content `c`. */
  length(c: number): number {
    const s = this.start(c);
    return this.arena[(s / this.arenaChunk) | 0][s % this.arenaChunk];
  }

  /** Message `k` of content `c`. */
  message(c: number, k: number): number {
    const s = this.start(c);
    return this.arena[(s / this.arenaChunk) | 0][(s % this.arenaChunk) + 2 + k];
  }

  /** The messages of content `c`, oldest first. */
  messages(c: number): number[] {
    const n = this.length(c);
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(this.message(c, k));
    return out;
  }

  /** The event types the drop policy discarded on the way to content `c` (sorted). */
  dropped(c: number): readonly string[] {
    const s = this.start(c);
    return this.droppedSets[this.arena[(s / this.arenaChunk) | 0][(s % this.arenaChunk) + 1]];
  }

  /** The id of content `c`'s dropped set with `type` added. */
  droppedWith(c: number, type: string): number {
    const d = this.dropped(c);
    return this.droppedId(d.includes(type) ? d : [...d, type].sort());
  }

  private droppedId(dropped: readonly string[]): number {
    const key = dropped.join('\u0000');
    let id = this.droppedKeys.get(key);
    if (id === undefined) {
      id = this.droppedSets.length;
      this.droppedSets.push(dropped);
      this.droppedKeys.set(key, id);
    }
    return id;
  }

  bytes(): number {
    return this.starts.length * (MASK + 1) * 4 + this.arena.length * this.arenaChunk * 4 + this.table.bytes();
  }
}
