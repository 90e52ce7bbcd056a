/**
 * Two-sided tests of the fsync and GUP specs (issue 4): every variant reproduces its declared
 * verdicts (liveness under the spec's fairness included), the key steps of every declared
 * violation appear in order in the shortest trace, witnesses are reached; each buggy variant is
 * paired with its fixed variant; state counts are checked against the reference enumerator
 * (test/oracle/enumerator.ts, an independent implementation of docs/semantics.md); plus unit tests
 * of the machines stepped with XState directly.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import daxFsyncSpec from '../specs/dax-fsync.js';
import gupPgmapSpec from '../specs/gup-pgmap.js';
import { mappingTree, RADIX_DAX_ENTRY } from '../machines/pgmap/mapping-tree.js';
import { daxFsync, pmdLookupIndex } from '../machines/pgmap/dax-fsync.js';
import { devPagemap } from '../machines/pgmap/dev-pagemap.js';
import { gupUser } from '../machines/pgmap/gup-user.js';
import { agreesWithOracle, run, twoSided, variantsReproduce, verdict, type Pair } from './spec-helpers.js';

describe('dax-fsync: every variant', () => variantsReproduce(daxFsyncSpec));
describe('gup-pgmap: every variant', () => variantsReproduce(gupPgmapSpec));

describe('buggy / fixed pairs', () => {
  const pairs: Pair[] = [
    [daxFsyncSpec, 'INV-11-FSYNC-DURABLE', 'INV-11-FSYNC-DURABLE', 'v7-r7', 'v7-r7:fsync=fixed'],
    [daxFsyncSpec, 'INV-11-FSYNC-DURABLE', 'INV-11-FSYNC-DURABLE', 'v7-r9', 'v7-r9:fsync=fixed'],
    [daxFsyncSpec, 'INV-17-RIGHT-BDEV', 'INV-17-RIGHT-BDEV', 'v7-r9', 'v7-r9:fsync=fixed'],
    [daxFsyncSpec, 'X-R1-NO-FLUSH-AFTER-REMOVE', 'X-R1-NO-FLUSH-AFTER-REMOVE', 'v7-x-r1:mapAtomic=none', 'v7-x-r1'],
    [gupPgmapSpec, 'INV-1-PIN-KEEPS-PGMAP', 'INV-1-PIN-KEEPS-PGMAP', '2015+revoke:getPageTakesPgmap=false', '2015+revoke'],
    [gupPgmapSpec, 'INV-9-GUP-ROLLBACK', 'INV-9-GUP-ROLLBACK', '2015+revoke:irqOff=false,rollback=false', '2015+revoke:irqOff=false'],
    [gupPgmapSpec, 'INV-2-NO-ACCESS-AFTER-TEARDOWN', 'INV-2-NO-ACCESS-AFTER-TEARDOWN', '2015', '2015+revoke'],
    [gupPgmapSpec, 'INV-2-NO-ACCESS-AFTER-TEARDOWN', 'INV-2-NO-ACCESS-AFTER-TEARDOWN', '2015+revoke:gupPgmap=false,irqOff=false', '2015+revoke:gupPgmap=false'],
    [gupPgmapSpec, 'INV-18-UNBIND-LIVENESS', 'INV-18-UNBIND-LIVENESS', '2015:pinPolicy=coarse', '2015'],
    [gupPgmapSpec, 'INV-9-GUP-ROLLBACK', 'INV-9-GUP-ROLLBACK', '2015+revoke-pmd:irqOff=false,rollback=false', '2015+revoke-pmd'],
    [daxFsyncSpec, 'INV-11-FSYNC-DURABLE', 'INV-11-FSYNC-DURABLE', 'later-two-fsync', 'later-two-fsync+F1'],
    // without the TOWRITE clear only the later loop (end bound, start_index advanced) terminates
    [gupPgmapSpec, 'S1-R4 subpage offset (mutant)', 'S1-R4-SUBPAGE-REF', '2015+revoke-pmd:pmdOffset=false', '2015+revoke-pmd'],
    [gupPgmapSpec, 'S0-R1 under the 2015 code', 'INV-8-GUP-NOPAGE-FAILS', '2015+revoke:memKind=none', '2015+revoke'],
    [daxFsyncSpec, 'fsync loop bound', 'INV-18-FSYNC-TERMINATES', 'v7:wbTagClear=none', 'later:wbTagClear=none'],
  ];
  twoSided(pairs);
  it('finding F1: no kernel-derived variant of two concurrent fsyncs keeps INV-11 (v7, later entry lock, TOWRITE cleared after the flush, flush under tree_lock); the proposed fix does', async () => {
    for (const v of ['v7-two-fsync', 'later-two-fsync', 'v7-two-fsync:towriteClear=after-flush', 'v7-two-fsync:directAccess=atomic']) expect(await verdict(daxFsyncSpec, v, 'INV-11-FSYNC-DURABLE')).toBe('violated');
    expect(await verdict(daxFsyncSpec, 'later-two-fsync+F1', 'INV-11-FSYNC-DURABLE')).toBe('holds');
    expect(await verdict(daxFsyncSpec, 'later-two-fsync+F1', 'INV-18-FSYNC-TERMINATES')).toBe('holds');
    expect(await verdict(daxFsyncSpec, 'v7', 'INV-11-FSYNC-DURABLE')).toBe('holds');
  });
  it('X-R1: with the queue reference an fsync racing unbind can fail with -EIO', async () => {
    expect(await verdict(daxFsyncSpec, 'v7-x-r1', 'X-R1-FSYNC-EIO')).toBe('reached');
    expect(await verdict(daxFsyncSpec, 'v7-x-r1:mapAtomic=none', 'X-R1-FSYNC-EIO')).toBe('unreached');
  });
});

describe('state counts agree with the reference enumerator', () => {
  const cases: [typeof daxFsyncSpec, string][] = [
    [gupPgmapSpec, '2015+revoke'],
    [gupPgmapSpec, '2015'],
    [gupPgmapSpec, '2015+revoke-pmd'],
    [gupPgmapSpec, '2015+revoke-pmd:irqOff=false,rollback=false'],
    [daxFsyncSpec, 'v7:directAccess=atomic'],
    [gupPgmapSpec, '2015+revoke-speculative'],
    [gupPgmapSpec, '2015:pinPolicy=coarse'],
    [daxFsyncSpec, 'v7-r9'],
  ];
  agreesWithOracle(cases);
});

describe('machines, stepped with XState directly', () => {
  it('v7 dax_radix_entry: a PMD request over a hole page deletes it as if it were exceptional', () => {
    const a = createActor(mappingTree, { input: { nPages: 2 } }).start();
    a.send({ type: 'dax_load_hole', index: 0, res: 'inserted' });
    expect(a.getSnapshot().context.nrpages).toBe(1);
    a.send({ type: 'unlock_page', index: 0 });
    a.send({ type: 'dax_radix_entry', index: 0, block: 0, pmd: true, dirty: true });
    const c = a.getSnapshot().context;
    expect(c.slots[0]).toMatchObject({ t: 'PMD', b: 0, d: true });
    // radix_tree_delete + nrexceptional-- for the page, then nrexceptional++ for the PMD: the counters drift
    expect([c.nrpages, c.nrexceptional]).toEqual([1, 0]);
  });
  it('dax_pfn_mkwrite with NO_SECTOR inserts nothing and only dirties an existing entry', () => {
    const a = createActor(mappingTree, { input: { nPages: 2 } }).start();
    a.send({ type: 'dax_radix_entry', index: 1, block: -1, pmd: false, dirty: true });
    expect(a.getSnapshot().context.slots[1].t).toBe('EMPTY');
    a.send({ type: 'dax_radix_entry', index: 1, block: 1, pmd: false, dirty: false });
    a.send({ type: 'dax_radix_entry', index: 1, block: -1, pmd: false, dirty: true });
    expect(a.getSnapshot().context.slots[1]).toMatchObject({ t: 'PTE', b: 1, d: true });
  });
  it('dax_writeback_one only hits an entry that is unchanged and tagged TOWRITE, and clears TOWRITE only', () => {
    const a = createActor(mappingTree, { input: { nPages: 2 } }).start();
    a.send({ type: 'dax_radix_entry', index: 0, block: 0, pmd: false, dirty: true });
    a.send({ type: 'tag_pages_for_writeback', start: 0, end: 1 });
    const e = RADIX_DAX_ENTRY(0, false);
    expect(a.getSnapshot().can({ type: 'dax_writeback_one', index: 0, entry: e, hit: false })).toBe(false);
    a.send({ type: 'dax_writeback_one', index: 0, entry: e, hit: true });
    expect(a.getSnapshot().context.slots[0]).toMatchObject({ d: true, w: false });
  });
  it('the v7 writeback loop has no end bound and rescans from start_page; the later one stops past end_index and advances', () => {
    const loop = (impl: 'v7' | 'fixed') => {
      const a = createActor(daxFsync, { input: { id: 'f', impl, pmdPages: 2, nPages: 2, sbDev: 'pmem0', dataDev: 'pmem0' } }).start();
      a.send({ type: 'vfs_fsync_range', thread: 'f', start: 0, end: 0 });
      a.send({ type: 'radix_tree_lookup', index: 0, pmdFound: false });
      a.send({ type: 'tag_pages_for_writeback', start: 0, end: 0 });
      return a;
    };
    const e1 = RADIX_DAX_ENTRY(1, false);
    // an entry at index 1, tagged TOWRITE by another fsync, lies past this fsync's range [0, 0]
    const v7 = loop('v7');
    v7.send({ type: 'find_get_entries_tag', start: 0, index: 1, entry: e1 });
    expect(v7.getSnapshot().value).toBe('dax_writeback_one');
    const later = loop('fixed');
    later.send({ type: 'find_get_entries_tag', start: 0, index: 1, entry: e1 });
    expect(later.getSnapshot().value).toBe('wmb_pmem');
    // the later loop looks again from just past the entry it found, v7 from start_page
    const e0 = RADIX_DAX_ENTRY(0, false);
    const again = (impl: 'v7' | 'fixed') => {
      const a = loop(impl);
      a.send({ type: 'find_get_entries_tag', start: 0, index: 0, entry: e0 });
      a.send({ type: 'dax_writeback_one', index: 0, entry: e0, hit: false });
      return a.getSnapshot().context.next;
    };
    expect([again('v7'), again('fixed')]).toEqual([0, 1]);
  });
  it('the v7 PMD lookup index is a byte offset: right for the first PMD only', () => {
    expect(pmdLookupIndex('v7', 1, 2)).toBe(0);
    expect(pmdLookupIndex('v7', 3, 2)).toBe(8192);
    expect(pmdLookupIndex('fixed', 3, 2)).toBe(2);
  });
  it('S1-R4: a GUP walk over a huge devmap PMD reads it once, then takes get_dev_pagemap + get_page per subpage', () => {
    const walk = (pmd: boolean) => {
      const a = createActor(gupUser, { input: { nPages: 2, gupPgmap: true, rollback: true, irqOff: true, coarse: false, memKind: 'devmap', pmd } }).start();
      a.send({ type: 'get_user_pages_fast' });
      a.send({ type: 'gup_pte_range', pfn: 0, present: true });
      a.send({ type: 'get_dev_pagemap', ok: true });
      a.send({ type: 'get_page', pfn: 0 });
      a.send({ type: 'put_dev_pagemap' });
      return a.getSnapshot();
    };
    expect(walk(true).value).toBe('get_dev_pagemap');
    expect(walk(true).context.i).toBe(1);
    expect(walk(false).value).toBe('gup_pte_range');
  });
  it('S1-R4: the subpage witness is reached only with the huge mapping', async () => {
    expect(await verdict(gupPgmapSpec, '2015+revoke-pmd', 'witness:S1-R4-SUBPAGE-REF')).toBe('reached');
    expect(await verdict(gupPgmapSpec, '2015+revoke', 'witness:S1-R4-SUBPAGE-REF')).toBe('unreached');
  });
  it('->direct_access atomic: dax_writeback_one keeps tree_lock until wb_cache_pmem; sleeping: the tree is free during the flush', () => {
    const tree = (flushUnderLock: boolean) => {
      const a = createActor(mappingTree, { input: { nPages: 2, flushUnderLock } }).start();
      a.send({ type: 'dax_radix_entry', index: 0, block: 0, pmd: false, dirty: true });
      a.send({ type: 'tag_pages_for_writeback', start: 0, end: 1 });
      a.send({ type: 'dax_writeback_one', index: 0, entry: RADIX_DAX_ENTRY(0, false), hit: true });
      return a;
    };
    const fault = { type: 'dax_radix_entry', index: 1, block: 1, pmd: false, dirty: true } as const;
    const wb = { type: 'wb_cache_pmem', thread: 'fsync1', dev: 'pmem0', block: 0, n: 1 } as const;
    const atomic = tree(true);
    expect(atomic.getSnapshot().value).toBe('tree_lock_held');
    expect(atomic.getSnapshot().can(fault)).toBe(false);
    atomic.send(wb);
    expect(atomic.getSnapshot().can(fault)).toBe(true);
    const sleeps = tree(false);
    expect(sleeps.getSnapshot().value).toBe('tree_lock_free');
    expect(sleeps.getSnapshot().can(fault)).toBe(true);
  });
  it('F1 proposed fix: dax_wait_inflight waits while an entry of the range is locked', () => {
    const a = createActor(mappingTree, { input: { nPages: 2, entryLock: true } }).start();
    a.send({ type: 'dax_radix_entry', index: 0, block: 0, pmd: false, dirty: true });
    a.send({ type: 'tag_pages_for_writeback', start: 0, end: 0 });
    a.send({ type: 'dax_writeback_one', index: 0, entry: RADIX_DAX_ENTRY(0, false), hit: true });
    expect(a.getSnapshot().can({ type: 'dax_wait_inflight', start: 0, end: 0 })).toBe(false);
    expect(a.getSnapshot().can({ type: 'dax_wait_inflight', start: 1, end: 1 })).toBe(true);
    a.send({ type: 'dax_unlock_entry', index: 0 });
    expect(a.getSnapshot().can({ type: 'dax_wait_inflight', start: 0, end: 0 })).toBe(true);
  });
  it('dev_pagemap: tryget-live fails once dying; the last put makes it dead; a put on a dead ref underflows', () => {
    const a = createActor(devPagemap, { input: { refMode: 'per-ref' } }).start();
    a.send({ type: 'get_dev_pagemap', ok: true });
    a.send({ type: 'percpu_ref_kill' });
    expect(a.getSnapshot().value).toBe('dying');
    expect(a.getSnapshot().can({ type: 'get_dev_pagemap', ok: true })).toBe(false);
    expect(a.getSnapshot().can({ type: 'percpu_ref_is_dying', dying: true })).toBe(true);
    a.send({ type: 'put_dev_pagemap' });
    expect(a.getSnapshot().value).toBe('dead');
    a.send({ type: 'put_dev_pagemap' });
    expect(a.getSnapshot().hasTag('violation:INV-4-NONNEG')).toBe(true);
  });
});

describe('the fairness assumptions carry the liveness verdicts (two-sided)', () => {
  it('without fairness an fsync may stall for ever; with weakly fair fsync steps it returns', async () => {
    const { checkSpec } = await import('../src/check.js');
    const { defineSpec } = await import('../src/spec/types.js');
    const r = await checkSpec(defineSpec({ ...daxFsyncSpec, fairness: [] }), { variant: 'v7-r9:fsync=fixed' });
    expect(r.properties['INV-18-FSYNC-TERMINATES'].verdict).toBe('violated');
    expect(await verdict(daxFsyncSpec, 'v7-r9:fsync=fixed', 'INV-18-FSYNC-TERMINATES')).toBe('holds');
  });
});

describe('S4-R4: the later dax_radix_entry (PMD lookup first)', () => {
  it('a PTE request under a PMD entry dirties the PMD and inserts nothing; v7 inserts an overlapping PTE entry', () => {
    const later = createActor(mappingTree, { input: { nPages: 2, pmdFirst: true, pmdPages: 2 } }).start();
    later.send({ type: 'dax_radix_entry', index: 0, block: 0, pmd: true, dirty: false });
    later.send({ type: 'dax_radix_entry', index: 1, block: 1, pmd: false, dirty: true });
    expect(later.getSnapshot().context.slots.map((x) => [x.t, x.d])).toEqual([['PMD', true], ['EMPTY', false]]);
    const v7 = createActor(mappingTree, { input: { nPages: 2 } }).start();
    v7.send({ type: 'dax_radix_entry', index: 0, block: 0, pmd: true, dirty: false });
    v7.send({ type: 'dax_radix_entry', index: 1, block: 1, pmd: false, dirty: true });
    expect(v7.getSnapshot().context.slots.map((x) => x.t)).toEqual(['PMD', 'PTE']);
  });
});
