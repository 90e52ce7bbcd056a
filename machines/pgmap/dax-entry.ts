/**
 * The DAX mapping entry of one file index whose block is pfn `pfn` (2022 fsdax, an xarray entry):
 * whether a folio is associated with it, and its entry lock (seed 003 title "Hold dax lock over
 * mapping insertion": the entry lock is what keeps two requests for the same folio from racing,
 * the pgmap_request_folios doc "Caller is also responsible for not racing requests").
 *
 * `dax_lock_entry` {associated}: takes the lock (waits while it is held) and reports the entry;
 * `dax_entry_lookup` {associated}: an unlocked look (the racing design); `dax_insert_entry`,
 * `dax_delete_entry`: associate / disassociate; `dax_unlock_entry`.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC_2022 } from './atomicity.js';

export interface DaxEntryContext {
  locked: boolean;
  associated: boolean;
}
type Ev =
  | { type: 'dax_lock_entry'; associated: boolean }
  | { type: 'dax_entry_lookup'; associated: boolean }
  | { type: 'dax_insert_entry' }
  | { type: 'dax_delete_entry' }
  | { type: 'dax_unlock_entry' };

const C = 'seed 003 titles "Hold dax lock over mapping insertion", "Cleanup dax_associate_entry()"; v3 10/25 doc comment';

export const daxEntry = setup({ types: { context: {} as DaxEntryContext, events: {} as Ev, input: {} as { associated?: boolean } } }).createMachine({
  id: 'dax_entry',
  context: ({ input }) => ({ locked: false, associated: input.associated ?? false }),
  initial: 'xa',
  states: {
    xa: {
      tags: ['validEnd'],
      on: {
        dax_lock_entry: {
          guard: ({ context, event }) => !context.locked && event.associated === context.associated,
          actions: assign({ locked: true }),
          meta: m('dax_lock_entry', C, ATOMIC_2022.dax_lock_entry),
        },
        dax_entry_lookup: {
          guard: ({ context, event }) => event.associated === context.associated,
          actions: assign({}),
          meta: m('xas_load', C + ' (no entry lock: requests may race)', ATOMIC_2022.dax_entry_lookup),
        },
        dax_insert_entry: { actions: assign({ associated: true }), meta: m('dax_insert_entry', C, ATOMIC_2022.dax_insert_entry) },
        dax_delete_entry: { actions: assign({ associated: false }), meta: m('dax_delete_mapping_entry', C, ATOMIC_2022.dax_delete_entry) },
        dax_unlock_entry: { guard: ({ context }) => context.locked, actions: assign({ locked: false }), meta: m('dax_unlock_entry', C, ATOMIC_2022.dax_unlock_entry) },
      },
    },
  },
});
