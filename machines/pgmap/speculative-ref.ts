/**
 * A speculative lookup of one pfn (seed 001 AM: "The core pagecache lookup bypasses get_page() by
 * using page_cache_get_speculative()"): get-unless-zero without a pgmap reference, then `put_page`,
 * which drops a pgmap reference under the 2015 per-reference hook (PG-S1-R2 [derived]), or, in the
 * 2022 scheme, the last put drops the folio's pgmap reference.
 *
 * Input `findFirst` (2022 model): the lookup first finds the folio through its mapping
 * (`gup_fast_pte`, a present PTE of a mapping) and only then takes its reference, like
 * gup-fast: with IRQs off, so a zap of the mapping (`unmap_mapping_range`, `munmap`), which needs a
 * TLB shootdown, cannot complete in between (PG-X-R2). Without it the get is one step (2015 model)
 * and zaps are never held up.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

type Ev =
  | { type: 'page_cache_get_speculative'; pfn: number; ok: boolean }
  | { type: 'put_page'; pfn: number; zero: boolean }
  | { type: 'gup_fast_pte' }
  | { type: 'unmap_mapping_range' }
  | { type: 'munmap' };

const X = m('tlb_shootdown', 'PG-X-R2 [bg]: gup-fast runs with IRQs off, a zap cannot complete meanwhile', ATOMIC.munmap);

export const speculativeRef = setup({
  types: { context: {} as { pfn: number; findFirst: boolean }, events: {} as Ev, input: {} as { pfn: number; findFirst?: boolean } },
}).createMachine({
  id: 'speculative_ref',
  context: ({ input }) => ({ pfn: input.pfn, findFirst: input.findFirst ?? false }),
  initial: 'start',
  on: {
    unmap_mapping_range: { actions: assign({}), meta: X },
    munmap: { actions: assign({}), meta: X },
  },
  states: {
    start: {
      tags: ['validEnd'],
      always: [{ guard: ({ context }) => !context.findFirst, target: 'idle' }],
      on: {
        gup_fast_pte: {
          target: 'idle',
          meta: m('gup_pte_range', 'PG-X-R2: gup-fast reads a present PTE (IRQs off), then takes the folio reference', ATOMIC.gup_fast_pte),
        },
      },
    },
    idle: {
      tags: ['validEnd'],
      on: {
        // IRQs off between the lookup and the get: a forbidden transition holds the zap up
        unmap_mapping_range: { guard: ({ context }) => context.findFirst, meta: X },
        munmap: { guard: ({ context }) => context.findFirst, meta: X },
        page_cache_get_speculative: [
          { guard: ({ context, event }) => event.pfn === context.pfn && event.ok, target: 'holding', meta: m('page_cache_get_speculative', 'seed 001 AM', ATOMIC.page_cache_get_speculative) },
          { guard: ({ context, event }) => event.pfn === context.pfn && !event.ok, target: 'done', meta: m('page_cache_get_speculative', 'seed 001 AM; [bg] page_ref_add_unless(page, n, 0)', ATOMIC.page_cache_get_speculative) },
        ],
      },
    },
    holding: {
      on: { put_page: { guard: ({ context, event }) => event.pfn === context.pfn, target: 'done', meta: m('put_page', 'PG-S1-R2 [derived]', ATOMIC.put_page) } },
    },
    done: { tags: ['validEnd'] },
  },
});
