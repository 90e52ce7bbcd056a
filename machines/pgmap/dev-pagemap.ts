/**
 * `struct dev_pagemap` and its `percpu_ref` (seeds 001, 003): live -> dying (`percpu_ref_kill`)
 * -> dead (count reaches 0). `count` includes the pgmap's own initial reference (`base`).
 *
 * - `get_dev_pagemap` is a tryget-live: it fails once the ref is dying (seed 001 follow_devmap_pmd).
 * - `get_page` / `put_page` of a ZONE_DEVICE page take / drop a pgmap reference when
 *   `refMode` is per-ref (the 2015 `get_page` hunk, seed 001); with on-zero (2022) only the last put drops it.
 * - `percpu_ref_tryget` (2022 `pgmap_request_folios`) succeeds while count > 0, dying or not.
 * - `vma_get` / `vma_put`: the coarse pin policy (seed 001 DW: "pin it active while any vma is
 *   established").
 * A get on a dead ref, or a put that takes the count below zero, is a refcount violation
 * (PG-INV-4) or a use of a dead pgmap (PG-INV-1).
 */
import { assign, setup } from 'xstate';
import { m, type Atomicity } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface DevPagemapInput {
  /** per-ref: get_page/put_page take/drop a pgmap ref (2015 hunk); on-zero: put_page drops it on 1->0 (2022); none. */
  refMode: 'per-ref' | 'on-zero' | 'none';
  /** Initial count: the base reference plus references already held (2022: one per busy folio). */
  initialCount?: number;
  /**
   * The instance's name when a filesystem spans several pgmaps (DM stripe, RAID-0; PG §5.4): an
   * event carrying a `pgmap` field is taken only by the pgmap it names. Default 'pgmap'.
   */
  name?: string;
}
export interface DevPagemapContext {
  name: string;
  count: number;
  refMode: 'per-ref' | 'on-zero' | 'none';
}
type Ev =
  | { type: 'get_dev_pagemap'; ok: boolean }
  | { type: 'put_dev_pagemap' }
  | { type: 'get_page'; pfn: number }
  | { type: 'put_page'; pfn: number; zero: boolean }
  | { type: 'percpu_ref_tryget'; ok: boolean }
  | { type: 'percpu_ref_is_dying'; dying: boolean }
  | { type: 'percpu_ref_put' }
  | { type: 'vma_get' }
  | { type: 'vma_put' }
  | { type: 'percpu_ref_kill' }
  | { type: 'wait_for_completion' }
  | { type: 'blk_queue_enter'; thread: string; ok: boolean }
  | { type: 'blk_queue_exit'; thread: string };

const S1 = 'seed 001 (DW, Dec 2015) get_page / follow_devmap_pmd hunks';
const put = (dying: boolean) => [
  { guard: ({ context }: { context: DevPagemapContext }) => context.count <= 0, target: '#dev_pagemap.refcount_underflow' },
  ...(dying ? [{ guard: ({ context }: { context: DevPagemapContext }) => context.count === 1, target: '#dev_pagemap.dead', actions: assign({ count: 0 }) }] : []),
  { actions: assign({ count: ({ context }: { context: DevPagemapContext }) => context.count - 1 }) },
];
const withMeta = (ts: any[], fn: string, cite: string, atomic: Atomicity) => ts.map((t) => ({ ...t, meta: m(fn, cite, atomic) }));

function common(dying: boolean): any {
  return {
    put_dev_pagemap: withMeta(put(dying), 'put_dev_pagemap', S1, ATOMIC.put_dev_pagemap),
    percpu_ref_put: withMeta(put(dying), 'percpu_ref_put', 'seed 003 [bg, checked] v3 10/25 release: put_dev_pagemap on the last folio put', ATOMIC.percpu_ref_put),
    vma_put: withMeta(put(dying), 'percpu_ref_put', 'seed 001 DW: coarse pinning, pin while any dax vma is established', ATOMIC.vma_put),
    blk_queue_exit: withMeta(put(dying), 'blk_queue_exit', 'PG §2.1 [bg, checked] pgmap->ref is q_usage_counter', ATOMIC.blk_queue_exit),
    put_page: [
      {
        guard: ({ context, event }: any) => context.refMode === 'none' || (context.refMode === 'on-zero' && !event.zero),
        actions: assign({}),
        meta: m('put_page', S1 + ' (no pgmap reference dropped by this put)', ATOMIC.put_page),
      },
      ...withMeta(put(dying), 'put_page', S1 + ' put_dev_pagemap from put_page of a zone_device page', ATOMIC.put_page),
    ],
    percpu_ref_is_dying: {
      guard: ({ event }: any) => event.dying === dying,
      actions: assign({}),
      meta: m('percpu_ref_is_dying', 'seed 003 [bg, checked] v3 10/25: "if (WARN_ON_ONCE(percpu_ref_is_dying(&pgmap->ref))) return false"', ATOMIC.percpu_ref_is_dying),
    },
    percpu_ref_tryget: {
      guard: ({ context, event }: any) => event.ok === context.count > 0,
      actions: assign({ count: ({ context, event }: any) => context.count + (event.ok ? 1 : 0) }),
      meta: m('percpu_ref_tryget', 'seed 003 [bg, checked] v3 10/25: percpu_ref_tryget, result ignored', ATOMIC.percpu_ref_tryget),
    },
  };
}

/** A step whose event names a pgmap (`event.pgmap`) belongs to that pgmap only; without the field, to any. */
const forMe = ({ context, event }: any) => event.pgmap === undefined || event.pgmap === context.name;
/** Adds the `forMe` test to the guard of every transition of every state (a configuration with one pgmap is unchanged). */
function scope(states: Record<string, any>): Record<string, any> {
  return Object.fromEntries(
    Object.entries(states).map(([k, st]) => [
      k,
      !st.on
        ? st
        : {
            ...st,
            on: Object.fromEntries(
              Object.entries(st.on).map(([ev, t]) => [ev, (Array.isArray(t) ? t : [t]).map((x: any) => ({ ...x, guard: x.guard ? (a: any) => forMe(a) && x.guard(a) : forMe }))]),
            ),
          },
    ]),
  );
}

const unscoped = setup({
  types: { context: {} as DevPagemapContext, events: {} as Ev, input: {} as DevPagemapInput },
}).createMachine({
  id: 'dev_pagemap',
  context: ({ input }) => ({ name: input.name ?? 'pgmap', count: input.initialCount ?? 1, refMode: input.refMode }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        ...common(false),
        get_dev_pagemap: {
          guard: ({ event }) => event.ok,
          actions: assign({ count: ({ context }) => context.count + 1 }),
          meta: m('get_dev_pagemap', S1 + ' percpu_ref_tryget_live', ATOMIC.get_dev_pagemap),
        },
        blk_queue_enter: {
          guard: ({ event }) => event.ok,
          actions: assign({ count: ({ context }) => context.count + 1 }),
          meta: m('blk_queue_enter', 'PG-X-R1 [bg, checked]', ATOMIC.blk_queue_enter),
        },
        get_page: {
          actions: assign({ count: ({ context }) => context.count + (context.refMode === 'per-ref' ? 1 : 0) }),
          meta: m('get_page', S1 + ' "if (is_zone_device_page(page)) percpu_ref_get(page->pgmap->ref)"', ATOMIC.get_page),
        },
        vma_get: {
          actions: assign({ count: ({ context }) => context.count + 1 }),
          meta: m('percpu_ref_get', 'seed 001 DW: coarse pinning', ATOMIC.vma_get),
        },
        percpu_ref_kill: [
          { guard: ({ context }) => context.count === 1, target: 'dead', actions: assign({ count: 0 }), meta: m('percpu_ref_kill', 'PG §5.1 unbind: kill ref', ATOMIC.percpu_ref_kill) },
          { target: 'dying', actions: assign({ count: ({ context }) => context.count - 1 }), meta: m('percpu_ref_kill', 'PG §5.1 unbind: kill ref', ATOMIC.percpu_ref_kill) },
        ],
      },
    },
    dying: {
      tags: ['validEnd'],
      on: {
        ...common(true),
        get_dev_pagemap: { guard: ({ event }) => !event.ok, actions: assign({}), meta: m('get_dev_pagemap', S1 + ' tryget_live fails once dying', ATOMIC.get_dev_pagemap) },
        blk_queue_enter: { guard: ({ event }) => !event.ok, actions: assign({}), meta: m('blk_queue_enter', 'PG-X-R1: -EIO once the queue is dying', ATOMIC.blk_queue_enter) },
        get_page: {
          actions: assign({ count: ({ context }) => context.count + (context.refMode === 'per-ref' ? 1 : 0) }),
          meta: m('get_page', S1 + ' percpu_ref_get (allowed on a dying ref with count > 0)', ATOMIC.get_page),
        },
      },
    },
    dead: {
      tags: ['validEnd'],
      on: {
        get_dev_pagemap: { guard: ({ event }) => !event.ok, actions: assign({}), meta: m('get_dev_pagemap', S1, ATOMIC.get_dev_pagemap) },
        blk_queue_enter: { guard: ({ event }) => !event.ok, actions: assign({}), meta: m('blk_queue_enter', 'PG-X-R1', ATOMIC.blk_queue_enter) },
        percpu_ref_tryget: { guard: ({ event }) => !event.ok, actions: assign({}), meta: m('percpu_ref_tryget', 'seed 003', ATOMIC.percpu_ref_tryget) },
        percpu_ref_is_dying: { guard: ({ event }) => event.dying, actions: assign({}), meta: m('percpu_ref_is_dying', 'seed 003', ATOMIC.percpu_ref_is_dying) },
        wait_for_completion: { actions: assign({}), meta: m('wait_for_completion', 'PG §5.1 unbind: wait for drain; PG-INV-1 removal only after count==0', ATOMIC.wait_for_completion) },
        get_page: [
          { guard: ({ context }) => context.refMode === 'per-ref', target: 'get_after_death', meta: m('get_page', S1 + ' percpu_ref_get on a dead ref', ATOMIC.get_page) },
          { actions: assign({}), meta: m('get_page', S1, ATOMIC.get_page) },
        ],
        put_page: [
          { guard: ({ context, event }) => context.refMode === 'per-ref' || (context.refMode === 'on-zero' && event.zero), target: 'refcount_underflow', meta: m('put_page', S1, ATOMIC.put_page) },
          { actions: assign({}), meta: m('put_page', S1, ATOMIC.put_page) },
        ],
        put_dev_pagemap: { target: 'refcount_underflow', meta: m('put_dev_pagemap', S1, ATOMIC.put_dev_pagemap) },
        percpu_ref_put: { target: 'refcount_underflow', meta: m('percpu_ref_put', 'seed 003', ATOMIC.percpu_ref_put) },
        vma_put: { target: 'refcount_underflow', meta: m('percpu_ref_put', 'seed 001', ATOMIC.vma_put) },
      },
    },
    refcount_underflow: { tags: ['violation:INV-4-NONNEG'] },
    get_after_death: { tags: ['violation:INV-4-NONNEG'] },
  },
});

/** The machine: every transition of `unscoped`, each also requiring `forMe`. */
export const devPagemap: typeof unscoped = setup({
  types: { context: {} as DevPagemapContext, events: {} as Ev, input: {} as DevPagemapInput },
}).createMachine({ ...(unscoped.config as any), states: scope(unscoped.config.states as Record<string, any>) }) as any;
