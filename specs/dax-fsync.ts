/**
 * DAX fsync/msync, seed 004 (Ross Zwisler, "[PATCH v7 0/9] DAX fsync/msync support", Jan 2016).
 *
 * A process faults a fully allocated DAX file (PTE and, with `mapping: 'pte+pmd'`, PMD
 * mappings), makes one watched store, and one or two threads call fsync/msync on a range.
 * Preset `v7` is the posted code, its bugs included; preset `later` the later kernel as the digest
 * describes it. Variants named `<preset>-<scenario>:<knob>=<value>` change one knob of their preset;
 * `+F1` names the proposed fix of finding F1; mutants (`mutant`) make one-line changes.
 * Block = sector = pfn: the models say "block" throughout.
 */
import { defineSpec, type ActorDecl, type GlobalView, type KnobValues, type LockDecl, type PropertyDecl, type SystemDecl } from '../src/spec/types.js';
import { mappingTree, type MappingTreeContext, type Slot } from '../machines/pgmap/mapping-tree.js';
import { pmemMedia, type PmemMediaContext } from '../machines/pgmap/pmem-media.js';
import { daxFsync, pmdLookupIndex, type DaxFsyncContext } from '../machines/pgmap/dax-fsync.js';
import { daxMmapUser, type DaxMmapUserContext } from '../machines/pgmap/dax-mmap-user.js';
import { pmemDriver } from '../machines/pgmap/pmem-driver.js';
import { devPagemap } from '../machines/pgmap/dev-pagemap.js';
import { zoneDevicePages, type ZoneDevicePagesContext } from '../machines/pgmap/zone-device-pages.js';

const PMD_PAGES = 2;
const D = 'docs/models/pgmap-gup-fsync.md';

function fsyncIds(k: KnobValues): string[] {
  return Number(k.fsyncThreads) === 2 ? ['fsync1', 'fsync2'] : ['fsync1'];
}
function userIds(k: KnobValues): string[] {
  return Number(k.users) === 2 ? ['user1', 'user2'] : ['user1'];
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function system(k: KnobValues): SystemDecl {
  const nPages = Number(k.nPages);
  const impl = k.fsync as 'v7' | 'fixed';
  const dataDev = k.xfsRealtime ? 'rtdev' : 'pmem0';
  const blockOf = range(nPages); // the file is allocated: index i -> block i
  const fs = fsyncIds(k);
  const us = userIds(k);
  const unbind = k.unbind === true;
  const actors: Record<string, ActorDecl> = {
    // an atomic ->direct_access lets dax_writeback_one flush under tree_lock; blk_queue_enter (unbind
    // configurations) may sleep, so there the lock is dropped whatever ->direct_access does
    tree: { machine: mappingTree, input: { nPages, entryLock: k.entryLock === true, towriteClear: k.towriteClear, pmdFirst: k.radixEntry === 'pmd-first', pmdPages: PMD_PAGES, flushUnderLock: k.directAccess === 'atomic' && !unbind, wbTagClear: k.wbTagClear, countInsert: k.countInsert === true } },
    media: { machine: pmemMedia, input: { platformFlush: k.platformFlush, fsyncThreads: fs } },
  };
  us.forEach((id, i) => {
    actors[id] = {
      machine: daxMmapUser,
      thread: true,
      input: {
        id, nPages, pmdPages: PMD_PAGES, blockOf, dataDev,
        faults: i === 0 ? Number(k.faults) : 1,
        // the second process maps the file with PTEs only (an unaligned VMA falls back), S4-R4
        pmd: k.mapping === 'pte+pmd' && i === 0,
        stores: i === 0,
      },
    };
  });
  for (const id of fs) {
    actors[id] = {
      machine: daxFsync,
      thread: true,
      input: {
        id, impl, pmdPages: PMD_PAGES, nPages, sbDev: 'pmem0', dataDev,
        entryLock: k.entryLock === true, towriteClear: k.towriteClear,
        queue: unbind && k.mapAtomic === 'queue-ref',
        inflightWait: k.f1Fix === 'fence-unlock-wait',
      },
    };
  }
  if (unbind) {
    // X-R1: the pmem driver unbinds; pgmap->ref is the queue's q_usage_counter (PG §2.1 [bg, checked])
    actors.driver = { machine: pmemDriver, thread: true, input: { revoke: false } };
    actors.pgmap = { machine: devPagemap, input: { refMode: 'none' } };
    actors.pages = { machine: zoneDevicePages, input: { nPages, idleRef: 1 } };
  }
  const lookups = [...new Set(range(nPages).map((s) => pmdLookupIndex(impl, s, PMD_PAGES)))];
  const entries = [0, 1, ...range(nPages).flatMap((b) => [(b << 4) | 0x6, (b << 4) | 0xa])];
  const withTree = (ids: string[]) => ids.map((id) => [id, 'tree']);
  return {
    actors,
    events: {
      handle_mm_fault: { local: us, params: { user: us, index: range(nPages), write: [false, true], pmd: [false, true] } },
      do_wp_page: { local: us, params: { user: us, index: range(nPages) } },
      dax_radix_entry: {
        sync: withTree(us),
        params: { index: range(nPages), block: [-1, ...range(nPages)], pmd: [false, true], dirty: [false, true] },
      },
      vm_insert_mixed: { local: us, params: { user: us } },
      vmf_insert_pfn_pmd: { local: us, params: { user: us } },
      wp_pfn_shared: { local: us, params: { user: us } },
      store_watched: {
        sync: us.map((u) => [u, 'media']),
        params: { index: range(nPages), block: range(nPages), dev: [dataDev] },
      },
      vfs_fsync_range: { sync: fs.map((f) => [f, 'media']), params: { thread: fs, start: range(nPages), end: range(nPages) } },
      radix_tree_lookup: { sync: withTree(fs), params: { index: lookups, pmdFound: [false, true] } },
      tag_pages_for_writeback: { sync: withTree(fs), params: { start: range(nPages), end: range(nPages) } },
      find_get_entries_tag: { sync: withTree(fs), params: { start: range(nPages + 1), index: [-1, ...range(nPages)], entry: entries } },
      dax_writeback_one: { sync: withTree(fs), params: { index: range(nPages), entry: entries, hit: [false, true] } },
      // the tree takes part: it releases tree_lock here when dax_writeback_one kept it (atomic ->direct_access)
      wb_cache_pmem: {
        sync: fs.map((f) => [f, 'media', 'tree']),
        params: { thread: fs, dev: ['pmem0', 'rtdev'], block: range(nPages), n: [1, PMD_PAGES] },
      },
      dax_unlock_entry: { sync: withTree(fs), params: { index: range(nPages) } },
      radix_tree_tag_clear: { sync: withTree(fs), params: { index: range(nPages), entry: entries } },
      wmb_pmem: { sync: fs.map((f) => [f, 'media']), params: { thread: fs } },
      dax_wait_inflight: { sync: withTree(fs), params: { start: range(nPages), end: range(nPages) } },
      fsync_return: { local: fs, params: { thread: fs, ret: [0, -5] } },
      // Kernel functions of the tree that no actor of this spec calls (holes, truncate): never delivered.
      dax_load_hole: { wired: ['tree'] },
      find_lock_page: { wired: ['tree'] },
      delete_from_page_cache: { wired: ['tree'] },
      truncate_inode_pages_range: { wired: ['tree'] },
      unlock_page: { wired: ['tree'] },
      grab_mapping_entry: { wired: ['tree'] },
      put_locked_mapping_entry: { wired: ['tree'] },
      ...(unbind
        ? {
            blk_queue_enter: { sync: fs.map((f) => [f, 'pgmap']), params: { thread: fs, ok: [true, false] } },
            blk_queue_exit: { sync: fs.map((f) => [f, 'pgmap']), params: { thread: fs } },
            device_release_driver: { local: ['driver'] },
            percpu_ref_kill: { sync: [['driver', 'pgmap']] },
            wait_for_completion: { sync: [['driver', 'pgmap']] },
            arch_remove_memory: { sync: [['driver', 'pages']] },
            ...Object.fromEntries(['unmap_mapping_range', 'kill_dax', 'synchronize_srcu'].map((e) => [e, { wired: ['driver'] }])),
            ...Object.fromEntries(['get_dev_pagemap', 'put_dev_pagemap', 'percpu_ref_tryget', 'percpu_ref_put', 'percpu_ref_is_dying', 'vma_get', 'vma_put'].map((e) => [e, { wired: ['pgmap'] }])),
            get_page: { wired: ['pgmap', 'pages'] },
            put_page: { wired: ['pgmap', 'pages'] },
            ...Object.fromEntries(['page_cache_get_speculative', 'folio_ref_inc', 'folio_ref_count', 'folio_ref_dec', 'dax_page_idle', 'access_memory'].map((e) => [e, { wired: ['pages'] }])),
          }
        : { blk_queue_enter: { wired: fs }, blk_queue_exit: { wired: fs } }),
    },
  };
}

// ---- helpers for properties -------------------------------------------------------------
const tree = (s: GlobalView) => s.context<MappingTreeContext>('tree');

// ---- locks (docs/semantics.md §9; machines/pgmap/atomicity.ts) -------------------------------------
/**
 * A lock the code takes and drops inside one model step (never held across steps here): the step
 * is one step by reduction, whoever takes it. `heldBy` is true for every instance: the lint then
 * checks that every step declaring it is such a section.
 */
export function sectionLock(doc: string, cite: string): LockDecl {
  return { doc: doc + ' Taken and dropped inside one step, never held across steps.', cite, heldBy: () => true };
}
const treeState = (s: GlobalView) => {
  const t = s.context<MappingTreeContext>('tree');
  return JSON.stringify([t.slots, t.nrexceptional, t.nrpages]);
};
/**
 * mapping->tree_lock: each tree step is a spin_lock_irq section of the cited function; only
 * dax_writeback_one over an atomic ->direct_access keeps it across steps (tree state
 * tree_lock_held) until its wb_cache_pmem. Free: the caller takes it for its step; kept: only the
 * fsync thread between dax_writeback_one and wb_cache_pmem holds it.
 */
export const TREE_LOCK: LockDecl = {
  doc: 'mapping->tree_lock, with the page_tree and its counters it protects',
  cite: 'seed 004 RZ4 dax_radix_entry, RZ6 dax_writeback_one (spin_lock_irq(&mapping->tree_lock)); PG §5.4 ->direct_access',
  heldBy: (s, a) =>
    s.matches('tree', 'tree_lock_free') || (s.matches('tree', 'tree_lock_held') && (s.matches(a, 'dax_map_atomic') || s.matches(a, 'wb_cache_pmem'))),
  protects: (p, n) => treeState(p) !== treeState(n),
};
/** The PTE lock of each page table (pte_offset_map_lock inside insert_pfn, wp_pfn_shared, do_set_pte). */
export const PTL = sectionLock('The page-table lock (pte_offset_map_lock / pmd_lock) of the faulting process.', '[bg] mm/memory.c insert_pfn, wp_pfn_shared, do_set_pte; seed 004 RZ6');

/** INV-16, shared with the fault specs that use the same mapping tree. */
export const INV16: PropertyDecl = {
  name: 'INV-16-TREE-HYGIENE',
  kind: 'invariant',
  keySteps: ['dax_radix_entry'],
  doc: 'nrexceptional counts the DAX entries and nrpages the hole pages; nothing is inserted with NO_SECTOR.',
  cite: 'PG-INV-16 (seed 004 RZ4)',
  check: (s) => {
    const t = tree(s);
    return (
      t.nrexceptional === t.slots.filter((x) => x.t === 'PTE' || x.t === 'PMD').length &&
      t.nrpages === t.slots.filter((x) => x.t === 'HOLE').length &&
      t.slots.every((x) => x.t === 'EMPTY' || x.t === 'HOLE' || x.b >= 0)
    );
  },
  witness: (s) => tree(s).nrexceptional >= 1,
};
const media = (s: GlobalView) => s.context<PmemMediaContext>('media');
/** Whether index i is covered by a DIRTY entry (its own PTE entry or the PMD entry of its region). */
export function dirtyCovered(slots: readonly Slot[], i: number): boolean {
  const own = slots[i];
  const head = slots[i - (i % PMD_PAGES)];
  return (own.t === 'PTE' && own.d) || (head.t === 'PMD' && head.d);
}
const users = (s: GlobalView) => s.actors.filter((a) => a.startsWith('user'));
const fsyncs = (s: GlobalView) => s.actors.filter((a) => a.startsWith('fsync'));


const live = { verdict: 'holds' as const, cite: 'PG-INV-18 "fsync terminates" (under weak fairness of the fsync kernel steps)' };
/** A mutant's violation cuts the exploration short: witnesses beyond it are not reached. */
const cut = (...props: string[]) => Object.fromEntries(props.map((p) => [`witness:${p}`, { verdict: 'unreached' as const, cite: 'not reached under the mutant: its violation comes first (violating states are not expanded, docs/semantics.md §7) or fsync never returns' }]));
/** The mutant that kills INV-18 in the v7 loop (and that the later loop survives). */
const NO_TOWRITE_CLEAR = { fn: 'dax_writeback_one', change: 'radix_tree_tag_clear(page_tree, index, PAGECACHE_TAG_TOWRITE); -> (removed)', cite: 'seed 004 RZ6 dax_writeback_one' };
const noUnbind = { verdict: 'unreached' as const, cite: 'no unbind in this variant' };

export default defineSpec({
  name: 'dax-fsync',
  title: 'DAX fsync/msync (seed 004, v7 and later): dirty tracking, write-back, durability',
  doc:
    'Actors: mapping tree, pmem media, one or two processes faulting a DAX file, one or two fsync callers. ' +
    'The file is fully allocated (holes and faults that allocate are in spec dax-fault-holes).',
  knobs: {
    fsync: { values: ['v7', 'fixed'], default: 'v7', doc: 'dax_writeback_mapping_range: v7 (PMD lookup at start & PMD_MASK in bytes, i_sb->s_bdev) or the later fixed code (DAX_PMD_INDEX, bdev passed in)', cite: 'PG §1.2 S4-R7, S4-R9; §5.4 fsync implementation' },
    nPages: { values: [2, 4], default: 2, doc: 'file size in pages; a PMD covers 2 pages, so 4 pages = two PMD ranges (S4-R7 needs a PMD other than the first)', cite: 'PG §1.2 S4-R7' },
    mapping: { values: ['pte', 'pte+pmd'], default: 'pte+pmd', doc: '__dax_pmd_fault allowed (aligned VMA) or PTE only', cite: 'PG §5.4 mapping size' },
    platformFlush: { values: ['pmem-api', 'none'], default: 'pmem-api', doc: 'wb_cache_pmem: CLWB (arch_has_pmem_api) or a no-op', cite: 'PG §1.1 cache and media; §5.4 platform flush' },
    xfsRealtime: { values: [false, true], default: false, doc: "the file's data device differs from i_sb->s_bdev (XFS realtime, xfs_find_bdev_for_inode)", cite: 'PG §1.2 S4-R1 DC-p1, S4-R9' },
    fsyncThreads: { values: [1, 2], default: 1, doc: 'concurrent fsync callers on the same file', cite: 'seed 004 RZ6 dax_writeback_one "another fsync thread may have already written back this entry"' },
    entryLock: { values: [false, true], default: false, doc: 'dax_writeback_one holds the entry lock across the flush (later kernels)', cite: 'PG §1.1 "v7 has no locked-entry state. Per-entry locking came later [bg]"' },
    towriteClear: { values: ['before-flush', 'after-flush'], default: 'before-flush', doc: 'dax_writeback_one clears TOWRITE before the flush (v7, later) or after it (proposed fix of finding F1)', cite: D + ' finding F1' },
    radixEntry: { values: ['v7', 'pmd-first'], default: 'v7', doc: 'dax_radix_entry for a PTE request: look up the index only (v7) or first DAX_PMD_INDEX(index) and dirty a covering PMD entry (later kernels)', cite: 'PG §1.2 S4-R4 [bg, checked] "Later dax_radix_entry looks up DAX_PMD_INDEX(index) first and dirties the covering PMD"' },
    users: { values: [1, 2], default: 1, doc: 'processes mapping the file (the second one PTE-only)', cite: 'PG §1.2 S4-R4' },
    faults: { values: [1, 2, 3], default: 2, doc: 'faults the first process may take (bound of the small configuration)' },
    unbind: { values: [false, true], default: false, doc: 'the pmem driver unbinds while fsync runs (kill the queue ref, wait, arch_remove_memory)', cite: 'PG §5.3 X-R1' },
    directAccess: { values: ['sleeps', 'atomic'], default: 'sleeps', doc: '->direct_access may sleep (brd; the v7 dax_writeback_one drops tree_lock before dax_map_atomic) or is atomic and linear (pmem), so dax_writeback_one can keep tree_lock across dax_map_atomic and wb_cache_pmem', cite: 'PG §5.4 ->direct_access: "Sleeping forces the lock drop in dax_writeback_one"; seed 000 DW "brd is the only implementation that sleeps"; seed 004 RZ6 "dax_map_atomic may cond_resched"' },
    f1Fix: { values: ['none', 'fence-unlock-wait'], default: 'none', doc: 'finding F1, proposed fix (not a kernel fact; with entryLock): dax_writeback_one runs wmb_pmem before put_locked_mapping_entry, and dax_writeback_mapping_range waits for locked entries of its range before its wmb_pmem', cite: D + ' finding F1' },
    wbTagClear: { values: ['TOWRITE', 'DIRTY', 'none'], default: 'TOWRITE', doc: 'mutant knob: the tag dax_writeback_one clears under tree_lock (radix_tree_tag_clear(page_tree, index, PAGECACHE_TAG_TOWRITE) as posted; DIRTY instead; or the line removed)', cite: 'seed 004 RZ6 dax_writeback_one' },
    countInsert: { values: [true, false], default: true, doc: 'mutant knob: dax_radix_entry counts its insert (mapping->nrexceptional++ as posted) or not', cite: 'seed 004 RZ4 dax_radix_entry' },
    mapAtomic: { values: ['queue-ref', 'none'], default: 'queue-ref', doc: 'dax_map_atomic takes a queue reference with blk_queue_enter (-EIO once the queue is dying) or maps without one', cite: 'PG §2.1 [bg, checked] "dax_map_atomic takes blk_queue_enter, which gives -EIO once the queue is dying"; PG-X-R1' },
  },
  system,
  locks: { tree_lock: TREE_LOCK, ptl: PTL },
  properties: [
    {
      name: 'INV-11-FSYNC-DURABLE',
      kind: 'action',
      keySteps: ['store_watched', 'vfs_fsync_range', 'fsync_return'],
      on: ['fsync_return'],
      doc: 'When fsync returns 0, the watched store (made to an index in its range before fsync began) has been written back and fenced: it is on media.',
      cite: 'PG-INV-11; seed 004 RZ6 "ensure file data is on persistent storage prior to completion"',
      check: (_p, step, next) => {
        const ev = step.event as { ret?: number; thread?: string };
        if (ev.ret !== 0) return true;
        const t = String(ev.thread);
        const f = next.context<DaxFsyncContext>(t);
        const w = media(next).watch;
        if (!w || !w.before[t]) return true;
        return !(w.index >= f.reqStart && w.index <= f.end) || w.phase === 'media';
      },
      witness: (s) => {
        const w = media(s).watch;
        return !!w && w.phase === 'media' && fsyncs(s).some((t) => w.before[t] && s.matches(t, 'returned') && s.context<DaxFsyncContext>(t).ret === 0);
      },
    },
    {
      name: 'INV-12-WRITABLE-TRACKED',
      kind: 'invariant',
      keySteps: ['dax_radix_entry', 'dax_writeback_one'],
      doc: 'A writable DAX PTE/PMD at index i implies an entry covering i tagged DIRTY.',
      cite: 'PG-INV-12 (seed 004 code)',
      check: (s) => users(s).every((u) => s.context<DaxMmapUserContext>(u).pte.every((p, i) => p.m !== 'rw' || dirtyCovered(tree(s).slots, i))),
      witness: (s) => users(s).some((u) => s.context<DaxMmapUserContext>(u).pte.some((p) => p.m === 'rw')),
    },
    {
      name: 'INV-13-NO-SILENT-DROP',
      kind: 'action',
      keySteps: ['dax_radix_entry', 'dax_writeback_one'],
      doc: 'An index covered by a DIRTY entry stays covered unless a truncate/punch of that index removes it.',
      cite: 'PG-INV-13 [derived]',
      check: (prev, step, next) => {
        const a = tree(prev).slots;
        const b = tree(next).slots;
        return a.every((_, i) => {
          if (!dirtyCovered(a, i) || dirtyCovered(b, i)) return true;
          const ev = step.event as { type: string; start?: number; end?: number };
          return ev.type === 'truncate_inode_pages_range' && i >= Number(ev.start) && i <= Number(ev.end);
        });
      },
      witness: (s) => tree(s).slots.some((x) => x.d) && fsyncs(s).some((t) => s.matches(t, 'returned')),
    },
    INV16,
    {
      name: 'INV-17-RIGHT-BDEV',
      kind: 'action',
      keySteps: ['dax_writeback_one', 'wb_cache_pmem'],
      on: ['wb_cache_pmem'],
      doc: "Every DAX write-back goes to the inode's data device.",
      cite: 'PG-INV-17; seed 004 DC-p1',
      check: (prev, step) => (step.event as { dev?: string }).dev === prev.context<DaxMmapUserContext>('user1').dataDev,
      // a write-back is about to be issued
      witness: (s) => fsyncs(s).some((t) => s.matches(t, 'wb_cache_pmem')),
    },
    {
      name: 'S4-R4-PMD-PTE-OVERLAP',
      kind: 'goal',
      doc: 'A PMD entry at k and a PTE entry at k+1 coexist (correct but inefficient: the block is flushed twice).',
      cite: 'PG §1.2 S4-R4 (RZ-p2a, JK-p2b)',
      reach: (s) => {
        const sl = tree(s).slots;
        return sl.some((x, i) => x.t === 'PMD' && sl[i + 1]?.t === 'PTE');
      },
    },
    {
      name: 'X-R1-NO-FLUSH-AFTER-REMOVE',
      kind: 'action',
      keySteps: ['percpu_ref_kill', 'arch_remove_memory', 'wb_cache_pmem'],
      on: ['wb_cache_pmem'],
      doc: 'No wb_cache_pmem touches the pmem after arch_remove_memory (fsync during unbind fails with -EIO instead).',
      cite: 'PG §5.3 X-R1; PG-INV-2 ("no wb_cache_pmem touches a pfn with memValid=false")',
      check: (prev) => !prev.actors.includes('pages') || prev.context<ZoneDevicePagesContext>('pages').memValid,
      witness: (s) => fsyncs(s).some((t) => s.matches(t, 'wb_cache_pmem')),
    },
    {
      name: 'X-R1-FSYNC-EIO',
      kind: 'goal',
      doc: 'An fsync racing unbind returns -EIO.',
      cite: 'PG §5.3 X-R1 "blk_queue_enter fails, so fsync returns -EIO"',
      reach: (s) => fsyncs(s).some((t) => s.matches(t, 'returned') && s.context<DaxFsyncContext>(t).ret === -5),
    },
    {
      name: 'INV-18-FSYNC-TERMINATES',
      kind: 'liveness',
      keySteps: ['vfs_fsync_range', 'find_get_entries_tag', 'dax_writeback_one', 'find_get_entries_tag'],
      form: 'leadsTo',
      doc: 'Every fsync that began returns.',
      cite: 'PG-INV-18 ("fsync terminates: each iteration clears a TOWRITE tag, or the tag set has changed")',
      p: (s) => fsyncs(s).some((t) => !s.matches(t, 'idle') && !s.matches(t, 'returned')),
      q: (s) => fsyncs(s).every((t) => s.matches(t, 'idle') || s.matches(t, 'returned')),
    },
  ],
  fairness: [
    {
      kind: 'weak',
      events: [
        'radix_tree_lookup', 'tag_pages_for_writeback', 'find_get_entries_tag', 'dax_writeback_one', 'blk_queue_enter', 'wb_cache_pmem',
        'blk_queue_exit', 'dax_unlock_entry', 'radix_tree_tag_clear', 'wmb_pmem', 'dax_wait_inflight', 'fsync_return',
        'percpu_ref_kill', 'wait_for_completion', 'arch_remove_memory',
      ],
      doc: 'Once fsync/msync is called, its kernel steps are weakly fair (per caller); once unbind began, the driver\'s are. Calling fsync, faulting, storing and starting unbind are user choices (not fair).',
    },
  ],
  presets: {
    v7: {
      doc: '[PATCH v7 0/9] DAX fsync/msync support as posted: dax_writeback_mapping_range looks the PMD up at start & PMD_MASK (a byte offset), flushes through inode->i_sb->s_bdev, loops with no end bound from start_page; dax_writeback_one clears TOWRITE under tree_lock, drops the lock ("dax_map_atomic may cond_resched"), then dax_map_atomic (blk_queue_enter) and wb_cache_pmem; no entry lock; dax_radix_entry looks up the index only.',
      cite: 'seed 004 RZ4 (dax_radix_entry), RZ5 (find_get_entries_tag), RZ6 (dax_writeback_one, dax_writeback_mapping_range); PG §1.1, §1.2, §2.1',
      knobs: { fsync: 'v7', entryLock: false, towriteClear: 'before-flush', radixEntry: 'v7', directAccess: 'sleeps', mapAtomic: 'queue-ref', f1Fix: 'none', wbTagClear: 'TOWRITE', countInsert: true },
    },
    later: {
      doc: 'The later kernel as the digest describes it: DAX_PMD_INDEX(start_index), the bdev passed in, the loop bounded by end_index and advancing start_index, the entry lock held across the flush, dax_radix_entry dirtying a covering PMD first.',
      cite: 'PG §1.2 S4-R4, S4-R7, S4-R9 [bg, checked]; PG §1.1 "Per-entry locking came later [bg]"; fs/dax.c dax_writeback_mapping_range after 1eb643d02b21',
      knobs: { fsync: 'fixed', entryLock: true, towriteClear: 'before-flush', radixEntry: 'pmd-first', directAccess: 'sleeps', mapAtomic: 'queue-ref', f1Fix: 'none', wbTagClear: 'TOWRITE', countInsert: true },
    },
  },
  variants: {
    v7: {
      doc: 'Posted v7, one fsync, one process, one PMD range: the v7 defects listed need other configurations.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte+pmd', fsyncThreads: 1, users: 1, faults: 2 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2: with a single PMD range and one device, the v7 defects listed do not apply' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PG §1.2 S4-R4 needs a second (PTE-only) process' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-r7': {
      doc: 'S4-R7: msync starting inside the second PMD misses the PMD entry (posted v7).',
      preset: 'v7',
      knobs: { nPages: 4, mapping: 'pte+pmd', faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'violated',
          cite: 'PG §1.2 S4-R7: radix_tree_lookup(start & PMD_MASK) uses a byte offset as a page index',
          keySteps: ['user1:handle_mm_fault', 'dax_radix_entry', 'store_watched', 'vfs_fsync_range', 'radix_tree_lookup', 'tag_pages_for_writeback', 'find_get_entries_tag', 'fsync_return'],
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PG §1.2 S4-R4 needs a second process' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-r7:fsync=fixed': {
      doc: 'S4-R7 fixed: DAX_PMD_INDEX(start_index) (and the later bounded loop), the rest as posted.',
      preset: 'v7',
      knobs: { fsync: 'fixed', nPages: 4, mapping: 'pte+pmd', faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2 S4-R7 "Later code uses DAX_PMD_INDEX(start_index)"; §5.4 fixed: pass' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PG §1.2 S4-R4 needs a second process' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-r9': {
      doc: 'S4-R9: an XFS realtime file is written back through i_sb->s_bdev (posted v7).',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', xfsRealtime: true, faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'violated',
          cite: 'PG §1.2 S4-R9: write-back uses inode->i_sb->s_bdev (DC-p1)',
          keySteps: ['user1:handle_mm_fault', 'store_watched', 'vfs_fsync_range', 'dax_writeback_one', 'wb_cache_pmem', 'wmb_pmem', 'fsync_return'],
        },
        'INV-17-RIGHT-BDEV': {
          verdict: 'violated',
          cite: 'PG-INV-17, S4-R9',
          keySteps: ['handle_mm_fault', 'dax_radix_entry', 'vfs_fsync_range', 'dax_writeback_one', 'wb_cache_pmem'],
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-r9:fsync=fixed': {
      doc: 'S4-R9 fixed: the bdev is passed in explicitly, the rest as posted.',
      preset: 'v7',
      knobs: { fsync: 'fixed', nPages: 2, mapping: 'pte', xfsRealtime: true, faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2 S4-R9 "Later code passes bdev in explicitly"' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-two-fsync': {
      doc: 'Finding F1 in posted v7: two concurrent fsyncs; the second returns while the first has cleared TOWRITE but not yet flushed.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', fsyncThreads: 2, faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'violated',
          cite: D + ' finding F1 (derived from RZ6 dax_writeback_one: TOWRITE cleared before the flush)',
          keySteps: ['store_watched', 'vfs_fsync_range', 'vfs_fsync_range', 'fsync1:tag_pages_for_writeback', 'fsync2:tag_pages_for_writeback', 'dax_writeback_one', 'wmb_pmem', 'fsync_return'],
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'later-two-fsync': {
      doc: 'Finding F1 in the later kernel (entry lock across the flush): the lock does not make the second fsync wait, TOWRITE is already clear.',
      preset: 'later',
      knobs: { nPages: 2, mapping: 'pte', fsyncThreads: 2, faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'violated',
          cite: D + ' finding F1',
          keySteps: ['store_watched', 'vfs_fsync_range', 'vfs_fsync_range', 'dax_writeback_one', 'wmb_pmem', 'fsync_return'],
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-two-fsync:towriteClear=after-flush': {
      doc: "Finding F1, candidate fix on posted v7: TOWRITE cleared after the CLWB. Not enough: the fence of the second fsync does not order the first CPU's CLWB.",
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', fsyncThreads: 2, towriteClear: 'after-flush', faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'violated',
          cite: D + " finding F1 (second part: wmb_pmem orders only its own CPU's wb_cache_pmem, seed 004 RZ3)",
          keySteps: ['store_watched', 'vfs_fsync_range', 'vfs_fsync_range', 'fsync1:wb_cache_pmem', 'fsync1:radix_tree_tag_clear', 'fsync2:find_get_entries_tag', 'fsync2:wmb_pmem', 'fsync2:fsync_return'],
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'later-two-fsync+F1': {
      doc: 'Finding F1, proposed fix (not in any kernel of the seeds) over the later kernel: dax_writeback_one fences its own CLWB (wmb_pmem) before put_locked_mapping_entry, and dax_writeback_mapping_range waits until no entry of its range is locked before its final wmb_pmem. Same configuration as later-two-fsync.',
      preset: 'later',
      knobs: { nPages: 2, mapping: 'pte', fsyncThreads: 2, faults: 1, f1Fix: 'fence-unlock-wait' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'holds',
          cite: D + " finding F1 (proposed fix): the buggy trace of later-two-fsync (fsync1 dax_writeback_one clears TOWRITE and locks the entry; fsync2 find_get_entries_tag finds nothing, wmb_pmem, returns 0 before fsync1's wb_cache_pmem) is cut: fsync2 now waits in dax_wait_inflight until fsync1 has fenced and unlocked",
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': { verdict: 'holds', cite: 'PG-INV-18 "fsync terminates" (the wait ends once the concurrent dax_writeback_one, weakly fair, unlocks)' },
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7:directAccess=atomic': {
      doc: '->direct_access atomic and linear (pmem): dax_writeback_one could keep tree_lock across dax_map_atomic and wb_cache_pmem. A design alternative of PG §5.4, not the posted code (v7 always drops the lock). One fsync.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte+pmd', fsyncThreads: 1, faults: 2, directAccess: 'atomic' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §5.4 ->direct_access atomic and linear: no lock drop needed' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'one process' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-two-fsync:directAccess=atomic': {
      doc: "Finding F1 with an atomic ->direct_access: the flush no longer trails the TOWRITE clear (one tree_lock section), but the second fsync's wmb_pmem still does not order the first CPU's CLWB.",
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', fsyncThreads: 2, faults: 1, directAccess: 'atomic' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'violated',
          cite: D + " finding F1 (second part, as v7-two-fsync:towriteClear=after-flush: wmb_pmem orders only its own CPU's wb_cache_pmem, seed 004 RZ3); PG §5.4 ->direct_access",
          keySteps: ['store_watched', 'fsync1:dax_writeback_one', 'fsync1:wb_cache_pmem', 'fsync2:find_get_entries_tag', 'fsync2:wmb_pmem', 'fsync2:fsync_return'],
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'later:platformFlush=none': {
      doc: 'No pmem API: wb_cache_pmem does nothing; durability needs ADR, which is not assumed.',
      preset: 'later',
      knobs: { nPages: 2, mapping: 'pte', platformFlush: 'none', faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §5.4' },
        'INV-11-FSYNC-DURABLE': {
          verdict: 'violated',
          cite: 'PG §5.4 platform flush: "none: INV-11 holds only under an ADR assumption"',
          keySteps: ['store_watched', 'vfs_fsync_range', 'wb_cache_pmem', 'wmb_pmem', 'fsync_return'],
        },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7-overlap': {
      doc: 'S4-R4 in posted v7: a PMD process and a PTE-only process map the same range; correct but inefficient.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte+pmd', users: 2, faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2 S4-R4 "correct but inefficient"' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'reached', cite: 'PG §1.2 S4-R4 (RZ-p2a)' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'later-overlap': {
      doc: 'S4-R4 with the later dax_radix_entry: a PTE fault after the PMD fault dirties the covering PMD entry; a PTE fault before it still leaves a PTE entry under the new PMD entry.',
      preset: 'later',
      knobs: { nPages: 2, mapping: 'pte+pmd', users: 2, faults: 1 },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §1.2 S4-R4 [bg, checked] later dax_radix_entry' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'reached', cite: D + ' S4-R4 table: the PMD-first lookup covers only the PTE-after-PMD order (witness: PTE entry at 1, then the PMD request at 0 finds slot 0 empty)' },
        'X-R1-FSYNC-EIO': noUnbind,
        'INV-18-FSYNC-TERMINATES': live,
      },
    },
    'v7-x-r1': {
      doc: 'X-R1 on posted v7: unbind during fsync; dax_map_atomic holds a queue reference, so the driver waits for the flush, or the flush fails with -EIO.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', faults: 1, unbind: true },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §5.3 X-R1 [bg, checked]' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'X-R1-FSYNC-EIO': { verdict: 'reached', cite: 'PG §5.3 X-R1 "blk_queue_enter fails, so fsync returns -EIO"' },
        'INV-18-FSYNC-TERMINATES': live,
      },
    },
    'v7-x-r1:mapAtomic=none': {
      doc: 'X-R1 without the queue reference: the driver removes the memory while an fsync still flushes it.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', faults: 1, unbind: true, mapAtomic: 'none' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §5.3 X-R1' },
        'X-R1-NO-FLUSH-AFTER-REMOVE': { verdict: 'violated', cite: 'PG §5.3 X-R1; PG §2.1 [bg, checked] "the queue must be dead/frozen before devm_memremap_pages is unwound"', keySteps: ['dax_writeback_one', 'driver:percpu_ref_kill', 'driver:arch_remove_memory', 'wb_cache_pmem'] },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'X-R1-FSYNC-EIO': { verdict: 'unreached', cite: 'without blk_queue_enter nothing fails' },
        'INV-18-FSYNC-TERMINATES': live,
      },
    },
    // ---- mutants: each kills a property no posted variant violates (issue 10 §3) ----
    'v7:wbTagClear=none': {
      doc: 'Mutant: dax_writeback_one no longer clears TOWRITE. The v7 loop rescans from start_page and finds the same entry for ever: fsync does not terminate.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', faults: 1, wbTagClear: 'none' },
      mutant: NO_TOWRITE_CLEAR,
      expect: {
        '*': { verdict: 'holds', cite: 'the mutant changes only the TOWRITE clear' },
        ...cut('INV-11-FSYNC-DURABLE'),
        'INV-18-FSYNC-TERMINATES': { verdict: 'violated', cite: 'PG-INV-18 "each iteration clears a TOWRITE tag, or the tag set has changed": the mutant breaks the first clause', keySteps: ['vfs_fsync_range', 'tag_pages_for_writeback', 'find_get_entries_tag', 'dax_writeback_one', 'find_get_entries_tag'] },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'later:wbTagClear=none': {
      doc: 'The same mutant over the later kernel: the bounded loop that advances start_index still terminates (1eb643d02b21: "prone to livelocks").',
      preset: 'later',
      knobs: { nPages: 2, mapping: 'pte', faults: 1, wbTagClear: 'none' },
      mutant: NO_TOWRITE_CLEAR,
      expect: {
        '*': { verdict: 'holds', cite: 'the mutant changes only the TOWRITE clear' },
        'INV-18-FSYNC-TERMINATES': { verdict: 'holds', cite: 'fs/dax.c after 1eb643d02b21: start_index = indices[pvec.nr - 1] + 1 bounds the loop whatever the tags do' },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7:wbTagClear=DIRTY': {
      doc: 'Mutant: dax_writeback_one clears DIRTY instead of TOWRITE: a writable mapping loses its dirty entry without a truncate (and the loop no longer ends).',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', faults: 1, wbTagClear: 'DIRTY' },
      mutant: { fn: 'dax_writeback_one', change: 'radix_tree_tag_clear(page_tree, index, PAGECACHE_TAG_TOWRITE); -> radix_tree_tag_clear(page_tree, index, PAGECACHE_TAG_DIRTY);', cite: 'seed 004 RZ6 dax_writeback_one' },
      expect: {
        '*': { verdict: 'holds', cite: 'the mutant changes only which tag is cleared' },
        ...cut('INV-11-FSYNC-DURABLE'),
        'INV-12-WRITABLE-TRACKED': { verdict: 'violated', cite: 'PG-INV-12: the writable PTE stays, its DIRTY tag is gone', keySteps: ['handle_mm_fault', 'dax_radix_entry', 'vm_insert_mixed', 'vfs_fsync_range', 'dax_writeback_one'] },
        'INV-13-NO-SILENT-DROP': { verdict: 'violated', cite: 'PG-INV-13: DIRTY dropped by a step that is not a truncate', keySteps: ['dax_radix_entry', 'tag_pages_for_writeback', 'dax_writeback_one'] },
        'INV-18-FSYNC-TERMINATES': { verdict: 'violated', cite: 'PG-INV-18: TOWRITE is never cleared, the v7 loop rescans for ever', keySteps: ['vfs_fsync_range', 'find_get_entries_tag', 'dax_writeback_one', 'find_get_entries_tag'] },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
    'v7:countInsert=false': {
      doc: 'Mutant: dax_radix_entry does not count its insert.',
      preset: 'v7',
      knobs: { nPages: 2, mapping: 'pte', faults: 1, countInsert: false },
      mutant: { fn: 'dax_radix_entry', change: 'mapping->nrexceptional++; -> (removed)', cite: 'seed 004 RZ4 dax_radix_entry' },
      expect: {
        '*': { verdict: 'holds', cite: 'the mutant changes only the counter' },
        ...cut('INV-11-FSYNC-DURABLE', 'INV-12-WRITABLE-TRACKED', 'INV-17-RIGHT-BDEV', 'X-R1-NO-FLUSH-AFTER-REMOVE'),
        'INV-16-TREE-HYGIENE': { verdict: 'violated', cite: 'PG-INV-16: nrexceptional no longer counts the DAX entries', keySteps: ['handle_mm_fault', 'dax_radix_entry'] },
        'S4-R4-PMD-PTE-OVERLAP': { verdict: 'unreached', cite: 'PTE-only mapping' },
        'INV-18-FSYNC-TERMINATES': live,
        'X-R1-FSYNC-EIO': noUnbind,
      },
    },
  },
});
