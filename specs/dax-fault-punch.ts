/**
 * DAX faults against a hole punch (seed 004, Jan 2016): `dax_pfn_mkwrite` racing a punch (S4-R5:
 * the punch unmaps the PTE and deletes the entry, dax_pfn_mkwrite inserts nothing with NO_SECTOR,
 * wp_pfn_shared's pte_same fails and the fault is retried), and a read fault racing the punch
 * (the fs fault lock, RZ9 "need to serialise against truncate").
 *
 * Actors: the mapping tree, the inode (block map, allocator, MMAPLOCK), the page tables of
 * processes A and B, the mkwrite thread `mk` (process A has a read-only PTE on block 0 and a clean
 * entry, from an earlier read fault), a read fault `r` of page 0 in process B, and the punch `p` of
 * page 0. File: 2 pages, page 0 on block 0, page 1 a hole; 2 blocks. Block = sector = pfn.
 */
import { defineSpec, type ActorDecl, type GlobalView, type KnobValues, type PropertyDecl, type SystemDecl } from '../src/spec/types.js';
import { mappingTree, EMPTY_SLOT } from '../machines/pgmap/mapping-tree.js';
import { pageTables, NO_PTE } from '../machines/pgmap/page-tables.js';
import { daxFault, type DaxFaultContext } from '../machines/pgmap/dax-fault.js';
import { daxInode2016 } from '../machines/fs/dax-inode-2016.js';
import { daxPunchThread } from '../machines/fs/dax-punch-thread.js';
import { FAULT_LOCKS, faultEvents, faultFairness, FAULTS_COMPLETE, INV12, INV15, PTE_BLOCK } from './dax-fault-holes.js';
import { INV16 } from './dax-fsync.js';

const N = 2;
const PMD = 2;

function system(k: KnobValues): SystemDecl {
  const common = {
    pmdPages: PMD,
    serialise: k.serialise,
    faultLock: k.faultLock === true,
    pmdHoleFix: 'unmap+truncate',
    bdevDbg: 'unknown',
    holeBdev: false,
    pteSame: k.pteSame === true,
  };
  const actors: Record<string, ActorDecl> = {
    tree: { machine: mappingTree, input: { nPages: N, entryLock: k.serialise === 'entry-lock', countTruncate: k.countTruncate !== false, slots: [{ t: 'PTE', b: 0, d: false, w: false, lk: false }, { ...EMPTY_SLOT }] } },
    inode: { machine: daxInode2016, input: { fmap: [0, null], owners: ['f:0', 'FREE'] } },
    ptes: {
      machine: pageTables,
      input: { procs: ['A', 'B'], nPages: N, pmdPages: PMD, initial: { A: [{ m: 'ro', b: 0, pmd: false }, { ...NO_PTE }], B: [{ ...NO_PTE }, { ...NO_PTE }] } },
    },
    mk: { machine: daxFault, thread: true, input: { ...common, proc: 'A', kind: 'mkwrite', index: 0, block: 0, write: true, pmd: false } },
    r: { machine: daxFault, thread: true, input: { ...common, proc: 'B', kind: 'fault', index: 0, write: false, pmd: false } },
    p: { machine: daxPunchThread, thread: true, input: { off: 0, unlock: k.punchUnlock !== false } },
  };
  const ev = faultEvents(['mk', 'r'], ['A', 'B']);
  const withPunch = (name: string, peer: string) => {
    const d = ev[name] as { sync: string[][]; params?: Record<string, readonly (string | number | boolean)[]> };
    return { ...d, sync: [...d.sync, ['p', peer]] };
  };
  return {
    actors,
    events: {
      ...ev,
      xfs_ilock: withPunch('xfs_ilock', 'inode'),
      xfs_iunlock: withPunch('xfs_iunlock', 'inode'),
      unmap_mapping_range: withPunch('unmap_mapping_range', 'ptes'),
      truncate_inode_pages_range: withPunch('truncate_inode_pages_range', 'tree'),
      xfs_file_fallocate: { local: ['p'] },
      xfs_free_file_space: { sync: [['p', 'inode']], params: { off: [0] } },
    },
  };
}

const mk = (s: GlobalView) => s.context<DaxFaultContext>('mk');
const RETRY: PropertyDecl = {
  name: 'S4-R5-MKWRITE-RETRIED',
  kind: 'goal',
  doc: 'dax_pfn_mkwrite raced the punch: wp_pfn_shared found the PTE changed and the fault was retried.',
  cite: 'PG-S4-R5 (seed 004 RZ6 dax_radix_entry comment)',
  reach: (s) => mk(s).result === 'retry',
};

const live = { verdict: 'holds' as const, cite: 'PG-INV-18 "A fault retried after pte_same failure terminates"' };
const MUTANT_KNOBS = { countTruncate: true, punchUnlock: true } as const;
const JK = { serialise: 'shared-then-exclusive' } as const;

export default defineSpec({
  name: 'dax-fault-punch',
  title: 'DAX pfn_mkwrite and faults vs hole punch (seed 004, S4-R5)',
  doc: 'A write through a read-only PTE (dax_pfn_mkwrite), a read fault and a hole punch of the same page.',
  knobs: {
    serialise: {
      values: ['none', 'shared-then-exclusive', 'entry-lock'],
      default: 'none',
      doc: 'fault serialisation (as in dax-fault-holes): after the punch, the retried write fault and the read fault race over the new hole (S4-R3)',
      cite: 'PG §5.4 fault serialization; seed 004 JK-p2',
    },
    pteSame: { values: [true, false], default: true, doc: 'wp_pfn_shared rechecks pte_same() after ->pfn_mkwrite (mm/memory.c) or makes orig_pte writable without it', cite: 'seed 004 RZ6 comment in dax_radix_entry' },
    faultLock: {
      values: [true, false],
      default: true,
      doc: 'the fs fault wrappers (xfs_filemap_fault, xfs_filemap_pfn_mkwrite; ext4 i_mmap_sem) take the MMAPLOCK shared against truncate/punch, or not',
      cite: 'seed 004 RZ9 "need to serialise against truncate similar to page_mkwrite"; JK-p2',
    },
    countTruncate: { values: [true, false], default: true, doc: 'mutant knob: clear_exceptional_entry (truncate_inode_pages_range) decrements mapping->nrexceptional (as posted) or not', cite: 'seed 004 RZ4 clear_exceptional_entry' },
    punchUnlock: { values: [true, false], default: true, doc: 'mutant knob: xfs_file_fallocate drops XFS_MMAPLOCK_EXCL after the punch (as in the kernel) or returns holding it', cite: 'xfs_file_fallocate xfs_iunlock(ip, XFS_MMAPLOCK_EXCL)' },
  },
  system,
  locks: FAULT_LOCKS,
  // INV-16 is the shared property; here the step it is about is the punch's truncate
  properties: [INV15, PTE_BLOCK, INV12, { ...INV16, keySteps: ['truncate_inode_pages_range'] }, RETRY, FAULTS_COMPLETE],
  fairness: faultFairness(['mk', 'r', 'p']),
  presets: {
    v7: {
      doc: 'The series as posted (v7): the fs wrappers take the MMAPLOCK shared around faults and ->pfn_mkwrite (RZ9), dax_pfn_mkwrite inserts nothing with NO_SECTOR (RZ6), wp_pfn_shared rechecks pte_same (mm/memory.c since pfn_mkwrite), faults not serialised among themselves.',
      cite: 'seed 004 RZ6, RZ9; PG-S4-R5; PG §5.4 fault serialization "v7: none"',
      knobs: { serialise: 'none', pteSame: true, faultLock: true, ...MUTANT_KNOBS },
    },
    later: {
      doc: 'Later kernels: as v7, with the fault holding its mapping entry lock throughout.',
      cite: 'PG §5.4 fault serialization "entry lock" [bg]',
      knobs: { serialise: 'entry-lock', pteSame: true, faultLock: true, ...MUTANT_KNOBS },
    },
  },
  variants: {
    v7: {
      doc: 'Posted v7: S4-R5 is handled, but the punch re-creates a hole on which the retried write and the read fault race (S4-R3).',
      preset: 'v7',
      knobs: {},
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S4-R5: punch vs pfn_mkwrite is handled (NO_SECTOR, pte_same, retry)' },
        'INV-12-WRITABLE-TRACKED': { verdict: 'violated', cite: 'PG-S4-R3 over the punched hole: the retried (allocating) write fault only dirties the hole page the read fault inserted, so its writable PTE has no DAX entry ("corruption of radix tree entries", JK-p2)', keySteps: ['p:xfs_free_file_space', 'mk:get_block', 'mk:find_lock_page', 'r:dax_load_hole', 'mk:dax_radix_entry', 'mk:vm_insert_mixed'] },
        'S4-R5-MKWRITE-RETRIED': { verdict: 'reached', cite: 'PG-S4-R5' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7+JK-p2': {
      doc: 'S4-R5 with the proposed JK-p2 fault serialisation: everything holds; the mkwrite is retried.',
      preset: 'v7',
      knobs: { ...JK },
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S4-R5; PG §5.4 fault serialization (JK-p2)' },
        'S4-R5-MKWRITE-RETRIED': { verdict: 'reached', cite: 'PG-S4-R5' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    later: {
      doc: 'S4-R5 in later kernels (entry locks).',
      preset: 'later',
      knobs: {},
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S4-R5; PG §5.4 fault serialization (entry lock [bg])' },
        'S4-R5-MKWRITE-RETRIED': { verdict: 'reached', cite: 'PG-S4-R5' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7+JK-p2:pteSame=false': {
      doc: 'S4-R5 buggy: without the pte_same recheck, the punched PTE comes back writable on a freed block with no entry.',
      preset: 'v7',
      knobs: { ...JK, pteSame: false },
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S4-R5' },
        'INV-12-WRITABLE-TRACKED': { verdict: 'violated', cite: 'PG-S4-R5: the pte_same() recheck is what keeps a punched PTE from coming back (RZ6 comment)', keySteps: ['mk:dax_radix_entry', 'p:unmap_mapping_range', 'p:truncate_inode_pages_range', 'mk:wp_page_reuse'] },
        'PTE-MAPS-FILE-BLOCK': { verdict: 'violated', cite: 'PG-S4-R5 (the PTE maps the punched, freed block)', keySteps: ['p:unmap_mapping_range', 'p:xfs_free_file_space', 'mk:wp_page_reuse'] },
        'S4-R5-MKWRITE-RETRIED': { verdict: 'unreached', cite: 'without the recheck nothing is retried' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7:faultLock=false': {
      doc: 'Faults and pfn_mkwrite without the fs lock: a read fault maps the block the punch frees.',
      preset: 'v7',
      knobs: { faultLock: false },
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S4-R5' },
        'INV-15-ENTRY-SECTOR': { verdict: 'violated', cite: 'PG-INV-15; RZ9 "need to serialise against truncate"', keySteps: ['r:get_block', 'p:truncate_inode_pages_range', 'r:dax_radix_entry', 'p:xfs_free_file_space'] },
        'PTE-MAPS-FILE-BLOCK': { verdict: 'violated', cite: 'PG-INV-15 consequence: the PTE maps a freed block', keySteps: ['r:get_block', 'p:truncate_inode_pages_range', 'r:vm_insert_mixed', 'p:xfs_free_file_space'] },
        'INV-12-WRITABLE-TRACKED': { verdict: 'violated', cite: 'PG-INV-12; RZ9: the punch deletes the entry between the fault\'s dax_radix_entry and vm_insert_mixed', keySteps: ['p:unmap_mapping_range', 'mk:dax_radix_entry', 'p:truncate_inode_pages_range', 'mk:vm_insert_mixed'] },
        'S4-R5-MKWRITE-RETRIED': { verdict: 'reached', cite: 'PG-S4-R5' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    // ---- mutants over v7+JK-p2, where everything holds (issue 10 §3) ----
    'v7+JK-p2:countTruncate=false': {
      doc: 'Mutant: the punch removes the DAX entry without decrementing nrexceptional.',
      preset: 'v7',
      knobs: { ...JK, countTruncate: false },
      mutant: { fn: 'clear_exceptional_entry', change: 'mapping->nrexceptional--; -> (removed)', cite: 'seed 004 RZ4 clear_exceptional_entry (truncate_inode_pages_range)' },
      expect: {
        '*': { verdict: 'holds', cite: 'the mutant changes only the counter' },
        'INV-16-TREE-HYGIENE': { verdict: 'violated', cite: 'PG-INV-16: nrexceptional counts an entry that is gone', keySteps: ['p:unmap_mapping_range', 'p:truncate_inode_pages_range'] },
        'S4-R5-MKWRITE-RETRIED': { verdict: 'reached', cite: 'PG-S4-R5: the unmap alone makes pte_same fail' },
        'INV-18-FAULTS-COMPLETE': live,
      },
    },
    'v7+JK-p2:punchUnlock=false': {
      doc: 'Mutant: fallocate returns holding XFS_MMAPLOCK_EXCL; every later fault sleeps on it.',
      preset: 'v7',
      knobs: { ...JK, punchUnlock: false },
      mutant: { fn: 'xfs_file_fallocate', change: 'xfs_iunlock(ip, XFS_MMAPLOCK_EXCL); -> (removed)', cite: 'xfs_file_fallocate (seed 004 RZ9 context: faults serialise against truncate on this lock)' },
      expect: {
        '*': { verdict: 'holds', cite: 'the mutant changes only the unlock' },
        deadlock: { verdict: 'violated', cite: 'a fault sleeps for ever on the MMAPLOCK the punch kept', keySteps: ['p:xfs_ilock', 'p:xfs_free_file_space'] },
        'INV-18-FAULTS-COMPLETE': { verdict: 'violated', cite: 'PG-INV-18: the fault never completes', keySteps: ['handle_mm_fault', 'p:xfs_ilock', 'p:xfs_free_file_space'] },
        'S4-R5-MKWRITE-RETRIED': { verdict: 'reached', cite: 'PG-S4-R5' },
      },
    },
  },
});
