/**
 * get_user_pages vs pmem unbind (seed 001, Dec 2015; seed 003 JG for S3-R4; seed 000 for S0-R1).
 *
 * A user thread maps two DAX pages and does O_DIRECT into them (gup-fast, DMA, completion,
 * put_page); the pmem driver unbinds (revoke, kill the pgmap ref, wait, arch_remove_memory);
 * optionally a speculative lookup takes and drops a page reference. Block = sector = pfn.
 */
import { defineSpec, type ActorDecl, type GlobalView, type KnobValues, type SystemDecl } from '../src/spec/types.js';
import { sectionLock } from './dax-fsync.js';
import { devPagemap, type DevPagemapContext } from '../machines/pgmap/dev-pagemap.js';
import { zoneDevicePages, type ZoneDevicePagesContext } from '../machines/pgmap/zone-device-pages.js';
import { pmemDriver } from '../machines/pgmap/pmem-driver.js';
import { gupUser, type GupUserContext } from '../machines/pgmap/gup-user.js';
import { speculativeRef } from '../machines/pgmap/speculative-ref.js';

const N = 2;
const pfns = [0, 1];

function system(k: KnobValues): SystemDecl {
  const spec = k.speculative === true;
  const actors: Record<string, ActorDecl> = {
    user: {
      machine: gupUser,
      thread: true,
      input: { nPages: N, gupPgmap: k.gupPgmap, rollback: k.rollback, irqOff: k.irqOff, coarse: k.pinPolicy === 'coarse', memKind: k.memKind, pmd: k.mapping === 'pmd', pmdOffset: k.pmdOffset !== false },
    },
    pages: { machine: zoneDevicePages, input: { nPages: N, idleRef: 1 } },
    pgmap: { machine: devPagemap, input: { refMode: k.getPageTakesPgmap ? 'per-ref' : 'none' } },
    driver: { machine: pmemDriver, thread: true, input: { revoke: k.pinPolicy === 'fine' && k.revoke === true } },
  };
  if (spec) actors.spec = { machine: speculativeRef, thread: true, input: { pfn: 0 } };
  const putters = spec ? [['user', 'pages', 'pgmap'], ['spec', 'pages', 'pgmap']] : [['user', 'pages', 'pgmap']];
  return {
    actors,
    events: {
      device_release_driver: { local: ['driver'] },
      unmap_mapping_range: { sync: [spec ? ['driver', 'user', 'spec'] : ['driver', 'user']] },
      percpu_ref_kill: { sync: [['driver', 'pgmap']] },
      wait_for_completion: { sync: [['driver', 'pgmap']] },
      arch_remove_memory: { sync: [['driver', 'pages']] },
      vma_get: { sync: [['user', 'pgmap']] },
      vma_put: { sync: [['user', 'pgmap']] },
      access_memory: { sync: [['user', 'pages']], params: { pfn: pfns, who: ['user', 'dma'] } },
      get_user_pages_fast: { local: ['user'] },
      gup_pte_range: { local: ['user'], params: { pfn: pfns, present: [true, false] } },
      get_dev_pagemap: { sync: [['user', 'pgmap']], params: { ok: [true, false] } },
      get_page: { sync: [['user', 'pages', 'pgmap']], params: { pfn: pfns } },
      put_dev_pagemap: { sync: [['user', 'pgmap']] },
      put_page: { sync: putters, params: { pfn: pfns, zero: [false, true] } },
      dma_complete: { local: ['user'] },
      munmap: { sync: [spec ? ['user', 'spec'] : ['user']] },
      ...(spec ? { page_cache_get_speculative: { sync: [['spec', 'pages', 'user']], params: { pfn: [0], ok: [true, false] } } } : { page_cache_get_speculative: { wired: ['pages', 'user'] } }),
      percpu_ref_tryget: { wired: ['pgmap'] },
      percpu_ref_put: { wired: ['pgmap'] },
      blk_queue_enter: { wired: ['pgmap'] },
      blk_queue_exit: { wired: ['pgmap'] },
      folio_ref_inc: { wired: ['pages'] },
      folio_ref_count: { wired: ['pages'] },
      folio_ref_dec: { wired: ['pages'] },
      __bdev_dax_supported: { wired: ['user'] },
      dax_page_idle: { wired: ['pages'] },
      percpu_ref_is_dying: { wired: ['pgmap'] },
      kill_dax: { wired: ['driver'] },
      synchronize_srcu: { wired: ['driver'] },
      ...(spec ? { gup_fast_pte: { wired: ['spec'] } } : {}),
    },
  };
}

const pg = (s: GlobalView) => s.context<DevPagemapContext>('pgmap');
const pages = (s: GlobalView) => s.context<ZoneDevicePagesContext>('pages');
const user = (s: GlobalView) => s.context<GupUserContext>('user');
/** Transient lookups: gup-fast holds the get_dev_pagemap reference until put_dev_pagemap. */
const transient = (s: GlobalView) => (user(s).gupPgmap && (s.matches('user', 'get_page') || s.matches('user', 'put_dev_pagemap')) ? 1 : 0);
const base = (s: GlobalView) => (s.matches('pgmap', 'live') ? 1 : 0);
const hs = { verdict: 'holds' as const, cite: 'PG §5.4: devmap, fine policy with revoke, rollback: all lifetime invariants apply' };
const unbindLive = { verdict: 'holds' as const, cite: 'PG-INV-18: "Under the fine-grained policy, unbind completes once all pins are released"' };
const D = 'docs/models/pgmap-gup-fsync.md';
/** Variants with 4K PTEs have no huge mapping: the S1-R4 situation cannot arise there. */
const noHuge = { 'witness:S1-R4-SUBPAGE-REF': { verdict: 'unreached' as const, cite: 'PG-S1-R4 needs a huge devmap mapping; this variant maps 4K PTEs (mapping: pte)' } };

export default defineSpec({
  name: 'gup-pgmap',
  title: 'GUP pins, dev_pagemap references and pmem unbind (seeds 001, 003, 000)',
  knobs: {
    getPageTakesPgmap: { values: [true, false], default: true, doc: 'get_page/put_page of a ZONE_DEVICE page take/drop a pgmap reference (2015 hunk) or not', cite: 'seed 001 get_page hunk; PG-S1-R1' },
    gupPgmap: { values: [true, false], default: true, doc: 'gup-fast looks up and pins the pgmap (get_dev_pagemap) around get_page, or not', cite: 'seed 001 DW; seed 003 "mm/gup: Drop DAX pgmap accounting"' },
    rollback: { values: [true, false], default: true, doc: 'gup-fast undo_dev_pagemap on a failed pgmap lookup', cite: 'seed 001 undo_dev_pagemap; PG-S1-R3' },
    irqOff: { values: [true, false], default: true, doc: 'gup-fast runs with IRQs off, so a revoke cannot complete during the walk', cite: 'PG-X-R2 [bg]' },
    pinPolicy: { values: ['fine', 'coarse'], default: 'fine', doc: 'fine: pins only for I/O, revoke on unbind; coarse: every DAX VMA pins the pgmap', cite: 'seed 001 DW; PG §5.4 pin policy' },
    revoke: { values: [true, false], default: true, doc: 'the unbind path runs unmap_mapping_range before killing the ref (fine policy)', cite: 'seed 001 DW; seed 003 JG (S3-R4)' },
    speculative: { values: [false, true], default: false, doc: 'a speculative get-unless-zero lookup of pfn 0 runs concurrently', cite: 'seed 001 AM; PG-S1-R2' },
    mapping: { values: ['pte', 'pmd'], default: 'pte', doc: 'the DAX mapping is 4K devmap PTEs, or one huge devmap PMD over both pages: GUP reads the PMD once (follow_devmap_pmd) and takes get_page on each subpage pfn + offset', cite: 'seed 001 follow_devmap_pmd hunk; AM "device pages can be huge"; PG-S1-R4' },
    pmdOffset: { values: [true, false], default: true, doc: 'mutant knob: follow_devmap_pmd adds the subpage offset to the PMD pfn (as posted) or not', cite: 'seed 001 follow_devmap_pmd hunk "pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT"' },
    memKind: { values: ['devmap', 'special', 'none'], default: 'devmap', doc: 'what the DAX PTE is: devmap, special (FS_DAX_LIMITED) or neither', cite: 'seed 000; PG §5.4 memKind' },
  },
  system,
  locks: { i_mmap_rwsem: sectionLock('mapping->i_mmap_rwsem, taken for write by the unbind thread\'s unmap_mapping_range around the zap of the user\'s DAX PTEs.', 'seed 001 DW "forcibly revoke mappings"; seed 003 JG; [bg] mm/memory.c unmap_mapping_range') },
  properties: [
    {
      name: 'INV-1-PIN-KEEPS-PGMAP', kind: 'invariant',
      keySteps: ['get_page', 'percpu_ref_kill'],
      doc: 'While a GUP pin is held, the pgmap is not dead and its memory is present.',
      cite: 'PG-INV-1 (seed 001)',
      check: (s) => user(s).pinned.length === 0 || (!s.matches('pgmap', 'dead') && pages(s).memValid),
      witness: (s) => user(s).pinned.length === N && s.matches('pgmap', 'dying'),
    },
    {
      name: 'INV-2-NO-ACCESS-AFTER-TEARDOWN', kind: 'assertion',
      keySteps: ['arch_remove_memory', 'access_memory'],
      doc: 'No load/store, DMA, struct page dereference or get/put touches memory after arch_remove_memory.',
      cite: 'PG-INV-2 (seeds 001, 003 JG)',
      witness: (s) => s.matches('driver', 'removed') && user(s).result === 'ok',
    },
    {
      name: 'INV-3-REF-BALANCE', kind: 'invariant',
      keySteps: ['page_cache_get_speculative', 'put_page'],
      doc: 'pgmap.count = base + page references above idle (less those held by speculative lookups; none without the get_page hook) + transient lookups + VMA pins (legacy scheme).',
      cite: 'PG-INV-3 (seed 001, derived)',
      check: (s) => {
        if (s.matches('pgmap', 'refcount_underflow') || s.matches('pgmap', 'get_after_death')) return true;
        // references held by a speculative lookup are transient lookups without a pgmap reference;
        // without the get_page hook no page reference holds a pgmap reference
        const specHeld = s.actors.includes('spec') && s.matches('spec', 'holding') ? 1 : 0;
        const extra = pg(s).refMode === 'per-ref' ? pages(s).ref.reduce((a, r) => a + r - 1, 0) - specHeld : 0;
        const vma = user(s).coarse && !s.matches('user', 'mmap') && !s.matches('user', 'unmapped') ? 1 : 0;
        return pg(s).count === base(s) + extra + transient(s) + vma;
      },
      witness: (s) => pg(s).count >= 2 && user(s).pinned.length >= 1,
    },
    { name: 'INV-4-NONNEG', kind: 'assertion', keySteps: ['percpu_ref_kill', 'put_page'], doc: 'Page and pgmap counts never go below zero; get_page needs ref > 0; no get on a dead ref.', cite: 'PG-INV-4 (seed 001)', witness: (s) => s.matches('pgmap', 'dead') },
    {
      name: 'INV-9-GUP-ROLLBACK', kind: 'invariant',
      keySteps: ['get_page', 'get_dev_pagemap'],
      doc: 'A failed GUP leaves every page reference count as it found it.',
      cite: 'PG-INV-9 (seed 001 undo_dev_pagemap)',
      check: (s) => !s.matches('user', 'gup_failed') || user(s).pinned.length === 0,
      witness: (s) => s.matches('user', 'gup_failed'),
    },
    {
      name: 'INV-8-GUP-NOPAGE-FAILS', kind: 'invariant',
      keySteps: ['get_user_pages_fast', 'gup_pte_range'],
      doc: 'Without devmap pages GUP fails with an error and takes no reference (never SIGBUS).',
      cite: 'PG-INV-8 (seed 000)',
      check: (s) => user(s).result !== 'sigbus',
      witness: (s) => user(s).result === 'ok' || user(s).result === 'efault',
    },
    {
      name: 'S1-R4-SUBPAGE-REF', kind: 'invariant',
      keySteps: ['gup_pte_range', 'get_page'],
      doc: 'A page reference taken through a huge devmap PMD is counted on the subpage it names (pfn + offset), not on a compound head: each page\'s refcount is idle + the GUP pins + the speculative reference on it.',
      cite: 'PG-S1-R4; seed 001 DW: "It\'s a bug if a zone_device page is anything but a standalone vanilla page", "We don\'t need to track the pages as a compound unit"',
      check: (s) => {
        if (s.matches('pages', 'use_after_free') || s.matches('pages', 'refcount_bug')) return true;
        const specHeld = (p: number) => (s.actors.includes('spec') && s.matches('spec', 'holding') && p === 0 ? 1 : 0);
        return pages(s).ref.every((r, p) => r === 1 + user(s).pinned.filter((x) => x === p).length + specHeld(p));
      },
      // a GUP pin on a subpage other than the head of a huge devmap mapping, while unbind may run
      witness: (s) => user(s).pmd && user(s).pinned.includes(1) && pages(s).ref[1] === 2,
    },
    { name: 'UNBIND-COMPLETES', kind: 'goal', doc: 'The driver reaches removed.', cite: 'PG §5.1 unbind', reach: (s) => s.matches('driver', 'removed') },
    {
      name: 'INV-18-UNBIND-LIVENESS', kind: 'liveness', form: 'leadsTo',
      keySteps: ['percpu_ref_kill'],
      doc: 'Under the fine policy, unbind completes once all pins are released.',
      cite: 'PG-INV-18',
      p: (s) => s.matches('driver', 'wait') && user(s).pinned.length === 0,
      q: (s) => s.matches('driver', 'removed'),
    },
  ],
  fairness: [
    {
      kind: 'weak',
      events: [
        'unmap_mapping_range', 'percpu_ref_kill', 'wait_for_completion', 'arch_remove_memory',
        'gup_pte_range', 'get_dev_pagemap', 'get_page', 'put_dev_pagemap', 'put_page', 'access_memory', 'dma_complete',
        'page_cache_get_speculative',
      ],
      doc: 'Kernel and device steps are weakly fair per instance: unbind once begun (a kernel thread), the gup-fast walk, the DMA, its completion and the put_page of every pinned page once get_user_pages_fast was called, a speculative lookup. User choices are not fair: device_release_driver, mmap, get_user_pages_fast, munmap.',
    },
  ],
  presets: {
    '2015': {
      doc: 'The 2015 series as posted ("mm: ZONE_DEVICE ... get_user_pages() for dax mappings"): get_page/put_page of a ZONE_DEVICE page take/drop a pgmap reference, gup-fast looks the pgmap up around get_page and rolls back with undo_dev_pagemap, gup-fast runs with IRQs off; pins only for I/O (page references), and unbind does not revoke the mappings: devm_memremap_pages_release WARNs "page mapping is still live!" and proceeds to arch_remove_memory.',
      cite: 'seed 001 hunks (get_page, gup_pte_range, undo_dev_pagemap, follow_devmap_pmd); PG §2.1 [bg, checked] 4.5-era pmem devm_memremap_pages_release; PG §5.4 pin policy',
      knobs: { getPageTakesPgmap: true, gupPgmap: true, rollback: true, irqOff: true, pinPolicy: 'fine', revoke: false, pmdOffset: true },
    },
    '2015+revoke': {
      doc: 'The 2015 series with the proposed fix "forcibly revoke mappings on an unbind/remove event" (DW, seed 001, pmem as storage; done in 2022 by JG, seed 003 S3-R4): unbind runs unmap_mapping_range before killing the ref.',
      cite: 'seed 001 DW "forcibly revoke mappings on an unbind/remove event"; seed 003 JG (S3-R4); PG §5.4 "Fine without revoke violates INV-2"',
      knobs: { getPageTakesPgmap: true, gupPgmap: true, rollback: true, irqOff: true, pinPolicy: 'fine', revoke: true, pmdOffset: true },
    },
  },
  variants: {
    '2015': {
      doc: 'Posted 2015: the fine policy without revoke. Unbind removes the memory while a DAX PTE still maps it (S3-R4).',
      preset: '2015',
      knobs: {},
      expect: {
        ...noHuge,
        '*': hs,
        'INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'violated', cite: 'PG-S3-R4 (JG: shoot down page table mappings before memunmap_pages); PG §2.1 [bg, checked] "WARNs page mapping is still live! but proceeds to arch_remove_memory anyway"; PG §5.4 "Fine without revoke violates INV-2"', keySteps: ['device_release_driver', 'percpu_ref_kill', 'wait_for_completion', 'arch_remove_memory', 'access_memory'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke': {
      doc: 'The 2015 series with the revoke on unbind: every lifetime invariant holds.',
      preset: '2015+revoke',
      knobs: {},
      expect: { ...noHuge, '*': hs, 'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' }, 'INV-18-UNBIND-LIVENESS': unbindLive },
    },
    '2015+revoke:getPageTakesPgmap=false': {
      doc: 'S1-R1 buggy: a page reference taken without a pgmap reference (get_page without the ZONE_DEVICE hook).',
      preset: '2015+revoke',
      knobs: { getPageTakesPgmap: false },
      expect: {
        ...noHuge,
        '*': hs,
        'INV-1-PIN-KEEPS-PGMAP': { verdict: 'violated', cite: 'PG-S1-R1: "Any path that takes a page reference without a pgmap reference allows a use-after-free"', keySteps: ['get_dev_pagemap', 'get_page', 'put_dev_pagemap', 'percpu_ref_kill'] },
        'INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'holds', cite: D + ' (masked: every path to the use-after-free passes through the INV-1 violation, whose states are not expanded, docs/semantics.md §7)' },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke-speculative': {
      doc: 'S1-R2: a speculative get skips the pgmap get, its put_page drops one.',
      preset: '2015+revoke',
      knobs: { speculative: true },
      expect: {
        ...noHuge,
        '*': hs,
        'INV-3-REF-BALANCE': { verdict: 'violated', cite: 'PG-S1-R2 [derived]: accounting hazard', keySteps: ['page_cache_get_speculative', 'spec:put_page'] },
        'INV-1-PIN-KEEPS-PGMAP': { verdict: 'violated', cite: D + ' finding F2 (S1-R2 kills the pgmap early while a GUP pin is held)', keySteps: ['get_page', 'page_cache_get_speculative', 'percpu_ref_kill', 'spec:put_page'] },
        'INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'violated', cite: D + ' finding F2', keySteps: ['page_cache_get_speculative', 'percpu_ref_kill', 'arch_remove_memory', 'spec:put_page'] },
        'INV-4-NONNEG': { verdict: 'violated', cite: 'PG-S1-R2 "underflows the count"', keySteps: ['page_cache_get_speculative', 'percpu_ref_kill', 'spec:put_page'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke:irqOff=false,rollback=false': {
      doc: 'S1-R3 buggy: gup-fast fails on the second page (pgmap dying) and keeps the first page reference.',
      preset: '2015+revoke',
      knobs: { rollback: false, irqOff: false },
      expect: {
        ...noHuge,
        '*': hs,
        'INV-9-GUP-ROLLBACK': { verdict: 'violated', cite: 'PG-S1-R3: all references taken must be released', keySteps: ['get_page', 'gup_pte_range', 'percpu_ref_kill', 'get_dev_pagemap'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke:irqOff=false': {
      doc: 'S1-R3 fixed: undo_dev_pagemap (as posted), with the walk interruptible so the pgmap can die mid-walk.',
      preset: '2015+revoke',
      knobs: { irqOff: false },
      expect: { ...noHuge, '*': hs, 'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' }, 'INV-18-UNBIND-LIVENESS': unbindLive },
    },
    '2015:pinPolicy=coarse': {
      doc: 'Coarse policy: the DAX VMA pins the pgmap; unbind waits for munmap.',
      preset: '2015',
      knobs: { pinPolicy: 'coarse' },
      expect: {
        ...noHuge,
        '*': hs,
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1 (after munmap)' },
        'INV-18-UNBIND-LIVENESS': { verdict: 'violated', cite: 'PG-INV-18 "Under the coarse policy, a still-open VMA blocks unbind; that is expected" (seed 001 DW "blocks device driver unbind indefinitely")', keySteps: ['user:vma_get', 'driver:percpu_ref_kill'] },
      },
    },
    '2015+revoke:gupPgmap=false,irqOff=false': {
      doc: 'X-R2 buggy: gup-fast without a pgmap lookup and without IRQs off; the revoke, kill and removal complete between the lockless PTE read and get_page.',
      preset: '2015+revoke',
      knobs: { gupPgmap: false, irqOff: false },
      expect: {
        ...noHuge,
        '*': hs,
        'INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'violated', cite: 'PG-X-R2: lockless PTE read, then page get; shootdown must not complete in between', keySteps: ['gup_pte_range', 'unmap_mapping_range', 'percpu_ref_kill', 'arch_remove_memory', 'get_page'] },
        'INV-1-PIN-KEEPS-PGMAP': { verdict: 'violated', cite: 'PG-X-R2 (the pin lands on a dead pgmap)', keySteps: ['gup_pte_range', 'unmap_mapping_range', 'percpu_ref_kill', 'get_page'] },
        'INV-4-NONNEG': { verdict: 'violated', cite: 'PG-X-R2 with the 2015 get_page hook: percpu_ref_get on a dead ref', keySteps: ['gup_pte_range', 'unmap_mapping_range', 'percpu_ref_kill', 'get_page'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke:gupPgmap=false': {
      doc: 'X-R2 fixed: IRQs off during the walk keep the shootdown from completing.',
      preset: '2015+revoke',
      knobs: { gupPgmap: false },
      expect: { ...noHuge, '*': hs, 'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' }, 'INV-18-UNBIND-LIVENESS': unbindLive },
    },
    '2015+revoke-pmd': {
      doc: 'S1-R4: one huge devmap PMD: GUP pins the head and a non-head subpage (pfn + offset), each counted on its own page with its own pgmap reference, while unbind revokes, kills, waits and removes.',
      preset: '2015+revoke',
      knobs: { mapping: 'pmd' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S1-R4; seed 001 DW: ZONE_DEVICE pages are standalone, "never \'onlined\'", so get_page on a subpage of a huge mapping needs no compound handling; PG §5.4 devmap: all lifetime invariants apply' },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke-pmd:irqOff=false,rollback=false': {
      doc: 'S1-R3 through a huge PMD: get_dev_pagemap fails for the second subpage once the pgmap is dying, and the head\'s reference is kept without undo_dev_pagemap.',
      preset: '2015+revoke',
      knobs: { rollback: false, irqOff: false, mapping: 'pmd' },
      expect: {
        '*': hs,
        'INV-9-GUP-ROLLBACK': { verdict: 'violated', cite: 'PG-S1-R3: all references taken must be released (the PMD walk of PG-S1-R4: one follow_devmap_pmd read, then get_dev_pagemap per subpage)', keySteps: ['gup_pte_range', 'percpu_ref_kill', 'get_page', 'get_dev_pagemap'] },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke:memKind=none': {
      doc: 'S0-R1 under the 2015 code: a DAX mapping of a device without struct page (brd, before the 2017 mount check): O_DIRECT into it ends in SIGBUS.',
      preset: '2015+revoke',
      knobs: { memKind: 'none' },
      expect: {
        ...noHuge,
        '*': hs,
        'INV-8-GUP-NOPAGE-FAILS': { verdict: 'violated', cite: 'PG-S0-R1; seed 000 DW-patch "it triggers SIGBUS"', keySteps: ['get_user_pages_fast', 'gup_pte_range'] },
        ...['INV-1-PIN-KEEPS-PGMAP', 'INV-2-NO-ACCESS-AFTER-TEARDOWN', 'INV-3-REF-BALANCE'].reduce((o, p) => ({ ...o, [`witness:${p}`]: { verdict: 'unreached' as const, cite: 'without struct page nothing is pinned: the walk ends in SIGBUS' } }), {}),
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
    '2015+revoke-pmd:pmdOffset=false': {
      doc: 'Mutant: follow_devmap_pmd forgets the subpage offset; the reference for the second subpage lands on the head page.',
      preset: '2015+revoke',
      knobs: { mapping: 'pmd', pmdOffset: false },
      mutant: { fn: 'follow_devmap_pmd', change: 'pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT; -> (removed)', cite: 'seed 001 follow_devmap_pmd hunk' },
      expect: {
        '*': hs,
        'S1-R4-SUBPAGE-REF': { verdict: 'violated', cite: 'PG-S1-R4: the reference is not counted on the subpage it names', keySteps: ['gup_pte_range', 'get_page', 'get_dev_pagemap', 'get_page'] },
        'witness:S1-R4-SUBPAGE-REF': { verdict: 'unreached', cite: 'the mutant never takes a reference on subpage 1' },
        'witness:INV-1-PIN-KEEPS-PGMAP': { verdict: 'unreached', cite: 'the S1-R4 violation (at the second get_page) comes before both pages are pinned; violating states are not expanded' },
        'witness:INV-2-NO-ACCESS-AFTER-TEARDOWN': { verdict: 'unreached', cite: 'as witness:INV-1: the I/O never completes past the violation' },
        'UNBIND-COMPLETES': { verdict: 'reached', cite: 'PG §5.1' },
        'INV-18-UNBIND-LIVENESS': unbindLive,
      },
    },
  },
});
