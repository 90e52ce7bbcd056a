/**
 * The DAX mapping tree `address_space.page_tree` of one file (seed 004, v7 patches 4-6).
 *
 * A passive actor: every event is taken together (sync) with the thread that calls the kernel
 * function, so a step is one critical section under `mapping->tree_lock`. Each slot is `EMPTY`,
 * `HOLE` (a zero-filled page cache page from `dax_load_hole`), `PTE` or `PMD` (exceptional DAX
 * entries holding a block), with the tags `DIRTY` (d) and `TOWRITE` (w), and the entry lock `lk` of
 * later kernels (only used when `entryLock` is set). A PMD entry is stored at its PMD-aligned index
 * and covers `pmdPages` indices. Block = sector = pfn (one name: block).
 *
 * Parameters carry what the caller knows; guards accept exactly the result the kernel function
 * would return, so the caller learns it from the synchronised event.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export type SlotKind = 'EMPTY' | 'HOLE' | 'PTE' | 'PMD';
export interface Slot {
  t: SlotKind;
  /** Block (sector) of a DAX entry, -1 otherwise. */
  b: number;
  /** PAGECACHE_TAG_DIRTY */
  d: boolean;
  /** PAGECACHE_TAG_TOWRITE */
  w: boolean;
  /** Entry lock (later kernels: lock_slot); never set in v7. */
  lk: boolean;
}
export interface MappingTreeInput {
  nPages: number;
  /** `dax_writeback_one` holds the entry lock across the flush (later kernels) or not (v7). */
  entryLock?: boolean;
  /** When `dax_writeback_one` clears TOWRITE: before the flush (v7 and later kernels) or after it (finding F1's fix). */
  towriteClear?: 'before-flush' | 'after-flush';
  /** Initial slots (default: all EMPTY). */
  slots?: Slot[];
  /** Later dax_radix_entry: a PTE request first looks up DAX_PMD_INDEX(index) and dirties a covering PMD (PG-S4-R4 fix). */
  pmdFirst?: boolean;
  /** PMD size in pages (for pmdFirst; default 2). */
  pmdPages?: number;
  /**
   * `dax_writeback_one` keeps `tree_lock` across `dax_map_atomic` + `wb_cache_pmem` (possible only
   * with an atomic `->direct_access`, PG §5.4) instead of dropping it first (v7: it may sleep).
   * The lock is released by the flush step (`wb_cache_pmem`, the tree a party of it).
   */
  flushUnderLock?: boolean;
  /**
   * Mutants (a one-line change each, never a kernel design): the tag `dax_writeback_one` clears
   * (`radix_tree_tag_clear(page_tree, index, PAGECACHE_TAG_TOWRITE)` as posted; `DIRTY` or the line
   * removed), and whether `dax_radix_entry` counts an insert (`mapping->nrexceptional++`).
   */
  wbTagClear?: 'TOWRITE' | 'DIRTY' | 'none';
  countInsert?: boolean;
  /** Mutant: whether `clear_exceptional_entry` (truncate_inode_pages_range) counts a removed DAX entry (`mapping->nrexceptional--`). */
  countTruncate?: boolean;
}
export interface MappingTreeContext {
  slots: Slot[];
  nrexceptional: number;
  nrpages: number;
  entryLock: boolean;
  towriteClear: 'before-flush' | 'after-flush';
  pmdFirst: boolean;
  pmdPages: number;
  flushUnderLock: boolean;
  wbTagClear: 'TOWRITE' | 'DIRTY' | 'none';
  countInsert: boolean;
  countTruncate: boolean;
}

/** RADIX_DAX_ENTRY(sector, pmd) of include/linux/dax.h (v7 patch 4): sector<<4 | (PMD?0x8:0x4) | 2. */
export const RADIX_DAX_ENTRY = (block: number, pmd: boolean): number => (block << 4) | (pmd ? 0x8 : 0x4) | 2;
/** The value of a slot as `find_get_entries_tag` returns it: 0 empty, 1 a struct page (hole page). */
export const slotValue = (s: Slot): number => (s.t === 'EMPTY' ? 0 : s.t === 'HOLE' ? 1 : RADIX_DAX_ENTRY(s.b, s.t === 'PMD'));
export const EMPTY_SLOT: Slot = { t: 'EMPTY', b: -1, d: false, w: false, lk: false };

type Ev =
  | { type: 'dax_radix_entry'; index: number; block: number; pmd: boolean; dirty: boolean }
  | { type: 'radix_tree_lookup'; index: number; pmdFound: boolean }
  | { type: 'tag_pages_for_writeback'; start: number; end: number }
  | { type: 'find_get_entries_tag'; start: number; index: number; entry: number }
  | { type: 'dax_writeback_one'; index: number; entry: number; hit: boolean }
  | { type: 'dax_unlock_entry'; index: number }
  | { type: 'radix_tree_tag_clear'; index: number; entry: number }
  | { type: 'wb_cache_pmem'; thread: string; dev: string; block: number; n: number }
  | { type: 'dax_wait_inflight'; start: number; end: number }
  | { type: 'dax_load_hole'; index: number; res: string }
  | { type: 'find_lock_page'; index: number; found: boolean }
  | { type: 'delete_from_page_cache'; index: number }
  | { type: 'truncate_inode_pages_range'; start: number; end: number; index: number }
  | { type: 'unlock_page'; index: number }
  | { type: 'grab_mapping_entry'; index: number; n: number; res: 'locked' | 'fallback'; hole: boolean }
  | { type: 'put_locked_mapping_entry'; index: number; n: number };

const C = 'P6 dax: add support for fsync/msync (seed 004 RZ6)';
const C4 = 'P4 dax: support dirty DAX entries in radix tree (seed 004 RZ4)';

const isDax = (s: Slot) => s.t === 'PTE' || s.t === 'PMD';

/** The lowest index >= start tagged TOWRITE, and its value; [-1, 0] when there is none. */
export function firstTagged(slots: readonly Slot[], start: number): [number, number] {
  for (let i = Math.max(0, start); i < slots.length; i++) if (slots[i].w) return [i, slotValue(slots[i])];
  return [-1, 0];
}

type WritebackEv = { index: number; entry: number; hit: boolean };
/** dax_writeback_one's check: the slot still holds the entry and (hit) TOWRITE is set; later kernels wait while it is locked. */
function writebackOk(context: MappingTreeContext, event: WritebackEv): boolean {
  const s = context.slots[event.index];
  if (!s) return false;
  if (context.entryLock && s.lk && slotValue(s) === event.entry) return false; // get_unlocked_mapping_entry waits
  return event.hit === (slotValue(s) === event.entry && s.w);
}
/** TOWRITE cleared (v7, later kernels; kept until radix_tree_tag_clear after the flush in the after-flush design), entry locked (later kernels). */
function writebackSlots(context: MappingTreeContext, event: WritebackEv): Slot[] {
  const keepTowrite = (context.towriteClear === 'after-flush' && isDax(context.slots[event.index])) || context.wbTagClear !== 'TOWRITE';
  return context.slots.map((s, i) =>
    i === event.index && event.hit
      ? { ...s, w: keepTowrite ? s.w : false, d: context.wbTagClear === 'DIRTY' ? false : s.d, lk: context.entryLock && isDax(s) }
      : s,
  );
}

export const mappingTree = setup({
  types: { context: {} as MappingTreeContext, events: {} as Ev, input: {} as MappingTreeInput },
}).createMachine({
  id: 'page_tree',
  context: ({ input }) => ({
    slots: input.slots ?? Array.from({ length: input.nPages }, () => ({ ...EMPTY_SLOT })),
    nrexceptional: (input.slots ?? []).filter(isDax).length,
    nrpages: (input.slots ?? []).filter((s) => s.t === 'HOLE').length,
    entryLock: input.entryLock ?? false,
    towriteClear: input.towriteClear ?? 'before-flush',
    pmdFirst: input.pmdFirst ?? false,
    pmdPages: input.pmdPages ?? 2,
    flushUnderLock: input.flushUnderLock ?? false,
    wbTagClear: input.wbTagClear ?? 'TOWRITE',
    countInsert: input.countInsert ?? true,
    countTruncate: input.countTruncate ?? true,
  }),
  initial: 'tree_lock_free',
  states: {
    tree_lock_free: {
      tags: ['validEnd'],
      on: {
        dax_radix_entry: {
          guard: ({ context, event }) => event.index >= 0 && event.index < context.slots.length,
          meta: m('dax_radix_entry', C, ATOMIC.dax_radix_entry),
          actions: assign(({ context, event }) => {
            const slots = context.slots.map((s) => ({ ...s }));
            let nrex = context.nrexceptional;
            const head = event.index - (event.index % context.pmdPages);
            if (context.pmdFirst && !event.pmd && slots[head].t === 'PMD') {
              // later kernels: WARN_ON_ONCE(pmd_entry && !dirty); a covering PMD entry is dirtied instead
              if (event.dirty) slots[head].d = true;
              return { slots, nrexceptional: nrex };
            }
            const cur = slots[event.index];
            if (cur.t !== 'EMPTY') {
              // if (!pmd_entry || RADIX_DAX_TYPE(entry) == RADIX_DAX_PMD) goto dirty;
              if (!event.pmd || cur.t === 'PMD') {
                if (event.dirty) cur.d = true;
                return { slots, nrexceptional: nrex };
              }
              // radix_tree_delete(); mapping->nrexceptional--; (whatever the slot held)
              slots[event.index] = { ...EMPTY_SLOT };
              nrex--;
            }
            if (event.block === -1) return { slots, nrexceptional: nrex }; // NO_SECTOR
            // later kernels: the new entry replaces the caller's locked entry and stays locked
            slots[event.index] = { t: event.pmd ? 'PMD' : 'PTE', b: event.block, d: event.dirty, w: false, lk: context.entryLock && cur.lk };
            if (context.countInsert) nrex++;
            return { slots, nrexceptional: nrex };
          }),
        },
        radix_tree_lookup: {
          guard: ({ context, event }) =>
            event.pmdFound === (event.index >= 0 && event.index < context.slots.length && context.slots[event.index].t === 'PMD'),
          meta: m('radix_tree_lookup', C + ' dax_writeback_mapping_range', ATOMIC.radix_tree_lookup),
          actions: assign({}),
        },
        tag_pages_for_writeback: {
          meta: m('tag_pages_for_writeback', C + ' dax_writeback_mapping_range', ATOMIC.tag_pages_for_writeback),
          actions: assign(({ context, event }) => ({
            slots: context.slots.map((s, i) => (i >= event.start && i <= event.end && s.d ? { ...s, w: true } : s)),
          })),
        },
        find_get_entries_tag: {
          guard: ({ context, event }) => {
            const [i, v] = firstTagged(context.slots, event.start);
            return event.index === i && event.entry === v;
          },
          meta: m('find_get_entries_tag', 'P5 mm: add find_get_entries_tag() (seed 004 RZ5)', ATOMIC.find_get_entries_tag),
          actions: assign({}),
        },
        dax_writeback_one: [
          {
            // ->direct_access is atomic: the flush stays inside this tree_lock section (PG §5.4)
            guard: ({ context, event }) => context.flushUnderLock && event.hit && writebackOk(context, event),
            target: 'tree_lock_held',
            meta: m('dax_writeback_one', C + '; PG §5.4 ->direct_access atomic: no lock drop before dax_map_atomic', ATOMIC.dax_writeback_one),
            actions: assign(({ context, event }) => ({ slots: writebackSlots(context, event) })),
          },
          {
            // Under tree_lock: *slot == entry and TOWRITE set; later kernels also wait for the entry lock.
            guard: ({ context, event }) => writebackOk(context, event),
            meta: m('dax_writeback_one', C, ATOMIC.dax_writeback_one),
            actions: assign(({ context, event }) => ({ slots: writebackSlots(context, event) })),
          },
        ],
        // v7: the flush runs after spin_unlock_irq (dax_map_atomic may sleep); the tree only watches it
        wb_cache_pmem: {
          guard: ({ context }) => !context.flushUnderLock,
          meta: m('wb_cache_pmem', C + ' (after spin_unlock_irq: "dax_map_atomic may cond_resched")', ATOMIC.wb_cache_pmem),
          actions: assign({}),
        },
        // Finding F1, proposed fix: before its wmb_pmem, an fsync waits for the entries of its range
        // locked by a concurrent dax_writeback_one (which fences its own CLWB before unlocking).
        dax_wait_inflight: {
          // a locked entry of [start, end], or a locked PMD entry covering start
          guard: ({ context, event }) =>
            context.slots.every((x, i) => !x.lk || !((i >= event.start && i <= event.end) || (x.t === 'PMD' && i <= event.start && event.start < i + context.pmdPages))),
          meta: m('dax_writeback_mapping_range', 'docs/models/pgmap-gup-fsync.md finding F1 (proposed fix, not a kernel function)', ATOMIC.dax_wait_inflight),
          actions: assign({}),
        },
        dax_unlock_entry: {
          guard: ({ context, event }) => context.slots[event.index]?.lk === true,
          meta: m('put_locked_mapping_entry', '[bg] later fs/dax.c dax_writeback_one (entry lock held across the flush)', ATOMIC.dax_unlock_entry),
          actions: assign(({ context, event }) => ({
            slots: context.slots.map((s, i) => (i === event.index ? { ...s, lk: false } : s)),
          })),
        },
        radix_tree_tag_clear: {
          // Finding F1's fix: clear TOWRITE only once the flush is done, if the slot still holds the entry.
          meta: m('radix_tree_tag_clear', 'docs/models/pgmap-gup-fsync.md finding F1', ATOMIC.radix_tree_tag_clear),
          actions: assign(({ context, event }) => ({
            slots: context.slots.map((s, i) => (i === event.index && slotValue(s) === event.entry ? { ...s, w: false } : s)),
          })),
        },
        dax_load_hole: {
          // find_or_create_page -> page_cache_tree_insert: -EINVAL (WARN) over a DAX entry; a new page
          // is inserted locked; an existing hole page is found and locked (lock_page waits while locked).
          guard: ({ context, event }) => {
            const s = context.slots[event.index];
            if (!s) return false;
            if (s.t === 'HOLE' && s.lk && !context.entryLock) return false; // lock_page sleeps
            return event.res === (s.t === 'EMPTY' ? 'inserted' : s.t === 'HOLE' ? 'found' : 'einval');
          },
          meta: m('dax_load_hole', C4 + ' page_cache_tree_insert; JK-p2', ATOMIC.dax_load_hole),
          actions: assign(({ context, event }) => {
            if (event.res === 'einval') return {};
            if (event.res === 'found') return { slots: context.slots.map((s, i) => (i === event.index ? { ...s, lk: true } : s)) };
            return {
              slots: context.slots.map((s, i) => (i === event.index ? { ...EMPTY_SLOT, t: 'HOLE' as SlotKind, lk: true } : s)),
              nrpages: context.nrpages + 1,
            };
          }),
        },
        find_lock_page: {
          // find_get_page + lock_page_or_retry / find_lock_page: a hole page is returned locked; waits while it is locked.
          guard: ({ context, event }) => {
            const s = context.slots[event.index];
            if (!s) return false;
            if (s.t === 'HOLE' && s.lk) return false;
            return event.found === (s.t === 'HOLE');
          },
          meta: m('find_lock_page', '[bg] 4.4 fs/dax.c __dax_fault "Check we didn\'t race with a read fault installing a new page"', ATOMIC.find_lock_page),
          actions: assign(({ context, event }) =>
            event.found ? { slots: context.slots.map((s, i) => (i === event.index ? { ...s, lk: true } : s)) } : {},
          ),
        },
        unlock_page: {
          // unlock_page of the caller's hole page; a page already deleted from the tree is not in any slot.
          meta: m('unlock_page', '[bg] 4.4 mm/memory.c __do_fault VM_FAULT_LOCKED; fs/dax.c __dax_fault', ATOMIC.unlock_page),
          actions: assign(({ context, event }) => ({
            slots: context.slots.map((s, i) => (i === event.index && s.t === 'HOLE' && !context.entryLock ? { ...s, lk: false } : s)),
          })),
        },
        delete_from_page_cache: {
          guard: ({ context, event }) => context.slots[event.index]?.t === 'HOLE',
          meta: m('delete_from_page_cache', 'seed 004 RZ6 hunk __dax_fault', ATOMIC.delete_from_page_cache),
          actions: assign(({ context, event }) => ({
            // with entry locks the caller keeps the (now empty) entry locked until it inserts its own
            slots: context.slots.map((s, i) => (i === event.index ? { ...EMPTY_SLOT, lk: context.entryLock && s.lk } : s)),
            nrpages: context.nrpages - 1,
          })),
        },
        grab_mapping_entry: {
          // later kernels (entry locks): lock the entries of [index, index+n); a PMD request over a PTE
          // entry or a hole page fails (-EEXIST) and the PMD fault falls back to PTEs.
          guard: ({ context, event }) => {
            if (!context.entryLock) return false;
            const r = context.slots.slice(event.index, event.index + event.n);
            if (r.length !== event.n || r.some((s) => s.lk)) return false;
            const conflict = event.n > 1 && r.some((s) => s.t === 'HOLE' || s.t === 'PTE');
            return event.res === (conflict ? 'fallback' : 'locked') && event.hole === (event.n === 1 && r[0].t === 'HOLE');
          },
          meta: m('grab_mapping_entry', '[bg] later fs/dax.c grab_mapping_entry (entry lock; -EEXIST for a PMD over PTE entries); PG §5.4 fault serialisation "entry lock"', ATOMIC.grab_mapping_entry),
          actions: assign(({ context, event }) =>
            event.res === 'locked'
              ? { slots: context.slots.map((s, i) => (i >= event.index && i < event.index + event.n ? { ...s, lk: true } : s)) }
              : {},
          ),
        },
        put_locked_mapping_entry: {
          meta: m('put_locked_mapping_entry', '[bg] later fs/dax.c put_locked_mapping_entry', ATOMIC.put_locked_mapping_entry),
          actions: assign(({ context, event }) => ({
            slots: context.slots.map((s, i) => (i >= event.index && i < event.index + event.n ? { ...s, lk: false } : s)),
          })),
        },
        truncate_inode_pages_range: {
          // One entry of [start, end] per step: the loop drops tree_lock between entries
          // (pagevec_lookup_entries, then clear_exceptional_entry / truncate_inode_page each under
          // tree_lock). A locked page (or, with entry locks, a locked entry) is waited for
          // (lock_page, second pass). Mapped hole pages are not unmapped: RZ-p2b "We fail the
          // page_mapped(page) check for our read-only zero pages".
          guard: ({ context, event }) => event.index >= event.start && event.index <= event.end && !!context.slots[event.index] && !context.slots[event.index].lk,
          meta: m('truncate_inode_pages_range', C4 + ' clear_exceptional_entry; RZ2; [bg] mm/truncate.c one tree_lock section per entry', ATOMIC.truncate_inode_pages_range),
          actions: assign(({ context, event }) => {
            const s = context.slots[event.index];
            if (s.t === 'EMPTY') return {};
            return {
              slots: context.slots.map((x, i) => (i === event.index ? { ...EMPTY_SLOT } : x)),
              nrpages: context.nrpages - (s.t === 'HOLE' ? 1 : 0),
              nrexceptional: context.nrexceptional - (s.t !== 'HOLE' && context.countTruncate ? 1 : 0),
            };
          }),
        },
      },
    },
    // dax_writeback_one holds tree_lock across dax_map_atomic + wb_cache_pmem (atomic ->direct_access)
    tree_lock_held: {
      on: {
        wb_cache_pmem: {
          target: 'tree_lock_free',
          meta: m('wb_cache_pmem', C + ' dax_writeback_one; PG §5.4 ->direct_access atomic (then spin_unlock_irq)', { lock: 'tree_lock' }),
          actions: assign({}),
        },
      },
    },
  },
});
