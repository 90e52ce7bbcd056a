/**
 * CPU cache and persistent media for the one watched ("ghost") store of a durability check
 * (seed 004 RZ3 `wb_cache_pmem` / `wmb_pmem`, RZ6 "ensure file data is on persistent storage").
 *
 * Only one store is watched: the user thread chooses nondeterministically which store it is
 * (`store_watched`); every other store is unobservable for INV-11 and is not modelled. The store
 * sits in the CPU cache (`cache`) until a `wb_cache_pmem` (CLWB) of its block on its device moves it
 * to `written_back` (by that CPU), and a `wmb_pmem` (SFENCE) of the same CPU makes it durable.
 * With `platformFlush: 'none'` (`!arch_has_pmem_api()`), `wb_cache_pmem` does nothing.
 * Block = sector = pfn (one name: block); a PMD flush covers `n` blocks.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface PmemMediaInput {
  platformFlush: 'pmem-api' | 'none';
  /** Thread ids of the fsync callers, to record which ones began after the store. */
  fsyncThreads: string[];
}
export interface Watched {
  index: number;
  block: number;
  dev: string;
  phase: 'cache' | 'written_back' | 'media';
  /** CPUs whose CLWB covered the store (a fence orders its own CPU's CLWBs). */
  wbBy: string[];
  /** For each fsync thread: the store completed before that fsync began. */
  before: Record<string, boolean>;
}
export interface PmemMediaContext {
  platformFlush: 'pmem-api' | 'none';
  watch: Watched | null;
}

type Ev =
  | { type: 'store_watched'; index: number; block: number; dev: string }
  | { type: 'vfs_fsync_range'; thread: string }
  | { type: 'wb_cache_pmem'; thread: string; dev: string; block: number; n: number }
  | { type: 'wmb_pmem'; thread: string };

export const pmemMedia = setup({
  types: { context: {} as PmemMediaContext, events: {} as Ev, input: {} as PmemMediaInput },
}).createMachine({
  id: 'pmem_media',
  context: ({ input }) => ({ platformFlush: input.platformFlush, watch: null }),
  initial: 'media',
  states: {
    media: {
      tags: ['validEnd'],
      on: {
        store_watched: {
          guard: ({ context }) => context.watch === null,
          meta: m('store (user mmap write through a DAX PTE/PMD)', 'seed 004 RZ6 cover letter; PG-INV-11', ATOMIC.store_watched),
          actions: assign(({ event }) => ({
            watch: { index: event.index, block: event.block, dev: event.dev, phase: 'cache' as const, wbBy: [], before: {} },
          })),
        },
        vfs_fsync_range: {
          meta: m('vfs_fsync_range', 'PG-INV-11 (store completed before fsync was called)', ATOMIC.vfs_fsync_range),
          actions: assign(({ context, event }) =>
            context.watch ? { watch: { ...context.watch, before: { ...context.watch.before, [event.thread]: true } } } : {},
          ),
        },
        wb_cache_pmem: {
          meta: m('wb_cache_pmem', 'P3 pmem: add wb_cache_pmem() to the PMEM API (seed 004 RZ3)', ATOMIC.wb_cache_pmem),
          actions: assign(({ context, event }) => {
            const w = context.watch;
            if (context.platformFlush === 'none' || !w || w.phase === 'media') return {};
            if (w.dev !== event.dev || w.block < event.block || w.block >= event.block + event.n) return {};
            if (w.wbBy.includes(event.thread)) return {};
            return { watch: { ...w, phase: 'written_back' as const, wbBy: [...w.wbBy, event.thread].sort() } };
          }),
        },
        wmb_pmem: {
          meta: m('wmb_pmem', 'P3 (seed 004 RZ3): "requires explicit ordering with a wmb_pmem() call"', ATOMIC.wmb_pmem),
          actions: assign(({ context, event }) => {
            const w = context.watch;
            if (!w || w.phase !== 'written_back' || !w.wbBy.includes(event.thread)) return {};
            return { watch: { ...w, phase: 'media' as const } };
          }),
        },
      },
    },
  },
});
