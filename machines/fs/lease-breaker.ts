/**
 * A syscall lease breaker: one thread running fallocate(PUNCH_HOLE) / truncate (xfs_setattr_size)
 * / write(2) on file `f`, through `xfs_break_layouts` (P05), or, on a v6 sealed inode, getting
 * -ETXTBSY (MD-K1 immutable). Also device-dax shutdown, `kill_dev_dax` (P10, MD-R12).
 *
 * Input (`LeaseBreakerInput`): `restartBreaks` (the F10 fix: the wait's restart breaks a lease taken
 * meanwhile); `kind` 'punch' | 'truncate' | 'write' | 'kill_dev_dax'; `off` (the
 * punched page; truncate frees every page); `immutable` (v6: the breaker checks the seal instead of
 * breaking layouts).
 *
 * Program (P05 xfs_break_layouts, then the operation under IOLOCK_EXCL + MMAPLOCK_EXCL):
 *   xfs_ilock(IOLOCK_EXCL)
 *   loop: break_layout(inode, false)                 __break_lease_none | __break_lease {n} ...
 *         on -EWOULDBLOCK: xfs_iunlock(IOLOCK_EXCL); break_layout(inode, true); xfs_ilock(IOLOCK_EXCL)
 *   xfs_free_file_space / the write              (MMAPLOCK_EXCL, zap, free, unlock: one step)
 * kill_dev_dax (P10): kill_dax; break_layout(inode, true); unmap_mapping_range(..., 0, 0, 1); then
 * the device's pages may be handed to another device (`dax_pages_reassign`).
 *
 * MD-C7 (`c7Precedence`, the precedence bug of the `while` condition:
 * `error = break_layout(inode, false) == -EWOULDBLOCK` assigns 0 or 1) with `error` (a configuration
 * of the environment, `breakLayoutError` in the spec):
 * - 'enomem': the nonblocking break_layout fails before breaking anything (fs/locks.c [X]
 *   __break_lease: lease_alloc of the breaker's lease, -ENOMEM), `__break_lease_enomem`. As posted
 *   the condition is (-ENOMEM == -EWOULDBLOCK) = 0: xfs_break_layouts returns 0 and the operation
 *   runs with the lease unbroken; with the intended precedence it returns -ENOMEM (IOLOCK dropped,
 *   the syscall fails).
 * - 'eintr': a signal interrupts the waiting break_layout(inode, true) (wait_event_interruptible_
 *   timeout, -ERESTARTSYS), `__break_lease_eintr`. In either precedence the loop goes on: the next
 *   `while` condition overwrites `error`, so the wait's error never reaches the caller.
 * Context `started` (the syscall was issued) and `proceeded` (the operation passed the lease
 * break) are for the liveness properties L1 and L3.
 */
import { assign, setup } from 'xstate';
import { declareAtomicity } from '../mapdirect/atomicity.js';

export interface LeaseBreakerInput {
  readonly kind: 'punch' | 'truncate' | 'write' | 'kill_dev_dax';
  readonly off: number;
  readonly immutable: boolean;
  /** MD-C7 as posted: the `while` condition of xfs_break_layouts assigns the comparison */
  readonly c7Precedence: boolean;
  /** the error break_layout may return: none, -ENOMEM of the nonblocking call, -ERESTARTSYS of the wait */
  readonly error: 'none' | 'enomem' | 'eintr';
  /** F10 fix (docs/models/map-direct.md): __break_lease's restart loop calls lm_break on a conflicting
   * lease that appeared during the wait, as its first loop does; false: [X] fs/locks.c 4.14 waits on it */
  readonly restartBreaks: boolean;
}
interface Ctx extends LeaseBreakerInput {
  started: boolean;
  proceeded: boolean;
}
type Ev = { type: string; [k: string]: any };

const lk = (lock: string, mode: string) => ({ event }: { event: Ev }) => event.lock === lock && event.mode === mode;
const P05 = (fn: string, cite = 'P05 xfs_break_layouts') => ({ fn, cite });

export const leaseBreakerMachine = setup({
  types: {} as { context: Ctx; input: LeaseBreakerInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'lease_breaker',
  context: ({ input }) => ({ ...input, started: false, proceeded: false }),
  initial: 'start',
  states: {
    start: {
      always: { guard: ({ context }) => context.kind === 'kill_dev_dax', target: 'kill', meta: P05('kill_dev_dax', 'P10 device-dax shutdown') },
      on: {
        xfs_ilock: [
          { guard: ({ context, event }) => context.immutable && lk('IOLOCK', 'EXCL')({ event }), target: 'sealed_check', actions: assign({ started: true }), meta: P05('xfs_ilock', 'v6 xfs_file_fallocate xfs_ilock(IOLOCK_EXCL)') },
          { guard: lk('IOLOCK', 'EXCL'), target: 'nowait', actions: assign({ started: true }), meta: P05('xfs_ilock', 'P06 xfs_file_fallocate xfs_ilock(IOLOCK_EXCL)') },
        ],
      },
    },
    sealed_check: {
      on: {
        xfs_fallocate_etxtbsy: { target: 'failed', meta: P05('xfs_file_fallocate', 'MD-K1 v6: breakers get an error') },
        xfs_free_file_space: { guard: ({ context, event }) => context.kind !== 'write' && event.off === (context.kind === 'truncate' ? -1 : context.off), target: 'done', actions: assign({ proceeded: true }), meta: P05('xfs_free_file_space', 'v6: not sealed') },
        xfs_file_dax_write: { guard: ({ context }) => context.kind === 'write', target: 'done', actions: assign({ proceeded: true }), meta: P05('xfs_file_dax_write', 'v6: not sealed') },
      },
    },
    nowait: {
      on: {
        __break_lease_none: { target: 'operate', actions: assign({ proceeded: true }), meta: P05('break_layout', 'P05 break_layout(inode, false) returns 0') },
        __break_lease_enomem: [
          { guard: ({ context }) => context.error === 'enomem' && context.c7Precedence, target: 'operate', actions: assign({ proceeded: true }), meta: P05('break_layout', 'MD-C7 as posted: error = (break_layout(inode, false) == -EWOULDBLOCK) = 0 for -ENOMEM: xfs_break_layouts returns 0') },
          { guard: ({ context }) => context.error === 'enomem', target: 'error_unlock', meta: P05('break_layout', 'MD-C7 fixed: (error = break_layout(inode, false)) == -EWOULDBLOCK is false, xfs_break_layouts returns -ENOMEM') },
        ],
        __break_lease: [
          { guard: ({ event }) => event.n === 0, target: 'drop_iolock', meta: P05('break_layout', 'P05 break_layout(inode, false): every lease already breaking, -EWOULDBLOCK') },
          { target: 'nowait_lm_break', meta: P05('break_layout', 'P05 break_layout(inode, false)') },
        ],
      },
    },
    nowait_lm_break: {
      on: { __break_lease_ewouldblock: { target: 'drop_iolock', meta: P05('break_layout', 'P05 break_layout(inode, false): -EWOULDBLOCK') } },
    },
    drop_iolock: {
      on: { xfs_iunlock: { guard: lk('IOLOCK', 'EXCL'), target: 'wait', meta: P05('xfs_iunlock') } },
    },
    wait: {
      on: {
        __break_lease_none: { target: 'retake_iolock', meta: P05('break_layout', 'P05 break_layout(inode, true) returns 0') },
        __break_lease: [
          { guard: ({ event }) => event.n === 0, target: 'waiting', meta: P05('break_layout', 'P05 break_layout(inode, true): wait') },
          { target: 'wait_lm_break', meta: P05('break_layout', 'P05 break_layout(inode, true)') },
        ],
      },
    },
    wait_lm_break: {
      on: { __break_lease_wait: { target: 'waiting', meta: P05('break_layout', 'P05 break_layout(inode, true): wait') } },
    },
    waiting: {
      on: {
        __break_lease_wakeup: [
          { guard: ({ context }) => context.kind === 'kill_dev_dax', target: 'unmap', actions: assign({ proceeded: true }), meta: P05('break_layout', 'P10 kill_dev_dax break_layout(inode, true) returns') },
          { target: 'retake_iolock', meta: P05('break_layout', 'P05 break_layout(inode, true) returns') },
        ],
        __break_lease_eintr: { guard: ({ context }) => context.error === 'eintr' && context.kind !== 'kill_dev_dax', target: 'retake_iolock', meta: P05('break_layout', 'MD-C7: break_layout(inode, true) interrupted (-ERESTARTSYS); either precedence: the next while condition overwrites error, the loop goes on') },
        time_out_leases: { target: 'waiting', meta: P05('time_out_leases', 'MD A6 [X] wait_event_interruptible_timeout expired') },
        // F10 fix: at `restart:` a lease that is not yet unlock-pending gets FL_UNLOCK_PENDING and its lm_break
        __break_lease: { guard: ({ context, event }) => context.restartBreaks && event.n > 0, target: 'wait_lm_break', meta: P05('__break_lease', 'docs/models/map-direct.md F10 fix: the restart loop breaks a lease taken during the wait ([X] fs/locks.c 4.14 `if (any_leases_conflict(inode, new_fl)) goto restart;` only waits on it)') },
      },
    },
    error_unlock: {
      on: { xfs_iunlock: { guard: lk('IOLOCK', 'EXCL'), target: 'failed', meta: P05('xfs_iunlock', 'xfs_file_fallocate out_unlock: the syscall returns the error of xfs_break_layouts') } },
    },
    retake_iolock: {
      on: { xfs_ilock: { guard: lk('IOLOCK', 'EXCL'), target: 'nowait', meta: P05('xfs_ilock') } },
    },
    operate: {
      on: {
        xfs_free_file_space: {
          guard: ({ context, event }) => context.kind !== 'write' && event.off === (context.kind === 'truncate' ? -1 : context.off),
          target: 'done', meta: P05('xfs_free_file_space', 'MD A7 punch / truncate: MMAPLOCK_EXCL, zap, free; xfs_iunlock'),
        },
        xfs_file_dax_write: { guard: ({ context }) => context.kind === 'write', target: 'done', meta: P05('xfs_file_dax_write', 'MD A7 write(2)') },
      },
    },
    // device-dax shutdown (P10 kill_dev_dax)
    kill: {
      on: { kill_dax: { target: 'kill_wait', actions: assign({ started: true }), meta: P05('kill_dax', 'P10 kill_dev_dax kill_dax') } },
    },
    kill_wait: {
      on: {
        __break_lease_none: { target: 'unmap', actions: assign({ proceeded: true }), meta: P05('break_layout', 'P10 kill_dev_dax break_layout(inode, true): no lease') },
        __break_lease: [
          { guard: ({ event }) => event.n === 0, target: 'waiting', meta: P05('break_layout', 'P10 kill_dev_dax break_layout(inode, true)') },
          { target: 'wait_lm_break', meta: P05('break_layout', 'P10 kill_dev_dax break_layout(inode, true)') },
        ],
      },
    },
    unmap: {
      on: { unmap_mapping_range: { target: 'reassign', meta: P05('unmap_mapping_range', 'P10 kill_dev_dax unmap_mapping_range(i_mapping, 0, 0, 1)') } },
    },
    reassign: {
      on: { dax_pages_reassign: { target: 'done', meta: P05('devm_memunmap_pages', 'P10 "physical pages might get assigned to another device"') } },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
}));
