/**
 * One fsync/msync caller: `vfs_fsync_range` -> `filemap_write_and_wait_range` ->
 * `dax_writeback_mapping_range` -> `dax_writeback_one` (seed 004 RZ6).
 *
 * Knobs (input):
 * - `impl: 'v7'` looks the PMD up at `start & PMD_MASK`, a byte offset used as a page index
 *   (S4-R7), flushes through `inode->i_sb->s_bdev` (S4-R9), and its loop has no end bound: it
 *   writes back every TOWRITE entry from `start_page` on, and rescans from `start_page` after each
 *   batch (`while (1)`, seed 004 RZ6). `'fixed'` is the later kernel: `DAX_PMD_INDEX(start_index)`,
 *   the inode's own data device ([bg, checked]), and the loop of fs/dax.c after 1eb643d02b21 (Jan
 *   Kara, 2017): `if (indices[i] > end_index) { done = true; break; }` and
 *   `start_index = indices[pvec.nr - 1] + 1`. The model's pagevec holds one entry, so the scan
 *   position moves past each entry found.
 * - `entryLock`: later kernels hold the entry lock across the flush and drop it after.
 * - `towriteClear: 'after-flush'`: clear TOWRITE after the flush (finding F1's fix).
 * - `inflightWait` (finding F1, proposed fix, with `entryLock`): `dax_writeback_one` fences its own
 *   CLWB (`wmb_pmem`) before it unlocks the entry, and `dax_writeback_mapping_range` waits, before
 *   its final `wmb_pmem`, until no entry of its range is locked (`dax_wait_inflight`).
 * - `queue`: `dax_map_atomic` calls `blk_queue_enter`, which fails with -EIO once the pmem
 *   queue is dying (X-R1); it then syncs with the pmem driver on `blk_queue_enter`.
 * Block = sector = pfn (one name: block). Pages are abstract: PAGE_SIZE = 4096 bytes, a PMD
 * covers `pmdPages` pages (512 in the kernel, 2 here).
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface DaxFsyncInput {
  id: string;
  impl: 'v7' | 'fixed';
  pmdPages: number;
  nPages: number;
  sbDev: string;
  dataDev: string;
  entryLock?: boolean;
  towriteClear?: 'before-flush' | 'after-flush';
  /** Sync `blk_queue_enter`/`blk_queue_exit` with a pmem driver (X-R1). */
  queue?: boolean;
  /** Finding F1's proposed fix (needs `entryLock`): fence before the entry unlock, wait for locked entries before returning. */
  inflightWait?: boolean;
}
export interface DaxFsyncContext extends Required<DaxFsyncInput> {
  /** The range the caller asked for (page indices, inclusive). */
  reqStart: number;
  start: number;
  end: number;
  /** Where the next `find_get_entries_tag` starts (`start_page`; later kernels advance it). */
  next: number;
  /** The entry `find_get_entries_tag` returned, and its index. */
  index: number;
  entry: number;
  ret: number;
}

type Ev =
  | { type: 'vfs_fsync_range'; thread: string; start: number; end: number }
  | { type: 'radix_tree_lookup'; index: number; pmdFound: boolean }
  | { type: 'tag_pages_for_writeback'; start: number; end: number }
  | { type: 'find_get_entries_tag'; start: number; index: number; entry: number }
  | { type: 'dax_writeback_one'; index: number; entry: number; hit: boolean }
  | { type: 'blk_queue_enter'; thread: string; ok: boolean }
  | { type: 'wb_cache_pmem'; thread: string; dev: string; block: number; n: number }
  | { type: 'blk_queue_exit'; thread: string }
  | { type: 'dax_unlock_entry'; index: number }
  | { type: 'radix_tree_tag_clear'; index: number; entry: number }
  | { type: 'wmb_pmem'; thread: string }
  | { type: 'dax_wait_inflight'; start: number; end: number }
  | { type: 'fsync_return'; thread: string; ret: number };

const C = 'P6 dax: add support for fsync/msync (seed 004 RZ6)';
const PAGE = 4096;
/** The later loop of dax_writeback_mapping_range (end bound, start advance). */
const LOOP = 'fs/dax.c dax_writeback_mapping_range after 1eb643d02b21 (Jan Kara 2017, "fix inefficiency in dax_writeback_mapping_range ... prone to livelocks")';
/** The index `dax_writeback_mapping_range` looks up for a PMD covering `start` (a page index). */
export function pmdLookupIndex(impl: 'v7' | 'fixed', start: number, pmdPages: number): number {
  if (impl === 'v7') return (start * PAGE) & ~(pmdPages * PAGE - 1); // radix_tree_lookup(tree, start & PMD_MASK), start in bytes
  return start & ~(pmdPages - 1); // DAX_PMD_INDEX(start_index)
}
const isPmd = (entry: number) => (entry & 0xc) === 0x8;
const isPte = (entry: number) => (entry & 0xc) === 0x4 && (entry & 2) === 2;

export const daxFsync = setup({
  types: { context: {} as DaxFsyncContext, events: {} as Ev, input: {} as DaxFsyncInput },
}).createMachine({
  id: 'dax_fsync',
  context: ({ input }) => ({
    entryLock: false,
    towriteClear: 'before-flush' as const,
    queue: false,
    inflightWait: false,
    ...input,
    reqStart: 0,
    start: 0,
    end: 0,
    next: 0,
    index: -1,
    entry: 0,
    ret: 0,
  }),
  initial: 'idle',
  states: {
    idle: {
      tags: ['validEnd'],
      on: {
        vfs_fsync_range: {
          guard: ({ context, event }) => event.thread === context.id && event.start <= event.end,
          target: 'radix_tree_lookup',
          meta: m('vfs_fsync_range', C + ' filemap_write_and_wait_range', ATOMIC.vfs_fsync_range),
          actions: assign(({ event }) => ({ reqStart: event.start, start: event.start, end: event.end })),
        },
      },
    },
    // "see if the start of our range is covered by a PMD entry"
    radix_tree_lookup: {
      on: {
        radix_tree_lookup: {
          guard: ({ context, event }) => event.index === pmdLookupIndex(context.impl, context.start, context.pmdPages),
          target: 'tag_pages_for_writeback',
          meta: m('dax_writeback_mapping_range', C + ' radix_tree_lookup(start & PMD_MASK); PG-S4-R7', ATOMIC.radix_tree_lookup),
          actions: assign(({ context, event }) => {
            const start = event.pmdFound ? context.start & ~(context.pmdPages - 1) : context.start;
            return { start, next: start };
          }),
        },
      },
    },
    tag_pages_for_writeback: {
      on: {
        tag_pages_for_writeback: {
          guard: ({ context, event }) => event.start === context.start && event.end === context.end,
          target: 'find_get_entries_tag',
          meta: m('tag_pages_for_writeback', C, ATOMIC.tag_pages_for_writeback),
          actions: assign({}),
        },
      },
    },
    find_get_entries_tag: {
      on: {
        find_get_entries_tag: [
          {
            guard: ({ context, event }) => event.start === context.next && event.index === -1,
            target: 'wait_inflight',
            meta: m('find_get_entries_tag', C + ' "if (pvec.nr == 0) break;"', ATOMIC.find_get_entries_tag),
            actions: assign({ index: -1, entry: 0 }),
          },
          {
            // later kernels only: an entry past the range ends the loop
            guard: ({ context, event }) => event.start === context.next && context.impl === 'fixed' && event.index > context.end,
            target: 'wait_inflight',
            meta: m('dax_writeback_mapping_range', LOOP + ' "if (indices[i] > end_index) { done = true; break; }"', ATOMIC.find_get_entries_tag),
            actions: assign({ index: -1, entry: 0 }),
          },
          {
            guard: ({ context, event }) => event.start === context.next && event.index >= 0 && (context.impl === 'v7' || event.index <= context.end),
            target: 'dax_writeback_one',
            meta: m('find_get_entries_tag', 'P5 mm: add find_get_entries_tag() (seed 004 RZ5); v7 loop: no end bound, rescan from start_page', ATOMIC.find_get_entries_tag),
            // later kernels: start_index = indices[pvec.nr - 1] + 1
            actions: assign(({ context, event }) => ({ index: event.index, entry: event.entry, next: context.impl === 'fixed' ? event.index + 1 : context.next })),
          },
        ],
      },
    },
    dax_writeback_one: {
      on: {
        dax_writeback_one: [
          {
            // "another fsync thread may have already written back this entry" / *slot != entry
            guard: ({ context, event }) => event.index === context.index && event.entry === context.entry && !event.hit,
            target: 'find_get_entries_tag',
            meta: m('dax_writeback_one', C + ' goto unlock', ATOMIC.dax_writeback_one),
            actions: assign({ index: -1, entry: 0 }),
          },
          {
            // WARN_ON_ONCE(type != RADIX_DAX_PTE && type != RADIX_DAX_PMD): ret = -EIO
            guard: ({ context, event }) =>
              event.index === context.index && event.entry === context.entry && event.hit && !isPmd(event.entry) && !isPte(event.entry),
            target: 'return_error',
            meta: m('dax_writeback_one', C + ' WARN_ON_ONCE(type != RADIX_DAX_PTE && ...) -EIO', ATOMIC.dax_writeback_one),
            actions: assign({ ret: -5 }),
          },
          {
            // TOWRITE cleared under tree_lock; the lock is dropped before dax_map_atomic.
            guard: ({ context, event }) => event.index === context.index && event.entry === context.entry && event.hit,
            target: 'dax_map_atomic',
            meta: m('dax_writeback_one', C + ' radix_tree_tag_clear(TOWRITE); spin_unlock_irq', ATOMIC.dax_writeback_one),
            actions: assign({}),
          },
        ],
      },
    },
    dax_map_atomic: {
      always: [{ guard: ({ context }) => !context.queue, target: 'wb_cache_pmem' }],
      on: {
        blk_queue_enter: [
          {
            guard: ({ context, event }) => event.thread === context.id && event.ok,
            target: 'wb_cache_pmem',
            meta: m('dax_map_atomic', 'PG §2.1 [bg, checked] dax_map_atomic takes blk_queue_enter', ATOMIC.blk_queue_enter),
            actions: assign({}),
          },
          {
            guard: ({ context, event }) => event.thread === context.id && !event.ok,
            target: 'return_error',
            meta: m('dax_map_atomic', 'PG-X-R1: blk_queue_enter fails once the queue is dying, -EIO', ATOMIC.blk_queue_enter),
            actions: assign({ ret: -5 }),
          },
        ],
      },
    },
    wb_cache_pmem: {
      on: {
        wb_cache_pmem: {
          guard: ({ context, event }) =>
            event.thread === context.id &&
            event.dev === (context.impl === 'v7' ? context.sbDev : context.dataDev) &&
            event.block === context.entry >> 4 &&
            event.n === (isPmd(context.entry) ? context.pmdPages : 1),
          target: 'dax_unmap_atomic',
          meta: m('wb_cache_pmem', C + ' dax_writeback_one; bdev = inode->i_sb->s_bdev (PG-S4-R9)', ATOMIC.wb_cache_pmem),
          actions: assign({}),
        },
      },
    },
    dax_unmap_atomic: {
      always: [{ guard: ({ context }) => !context.queue, target: 'dax_unlock_entry' }],
      on: {
        blk_queue_exit: {
          guard: ({ context, event }) => event.thread === context.id,
          target: 'dax_unlock_entry',
          meta: m('dax_unmap_atomic', 'PG §2.1 [bg, checked] blk_queue_exit', ATOMIC.blk_queue_exit),
          actions: assign({}),
        },
      },
    },
    dax_unlock_entry: {
      always: [
        // TOWRITE cleared after the flush (F1 candidate) comes before the entry unlock, with or without entry locks
        { guard: ({ context }) => context.towriteClear === 'after-flush', target: 'radix_tree_tag_clear' },
        { guard: ({ context }) => context.entryLock && context.inflightWait, target: 'wmb_pmem_entry' },
        { guard: ({ context }) => context.entryLock, target: 'put_locked_mapping_entry' },
        { target: 'find_get_entries_tag' },
      ],
    },
    // F1 proposed fix: this CPU's fence, so the entry is durable before its lock is dropped
    wmb_pmem_entry: {
      on: {
        wmb_pmem: {
          guard: ({ context, event }) => event.thread === context.id,
          target: 'put_locked_mapping_entry',
          meta: m('wmb_pmem', 'docs/models/pgmap-gup-fsync.md finding F1 (proposed fix: fence before put_locked_mapping_entry)', ATOMIC.wmb_pmem),
          actions: assign({}),
        },
      },
    },
    put_locked_mapping_entry: {
      on: {
        dax_unlock_entry: {
          guard: ({ context, event }) => event.index === context.index,
          target: 'find_get_entries_tag',
          meta: m('put_locked_mapping_entry', '[bg] later fs/dax.c dax_writeback_one', ATOMIC.dax_unlock_entry),
          actions: assign({ index: -1, entry: 0 }),
        },
      },
    },
    radix_tree_tag_clear: {
      on: {
        radix_tree_tag_clear: [
          {
            guard: ({ context, event }) => event.index === context.index && event.entry === context.entry && context.entryLock && context.inflightWait,
            target: 'wmb_pmem_entry',
            meta: m('radix_tree_tag_clear', 'docs/models/pgmap-gup-fsync.md finding F1 (candidate: TOWRITE cleared after the flush)', ATOMIC.radix_tree_tag_clear),
          },
          {
            guard: ({ context, event }) => event.index === context.index && event.entry === context.entry && context.entryLock,
            target: 'put_locked_mapping_entry',
            meta: m('radix_tree_tag_clear', 'docs/models/pgmap-gup-fsync.md finding F1 (candidate: TOWRITE cleared after the flush)', ATOMIC.radix_tree_tag_clear),
          },
          {
            guard: ({ context, event }) => event.index === context.index && event.entry === context.entry,
            target: 'find_get_entries_tag',
            meta: m('radix_tree_tag_clear', 'docs/models/pgmap-gup-fsync.md finding F1 (candidate: TOWRITE cleared after the flush)', ATOMIC.radix_tree_tag_clear),
            actions: assign({ index: -1, entry: 0 }),
          },
        ],
      },
    },
    wait_inflight: {
      always: [{ guard: ({ context }) => !context.inflightWait, target: 'wmb_pmem' }],
      on: {
        dax_wait_inflight: {
          guard: ({ context, event }) => event.start === context.start && event.end === context.end,
          target: 'wmb_pmem',
          meta: m('dax_writeback_mapping_range', 'docs/models/pgmap-gup-fsync.md finding F1 (proposed fix: wait for entries locked by a concurrent dax_writeback_one)', ATOMIC.dax_wait_inflight),
          actions: assign({}),
        },
      },
    },
    wmb_pmem: {
      on: {
        wmb_pmem: {
          guard: ({ context, event }) => event.thread === context.id,
          target: 'fsync_return',
          meta: m('wmb_pmem', C + ' dax_writeback_mapping_range', ATOMIC.wmb_pmem),
          actions: assign({ ret: 0 }),
        },
      },
    },
    fsync_return: {
      on: {
        fsync_return: {
          guard: ({ context, event }) => event.thread === context.id && event.ret === context.ret,
          target: 'returned',
          meta: m('filemap_write_and_wait_range', C, ATOMIC.fsync_return),
          actions: assign({}),
        },
      },
    },
    return_error: {
      on: {
        fsync_return: {
          guard: ({ context, event }) => event.thread === context.id && event.ret === context.ret,
          target: 'returned',
          meta: m('filemap_write_and_wait_range', C + ' "if (err) return err;"', ATOMIC.fsync_return),
          actions: assign({}),
        },
      },
    },
    returned: { tags: ['validEnd'] },
  },
});
