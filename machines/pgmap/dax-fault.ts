/**
 * One DAX page-fault thread of one process (seed 004, v7 `__dax_fault` / `__dax_pmd_fault` /
 * `dax_pfn_mkwrite`, with the filesystem wrappers of RZ7-RZ9), over a file that may have holes.
 *
 * Kinds (input `kind`):
 * - `fault`: a read or write fault at `index`, through `__dax_pmd_fault` when `pmd` (index is then
 *   PMD-aligned) and `__dax_fault` otherwise, or after a PMD fault falls back.
 * - `mkwrite`: the first write through a read-only pfn PTE mapping block `block` at `index`:
 *   `do_wp_page` -> `wp_pfn_shared` -> `->pfn_mkwrite` (fs lock, `dax_pfn_mkwrite`) -> pte_same
 *   recheck; when the recheck fails the CPU retries the access as a write fault.
 *
 * The block map and the MMAPLOCK (XFS_MMAPLOCK / ext4 i_mmap_sem) are the inode actor's
 * (machines/fs/dax-inode-2016.ts: `xfs_ilock`/`xfs_iunlock` {mode}, `get_block` {off, create, res,
 * blk}). The mapping tree is `page_tree` (mapping-tree.ts), the page tables `page_tables`.
 *
 * Knobs (input), each changing one kernel function:
 * - `serialise` (PG §5.4 fault serialisation): `none` (v7: faults hold the fs lock shared);
 *   `shared-then-exclusive` (JK-p2: a write fault that sees a hole bails, retakes the lock
 *   exclusive and retries with an allocating get_block); `entry-lock` (later kernels: the fault
 *   locks its mapping entries, `grab_mapping_entry`, for its whole duration).
 * - `faultLock`: the fs fault wrapper takes the MMAPLOCK shared (xfs_filemap_fault, ext4_dax_fault,
 *   xfs_filemap_pfn_mkwrite "need to serialise against truncate"), or not.
 * - `pmdHoleFix` (`__dax_pmd_fault` before inserting a PMD over former holes, RZ2): `buffer-new`
 *   (before v7: unmap only if buffer_new(), which ext4/XFS never set), `truncate-only` (DW-p2's
 *   question: truncate_inode_pages_range alone), `unmap+truncate` (v7), `unmap+truncate+unmap`
 *   (finding F4's fix: unmap again after the truncate, as truncate_pagecache() does).
 * - `bdevDbg` (`__dax_dbg`, RZ1): `deref` (before v7: bdevname(bh->b_bdev)), `unknown` (v7: "unknown"
 *   when b_bdev is NULL), `preset` (later: b_bdev = i_sb->s_bdev set before get_block).
 * - `holeBdev`: get_block sets bh->b_bdev for a hole (XFS) or leaves it NULL (ext4_dax_mmap_get_block).
 * - `pteSame`: wp_pfn_shared rechecks pte_same after ->pfn_mkwrite (mm/memory.c) or not.
 * Mutants (one-line changes, never a kernel design; defaults are the posted code):
 * - `insertDirty: false`: dax_insert_mapping passes `false` for `vmf->flags & FAULT_FLAG_WRITE`.
 * - `insertSector: 1`: dax_insert_mapping enters the block one page past `to_sector(bh, inode)`.
 * - `insertPfn: 1`: dax_insert_mapping maps (vm_insert_mixed) the pfn one page past `dax.pfn`.
 * - `holeUnlock: false`: do_read_fault returns without `unlock_page(fault_page)`.
 *
 * `converting` lists the indices this thread allocated and whose former hole pages / zero PTEs it
 * has not yet removed: INV-14 exempts them while the fault that allocated is responsible for them.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export type FaultSerialise = 'none' | 'shared-then-exclusive' | 'entry-lock';
export interface DaxFaultInput {
  proc: string;
  kind: 'fault' | 'mkwrite';
  index: number;
  write: boolean;
  pmd: boolean;
  pmdPages: number;
  /** mkwrite: the block the read-only PTE maps (orig_pte). */
  block?: number;
  serialise: FaultSerialise;
  faultLock: boolean;
  pmdHoleFix: 'buffer-new' | 'truncate-only' | 'unmap+truncate' | 'unmap+truncate+unmap';
  bdevDbg: 'deref' | 'unknown' | 'preset';
  holeBdev: boolean;
  pteSame: boolean;
  insertDirty?: boolean;
  insertSector?: number;
  insertPfn?: number;
  holeUnlock?: boolean;
}
export interface DaxFaultContext extends Required<DaxFaultInput> {
  /** Running the PMD path (false after VM_FAULT_FALLBACK). */
  pmdNow: boolean;
  /** Holds the MMAPLOCK exclusive (shared-then-exclusive retry). */
  excl: boolean;
  /** Holds the locked hole page at `index` (find_get_page + lock_page, or dax_load_hole). */
  page: boolean;
  /** Block(s) get_block returned, per page of the fault (-1: hole); allocated here: `major`. */
  blks: number[];
  j: number;
  major: boolean;
  /** The last get_block answer was a hole (bh->b_bdev left NULL by ext4 on a hole). */
  hole: boolean;
  converting: number[];
  /** Holds entry locks (entry-lock mode) on [index, index + span). */
  elk: boolean;
  dbgNull: boolean;
  /** __dax_dbg printed the buffer_head of a hole (without oopsing). */
  dbgHole: boolean;
  /** Holds mapping->i_mmap_rwsem for read (__dax_pmd_fault, 2016). */
  immap: boolean;
  /** Where __dax_pmd_fault goes once it holds i_mmap_rwsem: __dax_dbg + fallback, clear the holes, or map read-only. */
  pmdNext: 'dbg' | 'clear' | 'ro';
  /** Entries of the PMD range truncate_inode_pages_range has still to clear (one tree_lock section each). */
  truncLeft: number[];
  result: 'none' | 'nopage' | 'locked' | 'oom' | 'retry' | 'done';
}

type Ev = { type: string; [k: string]: any };
const C = 'P6 dax: add support for fsync/msync (seed 004 RZ6)';
const C2 = 'P2 dax: fix conversion of holes to PMDs (seed 004 RZ2)';
const IM_PTE = '[bg] 4.4 fs/dax.c dax_insert_mapping (i_mmap_rwsem for read around dax_radix_entry and vm_insert_mixed, 0f90cc6609c7 "mm, dax: fix DAX deadlocks"; removed in 4.6 by "dax: Remove i_mmap_lock protection")';
const IM = '[bg] 4.4 fs/dax.c __dax_pmd_fault (i_mmap_rwsem for read from after get_block to out; seed 004 RZ2 drops it around the unmap)';
type Ctx = { context: DaxFaultContext; event: Ev };

/** Number of pages this fault covers now, and its first index. */
const span = (c: DaxFaultContext) => (c.pmdNow ? c.pmdPages : 1);
/** The indices of this fault's PMD. */
const pmdRange = (c: DaxFaultContext) => Array.from({ length: c.pmdPages }, (_, i) => c.index + i);
const cur = (c: DaxFaultContext) => c.index + c.j;
const mm = (_c: DaxFaultContext, e: Ev, mode: 'SHARED' | 'EXCL') => e.mode === mode;
/** The JK-p2 retry (exclusive, write) calls the allocating get_block directly. */
const createNow = (c: DaxFaultContext) => c.excl && c.write;
/** A get_block step for the page this fault is at, asking `create`. */
const gb = (c: DaxFaultContext, e: Ev, create: boolean) => e.off === cur(c) && e.create === create;
const lockMode = (c: DaxFaultContext) => (c.excl ? 'EXCL' : 'SHARED');
const entryLock = (c: DaxFaultContext) => c.serialise === 'entry-lock';
/** A write fault that sees a hole under the shared lock bails (JK-p2). */
const bails = (c: DaxFaultContext) => c.write && c.serialise === 'shared-then-exclusive' && !c.excl;

export const daxFault = setup({
  types: { context: {} as DaxFaultContext, events: {} as Ev, input: {} as DaxFaultInput },
}).createMachine({
  id: 'dax_fault',
  context: ({ input }) => ({
    block: -1,
    insertDirty: true,
    insertSector: 0,
    insertPfn: 0,
    holeUnlock: true,
    ...input,
    pmdNow: input.pmd,
    excl: false,
    page: false,
    blks: [],
    j: 0,
    major: false,
    hole: false,
    converting: [],
    elk: false,
    dbgNull: false,
    dbgHole: false,
    immap: false,
    pmdNext: 'dbg' as const,
    truncLeft: [],
    result: 'none' as const,
  }),
  initial: 'start',
  states: {
    start: {
      tags: ['validEnd'],
      on: {
        handle_mm_fault: [
          { guard: ({ context }) => context.kind === 'mkwrite', target: 'mkwrite_lock', meta: m('do_wp_page', 'PG §1.1: dax_pfn_mkwrite, the first write through a read-only pfn PTE', ATOMIC.handle_mm_fault) },
          { target: 'lock', meta: m('handle_mm_fault', C + ' __dax_fault / __dax_pmd_fault', ATOMIC.handle_mm_fault) },
        ],
      },
    },

    // ---- fs wrapper: xfs_filemap_fault / xfs_filemap_pmd_fault take XFS_MMAPLOCK_SHARED ----------
    lock: {
      always: [{ guard: ({ context }) => !context.faultLock && !context.excl, target: 'entry' }],
      on: {
        xfs_ilock: {
          guard: ({ context, event }) => mm(context, event, lockMode(context)),
          target: 'entry',
          meta: m('xfs_filemap_fault', 'seed 004 RZ9 XFS_MMAPLOCK_SHARED; JK-p2 i_mmap_sem for reading (exclusive on the retry)', ATOMIC.xfs_ilock),
        },
      },
    },
    entry: {
      always: [
        { guard: ({ context }) => !entryLock(context) && context.pmdNow, target: 'get_block', actions: assign({ j: 0, blks: [] }) },
        { guard: ({ context }) => !entryLock(context), target: 'find_get_page' },
      ],
      on: {
        grab_mapping_entry: [
          {
            guard: ({ context, event }) => event.index === context.index && event.n === span(context) && event.res === 'locked',
            target: 'get_block',
            // a hole page at the index is the locked entry itself (later kernels lock_page it)
            actions: assign(({ event }) => ({ j: 0, blks: [], elk: true, page: event.hole === true })),
            meta: m('grab_mapping_entry', '[bg] later fs/dax.c: the fault holds its entry lock throughout', ATOMIC.grab_mapping_entry),
          },
          {
            guard: ({ context, event }) => event.index === context.index && event.n === span(context) && event.res === 'fallback',
            target: 'fallback_unlock',
            meta: m('dax_iomap_pmd_fault', '[bg] later fs/dax.c: grab_mapping_entry -EEXIST over PTE entries, VM_FAULT_FALLBACK', ATOMIC.grab_mapping_entry),
          },
        ],
      },
    },
    // __dax_fault: page = find_get_page(); lock_page_or_retry(page)
    find_get_page: {
      on: {
        find_lock_page: {
          guard: ({ context, event }) => event.index === context.index,
          target: 'get_block',
          actions: assign(({ event }) => ({ page: event.found === true, j: 0, blks: [] })),
          meta: m('find_get_page', '[bg] 4.4 fs/dax.c __dax_fault: find_get_page + lock_page_or_retry', ATOMIC.find_lock_page),
        },
      },
    },

    // ---- get_block(inode, block, &bh, create): one step per page of the fault ----------------
    get_block: {
      on: {
        get_block: [
          {
            guard: ({ context, event }) => gb(context, event, createNow(context)) && event.res === 'mapped',
            target: 'got_block',
            actions: assign(({ context, event }) => ({ blks: [...context.blks, event.blk as number], hole: false })),
            meta: m('get_block', C + ' get_block(inode, block, &bh, 0): mapped', ATOMIC.get_block),
          },
          {
            // the JK-p2 retry under the exclusive lock calls an allocating get_block directly
            guard: ({ context, event }) => gb(context, event, true) && context.excl && context.write && event.res === 'alloc',
            target: 'got_block',
            actions: assign(({ context, event }) => ({
              blks: [...context.blks, event.blk as number],
              major: true,
              hole: true,
              converting: [...context.converting, cur(context)],
            })),
            meta: m('get_block', 'JK-p2: "retries with different get_blocks() callback which will allocate blocks"', ATOMIC.get_block),
          },
          {
            guard: ({ context, event }) => gb(context, event, createNow(context)) && event.res === 'hole' && bails(context),
            target: 'bail',
            actions: assign({ hole: true }),
            meta: m('__dax_fault', 'JK-p2: "If __dax_fault() sees a hole returned from get_blocks() during a write fault, it bails out"', ATOMIC.get_block),
          },
          {
            guard: ({ context, event }) => gb(context, event, createNow(context)) && event.res === 'hole' && context.write,
            target: 'alloc',
            actions: assign({ hole: true }),
            meta: m('get_block', C + ' __dax_fault: hole on a write fault, get_block(create=1)', ATOMIC.get_block),
          },
          {
            guard: ({ context, event }) => gb(context, event, createNow(context)) && event.res === 'hole' && context.pmdNow,
            target: 'pmd_i_mmap_lock',
            actions: assign({ hole: true, pmdNext: 'dbg' as const }),
            meta: m('__dax_pmd_fault', 'seed 004 RZ1: reads of holes through the PMD path fall back ("we *always* use 4k zero pages to cover holes", RZ-p2a)', ATOMIC.get_block),
          },
          {
            guard: ({ context, event }) => gb(context, event, createNow(context)) && event.res === 'hole',
            target: 'dax_load_hole',
            actions: assign({ hole: true }),
            meta: m('get_block', C + ' __dax_fault: hole on a read fault, dax_load_hole', ATOMIC.get_block),
          },
        ],
      },
    },
    alloc: {
      on: {
        get_block: {
          guard: ({ context, event }) => gb(context, event, true) && event.res !== 'hole',
          target: 'got_block',
          actions: assign(({ context, event }) => ({
            blks: [...context.blks, event.blk as number],
            major: event.res === 'alloc',
            converting: event.res === 'alloc' ? [...context.converting, cur(context)] : context.converting,
          })),
          meta: m('get_block', C + ' get_block(inode, block, &bh, 1) allocates (ext4/XFS return BH_Mapped, never BH_New, RZ2)', ATOMIC.get_block),
        },
      },
    },
    got_block: {
      always: [
        { guard: ({ context }) => context.j + 1 < span(context), target: 'get_block', actions: assign(({ context }) => ({ j: context.j + 1 })) },
        { guard: ({ context }) => !context.pmdNow, target: 'pte_check_page', actions: assign({ j: 0 }) },
        // __dax_pmd_fault: "allocated block too small" unless one aligned, contiguous extent
        {
          guard: ({ context }) => !context.blks.every((b, i) => b === context.blks[0] + i) || context.blks[0] % context.pmdPages !== 0,
          target: 'pmd_i_mmap_lock',
          actions: assign({ j: 0, pmdNext: 'dbg' as const }),
        },
        { guard: ({ context }) => !context.write, target: 'pmd_i_mmap_lock', actions: assign({ j: 0, pmdNext: 'ro' as const }) },
        { target: 'pmd_i_mmap_lock', actions: assign({ j: 0, pmdNext: 'clear' as const }) },
      ],
    },

    // ---- JK-p2: drop the shared lock, retake it exclusive, retry with an allocating get_block ----
    bail: {
      always: [{ guard: ({ context }) => !context.page, target: 'bail_unlock' }],
      on: {
        unlock_page: {
          guard: ({ context, event }) => event.index === context.index,
          target: 'bail_unlock',
          actions: assign({ page: false }),
          meta: m('unlock_page', '[bg] __dax_fault unlock_page before returning', ATOMIC.unlock_page),
        },
      },
    },
    bail_unlock: {
      always: [{ guard: ({ context }) => !context.faultLock, target: 'lock', actions: assign({ excl: true, blks: [], j: 0 }) }],
      on: {
        xfs_iunlock: {
          guard: ({ context, event }) => mm(context, event, 'SHARED'),
          target: 'lock',
          actions: assign({ excl: true, blks: [], j: 0 }),
          meta: m('xfs_filemap_fault', 'JK-p2: "Filesystem grabs i_mmap_sem for writing and retries"', ATOMIC.xfs_iunlock),
        },
      },
    },

    // ---- __dax_fault (PTE) after get_block -----------------------------------------------------
    pte_check_page: {
      always: [
        { guard: ({ context }) => context.page, target: 'unmap_page' },
        { guard: ({ context }) => !context.major || entryLock(context), target: 'pte_i_mmap_lock' },
      ],
      on: {
        // "Check we didn't race with a read fault installing a new page"
        find_lock_page: [
          {
            guard: ({ context, event }) => event.index === context.index && event.found,
            target: 'unmap_page',
            actions: assign({ page: true }),
            meta: m('find_lock_page', '[bg] 4.4 fs/dax.c __dax_fault "if (!page && major) page = find_lock_page()"', ATOMIC.find_lock_page),
          },
          {
            guard: ({ context, event }) => event.index === context.index && !event.found,
            target: 'pte_i_mmap_lock',
            actions: assign(({ context }) => ({ converting: context.converting.filter((i) => i !== context.index) })),
            meta: m('find_lock_page', '[bg] 4.4 fs/dax.c __dax_fault: no page, skips unmap/delete (JK-p2 race window)', ATOMIC.find_lock_page),
          },
        ],
      },
    },
    unmap_page: {
      on: {
        unmap_mapping_range: {
          guard: ({ context, event }) => event.start === context.index && event.end === context.index,
          target: 'delete_page',
          meta: m('unmap_mapping_range', C + ' __dax_fault: unmap_mapping_range(mapping, pgoff << PAGE_SHIFT, PAGE_CACHE_SIZE)', ATOMIC.unmap_mapping_range),
        },
      },
    },
    delete_page: {
      on: {
        delete_from_page_cache: {
          guard: ({ context, event }) => event.index === context.index,
          target: 'unlock_deleted',
          meta: m('delete_from_page_cache', C + ' __dax_fault', ATOMIC.delete_from_page_cache),
        },
      },
    },
    unlock_deleted: {
      always: [
        {
          guard: ({ context }) => entryLock(context),
          target: 'pte_i_mmap_lock',
          actions: assign(({ context }) => ({ page: false, converting: context.converting.filter((i) => i !== context.index) })),
        },
      ],
      on: {
        unlock_page: {
          guard: ({ context, event }) => event.index === context.index,
          target: 'pte_i_mmap_lock',
          actions: assign(({ context }) => ({ page: false, converting: context.converting.filter((i) => i !== context.index) })),
          meta: m('unlock_page', C + ' __dax_fault: unlock_page(page); page_cache_release(page); page = NULL', ATOMIC.unlock_page),
        },
      },
    },
    // dax_insert_mapping (4.4): i_mmap_lock_read(mapping) ... out: i_mmap_unlock_read(mapping); later kernels take none
    pte_i_mmap_lock: {
      always: [{ guard: ({ context }) => entryLock(context), target: 'dax_insert_mapping' }],
      on: {
        i_mmap_lock_read: { target: 'dax_insert_mapping', actions: assign({ immap: true }), meta: m('i_mmap_lock_read', IM_PTE + ' i_mmap_lock_read(mapping)', ATOMIC.i_mmap_lock_read) },
      },
    },
    dax_insert_mapping: {
      on: {
        dax_radix_entry: {
          guard: ({ context, event }) =>
            event.index === context.index && event.block === context.blks[0] + context.insertSector && !event.pmd && event.dirty === (context.write && context.insertDirty),
          target: 'vm_insert_mixed',
          meta: m('dax_insert_mapping', C + ' dax_radix_entry(mapping, vmf->pgoff, dax.sector, false, FAULT_FLAG_WRITE)', ATOMIC.dax_radix_entry),
        },
      },
    },
    vm_insert_mixed: {
      on: {
        vm_insert_mixed: {
          guard: ({ context, event }) =>
            event.proc === context.proc && event.index === context.index && event.block === context.blks[0] + context.insertPfn && event.write === context.write,
          target: 'pmd_out',
          actions: assign({ result: 'nopage' as const }),
          meta: m('vm_insert_mixed', C + ' dax_insert_mapping', ATOMIC.vm_insert_mixed),
        },
      },
    },

    // ---- read of a hole: dax_load_hole, VM_FAULT_LOCKED, __do_fault maps the page --------------
    dax_load_hole: {
      always: [{ guard: ({ context }) => context.page, target: 'unlock_fs_locked', actions: assign({ result: 'locked' as const }) }],
      on: {
        dax_load_hole: [
          {
            guard: ({ context, event }) => event.index === context.index && (event.res === 'inserted' || event.res === 'found'),
            target: 'unlock_fs_locked',
            actions: assign({ page: true, result: 'locked' as const }),
            meta: m('dax_load_hole', C + ' find_or_create_page(mapping, vmf->pgoff, GFP_KERNEL | __GFP_ZERO) -> VM_FAULT_LOCKED', ATOMIC.dax_load_hole),
          },
          {
            guard: ({ context, event }) => event.index === context.index && event.res === 'einval',
            target: 'put_entry',
            actions: assign({ result: 'oom' as const }),
            meta: m('dax_load_hole', 'P4 (seed 004 RZ4) page_cache_tree_insert WARN -EINVAL over a DAX entry -> find_or_create_page NULL -> VM_FAULT_OOM', ATOMIC.dax_load_hole),
          },
        ],
      },
    },
    unlock_fs_locked: {
      always: [{ guard: ({ context }) => !context.faultLock && !context.excl, target: 'do_set_pte' }],
      on: {
        xfs_iunlock: {
          guard: ({ context, event }) => mm(context, event, lockMode(context)),
          target: 'do_set_pte',
          meta: m('xfs_filemap_fault', 'the fs wrapper drops the lock when __dax_fault returns VM_FAULT_LOCKED', ATOMIC.xfs_iunlock),
        },
      },
    },
    do_set_pte: {
      on: {
        do_set_pte: {
          guard: ({ context, event }) => event.proc === context.proc && event.index === context.index,
          target: 'unlock_hole_page',
          meta: m('do_set_pte', '[bg] 4.4 mm/memory.c __do_fault (VM_FAULT_LOCKED) -> do_read_fault -> do_set_pte', ATOMIC.do_set_pte),
        },
      },
    },
    unlock_hole_page: {
      // mutant holeUnlock: false: do_read_fault returns with the hole page still locked
      always: [{ guard: ({ context }) => !entryLock(context) && !context.holeUnlock, target: 'done', actions: assign({ result: 'done' as const }) }],
      on: {
        unlock_page: {
          guard: ({ context, event }) => !entryLock(context) && event.index === context.index,
          target: 'done',
          actions: assign({ page: false, result: 'done' as const }),
          meta: m('unlock_page', '[bg] 4.4 mm/memory.c do_read_fault unlock_page(fault_page)', ATOMIC.unlock_page),
        },
        put_locked_mapping_entry: {
          guard: ({ context, event }) => entryLock(context) && event.index === context.index && event.n === 1,
          target: 'done',
          actions: assign({ page: false, elk: false, result: 'done' as const }),
          meta: m('put_locked_mapping_entry', '[bg] later fs/dax.c: the hole page is the locked entry', ATOMIC.put_locked_mapping_entry),
        },
      },
    },

    // ---- __dax_pmd_fault after get_block: i_mmap_lock_read(mapping) (2016; later kernels take none) --
    pmd_i_mmap_lock: {
      always: [
        { guard: ({ context }) => entryLock(context) && context.pmdNext === 'dbg', target: 'dax_pmd_dbg' },
        { guard: ({ context }) => entryLock(context) && context.pmdNext === 'ro', target: 'pmd_insert_ro' },
        { guard: ({ context }) => entryLock(context), target: 'pmd_clear_holes' },
      ],
      on: {
        i_mmap_lock_read: [
          { guard: ({ context }) => context.pmdNext === 'dbg', target: 'dax_pmd_dbg', actions: assign({ immap: true }), meta: m('i_mmap_lock_read', IM + ' i_mmap_lock_read(mapping) after get_block', ATOMIC.i_mmap_lock_read) },
          { guard: ({ context }) => context.pmdNext === 'ro', target: 'pmd_insert_ro', actions: assign({ immap: true }), meta: m('i_mmap_lock_read', IM + ' i_mmap_lock_read(mapping) after get_block', ATOMIC.i_mmap_lock_read) },
          { target: 'pmd_clear_holes', actions: assign({ immap: true }), meta: m('i_mmap_lock_read', IM + ' i_mmap_lock_read(mapping) after get_block', ATOMIC.i_mmap_lock_read) },
        ],
      },
    },
    dax_pmd_dbg: {
      on: {
        __dax_dbg: [
          {
            guard: ({ context }) => context.hole && !context.holeBdev && context.bdevDbg === 'deref',
            target: 'oops',
            meta: m('__dax_dbg', 'seed 004 RZ1: bdevname(bh->b_bdev) dereferences a NULL b_bdev left by ext4_dax_mmap_get_block for a hole', ATOMIC.__dax_dbg),
          },
          {
            target: 'pmd_fallback_out',
            actions: assign(({ context }) => ({
              dbgNull: context.dbgNull || (context.hole && !context.holeBdev && context.bdevDbg === 'unknown'),
              dbgHole: context.dbgHole || context.hole,
            })),
            meta: m('__dax_dbg', 'seed 004 RZ1 v7 fix ("unknown" when b_bdev is NULL); later: bh.b_bdev = inode->i_sb->s_bdev before get_block [bg, checked]', ATOMIC.__dax_dbg),
          },
        ],
      },
    },
    pmd_clear_holes: {
      always: [
        {
          guard: ({ context }) => entryLock(context) || context.pmdHoleFix === 'buffer-new',
          target: 'pmd_radix_entry',
        },
      ],
      on: {
        // "i_mmap_unlock_read(mapping); unmap_mapping_range(...); truncate_inode_pages_range(...); i_mmap_lock_read(mapping);"
        i_mmap_unlock_read: [
          {
            guard: ({ context }) => context.pmdHoleFix === 'truncate-only',
            target: 'pmd_truncate',
            actions: assign(({ context }) => ({ immap: false, truncLeft: pmdRange(context) })),
            meta: m('i_mmap_unlock_read', C2 + ' i_mmap_unlock_read(mapping) (DW-p2: truncate only)', ATOMIC.i_mmap_unlock_read),
          },
          { target: 'pmd_unmap', actions: assign({ immap: false }), meta: m('i_mmap_unlock_read', C2 + ' i_mmap_unlock_read(mapping)', ATOMIC.i_mmap_unlock_read) },
        ],
      },
    },
    pmd_unmap: {
      on: {
        unmap_mapping_range: {
          guard: ({ context, event }) => event.start === context.index && event.end === context.index + context.pmdPages - 1,
          target: 'pmd_truncate',
          actions: assign(({ context }) => ({ truncLeft: pmdRange(context) })),
          meta: m('unmap_mapping_range', C2 + ' unmap_mapping_range(mapping, lstart, PMD_SIZE, 0)', ATOMIC.unmap_mapping_range),
        },
      },
    },
    pmd_truncate: {
      // truncate_inode_pages_range(mapping, lstart, lend): one entry per step (tree_lock dropped between)
      always: [
        { guard: ({ context }) => context.truncLeft.length === 0 && context.pmdHoleFix === 'unmap+truncate+unmap', target: 'pmd_unmap_again' },
        { guard: ({ context }) => context.truncLeft.length === 0, target: 'pmd_relock', actions: assign({ converting: [] }) },
      ],
      on: {
        truncate_inode_pages_range: {
          guard: ({ context, event }) =>
            event.start === context.index && event.end === context.index + context.pmdPages - 1 && context.truncLeft.includes(event.index),
          actions: assign(({ context, event }) => ({ truncLeft: context.truncLeft.filter((i) => i !== event.index) })),
          meta: m('truncate_inode_pages_range', C2 + ' truncate_inode_pages_range(mapping, lstart, lend)', ATOMIC.truncate_inode_pages_range),
        },
      },
    },
    pmd_unmap_again: {
      on: {
        unmap_mapping_range: {
          guard: ({ context, event }) => event.start === context.index && event.end === context.index + context.pmdPages - 1,
          target: 'pmd_relock',
          actions: assign({ converting: [] }),
          meta: m('unmap_mapping_range', 'finding F4 fix (docs/models/pgmap-gup-fsync.md): unmap again after the truncate, as truncate_pagecache() does', ATOMIC.unmap_mapping_range),
        },
      },
    },
    pmd_relock: {
      on: {
        i_mmap_lock_read: {
          target: 'pmd_radix_entry',
          actions: assign({ immap: true }),
          meta: m('i_mmap_lock_read', C2 + ' i_mmap_lock_read(mapping) after the truncate', ATOMIC.i_mmap_lock_read),
        },
      },
    },
    pmd_radix_entry: {
      on: {
        dax_radix_entry: {
          guard: ({ context, event }) => event.index === context.index && event.block === context.blks[0] && event.pmd && event.dirty,
          target: 'pmd_insert',
          actions: assign({ converting: [] }),
          meta: m('__dax_pmd_fault', C + ' if (write) dax_radix_entry(mapping, pgoff, dax.sector, true, true)', ATOMIC.dax_radix_entry),
        },
      },
    },
    pmd_insert_ro: {
      // a read PMD fault over allocated blocks maps the PMD and inserts no entry (PG §1.1)
      always: [{ target: 'pmd_insert' }],
    },
    pmd_insert: {
      on: {
        vmf_insert_pfn_pmd: {
          guard: ({ context, event }) =>
            event.proc === context.proc && event.index === context.index && event.block === context.blks[0] && event.write === context.write,
          target: 'pmd_out',
          actions: assign({ result: 'nopage' as const }),
          meta: m('vmf_insert_pfn_pmd', C + ' __dax_pmd_fault', ATOMIC.vmf_insert_pfn_pmd),
        },
      },
    },

    // "out: i_mmap_unlock_read(mapping)": after the PTE or PMD insert, and before a fallback returns
    pmd_out: {
      always: [{ guard: ({ context }) => !context.immap, target: 'put_entry' }],
      on: {
        i_mmap_unlock_read: { target: 'put_entry', actions: assign({ immap: false }), meta: m('i_mmap_unlock_read', IM + ' out: i_mmap_unlock_read(mapping)', ATOMIC.i_mmap_unlock_read) },
      },
    },
    pmd_fallback_out: {
      always: [{ guard: ({ context }) => !context.immap, target: 'fallback_unlock' }],
      on: {
        i_mmap_unlock_read: { target: 'fallback_unlock', actions: assign({ immap: false }), meta: m('i_mmap_unlock_read', IM + ' fallback: goto out; i_mmap_unlock_read(mapping)', ATOMIC.i_mmap_unlock_read) },
      },
    },
    // ---- VM_FAULT_FALLBACK: the PMD handler returns, handle_mm_fault retries with PTEs ------------
    fallback_unlock: {
      always: [
        { guard: ({ context }) => !context.elk, target: 'fallback_fs' },
      ],
      on: {
        put_locked_mapping_entry: {
          guard: ({ context, event }) => context.elk && event.index === context.index && event.n === context.pmdPages,
          target: 'fallback_fs',
          actions: assign({ elk: false, page: false }),
          meta: m('put_locked_mapping_entry', '[bg] later fs/dax.c PMD fallback', ATOMIC.put_locked_mapping_entry),
        },
      },
    },
    fallback_fs: {
      always: [{ guard: ({ context }) => !context.faultLock && !context.excl, target: 'lock', actions: assign({ pmdNow: false, blks: [], j: 0, hole: false }) }],
      on: {
        xfs_iunlock: {
          guard: ({ context, event }) => mm(context, event, lockMode(context)),
          target: 'lock',
          actions: assign({ pmdNow: false, blks: [], j: 0, hole: false }),
          meta: m('xfs_filemap_pmd_fault', C + ' VM_FAULT_FALLBACK: handle_mm_fault falls back to PTEs', ATOMIC.xfs_iunlock),
        },
      },
    },

    // ---- leaving the fault handler ----------------------------------------------------------------
    put_entry: {
      always: [{ guard: ({ context }) => !context.elk, target: 'unlock_fs' }],
      on: {
        put_locked_mapping_entry: {
          guard: ({ context, event }) => event.index === context.index && event.n === span(context),
          target: 'unlock_fs',
          actions: assign({ elk: false }),
          meta: m('put_locked_mapping_entry', '[bg] later fs/dax.c', ATOMIC.put_locked_mapping_entry),
        },
      },
    },
    unlock_fs: {
      always: [{ guard: ({ context }) => !context.faultLock && !context.excl, target: 'done', actions: assign({ converting: [] }) }],
      on: {
        xfs_iunlock: {
          guard: ({ context, event }) => mm(context, event, lockMode(context)),
          target: 'done',
          actions: assign({ converting: [] }),
          meta: m('xfs_filemap_fault', 'seed 004 RZ9 xfs_iunlock(ip, XFS_MMAPLOCK_SHARED)', ATOMIC.xfs_iunlock),
        },
      },
    },

    // ---- dax_pfn_mkwrite (RZ6-RZ9) ----------------------------------------------------------------
    mkwrite_lock: {
      always: [{ guard: ({ context }) => !context.faultLock, target: 'dax_pfn_mkwrite' }],
      on: {
        xfs_ilock: {
          guard: ({ context, event }) => mm(context, event, 'SHARED'),
          target: 'dax_pfn_mkwrite',
          meta: m('xfs_filemap_pfn_mkwrite', 'seed 004 RZ9 "cycle the XFS_MMAPLOCK_SHARED to ensure we serialise the fault barrier in place"', ATOMIC.xfs_ilock),
        },
      },
    },
    dax_pfn_mkwrite: {
      on: {
        dax_radix_entry: {
          guard: ({ context, event }) => event.index === context.index && event.block === -1 && !event.pmd && event.dirty,
          target: 'mkwrite_unlock',
          meta: m('dax_pfn_mkwrite', C + ' dax_radix_entry(file->f_mapping, vmf->pgoff, NO_SECTOR, false, true)', ATOMIC.dax_radix_entry),
        },
      },
    },
    mkwrite_unlock: {
      always: [{ guard: ({ context }) => !context.faultLock, target: 'wp_pfn_shared' }],
      on: {
        xfs_iunlock: {
          guard: ({ context, event }) => mm(context, event, 'SHARED'),
          target: 'wp_pfn_shared',
          meta: m('xfs_filemap_pfn_mkwrite', 'seed 004 RZ9 xfs_iunlock(ip, XFS_MMAPLOCK_SHARED)', ATOMIC.xfs_iunlock),
        },
      },
    },
    wp_pfn_shared: {
      on: {
        wp_pfn_shared: [
          {
            guard: ({ context, event }) => context.pteSame && event.proc === context.proc && event.index === context.index && event.block === context.block && event.same,
            target: 'done',
            actions: assign({ result: 'done' as const }),
            meta: m('wp_pfn_shared', 'mm/memory.c wp_pfn_shared: pte_same -> wp_page_reuse', ATOMIC.wp_pfn_shared),
          },
          {
            // the PTE was zapped by a hole punch: return 0, the CPU retries the access as a write fault
            guard: ({ context, event }) => context.pteSame && event.proc === context.proc && event.index === context.index && event.block === context.block && !event.same,
            target: 'lock',
            actions: assign({ kind: 'fault' as const, write: true, pmdNow: false, result: 'retry' as const }),
            meta: m('wp_pfn_shared', 'seed 004 RZ6 "the pte_same() check will fail, eventually causing page fault to be retried by the CPU"', ATOMIC.wp_pfn_shared),
          },
        ],
        wp_page_reuse: {
          guard: ({ context, event }) => !context.pteSame && event.proc === context.proc && event.index === context.index && event.block === context.block,
          target: 'done',
          actions: assign({ result: 'done' as const }),
          meta: m('wp_page_reuse', 'design alternative: no pte_same() recheck after ->pfn_mkwrite', ATOMIC.wp_page_reuse),
        },
      },
    },

    oops: { tags: ['violation:S4-R1-NO-NULL-BDEV'] },
    done: { tags: ['validEnd'], entry: assign({ converting: [] }) },
  },
});
