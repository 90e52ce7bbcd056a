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
import { dirtyCovered, INV16, PTL, sectionLock, TREE_LOCK } from './dax-fsync.js';

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
    truncate_inode_pages_range: { sync: w('tree'), params: { start: idx, end: idx, index: idx } },
    i_mmap_lock_read: { sync: w('ptes') },
    i_mmap_unlock_read: { sync: w('ptes') },
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
  'unlock_page', 'delete_from_page_cache', 'dax_load_hole', 'dax_radix_entry', 'truncate_inode_pages_range', 'i_mmap_lock_read', 'i_mmap_unlock_read',
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
  keySteps: ['dax_load_hole', 'get_block'],
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
  keySteps: ['get_block', 'dax_radix_entry'],
  doc: "A DAX entry's block equals the block the file maps at its index (all indices of a PMD entry) for as long as the entry exists.",
  cite: 'PG-INV-15 [derived]',
  check: (s) => tree(s).slots.every((_, i) => entryMatches(tree(s).slots, inode(s).fmap, i)),
  witness: (s) => tree(s).slots.some((x) => x.t === 'PTE' || x.t === 'PMD'),
};
export const PTE_BLOCK: PropertyDecl = {
  name: 'PTE-MAPS-FILE-BLOCK',
  kind: 'invariant',
  keySteps: ['get_block', 'vm_insert_mixed'],
  doc: 'A pfn PTE (or PMD) of the file at index i maps the block the file has at i (never a freed or foreign block).',
  cite: 'PG §5.1 pte/fs state vector, PG-INV-2 [derived]; seed 004 RZ6 comment (a punched PTE is unmapped first)',
  check: (s) => Object.values(pt(s)).every((row) => row.every((p, i) => (p.m !== 'ro' && p.m !== 'rw') || inode(s).fmap[i] === p.b)),
  witness: (s) => Object.values(pt(s)).some((row) => row.some((p) => p.m === 'rw')),
};
export const INV12: PropertyDecl = {
  name: 'INV-12-WRITABLE-TRACKED',
  kind: 'invariant',
  keySteps: ['dax_radix_entry', 'vm_insert_mixed'],
  doc: 'A writable DAX PTE/PMD at index i implies a DAX entry covering i tagged DIRTY.',
  cite: 'PG-INV-12 (seed 004 code)',
  check: (s) => Object.values(pt(s)).every((row) => row.every((p, i) => p.m !== 'rw' || dirtyCovered(tree(s).slots, i))),
  witness: (s) => Object.values(pt(s)).some((row) => row.some((p) => p.m === 'rw')),
};
export const FAULTS_COMPLETE: PropertyDecl = {
  name: 'INV-18-FAULTS-COMPLETE',
  kind: 'liveness',
  keySteps: ['handle_mm_fault'],
  form: 'leadsTo',
  doc: 'Every fault that has begun completes (returns to user space), retries included.',
  cite: 'PG-INV-18 ("A fault retried after pte_same failure terminates"); deadlock freedom of the fault locks',
  p: (s) => faultThreads(s).some((t) => inProgress(s, t)),
  q: (s) => !faultThreads(s).some((t) => inProgress(s, t)),
};
/** The locks of the 2016 fault path (docs/models/pgmap-gup-fsync.md, "Locks and atomicity"). */
export const FAULT_LOCKS = {
  tree_lock: TREE_LOCK,
  ptl: PTL,
  XFS_ILOCK: sectionLock('XFS_ILOCK of the inode, around the block map lookup and allocation (xfs_get_blocks, xfs_bunmapi).', 'fs/xfs xfs_get_blocks: xfs_ilock(ip, lockmode) ... xfs_iunlock; seed 004 RZ2, DC-p1'),
  i_mmap_rwsem: {
    doc: 'mapping->i_mmap_rwsem: held for read by __dax_pmd_fault across steps (2016), taken for write inside one step by unmap_mapping_range, which therefore waits until no fault holds it for read.',
    cite: '[bg] 4.4 mm/memory.c unmap_mapping_range i_mmap_lock_write(mapping); 4.4 fs/dax.c __dax_pmd_fault; seed 004 RZ2',
    heldBy: (s: GlobalView) => s.context<PageTablesContext>('ptes').immapReaders === 0,
  },
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
    insertDirty: k.insertDirty !== false,
    insertSector: Number(k.insertSector),
    insertPfn: Number(k.insertPfn),
    holeUnlock: k.holeUnlock !== false,
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
  keySteps: ['get_block', 'dax_radix_entry', 'dax_load_hole'],
  doc: 'A read fault of a hole never fails with VM_FAULT_OOM because an allocating write fault inserted a DAX entry first.',
  cite: D + ' finding F3 (derived from seed 004 RZ4 page_cache_tree_insert and RZ6 dax_load_hole)',
  check: (s) => faultThreads(s).every((t) => s.context<DaxFaultContext>(t).result !== 'oom'),
  // a read fault found a hole that an allocating fault has since filled: the race the property is about
  witness: (s) => faultThreads(s).some((t) => !s.context<DaxFaultContext>(t).write && s.context<DaxFaultContext>(t).hole && allocated(s, s.context<DaxFaultContext>(t).index)),
};
const R1: PropertyDecl = {
  name: 'S4-R1-NO-NULL-BDEV',
  kind: 'assertion',
  keySteps: ['get_block', '__dax_dbg'],
  doc: '__dax_dbg never dereferences a NULL bh->b_bdev (bdevname).',
  cite: 'PG-S4-R1 (seed 004 RZ1)',
  witness: (s) => faultThreads(s).some((t) => s.context<DaxFaultContext>(t).dbgHole),
};

const holds = (cite: string) => ({ verdict: 'holds' as const, cite });
const live = { verdict: 'holds' as const, cite: 'PG-INV-18; every fault returns under weak fairness of the kernel steps' };
const JK = { serialise: 'shared-then-exclusive' } as const;
/** The workload of the JK-p2 PMD race: PMD write fault at 0, PTE read of index 1, ext4 (no b_bdev on a hole). */
const PMD_RACE = { mapping: 'pte+pmd', readIndex: 1, holeBdev: false } as const;
const PTE_RACE = { mapping: 'pte', readIndex: 0, holeBdev: false } as const;
const MUTANT_KNOBS = { insertDirty: true, insertSector: 0, insertPfn: 0, holeUnlock: true } as const;

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
    insertDirty: { values: [true, false], default: true, doc: 'mutant knob: dax_insert_mapping passes vmf->flags & FAULT_FLAG_WRITE as dirty (as posted) or false', cite: 'seed 004 RZ6 dax_insert_mapping' },
    insertSector: { values: [0, 1], default: 0, doc: 'mutant knob: dax_insert_mapping maps to_sector(bh, inode) (0, as posted) or the block one page further (1)', cite: 'seed 004 RZ6 dax_insert_mapping' },
    insertPfn: { values: [0, 1], default: 0, doc: 'mutant knob: dax_insert_mapping maps dax.pfn (0, as posted) or the pfn one page further (1)', cite: 'seed 004 RZ6 dax_insert_mapping' },
    holeUnlock: { values: [true, false], default: true, doc: 'mutant knob: do_read_fault unlocks the hole page after do_set_pte (as in mm/memory.c) or returns with it locked', cite: '[bg] 4.4 mm/memory.c do_read_fault unlock_page(fault_page)' },
  },
  system,
  locks: FAULT_LOCKS,
  properties: [INV14, INV15, PTE_BLOCK, INV12, INV16, SPOOF, R1, FAULTS_COMPLETE],
  fairness: faultFairness(['r', 'w', 'd']),
  presets: {
    'pre-v7': {
      doc: 'fs/dax.c before the series (4.4): __dax_pmd_fault unmaps zero pages only if buffer_new(), which ext4/XFS never set; __dax_dbg calls bdevname(bh->b_bdev); faults serialised only by the fs lock taken shared.',
      cite: 'seed 004 RZ1, RZ2 (the removed lines); PG-S4-R1, S4-R2',
      knobs: { serialise: 'none', pmdHoleFix: 'buffer-new', bdevDbg: 'deref', ...MUTANT_KNOBS },
    },
    v7: {
      doc: 'The series as posted (v7): __dax_pmd_fault drops i_mmap_lock, unmap_mapping_range + truncate_inode_pages_range before the PMD insert (RZ2); __dax_dbg prints "unknown" for a NULL b_bdev (RZ1); faults serialised only by the fs lock taken shared (RZ9).',
      cite: 'seed 004 RZ1, RZ2, RZ6, RZ9; PG §5.4 fault serialization "v7: none"',
      knobs: { serialise: 'none', pmdHoleFix: 'unmap+truncate', bdevDbg: 'unknown', ...MUTANT_KNOBS },
    },
    later: {
      doc: 'Later kernels: the fault holds its mapping entry lock throughout (grab_mapping_entry; a PMD over PTE entries or hole pages falls back), b_bdev preset before get_block.',
      cite: 'PG §5.4 fault serialization "entry lock" [bg]; PG-S4-R1 [bg, checked] later code sets bh.b_bdev = inode->i_sb->s_bdev',
      knobs: { serialise: 'entry-lock', pmdHoleFix: 'unmap+truncate', bdevDbg: 'preset', ...MUTANT_KNOBS },
    },
  },
  variants: {
    v7: {
      doc: 'Posted v7, the JK-p2 PMD race: faults serialised only by MMAPLOCK shared, PMD write fault at 0 against a read fault of index 1.',
      preset: 'v7',
      knobs: { ...PMD_RACE },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R3 (PMD form, JK-p2): hole page instantiated over the allocated range', keySteps: ['r:get_block', 'w:get_block', 'w:truncate_inode_pages_range', 'r:dax_load_hole'] },
        'F3-NO-SPURIOUS-OOM': { verdict: 'violated', cite: D + ' finding F3 (PMD form: the PMD read fault fell back to PTEs)', keySteps: ['d:get_block', 'w:get_block', 'w:dax_radix_entry', 'd:dax_load_hole'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7-r3-pte': {
      doc: 'S4-R3, PTE form (RZ-p2a): a read fault and an allocating write fault on the same hole, posted v7.',
      preset: 'v7',
      knobs: { ...PTE_RACE },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R3 (RZ-p2a): "skips unmap_mapping_range() and delete_from_page_cache() ... dax_load_hole() *data corruption*"', keySteps: ['r:get_block', 'w:get_block', 'w:find_lock_page', 'r:dax_load_hole'] },
        'F3-NO-SPURIOUS-OOM': { verdict: 'violated', cite: D + ' finding F3', keySteps: ['get_block', 'w:get_block', 'w:dax_radix_entry', 'dax_load_hole'] },
        'INV-12-WRITABLE-TRACKED': { verdict: 'holds', cite: D + ' (masked: the writable-untracked PTE of S4-R3 comes after the INV-14 violation, whose states are not expanded, docs/semantics.md §7)' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7-r3-pte+JK-p2': {
      doc: 'S4-R3 PTE form with the proposed fix JK-p2 (a write fault that sees a hole retakes the lock exclusive and retries).',
      preset: 'v7',
      knobs: { ...PTE_RACE, ...JK },
      expect: { '*': holds('PG §5.4 fault serialization: JK-p2 fixes S4-R3'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'later-r3-pte': {
      doc: 'S4-R3 PTE form with entry locks (later kernels).',
      preset: 'later',
      knobs: { ...PTE_RACE },
      expect: { '*': holds('PG §5.4 fault serialization: entry lock [bg]'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'v7+JK-p2': {
      doc: 'S4-R3 PMD form with JK-p2 over posted v7 (whose PMD hole fix is unmap + truncate): finding F4.',
      preset: 'v7',
      knobs: { ...PMD_RACE, ...JK },
      expect: {
        '*': holds('PG §5.4 fault serialization: JK-p2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: D + ' finding F4 (window between ->fault returning VM_FAULT_LOCKED and do_set_pte; RZ-p2b: truncate does not unmap zero pages)', keySteps: ['dax_load_hole', 'r:xfs_iunlock', 'w:xfs_ilock', 'w:unmap_mapping_range', 'do_set_pte', 'unlock_page', 'w:truncate_inode_pages_range'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7+JK-p2+F4': {
      doc: 'S4-R3 PMD form with JK-p2 and the proposed fix of finding F4 (unmap again after the truncate).',
      preset: 'v7',
      knobs: { ...PMD_RACE, ...JK, pmdHoleFix: 'unmap+truncate+unmap' },
      expect: { '*': holds('PG §5.4 fault serialization: JK-p2; ' + D + ' finding F4 fix'), 'INV-18-FAULTS-COMPLETE': live },
    },
    later: {
      doc: 'S4-R3 PMD form with entry locks (a PMD over hole pages falls back to PTEs), b_bdev preset (S4-R1 later fix).',
      preset: 'later',
      knobs: { ...PMD_RACE },
      expect: { '*': holds('PG §5.4 fault serialization: entry lock [bg]; PG-S4-R1 [bg, checked] later code sets bh.b_bdev'), 'INV-18-FAULTS-COMPLETE': live },
    },
    'pre-v7': {
      doc: 'Before the series, the JK-p2 PMD race workload: the PMD read fault over a hole falls back and __dax_dbg dereferences the NULL b_bdev ext4 left (S4-R1).',
      preset: 'pre-v7',
      knobs: { ...PMD_RACE },
      expect: {
        '*': holds('PG §1.2'),
        'S4-R1-NO-NULL-BDEV': { verdict: 'violated', cite: 'PG-S4-R1 (RZ1): "bdevname() dereferences it"', keySteps: ['d:handle_mm_fault', 'd:get_block', 'd:__dax_dbg'] },
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R2 (RZ2): hole pages not removed before the PMD is inserted; PG-S4-R3 (JK-p2)', keySteps: ['w:get_block', 'r:dax_load_hole', 'w:dax_radix_entry'] },
        'INV-16-TREE-HYGIENE': { verdict: 'holds', cite: 'masked: the S4-R2 counter drift needs the PMD read fault past __dax_dbg, where it oopses first (violating states are not expanded); shown in pre-v7:holeBdev=true' },
        'F3-NO-SPURIOUS-OOM': { verdict: 'holds', cite: 'masked as INV-16: shown in pre-v7:holeBdev=true' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'pre-v7:holeBdev=true': {
      doc: 'S4-R1 with XFS, whose get_block sets b_bdev for holes too (DC-p1): no NULL dereference even before v7.',
      preset: 'pre-v7',
      knobs: { ...PMD_RACE, holeBdev: true },
      expect: {
        '*': holds('PG-S4-R1 DC-p1 (xfs_find_bdev_for_inode)'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R2 (RZ2), PG-S4-R3 (JK-p2): as pre-v7', keySteps: ['w:get_block', 'r:dax_load_hole', 'w:dax_radix_entry'] },
        'INV-16-TREE-HYGIENE': { verdict: 'violated', cite: 'PG-S4-R2 "a BUG_ON reported by Dan" (RZ0): the PMD dax_radix_entry deletes the hole page as an exceptional entry', keySteps: ['d:dax_load_hole', 'w:dax_radix_entry'] },
        'F3-NO-SPURIOUS-OOM': { verdict: 'violated', cite: D + ' finding F3 (PMD form), present before v7 too', keySteps: ['d:get_block', 'w:get_block', 'w:dax_radix_entry', 'd:dax_load_hole'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'pre-v7-r2+JK-p2': {
      doc: 'S4-R2 before v7: the unmap is guarded by buffer_new(), never set; nothing removes the hole pages. Faults serialised (JK-p2) to isolate S4-R2 from S4-R3.',
      preset: 'pre-v7',
      knobs: { ...PMD_RACE, readIndex: 0, ...JK },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R2 (RZ2): hole pages not removed before the PMD is inserted', keySteps: ['r:dax_load_hole', 'w:get_block', 'w:dax_radix_entry'] },
        'INV-16-TREE-HYGIENE': { verdict: 'violated', cite: 'PG-S4-R2 "a BUG_ON reported by Dan" (RZ0); v7 dax_radix_entry deletes the hole page at the PMD index as an exceptional entry (nrexceptional--)', keySteps: ['dax_load_hole', 'w:get_block', 'w:dax_radix_entry'] },
        'S4-R1-NO-NULL-BDEV': { verdict: 'violated', cite: 'PG-S4-R1 (RZ1), as pre-v7', keySteps: ['d:get_block', 'd:__dax_dbg'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7-r2+JK-p2:pmdHoleFix=truncate-only': {
      doc: 'S4-R2 with truncate_inode_pages_range only (DW-p2\'s question): the zero-page PTEs stay mapped (RZ-p2b). Faults serialised (JK-p2).',
      preset: 'v7',
      knobs: { ...PMD_RACE, readIndex: 0, ...JK, pmdHoleFix: 'truncate-only' },
      expect: {
        '*': holds('PG §1.2'),
        'INV-14-HOLE-EXCLUSION': { verdict: 'violated', cite: 'PG-S4-R2 RZ-p2b: "We fail the page_mapped(page) check for our read-only zero pages"', keySteps: ['do_set_pte', 'w:truncate_inode_pages_range'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    // ---- mutants over a variant where everything holds (issue 10 §3) ----
    'v7-r3-pte+JK-p2:insertDirty=false': {
      doc: 'Mutant: the allocating write fault inserts a clean entry under its writable PTE.',
      preset: 'v7',
      knobs: { ...PTE_RACE, ...JK, insertDirty: false },
      mutant: { fn: 'dax_insert_mapping', change: 'dax_radix_entry(mapping, vmf->pgoff, dax.sector, false, vmf->flags & FAULT_FLAG_WRITE) -> dax_radix_entry(mapping, vmf->pgoff, dax.sector, false, false)', cite: 'seed 004 RZ6 dax_insert_mapping' },
      expect: {
        '*': holds('the mutant changes only the dirty flag'),
        'INV-12-WRITABLE-TRACKED': { verdict: 'violated', cite: 'PG-INV-12: the writable PTE has a clean entry', keySteps: ['w:get_block', 'w:dax_radix_entry', 'w:vm_insert_mixed'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7-r3-pte+JK-p2:insertSector=1': {
      doc: 'Mutant: dax_insert_mapping enters and maps the block one page past the one get_block returned.',
      preset: 'v7',
      knobs: { ...PTE_RACE, ...JK, insertSector: 1 },
      mutant: { fn: 'dax_insert_mapping', change: 'dax.sector = to_sector(bh, inode); -> dax.sector = to_sector(bh, inode) + (PAGE_SIZE >> 9);', cite: 'seed 004 RZ6 dax_insert_mapping' },
      expect: {
        '*': holds('the mutant changes only the sector'),
        'INV-15-ENTRY-SECTOR': { verdict: 'violated', cite: 'PG-INV-15: the entry holds a block the file does not map there', keySteps: ['w:get_block', 'w:dax_radix_entry'] },
        'witness:INV-12-WRITABLE-TRACKED': { verdict: 'unreached', cite: 'the mutant\'s INV-15 violation comes before any writable PTE (violating states are not expanded)' },
        'witness:PTE-MAPS-FILE-BLOCK': { verdict: 'unreached', cite: 'as witness:INV-12: no writable PTE after the INV-15 violation' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7-r3-pte+JK-p2:insertPfn=1': {
      doc: 'Mutant: dax_insert_mapping maps the pfn one page past the block get_block returned.',
      preset: 'v7',
      knobs: { ...PTE_RACE, ...JK, insertPfn: 1 },
      mutant: { fn: 'dax_insert_mapping', change: 'vm_insert_mixed(vma, vaddr, dax.pfn) -> vm_insert_mixed(vma, vaddr, pfn_t_add(dax.pfn, 1))', cite: 'seed 004 RZ6 dax_insert_mapping' },
      expect: {
        '*': holds('the mutant changes only the pfn mapped'),
        'PTE-MAPS-FILE-BLOCK': { verdict: 'violated', cite: 'PG-INV-2 [derived]: the PTE maps a foreign block', keySteps: ['w:get_block', 'w:dax_radix_entry', 'w:vm_insert_mixed'] },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7-r3-pte+JK-p2:holeUnlock=false': {
      doc: 'Mutant: the read fault returns with its hole page locked; the allocating write fault waits in find_lock_page for ever.',
      preset: 'v7',
      knobs: { ...PTE_RACE, ...JK, holeUnlock: false },
      mutant: { fn: 'do_read_fault', change: 'unlock_page(fault_page); -> (removed)', cite: '[bg] 4.4 mm/memory.c do_read_fault' },
      expect: {
        '*': holds('the mutant changes only the page unlock'),
        deadlock: { verdict: 'violated', cite: 'a fault sleeps on the page lock nobody releases, the others on the MMAPLOCK it holds', keySteps: ['r:dax_load_hole', 'r:do_set_pte'] },
        'witness:INV-14-HOLE-EXCLUSION': { verdict: 'unreached', cite: 'the allocating write fault never gets the exclusive lock: a fault holding it shared sleeps on the hole page' },
        'INV-18-FAULTS-COMPLETE': { verdict: 'violated', cite: 'PG-INV-18: the write fault never completes', keySteps: ['handle_mm_fault', 'r:dax_load_hole', 'r:do_set_pte'] },
      },
    },
  },
});
