/**
 * file_lock_context of one inode, restricted to FL_LAYOUT F_RDLCK leases (fs/locks.c as used by
 * P04/P08, and the lease breakers of P05/P06/P10). [X] details from fs/locks.c, MD A6.
 *
 * Every lease is keyed by its owner: `mds` (a map_direct_state, lm_break = map_direct_lm_break) or
 * `lds` (a lease_direct_state, lm_break = lease_direct_lm_break). A lease is GRANTED, then
 * BREAKING once `__break_lease` has set FL_UNLOCK_PENDING and called its `lm_break`, then REMOVED
 * (absent) after F_UNLCK (through `lm_change`) or the core's own timeout (`time_out_leases`, which
 * calls `lease_modify` directly, not `lm_change`).
 *
 * `flc_lock` is modelled by `locked`: `__break_lease` takes it, the `lm_break` callbacks run under
 * it one by one (`breaking`: owners still to call), and the caller's result step
 * (`__break_lease_ewouldblock` / `__break_lease_wait`) drops it. Nothing else touches the lease list
 * meanwhile, so the result the caller sees is the one computed under the lock.
 *
 * Input (`FileLockInput`): `eagainWhileUnlockPending`: `generic_add_lease` refuses a new F_RDLCK
 * lease with -EAGAIN while another lease has FL_UNLOCK_PENDING (MD A6 [X], MD-R8).
 * `breakTimeZero` (K11): lease-break-time is 0, so `__break_lease` sets `fl_break_time` to 0.
 *
 * Events:
 * - `vfs_setlease` {owner} / `vfs_setlease_eagain` {owner}: add a lease / refused.
 * - `map_direct_lm_change` / `lease_direct_lm_change` {by}: F_UNLCK of a present lease (owner mds /
 *   lds); `vfs_setlease_unlck` {owner, by}: F_UNLCK of a lease already gone (no-op).
 * - `__break_lease_none`: the breaker finds no lease: returns 0.
 * - `__break_lease` {n}: the breaker finds leases; `n` of them are not yet pending: each gets
 *   FL_UNLOCK_PENDING and a core break time, and its lm_break is called (`map_direct_lm_break`,
 *   `lease_direct_lm_break` {zero}: `zero` = the callback set `fl_break_time = 0`). With n = 0 the
 *   call returns at once (-EWOULDBLOCK, or starts waiting).
 * - `__break_lease_ewouldblock` / `__break_lease_wait`: after the callbacks, flc_lock dropped.
 * - `__break_lease_wakeup`: a waiter finds no conflicting lease: returns 0.
 * - `time_out_leases`: a waiter's timeout expires: every pending lease whose `fl_break_time` is not
 *   0 is removed by `lease_modify` (past_time(0) is false: 0 means never).
 */
import { assign, setup } from 'xstate';
import { declareAtomicity } from '../mapdirect/atomicity.js';

export interface FileLockInput {
  readonly eagainWhileUnlockPending: boolean;
  /** K11: lease-break-time is 0, so __break_lease sets fl_break_time = 0 ("never time out"). */
  readonly breakTimeZero: boolean;
}
export interface LeaseEntry {
  owner: string;
  pending: boolean;
  /** 'unset': never broken; 'zero': lm_break set fl_break_time = 0; 'core': jiffies + lease_break_time. */
  breakTime: 'unset' | 'zero' | 'core';
}
export interface FileLockContext {
  eagain: boolean;
  breakTimeZero: boolean;
  /** The inode's lease list, in insertion order (`flc_lease`, list_add_tail). */
  leases: LeaseEntry[];
  /** Owners whose lm_break the running __break_lease still has to call (flc_lock held). */
  breaking: string[];
  locked: boolean;
}
type Ev = { type: string; [k: string]: any };
type C = FileLockContext;

const anyPending = (c: C) => c.leases.some((l) => l.pending);
const free = (c: C) => !c.locked;
const count = (c: C) => c.leases.length;
const fresh = (c: C) => c.leases.filter((l) => !l.pending).length;
const held = (c: C, owner: string) => c.leases.some((l) => l.owner === owner);
const remove = (c: C, owner: string) => ({ leases: c.leases.filter((l) => l.owner !== owner) });
const mm = (fn: string, cite: string) => ({ fn, cite });

function lmBreak(c: C, owner: string, zero: boolean): Partial<C> {
  const leases = c.leases.map((l) => (l.owner === owner && zero ? { ...l, breakTime: 'zero' as const } : l));
  return { leases, breaking: c.breaking.slice(1) };
}

/** Whether `owner` holds a lease (for properties). */
export const leaseHeld = (c: FileLockContext, owner: string) => held(c, owner);

export const fileLockContextMachine = setup({
  types: {} as { context: FileLockContext; input: FileLockInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'file_lock_context',
  context: ({ input }) => ({ eagain: input.eagainWhileUnlockPending, breakTimeZero: input.breakTimeZero, leases: [], breaking: [], locked: false }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        vfs_setlease: {
          guard: ({ context, event }) => free(context) && !held(context, event.owner) && !(context.eagain && anyPending(context)),
          actions: assign(({ context, event }) => ({ leases: [...context.leases, { owner: event.owner as string, pending: false, breakTime: 'unset' as const }] })),
          meta: mm('generic_add_lease', 'P04 map_direct_register / P08 map_direct_lease: vfs_setlease(F_RDLCK)'),
        },
        vfs_setlease_eagain: {
          guard: ({ context }) => free(context) && context.eagain && anyPending(context),
          actions: assign({}),
          meta: mm('generic_add_lease', 'MD A6 [X] -EAGAIN while an unlock is pending'),
        },
        map_direct_lm_change: {
          guard: ({ context }) => free(context) && held(context, 'mds'),
          actions: assign(({ context }) => remove(context, 'mds')),
          meta: mm('lease_modify', 'P04 vfs_setlease(F_UNLCK) -> map_direct_lm_change -> lease_modify'),
        },
        lease_direct_lm_change: {
          guard: ({ context }) => free(context) && held(context, 'lds'),
          actions: assign(({ context }) => remove(context, 'lds')),
          meta: mm('lease_modify', 'P08 vfs_setlease(F_UNLCK) -> lease_direct_lm_change -> lease_modify'),
        },
        vfs_setlease_unlck: {
          guard: ({ context, event }) => free(context) && !held(context, event.owner),
          actions: assign({}),
          meta: mm('generic_delete_lease', 'fs/locks.c F_UNLCK of a lease already removed [X]'),
        },
        __break_lease_none: {
          guard: ({ context }) => free(context) && count(context) === 0,
          actions: assign({}),
          meta: mm('__break_lease', 'P05 break_layout: no conflicting lease, returns 0'),
        },
        __break_lease: {
          guard: ({ context, event }) => free(context) && count(context) > 0 && event.n === fresh(context),
          actions: assign(({ context }) => ({
            leases: context.leases.map((l) => (l.pending ? l : { ...l, pending: true, breakTime: context.breakTimeZero ? ('zero' as const) : ('core' as const) })),
            breaking: context.leases.filter((l) => !l.pending).map((l) => l.owner),
            locked: fresh(context) > 0,
          })),
          meta: mm('__break_lease', 'P05 break_layout; fs/locks.c FL_UNLOCK_PENDING, fl_break_time, lm_break loop'),
        },
        map_direct_lm_break: {
          guard: ({ context }) => context.breaking[0] === 'mds',
          actions: assign(({ context }) => lmBreak(context, 'mds', true)),
          meta: mm('map_direct_lm_break', 'P04 map_direct_lm_break (fl_break_time = 0)'),
        },
        lease_direct_lm_break: {
          guard: ({ context }) => context.breaking[0] === 'lds',
          actions: assign(({ context, event }) => lmBreak(context, 'lds', event.zero)),
          meta: mm('lease_direct_lm_break', 'P08 lease_direct_lm_break'),
        },
        __break_lease_ewouldblock: {
          guard: ({ context }) => context.locked && context.breaking.length === 0,
          actions: assign({ locked: false }),
          meta: mm('__break_lease', 'P05 break_layout(inode, false): -EWOULDBLOCK'),
        },
        __break_lease_wait: {
          guard: ({ context }) => context.locked && context.breaking.length === 0,
          actions: assign({ locked: false }),
          meta: mm('__break_lease', 'P05 break_layout(inode, true): wait_event_interruptible_timeout'),
        },
        __break_lease_enomem: {
          guard: ({ context }) => context.leases.length > 0,
          actions: assign({}),
          meta: mm('__break_lease', 'MD-C7; fs/locks.c [X] break_layout: the lease list is not empty; __break_lease: lease_alloc fails, -ENOMEM before any lm_break'),
        },
        __break_lease_wakeup: {
          guard: ({ context }) => free(context) && count(context) === 0,
          actions: assign({}),
          meta: mm('__break_lease', 'P05 break_layout(inode, true): no conflicting lease left, returns 0'),
        },
        time_out_leases: {
          guard: ({ context }) => free(context) && context.leases.some((l) => l.pending && l.breakTime === 'core'),
          actions: assign(({ context }) => ({ leases: context.leases.filter((l) => !(l.pending && l.breakTime === 'core')) })),
          meta: mm('time_out_leases', 'MD A6 [X] the core times a lease out through lease_modify, not lm_change'),
        },
      },
    },
  },
}));
