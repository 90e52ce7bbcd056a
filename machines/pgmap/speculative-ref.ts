/**
 * A speculative page-cache style lookup of one pfn (seed 001 AM: "The core pagecache lookup
 * bypasses get_page() by using page_cache_get_speculative()"): get-unless-zero without a pgmap
 * reference, then `put_page`, which drops a pgmap reference under the 2015 per-reference hook
 * (PG-S1-R2 [derived]).
 */
import { assign, setup } from 'xstate';

type Ev = { type: 'page_cache_get_speculative'; pfn: number; ok: boolean } | { type: 'put_page'; pfn: number; zero: boolean };

export const speculativeRef = setup({ types: { context: {} as { pfn: number }, events: {} as Ev, input: {} as { pfn: number } } }).createMachine({
  id: 'speculative_ref',
  context: ({ input }) => ({ pfn: input.pfn }),
  initial: 'idle',
  states: {
    idle: {
      tags: ['validEnd'],
      on: {
        page_cache_get_speculative: [
          { guard: ({ context, event }) => event.pfn === context.pfn && event.ok, target: 'holding', meta: { fn: 'page_cache_get_speculative', cite: 'seed 001 AM' } },
          { guard: ({ context, event }) => event.pfn === context.pfn && !event.ok, target: 'done', meta: { fn: 'page_cache_get_speculative', cite: 'seed 001 AM; [bg] page_ref_add_unless(page, n, 0)' } },
        ],
      },
    },
    holding: {
      on: { put_page: { guard: ({ context, event }) => event.pfn === context.pfn, target: 'done', meta: { fn: 'put_page', cite: 'PG-S1-R2 [derived]' } } },
    },
    done: { tags: ['validEnd'] },
  },
});
