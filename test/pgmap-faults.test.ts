/**
 * Two-sided tests of the DAX fault specs (issue 4, seed 004): dax-fault-holes (S4-R1, S4-R2,
 * S4-R3, findings F3 and F4) and dax-fault-punch (S4-R5, INV-15). Every variant reproduces its
 * declared verdicts and key steps; each scenario's buggy knob is paired with its fixed knob; small
 * variants are counted again by the reference enumerator; the machines are stepped with XState.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import holesSpec from '../specs/dax-fault-holes.js';
import punchSpec from '../specs/dax-fault-punch.js';
import { mappingTree } from '../machines/pgmap/mapping-tree.js';
import { pageTables } from '../machines/pgmap/page-tables.js';
import { daxFault } from '../machines/pgmap/dax-fault.js';
import { daxInode2016 } from '../machines/fs/dax-inode-2016.js';
import { agreesWithOracle, run, twoSided, variantsReproduce, verdict } from './spec-helpers.js';

describe('dax-fault-holes: every variant', () => variantsReproduce(holesSpec));
describe('dax-fault-punch: every variant', () => variantsReproduce(punchSpec));

describe('scenario / property / buggy knob / fixed knob', () => {
  const pairs: [typeof holesSpec, string, string, string, string][] = [
    [holesSpec, 'S4-R1 __dax_dbg', 'S4-R1-NO-NULL-BDEV', 'pre-v7', 'later'],
    [holesSpec, 'S4-R1 on XFS (b_bdev set for holes)', 'S4-R1-NO-NULL-BDEV', 'pre-v7', 'pre-v7:holeBdev=true'],
    [holesSpec, 'S4-R2 buffer_new()', 'INV-14-HOLE-EXCLUSION', 'pre-v7-r2+JK-p2', 'v7+JK-p2+F4'],
    [holesSpec, 'S4-R2 counters', 'INV-16-TREE-HYGIENE', 'pre-v7-r2+JK-p2', 'v7+JK-p2+F4'],
    [holesSpec, 'posted pre-v7 on XFS (the audit said it held)', 'INV-16-TREE-HYGIENE', 'pre-v7:holeBdev=true', 'later'],
    [holesSpec, 'posted pre-v7 (the audit added JK-p2 and F4)', 'INV-14-HOLE-EXCLUSION', 'pre-v7', 'later'],
    [holesSpec, 'S4-R2 truncate only (RZ-p2b)', 'INV-14-HOLE-EXCLUSION', 'v7-r2+JK-p2:pmdHoleFix=truncate-only', 'v7+JK-p2+F4'],
    [holesSpec, 'S4-R3 PTE, JK-p2', 'INV-14-HOLE-EXCLUSION', 'v7-r3-pte', 'v7-r3-pte+JK-p2'],
    [holesSpec, 'S4-R3 PTE, entry lock', 'INV-14-HOLE-EXCLUSION', 'v7-r3-pte', 'later-r3-pte'],
    [holesSpec, 'S4-R3 PMD, entry lock', 'INV-14-HOLE-EXCLUSION', 'v7', 'later'],
    [holesSpec, 'finding F3', 'F3-NO-SPURIOUS-OOM', 'v7-r3-pte', 'v7-r3-pte+JK-p2'],
    [holesSpec, 'finding F4', 'INV-14-HOLE-EXCLUSION', 'v7+JK-p2', 'v7+JK-p2+F4'],
    [holesSpec, 'mutant dax_insert_mapping dirty', 'INV-12-WRITABLE-TRACKED', 'v7-r3-pte+JK-p2:insertDirty=false', 'v7-r3-pte+JK-p2'],
    [holesSpec, 'mutant dax_insert_mapping sector', 'INV-15-ENTRY-SECTOR', 'v7-r3-pte+JK-p2:insertSector=1', 'v7-r3-pte+JK-p2'],
    [holesSpec, 'mutant dax_insert_mapping pfn', 'PTE-MAPS-FILE-BLOCK', 'v7-r3-pte+JK-p2:insertPfn=1', 'v7-r3-pte+JK-p2'],
    [holesSpec, 'mutant do_read_fault unlock_page', 'INV-18-FAULTS-COMPLETE', 'v7-r3-pte+JK-p2:holeUnlock=false', 'v7-r3-pte+JK-p2'],
    [punchSpec, 'S4-R5 pte_same', 'INV-12-WRITABLE-TRACKED', 'v7+JK-p2:pteSame=false', 'v7+JK-p2'],
    [punchSpec, 'S4-R5 pte_same', 'PTE-MAPS-FILE-BLOCK', 'v7+JK-p2:pteSame=false', 'v7+JK-p2'],
    [punchSpec, 'fault vs punch, fs lock', 'INV-15-ENTRY-SECTOR', 'v7:faultLock=false', 'v7'],
    [punchSpec, 'S4-R3 over a punched hole', 'INV-12-WRITABLE-TRACKED', 'v7', 'v7+JK-p2'],
    [punchSpec, 'mutant clear_exceptional_entry', 'INV-16-TREE-HYGIENE', 'v7+JK-p2:countTruncate=false', 'v7+JK-p2'],
    [punchSpec, 'mutant xfs_file_fallocate unlock', 'INV-18-FAULTS-COMPLETE', 'v7+JK-p2:punchUnlock=false', 'v7+JK-p2'],
  ];
  twoSided(pairs);
  it('S4-R5: with the pte_same recheck the raced mkwrite is retried, and every fault completes', async () => {
    expect(await verdict(punchSpec, 'v7+JK-p2', 'S4-R5-MKWRITE-RETRIED')).toBe('reached');
    expect(await verdict(punchSpec, 'v7+JK-p2', 'INV-18-FAULTS-COMPLETE')).toBe('holds');
    expect(await verdict(punchSpec, 'v7+JK-p2:pteSame=false', 'S4-R5-MKWRITE-RETRIED')).toBe('unreached');
  });
  it('the F4 counterexample is the window between VM_FAULT_LOCKED and do_set_pte, closed by the unmap after the truncate', async () => {
    const t = (await run(holesSpec, 'v7+JK-p2')).properties['INV-14-HOLE-EXCLUSION'].trace!;
    const steps = t.steps.map((s) => `${s.actors[0]}:${s.event.type}`);
    const unmap = steps.indexOf('w:unmap_mapping_range');
    const setPte = steps.indexOf('r:do_set_pte');
    const trunc = steps.lastIndexOf('w:truncate_inode_pages_range');
    expect(unmap).toBeGreaterThan(-1);
    expect(unmap < setPte && setPte < trunc).toBe(true);
    expect(steps.at(-1)).toBe('w:truncate_inode_pages_range');
  });
});

describe('state counts agree with the reference enumerator', () => {
  const cases: [typeof holesSpec, string][] = [
    [punchSpec, 'v7+JK-p2:pteSame=false'],
    [holesSpec, 'pre-v7-r2+JK-p2'],
    [punchSpec, 'v7+JK-p2:countTruncate=false'],
  ];
  agreesWithOracle(cases);
});

describe('machines, stepped with XState directly', () => {
  it('a hole page is inserted locked; find_lock_page and truncate wait for it; unlock_page releases it', () => {
    const t = createActor(mappingTree, { input: { nPages: 2 } }).start();
    t.send({ type: 'dax_load_hole', index: 0, res: 'inserted' });
    const s = t.getSnapshot();
    expect(s.context.slots[0]).toMatchObject({ t: 'HOLE', lk: true });
    expect(s.can({ type: 'find_lock_page', index: 0, found: true })).toBe(false);
    expect(s.can({ type: 'truncate_inode_pages_range', start: 0, end: 1, index: 0 })).toBe(false);
    // the truncate goes one entry at a time: index 1 (empty) is not held up by the locked page at 0
    expect(s.can({ type: 'truncate_inode_pages_range', start: 0, end: 1, index: 1 })).toBe(true);
    expect(s.can({ type: 'dax_load_hole', index: 0, res: 'found' })).toBe(false);
    t.send({ type: 'unlock_page', index: 0 });
    expect(t.getSnapshot().can({ type: 'find_lock_page', index: 0, found: true })).toBe(true);
    t.send({ type: 'truncate_inode_pages_range', start: 0, end: 1, index: 0 });
    t.send({ type: 'truncate_inode_pages_range', start: 0, end: 1, index: 1 });
    expect(t.getSnapshot().context).toMatchObject({ nrpages: 0, nrexceptional: 0 });
  });
  it('a PTE request over a hole page only dirties it (S4-R3: the DAX entry is never inserted)', () => {
    const t = createActor(mappingTree, { input: { nPages: 2 } }).start();
    t.send({ type: 'dax_load_hole', index: 0, res: 'inserted' });
    t.send({ type: 'dax_radix_entry', index: 0, block: 0, pmd: false, dirty: true });
    expect(t.getSnapshot().context.slots[0]).toMatchObject({ t: 'HOLE', d: true });
    expect(t.getSnapshot().context.nrexceptional).toBe(0);
  });
  it('entry locks: a PMD grab over a hole page falls back; a PTE grab locks; put unlocks', () => {
    const t = createActor(mappingTree, { input: { nPages: 2, entryLock: true } }).start();
    t.send({ type: 'grab_mapping_entry', index: 1, n: 1, res: 'locked', hole: false });
    t.send({ type: 'dax_load_hole', index: 1, res: 'inserted' });
    expect(t.getSnapshot().can({ type: 'grab_mapping_entry', index: 0, n: 2, res: 'fallback', hole: false })).toBe(false); // waits: index 1 is locked
    t.send({ type: 'put_locked_mapping_entry', index: 1, n: 1 });
    expect(t.getSnapshot().can({ type: 'grab_mapping_entry', index: 0, n: 2, res: 'fallback', hole: false })).toBe(true);
    expect(t.getSnapshot().can({ type: 'grab_mapping_entry', index: 0, n: 2, res: 'locked', hole: false })).toBe(false);
  });
  it('page tables: unmap_mapping_range of one page zaps a whole PMD; insert_pfn leaves a present PTE alone', () => {
    const p = createActor(pageTables, { input: { procs: ['A', 'B'], nPages: 2, pmdPages: 2 } }).start();
    p.send({ type: 'vmf_insert_pfn_pmd', proc: 'A', index: 0, block: 4, write: true });
    p.send({ type: 'do_set_pte', proc: 'B', index: 1 });
    expect(p.getSnapshot().context.pt.A).toEqual([{ m: 'rw', b: 4, pmd: true }, { m: 'rw', b: 5, pmd: true }]);
    p.send({ type: 'vm_insert_mixed', proc: 'B', index: 1, block: 5, write: true });
    expect(p.getSnapshot().context.pt.B[1].m).toBe('zero');
    p.send({ type: 'unmap_mapping_range', start: 1, end: 1 });
    expect(p.getSnapshot().context.pt.A.map((e) => e.m)).toEqual(['none', 'none']);
    expect(p.getSnapshot().context.pt.B[1].m).toBe('none');
  });
  it('wp_pfn_shared: pte_same decides; without it wp_page_reuse writes the old pfn back', () => {
    const p = createActor(pageTables, { input: { procs: ['A'], nPages: 2, pmdPages: 2, initial: { A: [{ m: 'ro', b: 0, pmd: false }, { m: 'none', b: -1, pmd: false }] } } }).start();
    expect(p.getSnapshot().can({ type: 'wp_pfn_shared', proc: 'A', index: 0, block: 0, same: false })).toBe(false);
    p.send({ type: 'unmap_mapping_range', start: 0, end: 0 });
    expect(p.getSnapshot().can({ type: 'wp_pfn_shared', proc: 'A', index: 0, block: 0, same: true })).toBe(false);
    p.send({ type: 'wp_page_reuse', proc: 'A', index: 0, block: 0 });
    expect(p.getSnapshot().context.pt.A[0]).toEqual({ m: 'rw', b: 0, pmd: false });
  });
  it('inode: get_block answers hole / mapped / alloc (lowest free block); the rwsem excludes', () => {
    const i = createActor(daxInode2016, { input: { fmap: [null, 1], owners: ['FREE', 'f:1'] } }).start();
    const s = i.getSnapshot();
    expect(s.can({ type: 'get_block', off: 0, create: false, res: 'hole', blk: -1 })).toBe(true);
    expect(s.can({ type: 'get_block', off: 1, create: false, res: 'mapped', blk: 1 })).toBe(true);
    expect(s.can({ type: 'get_block', off: 0, create: true, res: 'alloc', blk: 1 })).toBe(false);
    i.send({ type: 'get_block', off: 0, create: true, res: 'alloc', blk: 0 });
    expect(i.getSnapshot().context.fmap).toEqual([0, 1]);
    i.send({ type: 'xfs_ilock', mode: 'SHARED' });
    expect(i.getSnapshot().can({ type: 'xfs_ilock', mode: 'EXCL' })).toBe(false);
    expect(i.getSnapshot().can({ type: 'xfs_ilock', mode: 'SHARED' })).toBe(true);
  });
  it('fault thread: a read of a hole takes the lock, loads the hole page, drops the lock, then maps it (VM_FAULT_LOCKED)', () => {
    const f = createActor(daxFault, {
      input: { proc: 'A', kind: 'fault', index: 0, write: false, pmd: false, pmdPages: 2, serialise: 'none', faultLock: true, pmdHoleFix: 'unmap+truncate', bdevDbg: 'unknown', holeBdev: false, pteSame: true },
    }).start();
    const seq = [
      { type: 'handle_mm_fault' },
      { type: 'xfs_ilock', mode: 'SHARED' },
      { type: 'find_lock_page', index: 0, found: false },
      { type: 'get_block', off: 0, create: false, res: 'hole', blk: -1 },
      { type: 'dax_load_hole', index: 0, res: 'inserted' },
      { type: 'xfs_iunlock', mode: 'SHARED' },
      { type: 'do_set_pte', proc: 'A', index: 0 },
      { type: 'unlock_page', index: 0 },
    ];
    for (const e of seq) {
      expect(f.getSnapshot().can(e), e.type).toBe(true);
      f.send(e);
    }
    expect(f.getSnapshot().value).toBe('done');
  });
  it('fault thread, JK-p2: a write that sees a hole bails and retries exclusive with an allocating get_block', () => {
    const f = createActor(daxFault, {
      input: { proc: 'B', kind: 'fault', index: 0, write: true, pmd: false, pmdPages: 2, serialise: 'shared-then-exclusive', faultLock: true, pmdHoleFix: 'unmap+truncate', bdevDbg: 'unknown', holeBdev: false, pteSame: true },
    }).start();
    for (const e of [
      { type: 'handle_mm_fault' }, { type: 'xfs_ilock', mode: 'SHARED' }, { type: 'find_lock_page', index: 0, found: false },
      { type: 'get_block', off: 0, create: false, res: 'hole', blk: -1 }, { type: 'xfs_iunlock', mode: 'SHARED' },
    ]) f.send(e);
    expect(f.getSnapshot().can({ type: 'xfs_ilock', mode: 'SHARED' })).toBe(false);
    f.send({ type: 'xfs_ilock', mode: 'EXCL' });
    f.send({ type: 'find_lock_page', index: 0, found: false });
    expect(f.getSnapshot().can({ type: 'get_block', off: 0, create: false, res: 'hole', blk: -1 })).toBe(false);
    f.send({ type: 'get_block', off: 0, create: true, res: 'alloc', blk: 0 });
    expect(f.getSnapshot().context.converting).toEqual([0]);
  });
});

describe('the fairness assumptions carry the liveness verdicts (two-sided)', () => {
  it('without fairness a fault may stall for ever; with weakly fair kernel steps every fault completes', async () => {
    const { checkSpec } = await import('../src/check.js');
    const { defineSpec } = await import('../src/spec/types.js');
    const r = await checkSpec(defineSpec({ ...punchSpec, fairness: [] }), { variant: 'v7+JK-p2' });
    expect(r.properties['INV-18-FAULTS-COMPLETE'].verdict).toBe('violated');
    expect(await verdict(punchSpec, 'v7+JK-p2', 'INV-18-FAULTS-COMPLETE')).toBe('holds');
  });
});
