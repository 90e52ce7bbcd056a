/**
 * The `struct page` / folio refcounts of the ZONE_DEVICE pages of one pgmap, and whether the
 * memory behind them is still there (`memValid`, false after `arch_remove_memory`).
 *
 * Idle refcount `idleRef`: 1 in the legacy scheme, 0 since the 2022 series (seed 003, AP).
 * - `get_page`: `VM_BUG_ON_PAGE(_count <= 0)` then inc (seed 001 hunk).
 * - `page_cache_get_speculative`: get-unless-zero, no pgmap reference (seed 001 AM).
 * - `folio_ref_inc` / `folio_ref_count` / `folio_put`: the 2022 request / release steps, with the
 *   inc and the `== 1` test as separate steps (seed 003, S3-R2).
 * - `access_memory` (load/store through a PTE, DMA, `wb_cache_pmem`): after memory removal it is a
 *   use-after-free (PG-INV-2).
 * Block = sector = pfn; pages are indexed by pfn 0..n-1.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface ZoneDevicePagesInput {
  nPages: number;
  idleRef: 0 | 1;
  /** Initial refcounts (default idleRef each); 2022: 1 for folios already associated with a mapping. */
  initialRef?: number[];
}
export interface ZoneDevicePagesContext {
  ref: number[];
  idleRef: number;
  memValid: boolean;
}
type Ev =
  | { type: 'get_page'; pfn: number }
  | { type: 'put_page'; pfn: number; zero: boolean }
  | { type: 'page_cache_get_speculative'; pfn: number; ok: boolean }
  | { type: 'folio_ref_inc'; pfn: number }
  | { type: 'folio_ref_count'; pfn: number; count: number }
  | { type: 'folio_ref_dec'; pfn: number }
  | { type: 'dax_page_idle'; pfn: number }
  | { type: 'access_memory'; pfn: number; who: string }
  | { type: 'arch_remove_memory' };

const S1 = 'seed 001 get_page hunk';
const upd = (ref: number[], pfn: number, d: number) => ref.map((r, i) => (i === pfn ? r + d : r));

export const zoneDevicePages = setup({
  types: { context: {} as ZoneDevicePagesContext, events: {} as Ev, input: {} as ZoneDevicePagesInput },
}).createMachine({
  id: 'zone_device_pages',
  context: ({ input }) => ({ ref: input.initialRef ?? Array.from({ length: input.nPages }, () => input.idleRef), idleRef: input.idleRef, memValid: true }),
  initial: 'pages',
  states: {
    pages: {
      tags: ['validEnd'],
      on: {
        get_page: [
          { guard: ({ context }) => !context.memValid, target: 'use_after_free', meta: m('get_page', 'PG-INV-2: pfn_to_page dereference after teardown', ATOMIC.get_page) },
          { guard: ({ context, event }) => context.ref[event.pfn] <= 0, target: 'refcount_bug', meta: m('get_page', S1 + ' VM_BUG_ON_PAGE(atomic_read(&page->_count) <= 0)', ATOMIC.get_page) },
          { actions: assign({ ref: ({ context, event }) => upd(context.ref, event.pfn, 1) }), meta: m('get_page', S1, ATOMIC.get_page) },
        ],
        put_page: [
          { guard: ({ context }) => !context.memValid, target: 'use_after_free', meta: m('put_page', 'PG-INV-2', ATOMIC.put_page) },
          { guard: ({ context, event }) => context.ref[event.pfn] <= 0, target: 'refcount_bug', meta: m('put_page', 'PG-INV-4', ATOMIC.put_page) },
          {
            guard: ({ context, event }) => event.zero === (context.ref[event.pfn] === 1),
            actions: assign({ ref: ({ context, event }) => upd(context.ref, event.pfn, -1) }),
            meta: m('put_page', S1, ATOMIC.put_page),
          },
        ],
        page_cache_get_speculative: [
          { guard: ({ context }) => !context.memValid, target: 'use_after_free', meta: m('page_cache_get_speculative', 'PG-INV-2', ATOMIC.page_cache_get_speculative) },
          {
            guard: ({ context, event }) => event.ok === context.ref[event.pfn] > 0,
            actions: assign({ ref: ({ context, event }) => upd(context.ref, event.pfn, event.ok ? 1 : 0) }),
            meta: m('page_cache_get_speculative', 'seed 001 AM: "The core pagecache lookup bypasses get_page()"; PG-S1-R2', ATOMIC.page_cache_get_speculative),
          },
        ],
        folio_ref_inc: [
          { guard: ({ context }) => !context.memValid, target: 'use_after_free', meta: m('folio_ref_inc', 'PG-INV-2', ATOMIC.folio_ref_inc) },
          { actions: assign({ ref: ({ context, event }) => upd(context.ref, event.pfn, 1) }), meta: m('folio_ref_inc', 'seed 003 [bg, checked] v3 10/25', ATOMIC.folio_ref_inc) },
        ],
        folio_ref_dec: [
          { guard: ({ context }) => !context.memValid, target: 'use_after_free', meta: m('folio_put', 'PG-INV-2', ATOMIC.folio_ref_dec) },
          { guard: ({ context, event }) => context.ref[event.pfn] <= 0, target: 'refcount_bug', meta: m('folio_put', 'PG-INV-4', ATOMIC.folio_ref_dec) },
          {
            actions: assign({ ref: ({ context, event }) => upd(context.ref, event.pfn, -1) }),
            meta: m('folio_put', 'seed 003 [bg, checked] v3 10/25 pgmap_release_folios: folio_put, then "if (!folio_ref_count) put_dev_pagemap"', ATOMIC.folio_ref_dec),
          },
        ],
        dax_page_idle: [
          {
            guard: ({ context, event }) => context.memValid && context.ref[event.pfn] === context.idleRef,
            actions: assign({}),
            meta: m('dax_page_idle', 'seed 003 titles: "dax_page_idle()", "Wait for pinned pages during truncate_inode_pages_final()"', ATOMIC.dax_page_idle),
          },
          {
            // abstraction: once the memory is gone the filesystem no longer looks at its pages (shutdown not modelled)
            guard: ({ context }) => !context.memValid,
            actions: assign({}),
            meta: m('dax_page_idle', 'abstraction (docs/models/pgmap-gup-fsync.md): no page wait after arch_remove_memory', ATOMIC.dax_page_idle),
          },
        ],
        folio_ref_count: {
          guard: ({ context, event }) => event.count === context.ref[event.pfn],
          actions: assign({}),
          meta: m('folio_ref_count', 'seed 003 [bg, checked] "if (folio_ref_count(folio) == 1) percpu_ref_tryget"', ATOMIC.folio_ref_count),
        },
        access_memory: [
          { guard: ({ context }) => !context.memValid, target: 'use_after_free', meta: m('access_memory', 'PG-INV-2 (load/store/DMA/wb_cache_pmem after arch_remove_memory)', ATOMIC.access_memory) },
          { actions: assign({}), meta: m('access_memory', 'PG-INV-2', ATOMIC.access_memory) },
        ],
        arch_remove_memory: {
          guard: ({ context }) => context.memValid,
          actions: assign({ memValid: false }),
          meta: m('arch_remove_memory', 'PG §2.1 [bg, checked] devm_memremap_pages_release', ATOMIC.arch_remove_memory),
        },
      },
    },
    use_after_free: { tags: ['violation:INV-2-NO-ACCESS-AFTER-TEARDOWN'] },
    refcount_bug: { tags: ['violation:INV-4-NONNEG'] },
  },
});
