/**
 * DAX faults over holes (seed 004, Jan 2016): a read fault that loads a zero page into a hole races
 * a write fault that allocates the hole (S4-R3, PTE and PMD forms), the hole-to-PMD conversion
 * (S4-R2) and the NULL bdev of `__dax_dbg` on a PMD read of a hole (S4-R1).
 *
 * Actors: the mapping tree, the inode (block map, allocator, MMAPLOCK), the page tables of three
 * processes, a PTE read fault `r` in process A, a write fault `w` in process B (PMD with
 * `mapping: 'pte+pmd'`) and a PMD read fault `d` at index 0 in process C (falls back over a hole). The file has 2 pages, both holes; 2 free blocks; a PMD covers the 2 pages.
 * Block = sector = pfn. Knob `serialise` is PG §5.4's fault serialisation.
 */
import { defineSpec, type ActorDecl, type FairnessDecl, type GlobalView, type KnobValues, type PropertyDecl, type SystemDecl } from '../src/spec/types.js';
import { mappingTree, type MappingTreeContext, type Slot } from '../machines/pgmap/mapping-tree.js';
import { pageTables, type PageTablesContext } from '../machines/pgmap/page-tables.js';
import { daxFault, type DaxFaultContext } from '../machines/pgmap/dax-fault.js';
import { daxInode2016, type DaxInode2016Context } from '../machines/fs/dax-inode-2016.js';
import { dirtyCovered, INV16 } from './dax-fsync.js';

const N = 2;
const PMD = 2;
const idx = [0, 1];
const D = 'docs/models/pgmap-gup-fsync.md';

// ---- the events of the 2016 fault path, shared with spec dax-fault-punch ---------------------------
/** Event declarations for fault threads `threads`, the tree, the inode and the page tables. */
export function faultEvents(threads: string[], procs: string[]): SystemDecl['events'] {
  const w = (peer: string) => threads.map((t) => [t, peer]);
  return {
    handle_mm_fault: { local: threads },
    __dax_dbg: { local: threads },
    xfs_ilock: { sync: w('inode'), params: { mode: ['SHARED', 'EXCL'] } },
    xfs_iunlock: { sync: w('inode'), params: { mode: ['SHARED', 'EXCL'] } },
    get_block: { sync: w('inode'), params: { off: idx, create: [false, true], res: ['mapped', 'hole', 'alloc'], blk: [-1, ...idx] } },
    find_lock_page: { sync: w('tree'), params: { index: idx, found: [false, true] } },
    grab_mapping_entry: { sync: w('tree'), params: { index: idx, n: [1, PMD], res: ['locked', 'fallback'], hole: [false, true] } },
    put_locked_mapping_entry: { sync: w('tree'), params: { index: idx, n: [1, PMD] } },
    unlock_page: { sync: w('tree'), params: { index: idx } },
    delete_from_page_cache: { sync: w('tree'), params: { index: idx } },
    dax_load_hole: { sync: w('tree'), params: { index: idx, res: ['inserted', 'found', 'einval'] } },
    dax_radix_entry: { sync: w('tree'), params: { index: idx, block: [-1, ...idx], pmd: [false, true], dirty: [false, true] } },
    truncate_inode_pages_range: { sync: w('tree'), params: { start: idx, end: idx } },
    unmap_mapping_range: { sync: w('ptes'), params: { start: idx, end: idx } },
    do_set_pte: { sync: w('ptes'), params: { proc: procs, index: idx } },
    vm_insert_mixed: { sync: w('ptes'), params: { proc: procs, index: idx, block: idx, write: [false, true] } },
    vmf_insert_pfn_pmd: { sync: w('ptes'), params: { proc: procs, index: [0], block: idx, write: [false, true] } },
    wp_pfn_shared: { sync: w('ptes'), params: { proc: procs, index: idx, block: idx, same: [false, true] } },
    wp_page_reuse: { sync: w('ptes'), params: { proc: procs, index: idx, block: idx } },
    // kernel functions of the tree that no actor here calls (fsync), never delivered
    radix_tree_lookup: { wired: ['tree'] },
    tag_pages_for_writeback: { wired: ['tree'] },
    find_get_entries_tag: { wired: ['tree'] },
    dax_writeback_one: { wired: ['tree'] },
    dax_unlock_entry: { wired: ['tree'] },
    radix_tree_tag_clear: { wired: ['tree'] },
    wb_cache_pmem: { wired: ['tree'] },
    dax_wait_inflight: { wired: ['tree'] },
  };
}

/** Kernel-side events of fault and punch threads: weakly fair (a fault, once taken, runs on). */
export const KERNEL_FAULT_EVENTS = [
  '__dax_dbg', 'xfs_ilock', 'xfs_iunlock', 'get_block', 'find_lock_page', 'grab_mapping_entry', 'put_locked_mapping_entry',
  'unlock_page', 'delete_from_page_cache', 'dax_load_hole', 'dax_radix_entry', 'truncate_inode_pages_range',
  'unmap_mapping_range', 'do_set_pte', 'vm_insert_mixed', 'vmf_insert_pfn_pmd', 'wp_pfn_shared', 'wp_page_reuse', 'xfs_free_file_space',
];

// ---- properties shared with spec dax-fault-punch ---------------------------------------------------
const tree = (s: GlobalView) => s.context<MappingTreeContext>('tree');
const inode = (s: GlobalView) => s.context<DaxInode2016Context>('inode');
const pt = (s: GlobalView) => s.context<PageTablesContext>('ptes').pt;
export const faultThreads = (s: GlobalView) => s.actors.filter((a) => s.machine(a) === 'dax_fault');
const converting = (s: GlobalView) => new Set(faultThreads(s).flatMap((t) => s.context<DaxFaultContext>(t).converting));
const allocated = (s: GlobalView, i: number) => inode(s).fmap[i] !== null;
/** Whether the slot of a DAX entry holds the block the file maps there. */
function entryMatches(sl: readonly Slot[], fmap: readonly (number | null)[], i: number): boolean {
  const x = sl[i];
  if (x.t === 'PTE') return fmap[i] === x.b;
  if (x.t === 'PMD') return Array.from({ length: PMD }, (_, j) => fmap[i + j] === x.b + j).every(Boolean);
  return true;
}
const inProgress = (s: GlobalView, t: string) => !s.matches(t, 'start') && !s.matches(t, 'done') && !s.matches(t, 'oops');

export const INV14: PropertyDecl = {
  name: 'INV-14-HOLE-EXCLUSION',
  kind: 'invariant',
  doc: 'No hole page and no zero-page PTE over an allocated block, and no PMD entry coexisting with a hole page in its range; indices a fault has just allocated are exempt until that fault has removed the hole page (its duty).',
  cite: 'PG-INV-14 (seed 004 RZ2, JK-p2)',
  check: (s) => {
    const sl = tree(s).slots;
    const conv = converting(s);
    const p = pt(s);
    for (let i = 0; i < sl.length; i++) {
      if (sl[i].t === 'PMD') for (let j = 1; j < PMD; j++) if (sl[i + j]?.t === 'HOLE') return false;
      if (conv.has(i) || !allocated(s, i)) continue;
      if (sl[i].t === 'HOLE') return false;
      if (Object.values(p).some((row) => row[i].m === 'zero')) return false;
    }
    return true;
  },
  // a hole page (or zero PTE) and an allocation of its block: the conversion the property is about
  witness: (s) => {
    const sl = tree(s).slots;
    return sl.some((x, i) => (x.t === 'HOLE' || Object.values(pt(s)).some((row) => row[i].m === 'zero')) && allocated(s, i));
  },
};
export const INV15: PropertyDecl = {
  name: 'INV-15-ENTRY-SECTOR',
  kind: 'invariant',
  doc: "A DAX entry's block equals the block the file maps at its index (all indices of a PMD entry) for as long as the entry exists.",
  cite: 'PG-INV-15 [derived]',
  check: (s) => tree(s).slots.every((_, i) => entryMatches(tree(s).slots, inode(s).fmap, i)),
  witness: (s) => tree(s).slots.some((x) => x.t === 'PTE' || x.t === 'PMD'),
};
export const PTE_BLOCK: PropertyDecl = {
  name: 'PTE-MAPS-FILE-BLOCK',
  kind: 'invariant',
  doc: 'A pfn PTE (or PMD) of the file at index i maps the block the file has at i (never a freed or foreign block).',
  cite: 'PG §5.1 pte/fs state vector, PG-INV-2 [derived]; seed 004 RZ6 comment (a punched PTE is unmapped first)',
  check: (s) => Object.values(pt(s)).every((row) => row.every((p, i) => (p.m !== 'ro' && p.m !== 'rw') || inode(s).fmap[i] === p.b)),
  witness: (s) => Object.values(pt(s)).some((row) => row.some((p) => p.m === 'rw')),
};
export const INV12: PropertyDecl = {
  name: 'INV-12-WRITABLE-TRACKED',
  kind: 'invariant',
  doc: 'A writable DAX PTE/PMD at index i implies a DAX entry covering i tagged DIRTY.',
  cite: 'PG-INV-12 (seed 004 code)',
  check: (s) => Object.values(pt(s)).every((row) => row.every((p, i) => p.m !== 'rw' || dirtyCovered(tree(s).slots, i))),
  witness: (s) => Object.values(pt(s)).some((row) => row.some((p) => p.m === 'rw')),
};
export const FAULTS_COMPLETE: PropertyDecl = {
  name: 'INV-18-FAULTS-COMPLETE',
  kind: 'liveness',
  form: 'leadsTo',
  doc: 'Every fault that has begun completes (returns to user space), retries included.',
  cite: 'PG-INV-18 ("A fault retried after pte_same failure terminates"); deadlock freedom of the fault locks',
  p: (s) => faultThreads(s).some((t) => inProgress(s, t)),
  q: (s) => !faultThreads(s).some((t) => inProgress(s, t)),
};
/** Fairness: the kernel side of fault and punch threads is weakly fair; starting a fault or a punch is a user choice. */
export function faultFairness(actors: string[]): FairnessDecl[] {
  return [
    {
      kind: 'weak',
      actors,
      events: KERNEL_FAULT_EVENTS,
      per: 'actor',
      doc: 'A fault handler or fallocate, once entered, keeps running kernel code (sleeping only on locks whose holders are fair too); the user decides when to touch memory or call fallocate (handle_mm_fault, xfs_file_fallocate are not fair).',
    },
  ];
}

// ---- this spec -------------------------------------------------------------------------------------
function system(k: KnobValues): SystemDecl {
  const common = {
    pmdPages: PMD,
    serialise: k.serialise,
    faultLock: true,
    pmdHoleFix: k.pmdHoleFix,
    bdevDbg: k.bdevDbg,
    holeBdev: k.holeBdev === true,
    pteSame: true,
    kind: 'fault',
  };
  const actors: Record<string, ActorDecl> = {
    tree: { machine: mappingTree, input: { nPages: N, entryLock: k.serialise === 'entry-lock' } },
    inode: { machine: daxInode2016, input: { fmap: [null, null], owners: ['FREE', 'FREE'] } },
    ptes: { machine: pageTables, input: { procs: ['A', 'B', 'C'], nPages: N, pmdPages: PMD } },
    r: { machine: daxFault, thread: true, input: { ...common, proc: 'A', index: Number(k.readIndex), write: false, pmd: false } },
    w: { machine: daxFault, thread: true, input: { ...common, proc: 'B', index: 0, write: true, pmd: k.mapping === 'pte+pmd' } },
    d: { machine: daxFault, thread: true, input: { ...common, proc: 'C', index: 0, write: false, pmd: true } },
  };
  return { actors, events: { ...faultEvents(['r', 'w', 'd'], ['A', 'B', 'C']), xfs_free_file_space: { wired: ['inode'] } } };
}

const SPOOF: PropertyDecl = {
  name: 'F3-NO-SPURIOUS-OOM',
  kind: 'invariant',
  doc: 'A read fault of a hole never fails with VM_FAULT_OOM because an allocating write fault inserted a DAX entry first.',
  cite: D + ' finding F3 (derived from seed 004 RZ4 page_cache_tree_insert and RZ6 dax_load_hole)',
  check: (s) => faultThreads(s).every((t) => s.context<DaxFaultContext>(t).result !== 'oom'),
  // a read fault found a hole that an allocating fault has since filled: the race the property is about
  witness: (s) => faultThreads(s).some((t) => !s.context<DaxFaultContext>(t).write && s.context<DaxFaultContext>(t).hole && allocated(s, s.context<DaxFaultContext>(t).index)),
};
const R1: PropertyDecl = {
  name: 'S4-R1-NO-NULL-BDEV',
  kind: 'assertion',
  doc: '__dax_dbg never dereferences a NULL bh->b_bdev (bdevname).',
  cite: 'PG-S4-R1 (seed 004 RZ1)',
  witness: (s) => faultThreads(s).some((t) => s.context<DaxFaultContext>(t).dbgHole),
};

const ERA = { serialise: 'none', mapping: 'pte+pmd', readIndex: 1, pmdHoleFix: 'unmap+truncate', bdevDbg: 'unknown', holeBdev: false } as const;
const F4FIX = { serialise: 'shared-then-exclusive', pmdHoleFix: 'unmap+truncate+unmap' } as const;
const holds = (cite: string) => ({ verdict: 'holds' as const, cite });
const live = { verdict: 'holds' as const, cite: 'PG-INV-18; every fault returns under weak fairness of the kernel steps' };

export default defineSpec({
  name: 'dax-fault-holes',
  title: 'DAX faults over holes (seed 004): hole pages vs allocation, hole-to-PMD, __dax_dbg',
  doc: 'A PTE read fault (process A), an allocating write fault (process B, PTE or PMD) and a PMD read fault (process C) on a 2-page file of holes.',
  knobs: {
    serialise: {
      values: ['none', 'shared-then-exclusive', 'entry-lock'],
      default: 'none',
      doc: '__dax_fault / __dax_pmd_fault serialisation: none (v7, faults hold MMAPLOCK shared), JK-p2 (a write fault seeing a hole retakes the lock exclusive and retries), later entry locks (grab_mapping_entry)',
      cite: 'PG §5.4 fault serialization; seed 004 JK-p2; [bg] later fs/dax.c',
    },
    mapping: { values: ['pte', 'pte+pmd'], default: 'pte+pmd', doc: 'the writer runs __dax_pmd_fault (aligned VMA) or __dax_fault', cite: 'PG §5.4 mapping size' },
    readIndex: { values: [0, 1], default: 1, doc: 'the page the PTE reader faults (JK-p2 PMD race: index 1 of the PMD at 0)', cite: 'seed 004 JK-p2' },
    pmdHoleFix: {
      values: ['buffer-new', 'truncate-only', 'unmap+truncate', 'unmap+truncate+unmap'],
      default: 'unmap+truncate',
      doc: '__dax_pmd_fault before inserting the PMD: unmap only if buffer_new() (before v7), truncate_inode_pages_range only (DW-p2), unmap_mapping_range + truncate_inode_pages_range (v7), or unmap again after the truncate (finding F4 fix)',
      cite: 'PG-S4-R2; seed 004 RZ2, DW-p2, RZ-p2b; ' + D + ' finding F4',
    },
    bdevDbg: {
      values: ['deref', 'unknown', 'preset'],
      default: 'unknown',
      doc: '__dax_dbg: bdevname(bh->b_bdev) (before v7), "unknown" when NULL (v7), or b_bdev preset to i_sb->s_bdev before get_block (later)',
      cite: 'PG-S4-R1; seed 004 RZ1, JK-p1',
    },
    holeBdev: { values: [false, true], default: false, doc: 'get_block sets bh->b_bdev for a hole (XFS rewrites it, DC-p1) or leaves it NULL (ext4_dax_mmap_get_block)', cite: 'seed 004 RZ1, DC-p1' },
  },
  system,
  properties: [INV14, INV15, PTE_BLOCK, INV12, INV16, SPOOF, R1, FAULTS_COMPLETE],
  fairness: faultFairness(['r', 'w', 'd']),
  variants: {
    v7: {
      doc: 'Era preset 2016 v7 (JK-p2 PMD race): faults serialised only by MMAPLOCK shared, PMD write fault at 0 against a read fault of index 1.',
      knobs: { ...ERA },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R3 (PMD form, JK-p2): hole page instantiated over the allocated range', keySteps: ['r:get_block', 'w:get_block', 'w:truncate_inode_pages_range', 'r:dax_load_hole'] },
        'F3-NO-SPURIOUS-OOM': { verdict: 'violated', cite: D + ' finding F3 (PMD form: the PMD read fault fell back to PTEs)', keySteps: ['d:get_block', 'w:get_block', 'w:dax_radix_entry', 'd:dax_load_hole'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'r3-pte-v7': {
      doc: 'S4-R3, PTE form (RZ-p2a): a read fault and an allocating write fault on the same hole, v7.',
      knobs: { ...ERA, mapping: 'pte', readIndex: 0 },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R3 (RZ-p2a): "skips unmap_mapping_range() and delete_from_page_cache() ... dax_load_hole() *data corruption*"', keySteps: ['r:get_block', 'w:get_block', 'w:find_lock_page', 'r:dax_load_hole'] },
        'F3-NO-SPURIOUS-OOM': { verdict: 'violated', cite: D + ' finding F3', keySteps: ['get_block', 'w:get_block', 'w:dax_radix_entry', 'dax_load_hole'] },
        'INV-12-WRITABLE-TRACKED': { verdict: 'holds', cite: D + ' (masked: the writable-untracked PTE of S4-R3 comes after the INV-14 violation, whose states are not expanded, docs/semantics.md §7)' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'r3-pte-jk': {
      doc: 'S4-R3 PTE form with JK-p2 shared-then-exclusive.',
      knobs: { ...ERA, mapping: 'pte', readIndex: 0, ...F4FIX },
      expect: { '*': holds('PG §5.4 fault serialization: JK-p2 fixes S4-R3'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'r3-pte-entrylock': {
      doc: 'S4-R3 PTE form with entry locks (later kernels).',
      knobs: { ...ERA, mapping: 'pte', readIndex: 0, serialise: 'entry-lock' },
      expect: { '*': holds('PG §5.4 fault serialization: entry lock [bg]'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'r3-pmd-jk': {
      doc: 'S4-R3 PMD form with JK-p2 shared-then-exclusive and the v7 PMD hole fix: finding F4.',
      knobs: { ...ERA, serialise: 'shared-then-exclusive' },
      expect: {
        '*': holds('PG §5.4 fault serialization: JK-p2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: D + ' finding F4 (window between ->fault returning VM_FAULT_LOCKED and do_set_pte; RZ-p2b: truncate does not unmap zero pages)', keySteps: ['dax_load_hole', 'r:xfs_iunlock', 'w:xfs_ilock', 'w:unmap_mapping_range', 'do_set_pte', 'unlock_page', 'w:truncate_inode_pages_range'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'r3-pmd-jk-f4fix': {
      doc: 'S4-R3 PMD form with JK-p2 and finding F4 fixed (unmap again after the truncate).',
      knobs: { ...ERA, ...F4FIX },
      expect: { '*': holds('PG §5.4 fault serialization: JK-p2; ' + D + ' finding F4 fix'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'r3-pmd-entrylock': {
      doc: 'S4-R3 PMD form with entry locks (a PMD over hole pages falls back to PTEs).',
      knobs: { ...ERA, serialise: 'entry-lock' },
      expect: { '*': holds('PG §5.4 fault serialization: entry lock [bg]'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'r2-buffer-new': {
      doc: 'S4-R2 before v7: the unmap is guarded by buffer_new(), never set; nothing removes the hole pages. Faults serialised (JK-p2) to isolate S4-R2 from S4-R3.',
      knobs: { ...ERA, ...F4FIX, readIndex: 0, pmdHoleFix: 'buffer-new' },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R2 (RZ2): hole pages not removed before the PMD is inserted', keySteps: ['r:dax_load_hole', 'w:get_block', 'w:dax_radix_entry'] },
        'INV-16-TREE-HYGIENE': { verdict: 'violated', cite: 'PG-S4-R2 "a BUG_ON reported by Dan" (RZ0); v7 dax_radix_entry deletes the hole page at the PMD index as an exceptional entry (nrexceptional--)', keySteps: ['dax_load_hole', 'w:get_block', 'w:dax_radix_entry'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'r2-truncate-only': {
      doc: 'S4-R2 with truncate_inode_pages_range only (DW-p2): the zero-page PTEs stay mapped (RZ-p2b).',
      knobs: { ...ERA, ...F4FIX, readIndex: 0, pmdHoleFix: 'truncate-only' },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R2 RZ-p2b: "We fail the page_mapped(page) check for our read-only zero pages"', keySteps: ['do_set_pte', 'w:truncate_inode_pages_range'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'r1-pre-v7': {
      doc: 'S4-R1 before v7: the PMD read fault over a hole falls back and __dax_dbg dereferences the NULL b_bdev ext4 left.',
      knobs: { ...ERA, ...F4FIX, bdevDbg: 'deref' },
      expect: {
        '*': holds('PG §1.2'),
        'S4-R1-NO-NULL-BDEV': { verdict: 'violated', cite: 'PG-S4-R1 (RZ1): "bdevname() dereferences it"', keySteps: ['d:handle_mm_fault', 'd:get_block', 'd:__dax_dbg'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'r1-later': {
      doc: 'S4-R1 with later code: the caller presets b_bdev (JK-p1). (The v7 "unknown" fix is in r3-pmd-jk-f4fix.)',
      knobs: { ...ERA, ...F4FIX, bdevDbg: 'preset' },
      expect: { '*': holds('PG-S4-R1 [bg, checked] later code sets bh.b_bdev = inode->i_sb->s_bdev'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'r1-xfs': {
      doc: 'S4-R1 with XFS, whose get_block sets b_bdev for holes too (DC-p1): no NULL even before v7.',
      knobs: { ...ERA, ...F4FIX, bdevDbg: 'deref', holeBdev: true },
      expect: { '*': holds('PG-S4-R1 DC-p1 (xfs_find_bdev_for_inode)'), 'INV-18-FAULTS-COMPLETE': live },
    },
  },
});
