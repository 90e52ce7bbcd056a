/**
 * The memory bound. A run that outgrows memory must end as *incomplete* with its statistics, not in
 * V8's out-of-memory abort (exit 134, nothing printed) or the kernel's OOM killer. Two limits:
 * resident memory (the `--max-memory` bound, by default a share of the memory available at start)
 * and the V8 heap, which holds the memo tables of local states and is capped by node on its own
 * (`node --max-old-space-size`): passing that cap aborts the process whatever the machine has.
 */
import { freemem, totalmem } from 'node:os';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import type { ModelMemo } from './model.js';

/** Share of the available memory a run may use by default. */
export const DEFAULT_MEMORY_SHARE = 0.75;
/** V8's young generation, which `heap_size_limit` includes but the old-space cap does not (64-bit). */
const YOUNG_GENERATION = 48 * 2 ** 20;
/** Share of the V8 old-space cap a run may fill: the rest is left to build the result. */
const HEAP_SHARE = 0.85;

const MB = 2 ** 20;

/** Memory the process may still take: free memory (Linux: MemAvailable) under any cgroup cap, plus its own. */
export function availableMemoryBytes(): number {
  const rss = process.memoryUsage.rss();
  let avail = freemem() + rss;
  const cap = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  if (cap && cap > 0 && cap < totalmem()) avail = Math.min(avail, cap);
  return avail;
}

/** The default `--max-memory`, in whole megabytes. */
export function defaultMaxMemoryMb(): number {
  return Math.max(1, Math.floor((availableMemoryBytes() * DEFAULT_MEMORY_SHARE) / MB));
}

/** The heap a run may fill before it stops, in bytes. */
export function heapBudgetBytes(): number {
  return Math.floor((getHeapStatistics().heap_size_limit - YOUNG_GENERATION) * HEAP_SHARE);
}

/** Thrown from deep inside a step (a memo table growing) to end the run as incomplete. */
export class MemoryBoundReached extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/** The limits of one run: resident memory (0: none) and the V8 heap (always). */
export class MemoryGuard {
  readonly heapBudget = heapBudgetBytes();
  readonly rssLimit: number;
  /** What stopped the run, once something did. */
  why: string | null = null;

  /** `maxMemoryMb`: undefined for the default share of available memory, 0 for no bound. */
  constructor(maxMemoryMb?: number) {
    const mb = maxMemoryMb === undefined ? defaultMaxMemoryMb() : maxMemoryMb;
    this.rssLimit = mb * MB;
  }

  get maxMemoryMb(): number {
    return this.rssLimit / MB;
  }

  /** The heap alone: cheap enough to call every few hundred memo insertions. */
  heapFull(): boolean {
    const used = getHeapStatistics().used_heap_size;
    if (used <= this.heapBudget) return false;
    this.why = `V8 heap ${Math.round(used / MB)} MB reached ${Math.round(this.heapBudget / MB)} MB, ${Math.round(HEAP_SHARE * 100)}% of node's heap cap (raise it with node --max-old-space-size)`;
    return true;
  }

  /** Both limits; `upcoming` is memory about to be taken at once (the state store's next growth). */
  exceeded(rss: number, upcoming = 0): boolean {
    if (this.heapFull()) return true;
    if (this.rssLimit > 0 && rss + upcoming > this.rssLimit) {
      this.why = `resident memory ${Math.round(rss / MB)} MB${upcoming >= MB ? ` (+${Math.round(upcoming / MB)} MB for the state store's next growth)` : ''} reached the bound of ${this.maxMemoryMb} MB (--max-memory)`;
      return true;
    }
    return false;
  }

  /** For a memo table about to grow: throws `MemoryBoundReached` when the heap is full. */
  checkHeap(): void {
    if (this.heapFull()) throw new MemoryBoundReached(this.why!);
  }
}

/**
 * Where a run's memory went: the growth of its peak RSS over the RSS just before it explored (the
 * process's fixed baseline, node's own 50-60 MB, is left out), split by owner. The store, the hash
 * index and the mailbox contents are typed arrays and exact. The local-step memo tables (and the
 * XState snapshots they memoise) live on the V8 heap: their share is the growth of V8's old spaces,
 * where long-lived objects end up (it may include garbage not yet collected). `other` is the rest:
 * V8's young generation, compiled code, allocator slack.
 */
export interface MemoryBreakdown {
  readonly rssBeforeBytes: number;
  /** Peak RSS during the run (sampled between slices) minus `rssBeforeBytes`. */
  readonly growthBytes: number;
  /** State vectors, parent ids, violation flags (and DFS depths), allocated chunks. */
  readonly storeBytes: number;
  readonly hashTableBytes: number;
  readonly localStepsBytes: number;
  readonly mailboxContentsBytes: number;
  readonly otherBytes: number;
}

/** V8's long-lived heap: the old and large-object spaces in use. */
export function oldHeapBytes(): number {
  let b = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name === 'old_space' || s.space_name === 'large_object_space') b += s.space_used_size;
  return b;
}

export function memoryBreakdown(
  rssBefore: number,
  oldHeapBefore: number,
  peakRss: number,
  store: { store: number; table: number },
  memo: ModelMemo | undefined,
): MemoryBreakdown {
  const growthBytes = Math.max(0, peakRss - rssBefore);
  const localStepsBytes = Math.max(0, oldHeapBytes() - oldHeapBefore);
  const mailboxContentsBytes = memo?.mailboxContents ?? 0;
  return {
    rssBeforeBytes: rssBefore,
    growthBytes,
    storeBytes: store.store,
    hashTableBytes: store.table,
    localStepsBytes,
    mailboxContentsBytes,
    otherBytes: growthBytes - store.store - store.table - localStepsBytes - mailboxContentsBytes,
  };
}

/** The breakdown against another measure of the same run's peak RSS (/usr/bin/time's): `other` takes the difference. */
export function atPeak(m: MemoryBreakdown, peakRss: number): MemoryBreakdown {
  const growthBytes = peakRss - m.rssBeforeBytes;
  return { ...m, growthBytes, otherBytes: m.otherBytes + growthBytes - m.growthBytes };
}

/** One line: the growth and its shares, in MB. */
export function formatBreakdown(m: MemoryBreakdown): string {
  const mb = (b: number) => (b / MB).toFixed(1);
  return `RSS growth ${mb(m.growthBytes)} MB over ${mb(m.rssBeforeBytes)} MB before exploring: state store ${mb(m.storeBytes)}, hash table ${mb(m.hashTableBytes)}, ` +
    `memo tables: local steps ${mb(m.localStepsBytes)} (V8 heap), mailbox contents ${mb(m.mailboxContentsBytes)}; everything else ${mb(m.otherBytes)}`;
}
