/**
 * struct lease_direct_state (fs/mapdirect.c, P08): one per (ib_umem, VMA), with `lds_work`
 * (lease_direct_invalidate, scheduled at once by lease_direct_lm_break) as a parallel region.
 *
 * Region `life`: none -> granted (map_direct_lease: get_file, vfs_setlease F_RDLCK, owner lds) ->
 *   destroying (map_direct_lease_destroy: vfs_setlease F_UNLCK) -> `flush_work` (fput, kfree) ->
 *   none (a later registration allocates a new one).
 * Region `work`: idle -> pending (lease_direct_lm_break: test_and_set_bit(BREAK), schedule_work)
 *   -> break_fn (lease_direct_invalidate calls lds_break_fn(lds_owner) = ib_umem_lease_break) ->
 *   F_UNLCK -> done.
 *
 * Input (`LdsInput`):
 * - `zeroBreakTime`: false as posted (P08 lease_direct_lm_break leaves fl_break_time, so the lease
 *   core may time the lease out before lds_work revoked: finding F3); true: set it to 0 as
 *   map_direct_lm_break does.
 * - `kfreeInterior`: true as posted (MD-C10: map_direct_lease's error path kfree(lds), an interior
 *   pointer of the `ld` allocation: tag violation:S9); false: kfree(ld), fput.
 */
import { assign, setup } from 'xstate';
import { declareAtomicity } from './atomicity.js';

export interface LdsInput {
  readonly zeroBreakTime: boolean;
  readonly kfreeInterior: boolean;
}
export interface LdsContext extends LdsInput {
  brk: boolean;
  work: 'idle' | 'pending' | 'running' | 'done';
  granted: boolean;
}
type Ev = { type: string; [k: string]: any };
const P08 = (fn: string, cite = `P08 ${fn}`) => ({ fn, cite });

export const leaseDirectStateMachine = setup({
  types: {} as { context: LdsContext; input: LdsInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'lease_direct_state',
  context: ({ input }) => ({ ...input, brk: false, work: 'idle', granted: false }),
  initial: 'ok',
  states: {
    ok: {
      type: 'parallel',
      on: {
        lease_direct_lm_break: [
          {
            guard: ({ context, event }) => event.zero === context.zeroBreakTime && !context.brk,
            actions: assign({ brk: true, work: 'pending' as const }),
            meta: P08('lease_direct_lm_break', 'P08 lease_direct_lm_break: test_and_set_bit(BREAK), schedule_work'),
          },
          { guard: ({ context, event }) => event.zero === context.zeroBreakTime, actions: assign({}), meta: P08('lease_direct_lm_break') },
        ],
      },
      states: {
        life: {
          initial: 'none',
          states: {
            none: {
              tags: ['validEnd'],
              on: {
                vfs_setlease: { guard: ({ event }) => event.owner === 'lds', target: 'granted', actions: assign({ granted: true }), meta: P08('map_direct_lease', 'P08 map_direct_lease: vfs_setlease(F_RDLCK), fl_owner = lds') },
                vfs_setlease_eagain: [
                  { guard: ({ context, event }) => event.owner === 'lds' && context.kfreeInterior, target: '#lease_direct_state.S9_bad_kfree', meta: P08('map_direct_lease', 'MD-C10 err_setlease: kfree(lds), an interior pointer; file reference leaked') },
                  { guard: ({ event }) => event.owner === 'lds', target: 'none', meta: P08('map_direct_lease', 'P08 map_direct_lease err_setlease (C10 fixed: kfree(ld), fput)') },
                ],
              },
            },
            granted: {
              tags: ['validEnd'],
              on: {
                lease_direct_lm_change: { guard: ({ event }) => event.by === 'destroy', target: 'destroying', actions: assign({ granted: false }), meta: P08('map_direct_lease_destroy', 'P08 map_direct_lease_destroy: vfs_setlease(F_UNLCK)') },
                vfs_setlease_unlck: { guard: ({ event }) => event.owner === 'lds' && event.by === 'destroy', target: 'destroying', actions: assign({ granted: false }), meta: P08('map_direct_lease_destroy', 'P08 map_direct_lease_destroy: vfs_setlease(F_UNLCK), lease already gone') },
              },
            },
            destroying: {
              on: {
                flush_work: {
                  guard: ({ context }) => context.work === 'idle' || context.work === 'done',
                  target: 'none', actions: assign({ brk: false, work: 'idle' as const }),
                  meta: P08('map_direct_lease_destroy', 'P08 map_direct_lease_destroy: flush_work(&lds_work); fput; kfree(ld)'),
                },
              },
            },
          },
        },
        work: {
          initial: 'idle',
          states: {
            idle: {
              always: { guard: ({ context }) => context.work === 'pending', target: 'pending', meta: P08('schedule_work', 'P08 lease_direct_lm_break schedule_work(&lds_work)') },
            },
            pending: {
              on: {
                ib_umem_lease_break: { target: 'break_fn', actions: assign({ work: 'running' as const }), meta: P08('lease_direct_invalidate', 'P08 lease_direct_invalidate (lds_work): lds_break_fn(lds_owner)') },
              },
            },
            break_fn: {
              on: {
                lease_direct_lm_change: { guard: ({ event }) => event.by === 'work', target: 'done', actions: assign({ work: 'done' as const, granted: false }), meta: P08('lease_direct_invalidate', 'P08 lease_direct_invalidate: vfs_setlease(F_UNLCK)') },
                vfs_setlease_unlck: { guard: ({ event }) => event.owner === 'lds' && event.by === 'work', target: 'done', actions: assign({ work: 'done' as const }), meta: P08('lease_direct_invalidate', 'P08 lease_direct_invalidate: F_UNLCK, lease already gone') },
              },
            },
            done: {
              always: { guard: ({ context }) => context.work === 'idle', target: 'idle', meta: P08('map_direct_lease_destroy', 'P08 flush_work done; the lds is freed') },
            },
          },
        },
      },
    },
    S9_bad_kfree: { tags: ['violation:S9'] },
  },
}));
