/**
 * A 2022 fsdax user of one ZONE_DEVICE folio (seed 003, "[PATCH v3 10/25] fsdax: Introduce
 * pgmap_request_folios()"): a fault that associates the folio with a mapping entry
 * (dax_associate_entry -> pgmap_request_folios), keeps it mapped, and releases it
 * (pgmap_release_folios) when the mapping goes, or when unbind revokes it (dax_zap_mappings).
 * With `pin: true` it is instead a GUP pin left on the folio by an earlier mapping (it starts
 * holding its reference; only the user's unpin releases it, through folio_put: an atomic
 * dec-and-test whose last put drops the pgmap reference, `put_page` {pfn, zero}).
 *
 * Request ([bg, checked] v3 10/25): `percpu_ref_is_dying` (WARN, fail), `folio_ref_inc`,
 * `folio_ref_count` == 1 ? `percpu_ref_tryget` (result ignored). Release: `folio_put`
 * (`folio_ref_dec`), then `folio_ref_count` == 0 ? `put_dev_pagemap` (`percpu_ref_put`). The inc
 * and the test, the put and the test, are separate steps (PG-S3-R2).
 *
 * Knobs (input): `daxLock`: the request runs inside dax_read_lock with a dax_alive() check (DW's
 * "lock that prevents the pgmap from entering its dying state", PG-S3-R1); `entryLock`: request and
 * release hold the mapping entry's lock, so requests for one folio never race (PG-S3-R2).
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC_2022 } from './atomicity.js';

export interface FolioRequesterInput {
  id: string;
  pfn: number;
  daxLock: boolean;
  entryLock: boolean;
  pin?: boolean;
  /** Release with an atomic dec-and-test (folio_put; the last put drops the pgmap ref), finding F5's fix; v3: put, then test. */
  releaseAtomic?: boolean;
  /**
   * The pgmap the caller passes to pgmap_request_folios / pgmap_release_folios (default 'pgmap').
   * With several pgmaps (PG §5.4), the one found from this folio's pfn, or the one of the first pfn
   * of a span that crosses into the next pgmap. Events carrying a `pgmap` field must name it.
   */
  pgmap?: string;
}
export interface FolioRequesterContext extends Required<FolioRequesterInput> {
  /** Holds a folio reference of its own. */
  owns: boolean;
  /** Inside a dax_read_lock section. */
  daxLocked: boolean;
  /** Between its folio ref change and the matching pgmap ref decision (INV-3 is not checked then). */
  window: boolean;
  result: 'none' | 'mapped' | 'sigbus' | 'released';
}
type Ev = { type: string; [k: string]: any };
const C = 'seed 003 [bg, checked] v3 10/25 pgmap_request_folios';
const R = 'seed 003 [bg, checked] v3 10/25 pgmap_release_folios';
const me = (c: FolioRequesterContext, e: Ev) => e.thread === c.id;
/** The pgmap step goes to the pgmap this caller passed (no `pgmap` field: the only one). */
const onMyPgmap = (c: FolioRequesterContext, e: Ev) => e.pgmap === undefined || e.pgmap === c.pgmap;

export const folioRequester = setup({
  types: { context: {} as FolioRequesterContext, events: {} as Ev, input: {} as FolioRequesterInput },
}).createMachine({
  id: 'folio_requester',
  context: ({ input }) => ({ pin: false, releaseAtomic: false, pgmap: 'pgmap', ...input, owns: input.pin === true, daxLocked: false, window: false, result: input.pin ? ('mapped' as const) : ('none' as const) }),
  initial: 'start',
  // unbind revokes every DAX mapping (dax_zap_mappings / unmap_mapping_range): a mapped folio is released
  on: {
    unmap_mapping_range: { actions: assign({}), meta: m('unmap_mapping_range', 'seed 003 JG: shoot down page table mappings before memunmap_pages (nothing mapped here yet)', ATOMIC_2022.unmap_mapping_range) },
  },
  states: {
    start: {
      always: [{ guard: ({ context }) => context.pin, target: 'mapped' }],
      on: {
        dax_iomap_fault: { target: 'lock', meta: m('dax_iomap_fault', 'seed 003: a DAX fault that inserts a mapping entry', ATOMIC_2022.dax_iomap_fault) },
      },
      tags: ['validEnd'],
    },
    lock: {
      always: [{ guard: ({ context }) => !context.daxLock, target: 'entry' }],
      on: {
        dax_read_lock: [
          { guard: ({ context, event }) => me(context, event) && event.alive, target: 'entry', actions: assign({ daxLocked: true }), meta: m('dax_read_lock', 'seed 003 DW: "while holding a lock that prevents the pgmap from entering its dying state"', ATOMIC_2022.dax_read_lock) },
          { guard: ({ context, event }) => me(context, event) && !event.alive, target: 'unlock_dax', actions: assign({ daxLocked: true, result: 'sigbus' as const }), meta: m('dax_alive', '[bg] !dax_alive(): the fault fails', ATOMIC_2022.dax_read_lock) },
        ],
      },
    },
    entry: {
      on: {
        dax_lock_entry: [
          { guard: ({ context, event }) => context.entryLock && !event.associated, target: 'request', meta: m('dax_lock_entry', 'seed 003 "Hold dax lock over mapping insertion"', ATOMIC_2022.dax_lock_entry) },
          { guard: ({ context, event }) => context.entryLock && event.associated, target: 'unlock_entry', actions: assign({ result: 'mapped' as const }), meta: m('dax_lock_entry', 'the entry is already associated: map it, no new request', ATOMIC_2022.dax_lock_entry) },
        ],
        dax_entry_lookup: [
          { guard: ({ context, event }) => !context.entryLock && !event.associated, target: 'request', meta: m('xas_load', 'no entry lock: requests for one folio may race (PG-S3-R2)', ATOMIC_2022.dax_entry_lookup) },
          { guard: ({ context, event }) => !context.entryLock && event.associated, target: 'unlock_entry', actions: assign({ result: 'mapped' as const }), meta: m('xas_load', 'already associated', ATOMIC_2022.dax_entry_lookup) },
        ],
      },
    },
    request: {
      on: {
        percpu_ref_is_dying: [
          { guard: ({ context, event }) => onMyPgmap(context, event) && event.dying, target: 'unlock_entry', actions: assign({ result: 'sigbus' as const }), meta: m('pgmap_request_folios', C + ' WARN_ON_ONCE(percpu_ref_is_dying) return false -> VM_FAULT_SIGBUS', ATOMIC_2022.percpu_ref_is_dying) },
          { guard: ({ context, event }) => onMyPgmap(context, event) && !event.dying, target: 'folio_ref_inc', meta: m('pgmap_request_folios', C, ATOMIC_2022.percpu_ref_is_dying) },
        ],
      },
    },
    folio_ref_inc: {
      on: {
        folio_ref_inc: { guard: ({ context, event }) => event.pfn === context.pfn, target: 'folio_ref_count', actions: assign({ owns: true, window: true }), meta: m('folio_ref_inc', C, ATOMIC_2022.folio_ref_inc) },
      },
    },
    folio_ref_count: {
      on: {
        folio_ref_count: [
          { guard: ({ context, event }) => event.pfn === context.pfn && event.count === 1, target: 'percpu_ref_tryget', meta: m('folio_ref_count', C + ' "if (folio_ref_count(folio) == 1)"', ATOMIC_2022.folio_ref_count) },
          { guard: ({ context, event }) => event.pfn === context.pfn && event.count !== 1, target: 'dax_insert_entry', actions: assign({ window: false }), meta: m('folio_ref_count', C, ATOMIC_2022.folio_ref_count) },
        ],
      },
    },
    percpu_ref_tryget: {
      on: {
        percpu_ref_tryget: { guard: ({ context, event }) => onMyPgmap(context, event), target: 'dax_insert_entry', actions: assign({ window: false }), meta: m('percpu_ref_tryget', C + ' (result ignored)', ATOMIC_2022.percpu_ref_tryget) },
      },
    },
    dax_insert_entry: {
      on: { dax_insert_entry: { target: 'unlock_entry', actions: assign({ result: 'mapped' as const }), meta: m('dax_insert_entry', 'seed 003 dax_associate_entry', ATOMIC_2022.dax_insert_entry) } },
    },
    unlock_entry: {
      always: [{ guard: ({ context }) => !context.entryLock, target: 'unlock_dax' }],
      on: { dax_unlock_entry: { target: 'unlock_dax', meta: m('dax_unlock_entry', 'seed 003', ATOMIC_2022.dax_unlock_entry) } },
    },
    unlock_dax: {
      always: [{ guard: ({ context }) => !context.daxLocked, target: 'after_fault' }],
      on: {
        dax_read_unlock: { guard: ({ context, event }) => me(context, event), target: 'after_fault', actions: assign({ daxLocked: false }), meta: m('dax_read_unlock', 'seed 003', ATOMIC_2022.dax_read_unlock) },
      },
    },
    after_fault: {
      always: [{ guard: ({ context }) => context.result === 'mapped', target: 'mapped' }, { target: 'done' }],
    },
    mapped: {
      tags: ['validEnd'],
      on: {
        // a gup-fast walk reads this mapping's PTE (the speculative lookup of spec pgmap-folio-2022)
        gup_fast_pte: { actions: assign({}), meta: m('gup_pte_range', 'PG-X-R2: lockless PTE read', ATOMIC_2022.gup_fast_pte) },
        access_memory: { guard: ({ context, event }) => event.pfn === context.pfn && event.who === (context.pin ? 'dma' : 'user'), actions: assign({}), meta: m('load/store/DMA', 'PG-INV-2', ATOMIC_2022.access_memory) },
        munmap: [
          { guard: ({ context }) => context.owns, target: 'release', meta: m('munmap', 'the mapping (or the pin) goes: pgmap_release_folios', ATOMIC_2022.munmap) },
          { target: 'done', meta: m('munmap', 'no reference of its own', ATOMIC_2022.munmap) },
        ],
        unmap_mapping_range: [
          { guard: ({ context }) => !context.pin && context.owns, target: 'release', meta: m('dax_zap_mappings', 'seed 003 title "Introduce dax_zap_mappings()"; JG shootdown before memunmap_pages', ATOMIC_2022.unmap_mapping_range) },
          { guard: ({ context }) => !context.pin, target: 'done', meta: m('dax_zap_mappings', 'seed 003', ATOMIC_2022.unmap_mapping_range) },
        ],
      },
    },
    release: {
      always: [
        { guard: ({ context }) => context.pin, target: 'unpin' },
        { guard: ({ context }) => !context.entryLock, target: 'folio_put' },
      ],
      on: { dax_lock_entry: { target: 'folio_put', meta: m('dax_lock_entry', 'the entry is deleted under its lock', ATOMIC_2022.dax_lock_entry) } },
    },
    folio_put: {
      always: [{ guard: ({ context }) => context.releaseAtomic, target: 'folio_put_testzero' }],
      on: { folio_ref_dec: { guard: ({ context, event }) => event.pfn === context.pfn, target: 'release_count', actions: assign({ owns: false, window: true }), meta: m('folio_put', R, ATOMIC_2022.folio_ref_dec) } },
    },
    folio_put_testzero: {
      on: {
        put_page: {
          guard: ({ context, event }) => event.pfn === context.pfn,
          target: 'release_unlock',
          actions: assign({ owns: false }),
          meta: m('folio_put', 'finding F5 fix (docs/models/pgmap-gup-fsync.md): atomic dec-and-test, the last put drops the pgmap reference', ATOMIC_2022.put_page),
        },
      },
    },
    unpin: {
      on: {
        put_page: {
          guard: ({ context, event }) => event.pfn === context.pfn,
          target: 'done',
          actions: assign({ owns: false, result: 'released' as const }),
          meta: m('unpin_user_page', '[bg] folio_put: atomic dec-and-test; the last put of a ZONE_DEVICE folio drops its pgmap reference', ATOMIC_2022.put_page),
        },
      },
    },
    release_count: {
      on: {
        folio_ref_count: [
          { guard: ({ context, event }) => event.pfn === context.pfn && event.count === 0, target: 'put_dev_pagemap', meta: m('folio_ref_count', R + ' "if (!folio_ref_count(folio)) put_dev_pagemap"', ATOMIC_2022.folio_ref_count) },
          { guard: ({ context, event }) => event.pfn === context.pfn && event.count !== 0, target: 'release_unlock', actions: assign({ window: false }), meta: m('folio_ref_count', R, ATOMIC_2022.folio_ref_count) },
        ],
      },
    },
    put_dev_pagemap: {
      on: { percpu_ref_put: { guard: ({ context, event }) => onMyPgmap(context, event), target: 'release_unlock', actions: assign({ window: false }), meta: m('put_dev_pagemap', R, ATOMIC_2022.put_dev_pagemap) } },
    },
    // (release_unlock also disassociates the entry: dax_delete_mapping_entry)
    release_unlock: {
      on: { dax_delete_entry: { target: 'release_unlock2', meta: m('dax_delete_mapping_entry', 'seed 003 dax_disassociate_entry', ATOMIC_2022.dax_delete_entry) } },
    },
    release_unlock2: {
      always: [{ guard: ({ context }) => !context.entryLock, target: 'done', actions: assign({ result: 'released' as const }) }],
      on: { dax_unlock_entry: { target: 'done', actions: assign({ result: 'released' as const }), meta: m('dax_unlock_entry', 'seed 003', ATOMIC_2022.dax_unlock_entry) } },
    },
    done: { tags: ['validEnd'] },
  },
});
