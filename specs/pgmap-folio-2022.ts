/**
 * The 2022 folio scheme (seed 003, "[PATCH v3 10/25] fsdax: Introduce pgmap_request_folios()"):
 * ZONE_DEVICE folios idle at refcount 0, a fault associates a folio with its mapping entry through
 * pgmap_request_folios (which takes the pgmap reference on 0 -> 1) and releases it through
 * pgmap_release_folios (which drops it on 1 -> 0), under DW's no-dying lock (dax_read_lock) and the
 * entry lock; unbind kills the dax_device, revokes mappings, kills the pgmap ref, waits, removes
 * the memory. An old GUP pin is left on the folio by a file being truncated, whose block the
 * requesters' file gets once the truncate frees it (PG-S3-R3, PG-INV-10).
 *
 * Actors: dax_device SRCU `srcu`, the requesters' mapping entry `entry`, `pgmap`, the folio `pages`
 * (one folio, pfn 0), the pmem `driver`, requesters `req1` (and `req2`), the old pin `old`, the
 * truncate `trunc`. Block = sector = pfn.
 */
import { defineSpec, type ActorDecl, type FairnessDecl, type GlobalView, type KnobValues, type SystemDecl } from '../src/spec/types.js';
import { sectionLock } from './dax-fsync.js';
import { devPagemap, type DevPagemapContext } from '../machines/pgmap/dev-pagemap.js';
import { zoneDevicePages, type ZoneDevicePagesContext } from '../machines/pgmap/zone-device-pages.js';
import { pmemDriver } from '../machines/pgmap/pmem-driver.js';
import { daxSrcu } from '../machines/pgmap/dax-srcu.js';
import { daxEntry } from '../machines/pgmap/dax-entry.js';
import { folioRequester, type FolioRequesterContext } from '../machines/pgmap/folio-requester.js';
import { daxTruncate2022 } from '../machines/pgmap/dax-truncate-2022.js';
import { speculativeRef } from '../machines/pgmap/speculative-ref.js';

const D = 'docs/models/pgmap-gup-fsync.md';
const reqIds = (k: KnobValues) => (Number(k.requesters) === 2 ? ['req1', 'req2'] : ['req1']);

function system(k: KnobValues): SystemDecl {
  const idle = Number(k.idleRef) as 0 | 1;
  const reqs = reqIds(k);
  const stale = k.stalePin === true;
  const spec = k.speculative === true;
  const users = stale ? [...reqs, 'old'] : reqs;
  // PG §5.4 pgmaps per filesystem: with 2, the folio's pgmap is 'pgmap' (the device that unbinds) and
  // 'pgmap0' is the pgmap of the stripe member just before it, where the requested span begins
  const two = Number(k.pgmaps) === 2;
  const passed = two && k.spanLookup === 'first-pfn' ? 'pgmap0' : 'pgmap';
  const maps = two ? ['pgmap', 'pgmap0'] : ['pgmap'];
  /** Party groups of a pgmap step: each caller with each pgmap; the event's `pgmap` field picks one. */
  const withMaps = (ids: string[], ...more: string[]) => ids.flatMap((t) => maps.map((m) => [t, ...more, m]));
  const mapParam = (names: string[]): Record<string, string[]> => (two ? { pgmap: names } : {});
  const actors: Record<string, ActorDecl> = {
    srcu: { machine: daxSrcu },
    entry: { machine: daxEntry, input: { associated: false } },
    // base, plus the stale pin's busy folio in the 0-idle scheme (its association took the pgmap ref on 0 -> 1)
    pgmap: { machine: devPagemap, input: { refMode: 'on-zero', initialCount: 1 + (stale && idle === 0 ? 1 : 0) } },
    pages: { machine: zoneDevicePages, input: { nPages: 1, idleRef: idle, initialRef: [idle + (stale ? 1 : 0)] } },
    driver: { machine: pmemDriver, thread: true, input: { revoke: true, daxKill: true, refKill: k.refKill !== false } },
    trunc: { machine: daxTruncate2022, thread: true, input: { pfn: 0, waitIdle: k.truncWaits === true } },
  };
  if (two) actors.pgmap0 = { machine: devPagemap, input: { refMode: 'on-zero', name: 'pgmap0' } };
  if (stale) actors.old = { machine: folioRequester, thread: true, input: { id: 'old', pfn: 0, daxLock: false, entryLock: false, pin: true } };
  if (spec) actors.spec = { machine: speculativeRef, thread: true, input: { pfn: 0, findFirst: true } };
  for (const id of reqs) {
    actors[id] = { machine: folioRequester, thread: true, input: { id, pfn: 0, daxLock: k.noDyingLock === 'held', entryLock: k.racing === 'forbidden', releaseAtomic: k.release === 'testzero', pgmap: passed } };
  }
  const w = (ids: string[], peer: string) => ids.map((t) => [t, peer]);
  return {
    actors,
    events: {
      device_release_driver: { local: ['driver'] },
      kill_dax: { sync: [['driver', 'srcu']] },
      synchronize_srcu: { sync: [['driver', 'srcu']] },
      // a speculative gup-fast lookup runs with IRQs off: the TLB shootdown of a zap waits for it (PG-X-R2)
      unmap_mapping_range: { sync: [['driver', ...users, ...(spec ? ['spec'] : [])]] },
      // the driver unbinds the device of the folio: its own pgmap
      percpu_ref_kill: { sync: withMaps(['driver']), params: mapParam(['pgmap']) },
      wait_for_completion: { sync: withMaps(['driver']), params: mapParam(['pgmap']) },
      arch_remove_memory: { sync: [['driver', 'pages']] },
      do_truncate: { local: ['trunc'] },
      truncate_free_block: { local: ['trunc'] },
      dax_page_idle: { sync: [['trunc', 'pages']], params: { pfn: [0] } },
      // (the old pin is listed too: it never faults, so these steps are never enabled for it)
      dax_iomap_fault: { sync: w(users, 'trunc') },
      dax_read_lock: { sync: w(users, 'srcu'), params: { thread: reqs, alive: [true, false] } },
      dax_read_unlock: { sync: w(users, 'srcu'), params: { thread: reqs } },
      dax_lock_entry: { sync: w(users, 'entry'), params: { associated: [false, true] } },
      dax_entry_lookup: { sync: w(users, 'entry'), params: { associated: [false, true] } },
      dax_insert_entry: { sync: w(users, 'entry') },
      dax_unlock_entry: { sync: w(users, 'entry') },
      dax_delete_entry: { sync: w(users, 'entry') },
      gup_fast_pte: spec ? { sync: reqs.map((r) => ['spec', r]) } : { wired: users },
      // pgmap_request_folios / pgmap_release_folios act on the pgmap their caller passes
      percpu_ref_is_dying: { sync: withMaps(users), params: { ...mapParam(maps), dying: [false, true] } },
      percpu_ref_tryget: { sync: withMaps(users), params: { ...mapParam(maps), ok: [true, false] } },
      percpu_ref_put: { sync: withMaps(users), params: mapParam(maps) },
      folio_ref_inc: { sync: w(users, 'pages'), params: { pfn: [0] } },
      folio_ref_count: { sync: w(users, 'pages'), params: { pfn: [0], count: [0, 1, 2, 3] } },
      folio_ref_dec: { sync: w(users, 'pages'), params: { pfn: [0] } },
      access_memory: { sync: w(users, 'pages'), params: { pfn: [0], who: ['user', 'dma'] } },
      munmap: { sync: users.map((u) => (spec && u !== 'old' ? [u, 'spec'] : [u])) },
      // pgmap / page functions of the 2015 scheme, not called in 2022 (GUP pgmap accounting dropped)
      get_dev_pagemap: { wired: maps },
      put_dev_pagemap: { wired: maps },
      get_page: { wired: [...maps, 'pages'] },
      // the old pin's unpin: folio_put, the last put drops the pgmap reference (refMode on-zero)
      // (the last folio_put drops the reference of folio_pgmap(folio): the folio's own pgmap)
      put_page: { sync: withMaps([...users, ...(spec ? ['spec'] : [])], 'pages'), params: { ...mapParam(['pgmap']), pfn: [0], zero: [false, true] } },
      vma_get: { wired: maps },
      vma_put: { wired: maps },
      blk_queue_enter: { wired: maps },
      blk_queue_exit: { wired: maps },
      page_cache_get_speculative: spec ? { sync: [['spec', 'pages']], params: { pfn: [0], ok: [true, false] } } : { wired: ['pages'] },
    },
  };
}

const pg = (s: GlobalView) => s.context<DevPagemapContext>('pgmap');
const pages = (s: GlobalView) => s.context<ZoneDevicePagesContext>('pages');
const users = (s: GlobalView) => s.actors.filter((a) => a.startsWith('req') || a === 'old');
const req = (s: GlobalView, a: string) => s.context<FolioRequesterContext>(a);
const busy = (s: GlobalView) => pages(s).ref.filter((r) => r > pages(s).idleRef).length;
/** The step's folio user (requester or pin), if any. */
const mover = (st: { actors: readonly string[] }) => st.actors.find((a) => a.startsWith('req') || a === 'old');
const requestStates = ['request', 'folio_ref_inc', 'folio_ref_count', 'percpu_ref_tryget', 'dax_insert_entry'];

const FAIR: FairnessDecl[] = [
  {
    kind: 'weak',
    events: [
      'kill_dax', 'synchronize_srcu', 'unmap_mapping_range', 'percpu_ref_kill', 'wait_for_completion', 'arch_remove_memory',
      'dax_read_lock', 'dax_read_unlock', 'dax_lock_entry', 'dax_entry_lookup', 'dax_insert_entry', 'dax_unlock_entry', 'percpu_ref_is_dying',
      'folio_ref_inc', 'folio_ref_count', 'percpu_ref_tryget', 'folio_ref_dec', 'percpu_ref_put', 'dax_page_idle', 'truncate_free_block',
      'dax_delete_entry', 'page_cache_get_speculative', 'put_page',
    ],
    doc: 'Kernel code is weakly fair per instance: the unbind thread once unbind began, a fault, a release or a truncate once entered. User choices are not fair: starting a fault (dax_iomap_fault), munmap, truncate(2) (do_truncate), the unpin of the old GUP pin (munmap of old), device_release_driver.',
  },
];

const hs = (cite: string) => ({ verdict: 'holds' as const, cite });
const V3 = { noDyingLock: 'held', racing: 'forbidden', idleRef: 0, truncWaits: true, release: 'put-then-test', spanLookup: 'per-pfn', refKill: true } as const;
/** The workload of the 2022 scenarios: two requesters and the stale pin of a truncated file. */
const WL = { requesters: 2, stalePin: true, speculative: false, pgmaps: 1 } as const;
const unbindLive = { verdict: 'holds' as const, cite: 'PG-INV-18: "Under the fine-grained policy, unbind completes once all pins are released"' };

export default defineSpec({
  name: 'pgmap-folio-2022',
  title: 'pgmap_request_folios and 0-based folio refcounts vs unbind and truncate (seed 003, 2022)',
  knobs: {
    noDyingLock: { values: ['held', 'not-held'], default: 'held', doc: 'the request runs inside dax_read_lock with a dax_alive() check (kill_dax + synchronize_srcu before percpu_ref_kill), or only checks percpu_ref_is_dying', cite: 'PG §5.4 no-dying lock; seed 003 DW' },
    racing: { values: ['forbidden', 'allowed'], default: 'forbidden', doc: 'request/release of one folio hold the mapping entry lock (requests never race) or not', cite: 'PG §5.4 racing requests; seed 003 doc comment "not racing requests for the same folios"' },
    idleRef: { values: [0, 1], default: 0, doc: 'refcount of an idle ZONE_DEVICE folio: 0 (2022, "Initialize all ZONE_DEVICE pages to start at refcount 0") or 1 (legacy)', cite: 'PG §5.4 idle refcount; AP (30 Sep 2021)' },
    truncWaits: { values: [true, false], default: true, doc: 'truncate waits for the folio to be idle (dax_page_idle) before freeing the block, or not', cite: 'seed 003 titles "dax_page_idle()", "Wait for pinned pages during truncate_inode_pages_final()"; PG-INV-10' },
    requesters: { values: [1, 2], default: 2, doc: 'faults that associate the folio (two for PG-S3-R2)', cite: 'PG-S3-R2' },
    release: { values: ['put-then-test', 'testzero'], default: 'put-then-test', doc: 'pgmap_release_folios: folio_put then "if (!folio_ref_count) put_dev_pagemap" (v3), or an atomic dec-and-test whose last put drops the pgmap reference (finding F5 fix)', cite: 'seed 003 [bg, checked] v3 10/25; ' + D + ' finding F5' },
    stalePin: { values: [true, false], default: true, doc: 'a GUP pin is still held on the folio by the file being truncated, whose block the requesters\' file then gets', cite: 'PG-S3-R3, PG-INV-10' },
    pgmaps: { values: [1, 2], default: 1, doc: 'pgmaps under the filesystem: one pmem device, or a DM stripe / RAID-0 over two (the folio belongs to the second; the first stays bound)', cite: 'PG §5.4 pgmaps per filesystem; seed 003 DW "a device-mapper stack over several pgmaps"; seed 000 MW "RAID-0 and DM striping are legitimate uses"' },
    spanLookup: { values: ['per-pfn', 'first-pfn'], default: 'per-pfn', doc: 'the pgmap the fault passes to pgmap_request_folios / pgmap_release_folios: found from the folio\'s own pfn, or once for a span that starts in the previous pgmap and crosses into the folio\'s', cite: 'PG §5.4 "≥2: the lookup is per pfn, and a span must not cross pgmaps"; seed 003 DW steps 2-3 ("The device translates that offset to a pfn", the pgmap "is found from the pfn") and "keeps the pgmap constant across the span"' },
    refKill: { values: [true, false], default: true, doc: 'mutant knob: memunmap_pages kills the pgmap reference before waiting (as in the kernel) or not', cite: 'mm/memremap.c memunmap_pages percpu_ref_kill; PG §5.1 unbind' },
    speculative: { values: [false, true], default: false, doc: 'a get-unless-zero (page_ref_add_unless(page, 1, 0)) speculative lookup of the folio runs concurrently', cite: 'PG §5.4 idle refcount "For 1, test S1-R2"; PG-S1-R2 [bg, checked] JG' },
  },
  system,
  locks: {
    i_mmap_rwsem: sectionLock('mapping->i_mmap_rwsem, taken for write by the unbind thread\'s unmap_mapping_range (dax_zap_mappings) around the zap of every mapping.', 'seed 003 JG; [bg] mm/memory.c unmap_mapping_range'),
    xa_lock: sectionLock('The xa_lock of mapping->i_pages, around each mapping-entry operation (dax_lock_entry, xas_load, dax_insert_entry, dax_delete_mapping_entry, dax_unlock_entry).', '[bg] 2022 fs/dax.c xas_lock_irq sections; seed 003 "Hold dax lock over mapping insertion"'),
    XFS_ILOCK: sectionLock('XFS_ILOCK around the block free of the truncate.', 'fs/xfs xfs_free_file_space / xfs_bunmapi'),
  },
  properties: [
    {
      name: 'INV-1-PIN-KEEPS-PGMAP', kind: 'invariant',
      keySteps: ['percpu_ref_kill'],
      doc: 'While a folio is busy (ref above idle), the pgmap is not dead and its memory is present.',
      cite: 'PG-INV-1 (seed 001, 003)',
      check: (s) => busy(s) === 0 || (!s.matches('pgmap', 'dead') && pages(s).memValid),
      witness: (s) => busy(s) > 0 && s.matches('pgmap', 'dying'),
    },
    {
      name: 'INV-2-NO-ACCESS-AFTER-TEARDOWN', kind: 'assertion',
      keySteps: ['arch_remove_memory'],
      doc: 'No load/store/DMA or folio refcount operation touches the memory after arch_remove_memory.',
      cite: 'PG-INV-2 (seed 003 JG)',
      witness: (s) => s.matches('driver', 'removed') && users(s).some((u) => req(s, u).result === 'released' && !req(s, u).pin),
    },
    {
      name: 'INV-3-REF-BALANCE', kind: 'invariant',
      keySteps: ['folio_ref_inc', 'folio_ref_count'],
      doc: 'pgmap.count = base + #{busy folios of that pgmap} (2022, idle 0; with idle 1 the legacy scheme: busy folios hold no pgmap reference, count = base), whenever no request or release is between its folio refcount change and its pgmap decision.',
      cite: 'PG-INV-3 ("2022: pgmap.count = base + #{folios with ref>0}"); AP: legacy idle 1',
      check: (s) => {
        if (users(s).some((u) => req(s, u).window)) return true;
        if (s.matches('pgmap', 'refcount_underflow') || s.matches('pgmap', 'get_after_death')) return true;
        // any folio reference keeps its folio busy, a speculative one too: its last put drops the pgmap reference
        // with two pgmaps no folio of pgmap0 is in use: it holds its base reference only
        const other = !s.actors.includes('pgmap0') || (s.matches('pgmap0', 'live') && s.context<DevPagemapContext>('pgmap0').count === 1);
        return other && pg(s).count === (s.matches('pgmap', 'live') ? 1 : 0) + (pages(s).idleRef === 0 ? busy(s) : 0);
      },
      witness: (s) => users(s).some((u) => u !== 'old' && req(s, u).owns && !req(s, u).window),
    },
    { name: 'INV-4-NONNEG', kind: 'assertion', keySteps: ['percpu_ref_put'], doc: 'Folio and pgmap counts never go below zero; no put on a dead pgmap.', cite: 'PG-INV-4', witness: (s) => s.matches('pgmap', 'dead') },
    {
      name: 'INV-5-FREE-AT-ZERO', kind: 'action', on: ['folio_ref_inc', 'page_cache_get_speculative'],
      keySteps: ['folio_ref_inc'],
      doc: 'Free means refcount 0: a request acts only on a folio with refcount 0, and a get-unless-zero lookup never takes a reference on a free folio.',
      cite: 'PG-INV-5 (seed 003 DW: "a bug to make this request on anything but a zero-refcount folio"); PG §5.4 idle refcount',
      check: (prev, st) => {
        const ev = st.event as { type: string; pfn?: number; ok?: boolean };
        const pc = prev.context<ZoneDevicePagesContext>('pages');
        const r = pc.ref[Number(ev.pfn)];
        if (ev.type === 'folio_ref_inc') return r === 0;
        return !ev.ok || r > pc.idleRef;
      },
      witness: (s) => users(s).some((u) => u !== 'old' && req(s, u).owns),
    },
    {
      name: 'INV-6-NO-HANDOUT-WHEN-DYING', kind: 'action', on: ['folio_ref_inc'],
      keySteps: ['percpu_ref_is_dying', 'percpu_ref_kill', 'folio_ref_inc'],
      doc: 'A request hands out a folio only while the pgmap is live.',
      cite: 'PG-INV-6 (seed 003)',
      check: (prev) => prev.matches('pgmap', 'live'),
      // a request in flight while unbind has begun
      witness: (s) => !s.matches('driver', 'bound') && users(s).some((u) => requestStates.some((st) => s.matches(u, st))),
    },
    {
      name: 'INV-7-FOLIO-PTR-PROOF', kind: 'action', on: ['folio_ref_inc', 'folio_ref_count'],
      keySteps: ['folio_ref_inc'],
      doc: 'A request that touches folio metadata holds a reference on it or the lock that keeps the pgmap from dying (checked on the request path).',
      cite: 'PG-INV-7 (seed 003 JG: "nothing has a struct folio * unless it can also prove it has a non-zero refcount on it"; DW: the no-dying lock)',
      check: (prev, st) => {
        const a = mover(st);
        if (!a || a === 'old' || !requestStates.some((x) => prev.matches(a, x))) return true;
        const c = prev.context<FolioRequesterContext>(a);
        return c.daxLocked || c.owns;
      },
      witness: (s) => users(s).some((u) => s.matches(u, 'folio_ref_count')),
    },
    {
      name: 'INV-10-DMA-VS-TRUNCATE', kind: 'action', on: ['truncate_free_block'],
      keySteps: ['do_truncate', 'truncate_free_block'],
      doc: 'A block is not freed (and reallocated) while the folio backing it is busy.',
      cite: 'PG-INV-10 (seed 003 titles; seed 000 "dma-extent-busy")',
      check: (prev) => prev.context<ZoneDevicePagesContext>('pages').ref[0] === prev.context<ZoneDevicePagesContext>('pages').idleRef,
      witness: (s) => s.matches('trunc', 'done'),
    },
    { name: 'UNBIND-COMPLETES', kind: 'goal', doc: 'The driver reaches removed.', cite: 'PG §5.1 unbind', reach: (s) => s.matches('driver', 'removed') },
    {
      name: 'INV-18-UNBIND-LIVENESS', kind: 'liveness', form: 'leadsTo',
      keySteps: ['device_release_driver', 'unmap_mapping_range'],
      doc: 'Once unbind waits and no folio is busy, unbind completes.',
      cite: 'PG-INV-18',
      p: (s) => s.matches('driver', 'wait') && busy(s) === 0,
      q: (s) => s.matches('driver', 'removed'),
    },
  ],
  fairness: FAIR,
  presets: {
    v3: {
      doc: 'DW\'s series as posted (v3, 2022): folios idle at refcount 0, pgmap_request_folios (WARN_ON_ONCE(percpu_ref_is_dying); folio_ref_inc; if (folio_ref_count == 1) percpu_ref_tryget, result ignored) called with the pgmap of the folio\'s own pfn under the dax lock ("fsdax: Hold dax lock over mapping insertion") and the entry lock, pgmap_release_folios (folio_put; if (!folio_ref_count) put_dev_pagemap), truncate waits for dax_page_idle.',
      cite: 'seed 003 [bg, checked] v3 10/25 patch body; seed 003 titles "Hold dax lock over mapping insertion", "Initialize all ZONE_DEVICE pages to start at refcount 0", "dax_page_idle()", "Wait for pinned pages during truncate_inode_pages_final()"; doc comment "not racing requests for the same folios"; AP "every caller passes pgmap==folio_pgmap(folio)"',
      knobs: { ...V3 },
    },
    'v3+F5': {
      doc: 'v3 with the proposed fix of finding F5: pgmap_release_folios drops the pgmap reference on an atomic dec-and-test.',
      cite: D + ' finding F5',
      knobs: { ...V3, release: 'testzero' },
    },
  },
  variants: {
    v3: {
      doc: 'Posted v3 with two requesters and a stale pin: idle refcount 0, requests under the dax lock and the entry lock, truncate waits for idle folios, unbind kills the dax_device, revokes, kills the pgmap ref.',
      preset: 'v3',
      knobs: { ...WL },
      expect: { '*': hs('PG §5.4: idle 0, no-dying lock held, requests serialised'), 'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' }, 'INV-18-UNBIND-LIVENESS': unbindLive },
    },
    'v3:noDyingLock=not-held': {
      doc: 'S3-R1: no no-dying lock: the is_dying check passes, unbind kills the ref, the folio is handed out from a dying pgmap.',
      preset: 'v3',
      knobs: { ...WL, noDyingLock: 'not-held', requesters: 1 },
      expect: {
        '*': hs('PG §5.4'),
        'INV-6-NO-HANDOUT-WHEN-DYING': { verdict: 'violated', cite: 'PG-S3-R1 "is_dying is false at the check; unbind then kills the reference"; PG §5.4 "not held: S3-R1 violates INV-6"', keySteps: ['req1:percpu_ref_is_dying', 'driver:percpu_ref_kill', 'req1:folio_ref_inc'] },
        'INV-7-FOLIO-PTR-PROOF': { verdict: 'violated', cite: 'PG-INV-7, seed 003 JG ("simply impossible for any caller at this point") without DW\'s lock', keySteps: ['req1:percpu_ref_is_dying', 'req1:folio_ref_inc'] },
        'INV-1-PIN-KEEPS-PGMAP': { verdict: 'violated', cite: 'PG-S3-R1: "tryget fails (result ignored), or the folio is handed out from a dying pgmap"', keySteps: ['req1:percpu_ref_is_dying', 'driver:percpu_ref_kill', 'req1:folio_ref_inc'] },
        'INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'violated', cite: 'PG-S3-R1: the request passed its is_dying check before the kill and touches the folio after the memory is gone', keySteps: ['driver:unmap_mapping_range', 'req1:percpu_ref_is_dying', 'driver:arch_remove_memory', 'req1:folio_ref_inc'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    'v3:racing=allowed': {
      doc: 'S3-R2: requests (and releases) for one folio race: both requesters see count 2, no pgmap reference is taken.',
      preset: 'v3',
      knobs: { ...WL, racing: 'allowed' },
      expect: {
        '*': hs('PG §5.4'),
        'INV-5-FREE-AT-ZERO': { verdict: 'violated', cite: 'PG-S3-R2 (the second request acts on a busy folio)', keySteps: ['req1:folio_ref_inc', 'req2:folio_ref_inc'] },
        'INV-3-REF-BALANCE': { verdict: 'violated', cite: 'PG-S3-R2 "two requesters can both read 2, so no pgmap reference is taken"; PG §5.4 "allowed: S3-R2 violates INV-3/4"', keySteps: ['req1:folio_ref_inc', 'req2:folio_ref_inc', 'folio_ref_count', 'folio_ref_count'] },
        'INV-4-NONNEG': { verdict: 'violated', cite: 'PG-S3-R2 "two releasers can both read 0, so the pgmap is put twice"', keySteps: ['folio_ref_dec', 'folio_ref_dec', 'folio_ref_count', 'percpu_ref_put', 'folio_ref_count', 'percpu_ref_put'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    'v3:truncWaits=false': {
      doc: 'S3-R3 / INV-10: truncate frees the block while the old GUP pin holds the folio; the new file\'s fault requests a busy folio (double association).',
      preset: 'v3',
      knobs: { ...WL, truncWaits: false, requesters: 1 },
      expect: {
        '*': hs('PG §5.4'),
        'INV-10-DMA-VS-TRUNCATE': { verdict: 'violated', cite: 'PG-INV-10; seed 003 title "Wait for pinned pages during truncate_inode_pages_final()"', keySteps: ['trunc:do_truncate', 'trunc:truncate_free_block'] },
        'INV-5-FREE-AT-ZERO': { verdict: 'violated', cite: 'PG-S3-R3 "request on a folio with ref > 0. A double association"', keySteps: ['trunc:truncate_free_block', 'req1:dax_iomap_fault', 'req1:folio_ref_inc'] },
        'INV-3-REF-BALANCE': { verdict: 'violated', cite: 'PG-S3-R3 consequence: the request on the busy folio sees count 2 and takes no pgmap reference; the release then puts one that was never taken', keySteps: ['trunc:truncate_free_block', 'req1:folio_ref_inc', 'req1:folio_ref_count'] },
        'INV-4-NONNEG': { verdict: 'violated', cite: 'PG-S3-R3 consequence (the unbalanced put after percpu_ref_kill)', keySteps: ['trunc:truncate_free_block', 'req1:folio_ref_inc', 'driver:percpu_ref_kill', 'percpu_ref_put'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    'v3-gupfast': {
      doc: 'Finding F5: a gup-fast reference (taken with IRQs off through a present PTE, as PG-X-R2) races pgmap_release_folios\' put-then-test: both see 0 and both drop the pgmap reference (or neither does).',
      preset: 'v3',
      knobs: { ...WL, stalePin: false, requesters: 1, speculative: true },
      expect: {
        '*': hs('PG §5.4'),
        'INV-3-REF-BALANCE': { verdict: 'violated', cite: D + ' finding F5', keySteps: ['spec:gup_fast_pte', 'spec:page_cache_get_speculative', 'req1:folio_ref_dec', 'spec:put_page', 'req1:folio_ref_count', 'req1:percpu_ref_put'] },
        'INV-4-NONNEG': { verdict: 'violated', cite: D + ' finding F5 (double put_dev_pagemap after percpu_ref_kill)', keySteps: ['spec:page_cache_get_speculative', 'driver:percpu_ref_kill', 'req1:folio_ref_dec', 'spec:put_page', 'req1:percpu_ref_put'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    'v3+F5-gupfast': {
      doc: 'Finding F5 fixed: the release is an atomic dec-and-test; get-unless-zero on idle-0 folios is safe (PG §5.4 "0 with get-unless-zero passes INV-5").',
      preset: 'v3+F5',
      knobs: { ...WL, stalePin: false, requesters: 1, speculative: true },
      expect: { '*': hs('PG §5.4 idle refcount 0 with get-unless-zero; ' + D + ' finding F5 fix'), 'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' }, 'INV-18-UNBIND-LIVENESS': unbindLive },
    },
    'v3-two-pgmaps': {
      doc: 'Two pgmaps under the filesystem (DM stripe): the fault finds the pgmap from the folio\'s pfn, so the request and release count on the folio\'s own pgmap, which unbinds; the other stays bound.',
      preset: 'v3',
      knobs: { ...WL, requesters: 1, pgmaps: 2 },
      expect: { '*': hs('PG §5.4 pgmaps per filesystem: "the lookup is per pfn"; seed 003 DW step 3 (the pgmap "is found from the pfn")'), 'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' }, 'INV-18-UNBIND-LIVENESS': unbindLive },
    },
    'v3-two-pgmaps:spanLookup=first-pfn': {
      doc: 'Two pgmaps, and the fault passes the pgmap of a span\'s first pfn for a folio in the next pgmap: the request takes its reference on the wrong pgmap, and the folio\'s own pgmap dies while the folio is mapped.',
      preset: 'v3',
      knobs: { ...WL, requesters: 1, pgmaps: 2, spanLookup: 'first-pfn' },
      expect: {
        '*': hs('PG §5.4'),
        'INV-3-REF-BALANCE': { verdict: 'violated', cite: 'PG §5.4 pgmaps per filesystem: "a span must not cross pgmaps"; PG-INV-3 (2022: count = base + busy folios, per pgmap)', keySteps: ['req1:folio_ref_inc', 'req1:folio_ref_count', 'req1:percpu_ref_tryget'] },
        'INV-1-PIN-KEEPS-PGMAP': { verdict: 'holds', cite: D + ' (masked: every request passes through the INV-3 violation, whose states are not expanded, docs/semantics.md §7; without INV-3 the folio\'s own pgmap dies while it is busy, test/pgmap-folio.test.ts)' },
        'witness:INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'unreached', cite: D + ' (masked behind the INV-3 violation: no request completes unviolated)' },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    'v3:idleRef=1': {
      doc: 'Legacy idle refcount 1 with the 2022 code: a request acts on refcount 1, the "== 1" test never takes the pgmap reference, so nothing keeps the pgmap alive for a busy folio.',
      preset: 'v3',
      knobs: { ...WL, requesters: 1, idleRef: 1 },
      expect: {
        '*': hs('PG §5.4'),
        'INV-5-FREE-AT-ZERO': { verdict: 'violated', cite: 'PG §5.4 idle refcount: "0 with get-unless-zero passes INV-5"; AP: "the legacy idle refcount is 1"', keySteps: ['req1:folio_ref_inc'] },
        'INV-1-PIN-KEEPS-PGMAP': { verdict: 'violated', cite: D + ' (idle 1: the "== 1" test never takes a pgmap reference, so the pgmap dies while the old pin holds its folio; seed 003 title "Initialize all ZONE_DEVICE pages to start at refcount 0")', keySteps: ['driver:percpu_ref_kill'] },
        'INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'holds', cite: D + ' (masked: the use-after-free lies behind the INV-1 violation, whose states are not expanded)' },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    'v3:refKill=false': {
      doc: 'Mutant: memunmap_pages waits without killing the pgmap reference; unbind never completes although no folio is busy.',
      preset: 'v3',
      knobs: { ...WL, requesters: 1, stalePin: false, refKill: false },
      mutant: { fn: 'memunmap_pages', change: 'percpu_ref_kill(&pgmap->ref); -> (removed)', cite: 'mm/memremap.c memunmap_pages (PG §5.1 unbind: kill the ref, wait, remove)' },
      expect: {
        '*': hs('the mutant changes only the kill'),
        'UNBIND-COMPLETES': { verdict: 'unreached', cite: 'the base reference is never dropped' },
        'witness:INV-1-PIN-KEEPS-PGMAP': { verdict: 'unreached', cite: 'the pgmap never becomes dying' },
        'witness:INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'unreached', cite: 'the memory is never removed' },
        'witness:INV-4-NONNEG': { verdict: 'unreached', cite: 'the pgmap never dies' },
        deadlock: { verdict: 'violated', cite: 'once every other thread is done, the driver waits for a completion that never comes', keySteps: ['device_release_driver', 'unmap_mapping_range'] },
        'INV-18-UNBIND-LIVENESS': { verdict: 'violated', cite: 'PG-INV-18: unbind waits for ever with no busy folio', keySteps: ['device_release_driver', 'kill_dax', 'synchronize_srcu', 'unmap_mapping_range'] },
      },
    },
  },
});
