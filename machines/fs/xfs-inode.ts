/**
 * xfs_inode of the leased file `f` plus the filesystem's block allocator: the block map of every
 * file (`fmap`), the owner of every physical block, GUP pin counts, `i_mapdcount` of `f`, the
 * reflink flag of `f`, the v6 "immutable" seal, and the two XFS inode rwsems of `f` (IOLOCK,
 * MMAPLOCK).
 *
 * For DAX the block a file maps, the pmem sector and the pfn are one thing: this model says block
 * `b` (an index into `owner`). When the inode is not DAX (page cache, MD-R11) freeing a block that a
 * GUP pin still holds leaves it `'ORPHAN'` (the pinned page is not reused) instead of `'FREE'`.
 *
 * Input (`XfsInodeInput`):
 * - `files`: file name -> block per page offset (`null` = HOLE). File `f` is the leased file.
 * - `owners`: initial owner per block: `'FREE'`, `'<file>:<off>'`, or a label of memory that is not
 *   file data (`'kbuf'` a kernel DMA buffer, `'SINK'` a sink page).
 * - `dax`: IS_DAX(inode).
 * - `faultGuard` (K2): what `xfs_file_iomap_begin` does on an allocating write fault: `'none'`
 *   (before P03), `'i_mapdcount'` (P03: -ETXTBSY while i_mapdcount > 0), `'breakLayoutNonblock'`
 *   (DCr6: the fault breaks the lease first; the allocation itself is then unguarded).
 * - `cowGuard` (MD-R7 fix): the COW path checks i_mapdcount too (DC3 `iomap_can_allocate()`).
 * - `reflinked`: page 0 of `f` shares its block with page 0 of file `g` (MD-R7).
 *
 * Events (parameters are plain scalars; `off` is a page of `f`):
 * - `xfs_ilock` / `xfs_iunlock` {lock: 'IOLOCK'|'MMAPLOCK', mode: 'SHARED'|'EXCL'};
 *   `xfs_ilock_cycle`: MMAPLOCK_EXCL taken and dropped at once (P06 "flush in-flight faults").
 * - `i_mapdcount_inc`; `map_direct_lm_change` (its `i_mapdcount_dec`: BUG_ON(!count) enters
 *   `BUG_ON`, tagged `violation:S8`); `i_mapdcount_dec` (error path of the F7 fix).
 * - `xfs_iomap_begin` {off} (a write fault into a hole, MMAPLOCK_SHARED held, may allocate) /
 *   `xfs_iomap_begin_etxtbsy` {off} (refused: SIGBUS, MMAPLOCK_SHARED dropped);
 *   `xfs_iomap_begin_mapped` {off} (another fault allocated the page meanwhile: mapped, unlocked); `xfs_bmapi_write`
 *   {off, blk} allocates the lowest free block and drops MMAPLOCK_SHARED; `xfs_reflink_allocate_cow` {off, blk} /
 *   `xfs_reflink_cow_etxtbsy`.
 * - A fault of page `off` (A's CPU fault, GUP's faultin_page, the ODP page fault), in the two steps of
 *   P06 __xfs_filemap_fault: `xfs_vma_checks` / `faultin_page` {off, direct} (MMAPLOCK_SHARED taken;
 *   `direct` says the VMA is MAP_DIRECT: SIGBUS if reflinked or !DAX), then `dax_iomap_fault`
 *   {off, blk, alloc, direct} (maps `blk`; with `alloc`, allocates `blk` into a hole: allowed only
 *   by the fault guard; MMAPLOCK dropped) or `dax_iomap_fault_sigbus`. `get_user_pages` {off, blk}:
 *   GUP's follow_page_mask pins `blk`, the block of page `off`. `get_user_pages_efault` {why,
 *   direct}: the check fails (the inode's reasons: 'reflink' and 'nodax', MD-K10).
 * - `xfs_free_file_space` {off} (punch; `off` -1 = truncate every page): MMAPLOCK_EXCL, zap, free,
 *   then both locks dropped (the breaker holds IOLOCK_EXCL). `xfs_file_dax_write`: write(2) of an
 *   allocated page (no block-map change), locks dropped. `xfs_fallocate_etxtbsy`: v6, the sealed
 *   inode refuses the breaker.
 * - device-dax (MD-R12): `kill_dax` (dax_alive() becomes false), `dax_alive` {alive},
 *   `dax_pages_reassign` (the device's pages go to another device: every page of `f` is freed).
 * - `xfs_seal_block_map` (v6 seal); `xfs_alloc_file_space` {blk} (another process allocates into
 *   `g`: the freed block is reused, MD A5); `put_page` {blk}.
 */
import { assign, setup } from 'xstate';
import { declareAtomicity } from '../mapdirect/atomicity.js';

export interface XfsInodeInput {
  readonly files: Readonly<Record<string, readonly (number | null)[]>>;
  readonly owners: readonly string[];
  readonly dax: boolean;
  readonly faultGuard: 'none' | 'i_mapdcount' | 'breakLayoutNonblock';
  readonly cowGuard: boolean;
  readonly reflinked: boolean;
}
export interface XfsInodeContext {
  /** device-dax: dax_alive() (kill_dax clears it; faults and GUP then fail) */
  alive: boolean;
  fmap: Record<string, (number | null)[]>;
  owner: string[];
  pins: number[];
  mapdcount: number;
  reflinked: boolean;
  sealed: boolean;
  /** rwsem value: 0 free, n>0 n shared holders, -1 exclusive. */
  iolock: number;
  mmaplock: number;
  faultGuard: XfsInodeInput['faultGuard'];
  cowGuard: boolean;
  dax: boolean;
}
type Ev = { type: string; [k: string]: any };
type C = XfsInodeContext;

const lowestFree = (c: C): number => c.owner.indexOf('FREE');
const mm = (fn: string, cite: string) => ({ fn, cite });

/** Whether an allocating fault on `f` may allocate (xfs_file_iomap_begin, K2). */
const mayAllocate = (c: C) => !c.sealed && !(c.faultGuard === 'i_mapdcount' && c.mapdcount > 0);

/** A fault or GUP of page `off` mapping `blk`: present block, or an allowed allocation into a hole. */
const faultOk = (c: C, e: Ev) => {
  if (!c.alive) return false; // device-dax: dev_dax_fault fails once killed
  if (e.direct && (c.reflinked || !c.dax)) return false; // xfs_vma_checks
  const cur = c.fmap.f![e.off];
  if (cur === undefined) return false;
  if (!e.alloc) return cur === e.blk;
  // through a MAP_DIRECT VMA only the unguarded design lets the fault allocate: with i_mapdcount it
  // is -ETXTBSY, with DCr6 break_layout(inode, false) finds the VMA's own lease (-EWOULDBLOCK)
  if (e.direct && c.faultGuard !== 'none') return false;
  return cur === null && mayAllocate(c) && e.blk === lowestFree(c) && e.blk >= 0;
};
const allocate = (c: C, file: string, off: number, blk: number): Partial<C> => {
  const owner = [...c.owner];
  owner[blk] = `${file}:${off}`;
  const m = [...c.fmap[file]!];
  m[off] = blk;
  return { owner, fmap: { ...c.fmap, [file]: m } };
};
const pin = (c: C, blk: number, d: number) => {
  const pins = [...c.pins];
  pins[blk] = pins[blk]! + d;
  return pins;
};
/** Frees page `off` of `f` (punch); the block goes to its reflink sharer, ORPHAN (pinned, not DAX) or FREE. */
const free = (c: C, off: number): Partial<C> => {
  const b = c.fmap.f![off];
  if (typeof b !== 'number') return {};
  const owner = [...c.owner];
  const sharer = Object.keys(c.fmap).find((g) => g !== 'f' && c.fmap[g]!.includes(b));
  owner[b] = sharer ? `${sharer}:${c.fmap[sharer]!.indexOf(b)}` : !c.dax && c.pins[b]! > 0 ? 'ORPHAN' : 'FREE';
  const m = [...c.fmap.f!];
  m[off] = null;
  return { owner, fmap: { ...c.fmap, f: m } };
};

export const xfsInodeMachine = setup({
  types: {} as { context: XfsInodeContext; input: XfsInodeInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'xfs_inode',
  context: ({ input }) => ({
    fmap: Object.fromEntries(Object.entries(input.files).map(([f, m]) => [f, [...m]])),
    owner: [...input.owners],
    pins: input.owners.map(() => 0),
    mapdcount: 0,
    alive: true,
    reflinked: input.reflinked,
    sealed: false,
    iolock: 0,
    mmaplock: 0,
    faultGuard: input.faultGuard,
    cowGuard: input.cowGuard,
    dax: input.dax,
  }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        xfs_ilock: {
          guard: ({ context, event }) => {
            const v = event.lock === 'IOLOCK' ? context.iolock : context.mmaplock;
            return event.mode === 'EXCL' ? v === 0 : v >= 0;
          },
          actions: assign(({ context, event }) => {
            const key = event.lock === 'IOLOCK' ? 'iolock' : 'mmaplock';
            return { [key]: event.mode === 'EXCL' ? -1 : context[key] + 1 };
          }),
          meta: mm('xfs_ilock', 'P05 xfs_break_layouts; P06 __xfs_filemap_fault, xfs_file_fallocate'),
        },
        xfs_iunlock: {
          guard: ({ context, event }) => {
            const v = event.lock === 'IOLOCK' ? context.iolock : context.mmaplock;
            return event.mode === 'EXCL' ? v === -1 : v > 0;
          },
          actions: assign(({ context, event }) => {
            const key = event.lock === 'IOLOCK' ? 'iolock' : 'mmaplock';
            return { [key]: event.mode === 'EXCL' ? 0 : context[key] - 1 };
          }),
          meta: mm('xfs_iunlock', 'P05 xfs_break_layouts; P06 __xfs_filemap_fault'),
        },
        xfs_ilock_cycle: {
          guard: ({ context }) => context.mmaplock === 0,
          actions: assign({}),
          meta: mm('xfs_ilock', 'P06 xfs_file_mmap_validate xfs_ilock(MMAPLOCK_EXCL); xfs_iunlock: "flush in-flight faults"'),
        },
        i_mapdcount_inc: {
          actions: assign({ mapdcount: ({ context }) => context.mapdcount + 1 }),
          meta: mm('i_mapdcount_inc', 'P03 i_mapdcount_inc; P04 map_direct_register'),
        },
        i_mapdcount_dec: [
          { guard: ({ context }) => context.mapdcount === 0, target: 'BUG_ON', meta: mm('i_mapdcount_dec', 'P03 i_mapdcount_dec BUG_ON(!count)') },
          { actions: assign({ mapdcount: ({ context }) => context.mapdcount - 1 }), meta: mm('i_mapdcount_dec', 'F7 fix: map_direct_register error path') },
        ],
        map_direct_lm_change: [
          { guard: ({ context }) => context.mapdcount === 0, target: 'BUG_ON', meta: mm('i_mapdcount_dec', 'P03 i_mapdcount_dec BUG_ON(!count)') },
          { actions: assign({ mapdcount: ({ context }) => context.mapdcount - 1 }), meta: mm('i_mapdcount_dec', 'P04 map_direct_lm_change i_mapdcount_dec') },
        ],
        xfs_iomap_begin: {
          guard: ({ context, event }) => context.mmaplock > 0 && context.fmap.f![event.off] === null && mayAllocate(context),
          actions: assign({}),
          meta: mm('xfs_file_iomap_begin', 'P03 xfs_file_iomap_begin imap_needs_alloc, i_mapdcount_read == 0'),
        },
        xfs_iomap_begin_etxtbsy: {
          guard: ({ context, event }) => context.mmaplock > 0 && context.fmap.f![event.off] === null && !mayAllocate(context),
          actions: assign({ mmaplock: ({ context }) => context.mmaplock - 1 }),
          meta: mm('xfs_file_iomap_begin', 'P03 xfs_file_iomap_begin -ETXTBSY -> VM_FAULT_SIGBUS'),
        },
        xfs_iomap_begin_mapped: {
          guard: ({ context, event }) => context.mmaplock > 0 && typeof context.fmap.f![event.off] === 'number',
          actions: assign({ mmaplock: ({ context }) => context.mmaplock - 1 }),
          meta: mm('xfs_file_iomap_begin', 'the page was allocated meanwhile: no allocation, the fault maps it; xfs_iunlock(MMAPLOCK_SHARED)'),
        },
        xfs_bmapi_write: {
          guard: ({ context, event }) => context.fmap.f![event.off] === null && event.blk === lowestFree(context) && event.blk >= 0,
          actions: assign(({ context, event }) => ({ ...allocate(context, 'f', event.off, event.blk), mmaplock: context.mmaplock - 1 })),
          meta: mm('xfs_bmapi_write', 'P03 xfs_iomap_write_direct after the i_mapdcount check'),
        },
        xfs_reflink_allocate_cow: {
          guard: ({ context, event }) =>
            context.reflinked && typeof context.fmap.f![event.off] === 'number' && event.blk === lowestFree(context) && event.blk >= 0 &&
            !(context.cowGuard && context.mapdcount > 0),
          actions: assign(({ context, event }) => {
            const old = context.fmap.f![event.off]!;
            const owner = [...context.owner];
            const other = Object.keys(context.fmap).find((g) => g !== 'f' && context.fmap[g]!.includes(old));
            owner[old] = other ? `${other}:${context.fmap[other]!.indexOf(old)}` : 'FREE';
            owner[event.blk] = `f:${event.off}`;
            const m = [...context.fmap.f!];
            m[event.off] = event.blk;
            return { owner, fmap: { ...context.fmap, f: m }, reflinked: false, mmaplock: context.mmaplock - 1 };
          }),
          meta: mm('xfs_reflink_allocate_cow', 'DC3 "going to miss modifications to reflinked files altogether"'),
        },
        xfs_reflink_cow_etxtbsy: {
          guard: ({ context }) => context.reflinked && context.cowGuard && context.mapdcount > 0,
          actions: assign({ mmaplock: ({ context }) => context.mmaplock - 1 }),
          meta: mm('iomap_can_allocate', 'DC3 iomap_can_allocate(inode) (proposed)'),
        },
        // A's CPU fault, in two steps as in P06 __xfs_filemap_fault: MMAPLOCK_SHARED + xfs_vma_checks,
        // then dax_iomap_fault (xfs_file_iomap_begin) + xfs_iunlock
        xfs_vma_checks: {
          guard: ({ context, event }) => context.mmaplock >= 0 && !(event.direct && (context.reflinked || !context.dax)),
          actions: assign({ mmaplock: ({ context }) => context.mmaplock + 1 }),
          meta: mm('__xfs_filemap_fault', 'P06 __xfs_filemap_fault: xfs_ilock(MMAPLOCK_SHARED); xfs_vma_checks (reflinked, !IS_DAX -> SIGBUS)'),
        },
        faultin_page: {
          guard: ({ context, event }) => context.mmaplock >= 0 && !(event.direct && (context.reflinked || !context.dax)),
          actions: assign({ mmaplock: ({ context }) => context.mmaplock + 1 }),
          meta: mm('__xfs_filemap_fault', 'GUP faultin_page -> P06 __xfs_filemap_fault: xfs_ilock(MMAPLOCK_SHARED); xfs_vma_checks (reflinked, !IS_DAX -> SIGBUS)'),
        },
        dax_iomap_fault: {
          guard: ({ context, event }) => context.mmaplock > 0 && faultOk(context, event),
          actions: assign(({ context, event }) => ({ ...(event.alloc ? allocate(context, 'f', event.off, event.blk) : {}), mmaplock: context.mmaplock - 1 })),
          meta: mm('dax_iomap_fault', 'P06 __xfs_filemap_fault -> dax_iomap_fault -> xfs_file_iomap_begin; xfs_iunlock(MMAPLOCK_SHARED)'),
        },
        dax_iomap_fault_sigbus: {
          guard: ({ context, event }) => context.mmaplock > 0 && (!context.alive || (context.fmap.f![event.off] === null &&
            ((event.direct && context.faultGuard !== 'none') || !mayAllocate(context) || lowestFree(context) < 0))),
          actions: assign({ mmaplock: ({ context }) => context.mmaplock - 1 }),
          meta: mm('xfs_file_iomap_begin', 'P03 -ETXTBSY (i_mapdcount), -ENOSPC, or dev_dax_fault on a killed device -> VM_FAULT_SIGBUS; xfs_iunlock(MMAPLOCK_SHARED)'),
        },
        // GUP's follow_page_mask: the page of the present PTE is pinned (get_dev_pagemap fails on a dead device)
        get_user_pages: {
          guard: ({ context, event }) => context.alive && context.fmap.f![event.off] === event.blk,
          actions: assign(({ context, event }) => ({ pins: pin(context, event.blk, 1) })),
          meta: mm('follow_page_mask', 'P11 ib_umem_get get_user_pages(FOLL_WRITE): [X] mm/gup.c follow_page_mask, get_page'),
        },
        get_user_pages_efault: {
          guard: ({ context, event }) =>
            event.why === 'killed' ? !context.alive :
            event.why === 'reflink' ? event.direct && context.reflinked :
            event.why === 'nodax' ? event.direct && !context.dax :
            event.why === 'etxtbsy' ? context.fmap.f![0] === null && (!mayAllocate(context) || (event.direct && context.faultGuard !== 'none')) :
            event.why === 'enospc' ? context.fmap.f![0] === null && mayAllocate(context) && lowestFree(context) < 0 : true,
          actions: assign({}),
          meta: mm('get_user_pages', 'P06 xfs_vma_checks / P03 -ETXTBSY: VM_FAULT_SIGBUS -> -EFAULT'),
        },
        put_page: {
          guard: ({ context, event }) => context.pins[event.blk]! > 0,
          actions: assign(({ context, event }) => {
            const pins = pin(context, event.blk, -1);
            const owner = [...context.owner];
            if (pins[event.blk] === 0 && owner[event.blk] === 'ORPHAN') owner[event.blk] = 'FREE';
            return { pins, owner };
          }),
          meta: mm('put_page', 'P11 __ib_umem_release put_page'),
        },
        xfs_free_file_space: {
          guard: ({ context, event }) => context.iolock === -1 && context.mmaplock === 0 && !context.sealed &&
            (event.off < 0 ? context.fmap.f!.some((b) => b !== null) : typeof context.fmap.f![event.off] === 'number'),
          actions: assign(({ context, event }) => {
            let c: C = context;
            const offs = event.off < 0 ? context.fmap.f!.map((_, i) => i) : [event.off];
            for (const o of offs) c = { ...c, ...free(c, o) };
            return { owner: c.owner, fmap: c.fmap, iolock: 0 };
          }),
          meta: mm('xfs_free_file_space', 'MD A7 fallocate(PUNCH_HOLE) / xfs_setattr_size under IOLOCK_EXCL + MMAPLOCK_EXCL'),
        },
        xfs_file_dax_write: {
          guard: ({ context }) => context.iolock === -1,
          actions: assign({ iolock: 0 }),
          meta: mm('xfs_file_dax_write', 'MD A7 write(2): xfs_break_layouts then dax_iomap_rw'),
        },
        xfs_fallocate_etxtbsy: {
          guard: ({ context }) => context.iolock === -1 && context.sealed,
          actions: assign({ iolock: 0 }),
          meta: mm('xfs_file_fallocate', 'v6 IS_IOMAP_IMMUTABLE -> -ETXTBSY (MD-K1 immutable)'),
        },
        xfs_seal_block_map: {
          guard: ({ context }) => !context.sealed,
          actions: assign({ sealed: true }),
          meta: mm('xfs_seal_block_map', 'MD-K1 v6 immutable (S_IOMAP_IMMUTABLE)'),
        },
        kill_dax: { guard: ({ context }) => context.alive, actions: assign({ alive: false }), meta: mm('kill_dax', 'P10 kill_dev_dax: kill_dax(dax_dev)') },
        dax_alive: { guard: ({ context, event }) => event.alive === context.alive, actions: assign({}), meta: mm('dax_alive', 'MD-R12 fix: dax_alive(dax_dev)') },
        dax_pages_reassign: {
          guard: ({ context }) => !context.alive,
          actions: assign(({ context }) => ({ owner: context.owner.map((o) => (o.startsWith('f:') ? 'FREE' : o)), fmap: { ...context.fmap, f: context.fmap.f!.map(() => null) } })),
          meta: mm('devm_memunmap_pages', 'P10 "where the physical pages might get assigned to another device"'),
        },
        xfs_alloc_file_space: {
          guard: ({ context, event }) => context.fmap.g?.[0] === null && event.blk === lowestFree(context) && event.blk >= 0,
          actions: assign(({ context, event }) => allocate(context, 'g', 0, event.blk)),
          meta: mm('xfs_alloc_file_space', 'MD-R1 step 3 / A5: the freed block is allocated to file g'),
        },
      },
    },
    BUG_ON: { tags: ['violation:S8'] },
  },
}));
