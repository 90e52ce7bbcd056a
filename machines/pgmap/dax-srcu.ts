/**
 * The dax_device liveness and its SRCU read sections (seed 003 DW: "while holding a lock that
 * prevents the pgmap from entering its dying state, it can request to pin that pfn"; [bg]
 * drivers/dax/super.c: dax_read_lock/dax_read_unlock are srcu_read_lock/unlock, dax_alive() tests
 * DAXDEV_ALIVE, kill_dax clears it and synchronize_srcu waits for the sections in flight).
 *
 * `dax_read_lock` {thread, alive}: enters a read section and reports dax_alive(); `dax_read_unlock`
 * {thread}; `kill_dax`: alive = false; `synchronize_srcu`: only when no section is open.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface DaxSrcuContext {
  alive: boolean;
  readers: string[];
}
type Ev =
  | { type: 'dax_read_lock'; thread: string; alive: boolean }
  | { type: 'dax_read_unlock'; thread: string }
  | { type: 'kill_dax' }
  | { type: 'synchronize_srcu' };

const C = 'seed 003 DW (no-dying lock); [bg] drivers/dax/super.c dax_read_lock / kill_dax';

export const daxSrcu = setup({ types: { context: {} as DaxSrcuContext, events: {} as Ev } }).createMachine({
  id: 'dax_srcu',
  context: { alive: true, readers: [] },
  initial: 'srcu',
  states: {
    srcu: {
      tags: ['validEnd'],
      on: {
        dax_read_lock: {
          guard: ({ context, event }) => event.alive === context.alive && !context.readers.includes(event.thread),
          actions: assign(({ context, event }) => ({ readers: [...context.readers, event.thread].sort() })),
          meta: m('dax_read_lock', C, ATOMIC.dax_read_lock),
        },
        dax_read_unlock: {
          guard: ({ context, event }) => context.readers.includes(event.thread),
          actions: assign(({ context, event }) => ({ readers: context.readers.filter((r) => r !== event.thread) })),
          meta: m('dax_read_unlock', C, ATOMIC.dax_read_unlock),
        },
        kill_dax: { actions: assign({ alive: false }), meta: m('kill_dax', C, ATOMIC.kill_dax) },
        synchronize_srcu: { guard: ({ context }) => context.readers.length === 0, actions: assign({}), meta: m('synchronize_srcu', C, ATOMIC.synchronize_srcu) },
      },
    },
  },
});
