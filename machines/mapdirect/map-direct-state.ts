/**
 * struct map_direct_state (fs/mapdirect.c, P04): one per MAP_DIRECT mmap, with its delayed work
 * `mds_work` (map_direct_invalidate) as a parallel region.
 *
 * Region `life` (steps of the mmap / munmap thread):
 *   unregistered -> leased (map_direct_register: vfs_setlease F_RDLCK) -> registered
 *   (i_mapdcount_inc) -> established (xfs_file_mmap_validate returns: vm_private_data = mds) ->
 *   closing (put_map_direct_vma on the last .close: mds_vma = NULL, set_bit(BREAK), F_UNLCK,
 *   flush_delayed_work, iput, put_map_direct) -> released. MD-L6 remap: a second MAP_DIRECT mmap
 *   allocates a new mds (map_direct_register); once this one is freed with no work queued, the
 *   actor stands for the new one (`released` -> leased / inc_then_lease with a fresh context).
 *   With the F7 fix (`mapdcountFirst`) map_direct_register increments i_mapdcount before the lease.
 * Region `work`: idle -> pending (map_direct_lm_break: schedule_delayed_work(lease_break_time*HZ),
 *   a timer, or kicked by flush_delayed_work) -> running (map_direct_invalidate: clear VALID,
 *   read mds_vma, unmap_mapping_range if it was set, F_UNLCK, put_map_direct) -> idle.
 *
 * Input (`MdsInput`), each changing one function of P04:
 * - `invalidateOrder`: 'validFirst' (P04 map_direct_invalidate) or 'zapFirst' (MD-C8 mutant).
 * - `brokenBit`: the bit is_map_direct_broken tests, BREAK (P08) or, as a mutant, VALID.
 * - `faultFlush` (F9 fix) and `flushLock`: the lock that wait cycles, MMAPLOCK (the fix) or, as a
 *   mutant, the mm's mmap_sem (event `mmap_sem_cycle`, synchronised with the process that owns it).
 * - `vmaNullCheck`: false as posted: map_direct_invalidate calls vfs_setlease(vma->vm_file, ...)
 *   outside `if (vma)`, a NULL dereference once put_map_direct_vma cleared mds_vma (finding F4).
 * - `refFix`: false as posted (MD-C5: the lease's mds_ref is put only by map_direct_invalidate);
 *   true: the lease reference is put when the lease is removed (map_direct_lm_change).
 * - `closeFlush`: true as posted (MD-R9 fix: put_map_direct_vma clears mds_vma, sets BREAK and
 *   flushes the work); false: the unfixed put_map_direct_vma (F_UNLCK, iput, put only).
 * - `mapdcountFirst`: false as posted (i_mapdcount_inc after vfs_setlease: finding F7).
 * - `timeoutKill` (MD-K8 SIGKILL, JG3): when lease-break-time expires, map_direct_invalidate also
 *   sends SIGKILL to the process (emit SIGKILL) before it invalidates; false: v7 (SIGBUS only).
 *
 * - `retargetVma` (candidate F6): false as posted: get_map_direct_vma (a VMA split or fork) only
 *   counts, so once the first VMA is closed and freed while the other lives, mds_vma dangles: the
 *   next put_map_direct_vma reads `mds_vma->vm_file` (S9_stale_mds_vma) and map_direct_invalidate
 *   zaps through it (the `vma` actor's use after free). true: mds_vma moves to the surviving VMA.
 *
 * Violations (tag `violation:S9`): a put of a freed mds, a NULL `vma->vm_file` dereference, a read
 * through a stale mds_vma (F6).
 */
import { assign, emit, setup } from 'xstate';
import { declareAtomicity } from './atomicity.js';

export interface MdsInput {
  readonly invalidateOrder: 'validFirst' | 'zapFirst';
  /** F9: false as posted (map_direct_invalidate zaps without waiting for a CPU fault already past
   * xfs_vma_checks); true = after clear_bit(VALID) it waits for faults in flight (MMAPLOCK_EXCL cycle) */
  readonly faultFlush: boolean;
  /** mutant of map_direct_invalidate with the F9 fix: the lock its fault flush cycles, the inode's
   * MMAPLOCK (the fix) or the faulting mm's mmap_sem (`down_write(&vma->vm_mm->mmap_sem); up_write`),
   * which munmap holds for writing while put_map_direct_vma flushes this work */
  readonly flushLock: 'MMAPLOCK' | 'mmap_sem';
  /** mutant of is_map_direct_broken (P08): the bit it tests, MAPDIRECT_BREAK as posted or MAPDIRECT_VALID
   * (the body of is_map_direct_valid, the function above it) */
  readonly brokenBit: 'BREAK' | 'VALID';
  /** mutant of map_direct_lm_break: 'noSigio' (the kill_fasync line removed), 'noSchedule'
   * (schedule_delayed_work removed); 'posted' as posted */
  readonly lmBreak: 'posted' | 'noSigio' | 'noSchedule';
  readonly vmaNullCheck: boolean;
  readonly refFix: boolean;
  readonly closeFlush: boolean;
  readonly mapdcountFirst: boolean;
  readonly timeoutKill: boolean;
  /** candidate F6: false as posted (mds_vma keeps pointing to the first VMA after get_map_direct_vma);
   * true = a non-last put_map_direct_vma of the VMA mds_vma points to moves mds_vma to a surviving one */
  readonly retargetVma: boolean;
}
export interface MdsContext extends MdsInput {
  ref: number;
  vmaref: number;
  valid: boolean;
  brk: boolean;
  /** mds_vma != NULL */
  vma: boolean;
  /** vm_private_data = mds (mmap returned) */
  established: boolean;
  /** put_map_direct_vma is past its F_UNLCK (flush_delayed_work may kick the work) */
  closing: boolean;
  work: 'idle' | 'pending' | 'running';
  zapped: boolean;
  sigio: number;
  freed: boolean;
  /** the local `vma = ACCESS_ONCE(mds->mds_vma)` of map_direct_invalidate */
  vmaSeen: boolean;
  /** F6: the vm_area_struct mds_vma points to: the first one (the `vma` actor) or the split-off part */
  vmaAt: 'orig' | 'split';
  /** F6 as posted: mds_vma points to a vm_area_struct that was closed and freed */
  vmaStale: boolean;
}
type Ev = { type: string; [k: string]: any };
type C = MdsContext;
const P04 = (fn: string, cite = `P04 ${fn}`) => ({ fn, cite });

/** put_map_direct: atomic_dec_and_test(&mds_ref) then kfree. */
const put = (c: C) => ({ ref: c.ref - 1, freed: c.ref - 1 === 0 });
/** The invalidation starts (timer or flush): clear VALID (validFirst) and read mds_vma. */
const start = (c: C) => ({ work: 'running' as const, vmaSeen: c.vma, ...(c.invalidateOrder === 'validFirst' ? { valid: false } : {}) });
/** The lease's F_UNLCK found the lease (lm_change) in the work or in close. */
const unlocked = (c: C, byWork: boolean) => {
  if (c.refFix) return put(c); // the lease reference goes with the lease
  return byWork ? put(c) : {}; // as posted: only map_direct_invalidate puts it
};

/** A new map_direct_state (map_direct_register: kzalloc), before its lease. */
const FRESH = {
  ref: 0, vmaref: 0, valid: false, brk: false, vma: false, established: false, closing: false,
  work: 'idle' as const, zapped: false, sigio: 0, freed: false, vmaSeen: false, vmaAt: 'orig' as const, vmaStale: false,
};
/** MD-L6 remap: the freed mds, with no work queued, stands for the one a second MAP_DIRECT mmap allocates. */
const reusable = (c: C) => c.freed && c.work === 'idle';
/** The lease of map_direct_register taken: mds_ref 1 (+1 for the lease), mds_vmaref 1, VALID, mds_vma. */
const LEASED = { ref: 2, vmaref: 1, valid: true, vma: true };

export const mapDirectStateMachine = setup({
  types: {} as { context: MdsContext; input: MdsInput; events: Ev; emitted: { type: 'SIGIO' } | { type: 'SIGKILL' } },
}).createMachine(declareAtomicity({
  id: 'map_direct_state',
  context: ({ input }) => ({ ...input, ...FRESH }),
  initial: 'ok',
  states: {
    ok: {
      type: 'parallel',
      on: {
        map_direct_lm_break: [
          {
            guard: ({ context }) => !context.brk && context.lmBreak === 'noSigio',
            actions: assign({ brk: true, work: 'pending' as const }),
            meta: P04('map_direct_lm_break', 'mutant: test_and_set_bit(BREAK), schedule_delayed_work; the kill_fasync(SIGIO) line removed'),
          },
          {
            guard: ({ context }) => !context.brk,
            actions: [assign(({ context }) => ({ brk: true, work: context.lmBreak === 'noSchedule' ? context.work : 'pending' as const, sigio: context.sigio + 1 })), emit({ type: 'SIGIO' })],
            meta: P04('map_direct_lm_break', 'P04 map_direct_lm_break: test_and_set_bit(BREAK), schedule_delayed_work, kill_fasync(SIGIO); fl_break_time = 0'),
          },
          { actions: assign({}), meta: P04('map_direct_lm_break', 'P04 map_direct_lm_break: BREAK already set; fl_break_time = 0') },
        ],
        // xfs_vma_checks (P06) through vm_private_data: faults and GUP of the MAP_DIRECT VMA
        faultin_page: { guard: ({ context }) => context.established && context.valid, actions: assign({}), meta: P04('is_map_direct_valid', 'GUP faultin_page -> P06 xfs_vma_checks: is_map_direct_valid(vma->vm_private_data): test_bit(MAPDIRECT_VALID)') },
        xfs_vma_checks: { guard: ({ context }) => context.established && context.valid, actions: assign({}), meta: P04('is_map_direct_valid', 'P06 xfs_vma_checks: is_map_direct_valid(vma->vm_private_data): test_bit(MAPDIRECT_VALID)') },
        get_user_pages_efault: { guard: ({ context, event }) => event.why !== 'invalid' || !context.valid, actions: assign({}), meta: P04('xfs_vma_checks', 'P06 xfs_vma_checks: !is_map_direct_valid -> VM_FAULT_SIGBUS') },
        is_map_direct_broken: { guard: ({ context, event }) => context.established && event.broken === (context.brokenBit === 'VALID' ? context.valid : context.brk), actions: assign({}), meta: P04('is_map_direct_broken', 'P08 is_map_direct_broken: test_bit(MAPDIRECT_BREAK) (mutant: MAPDIRECT_VALID); P09 xfs_filemap_direct_lease') },
      },
      states: {
        life: {
          initial: 'unregistered',
          states: {
            unregistered: {
              tags: ['validEnd'],
              always: { guard: ({ context }) => context.mapdcountFirst, target: 'inc_first', meta: P04('map_direct_register', 'F7 fix: i_mapdcount_inc first') },
              on: {
                vfs_setlease: { guard: ({ event }) => event.owner === 'mds', target: 'leased', actions: assign({ ...LEASED }), meta: P04('map_direct_register', 'P04 map_direct_register: mds_ref 1 (+1 for the lease), VALID, vfs_setlease(F_RDLCK)') },
                vfs_setlease_eagain: { guard: ({ event }) => event.owner === 'mds', target: 'failed', meta: P04('map_direct_register', 'P04 map_direct_register err_setlease') },
              },
            },
            inc_first: {
              tags: ['validEnd'],
              on: { i_mapdcount_inc: { target: 'inc_then_lease', meta: P04('i_mapdcount_inc', 'F7 fix: i_mapdcount_inc before vfs_setlease') } },
            },
            inc_then_lease: {
              on: {
                vfs_setlease: { guard: ({ event }) => event.owner === 'mds', target: 'registered', actions: assign({ ...LEASED }), meta: P04('map_direct_register', 'P04 map_direct_register vfs_setlease(F_RDLCK)') },
                vfs_setlease_eagain: { guard: ({ event }) => event.owner === 'mds', target: 'dec_failed', meta: P04('map_direct_register', 'P04 map_direct_register err_setlease') },
              },
            },
            dec_failed: {
              on: { i_mapdcount_dec: { target: 'failed', meta: P04('i_mapdcount_dec', 'F7 fix: undo the increment on error') } },
            },
            failed: { tags: ['validEnd'] },
            leased: {
              on: { i_mapdcount_inc: { target: 'registered', meta: P04('i_mapdcount_inc', 'P04 map_direct_register i_mapdcount_inc') } },
            },
            registered: {
              on: { mmap_return: { target: 'established', actions: assign({ established: true }), meta: P04('xfs_file_mmap_validate', 'P06 xfs_file_mmap_validate: vma->vm_private_data = mds') } },
            },
            established: {
              tags: ['validEnd'],
              on: {
                vma_open: { actions: assign({ vmaref: ({ context }) => context.vmaref + 1 }), meta: P04('get_map_direct_vma', 'P06 xfs_filemap_direct_open -> P04 get_map_direct_vma: atomic_inc(&mds_vmaref); mds_vma unchanged') },
                vma_close: [
                  { guard: ({ context }) => context.vmaStale, target: '#map_direct_state.S9_stale_mds_vma', meta: P04('put_map_direct_vma', 'F6: put_map_direct_vma: vma = mds->mds_vma; file = vma->vm_file: the first VMA was freed') },
                  {
                    guard: ({ context }) => context.vmaref > 1,
                    actions: assign(({ context, event }) => ({
                      vmaref: context.vmaref - 1,
                      // F6: the closed part is the one mds_vma points to
                      ...((event.piece === 'split') === (context.vmaAt === 'split') ? (context.retargetVma ? { vmaAt: (context.vmaAt === 'orig' ? 'split' : 'orig') as 'orig' | 'split' } : { vmaStale: true }) : {}),
                    })),
                    meta: P04('put_map_direct_vma', 'P04 put_map_direct_vma: not the last vma (atomic_dec_and_test false); F6: mds_vma is not updated as posted'),
                  },
                  { guard: ({ context }) => context.closeFlush, target: 'close_unlck', actions: assign({ vmaref: 0, vma: false, brk: true }), meta: P04('put_map_direct_vma', 'P04 put_map_direct_vma: mds_vma = NULL; set_bit(MAPDIRECT_BREAK)') },
                  { target: 'close_unlck', actions: assign({ vmaref: 0 }), meta: P04('put_map_direct_vma', 'MD-R9 unfixed: no mds_vma = NULL, no BREAK') },
                ],
              },
            },
            close_unlck: {
              on: {
                map_direct_lm_change: { guard: ({ event }) => event.by === 'close', target: 'close_flush', actions: assign(({ context }) => ({ ...unlocked(context, false), closing: true })), meta: P04('put_map_direct_vma', 'P04 put_map_direct_vma vfs_setlease(F_UNLCK)') },
                vfs_setlease_unlck: { guard: ({ event }) => event.owner === 'mds' && event.by === 'close', target: 'close_flush', actions: assign({ closing: true }), meta: P04('put_map_direct_vma', 'P04 put_map_direct_vma vfs_setlease(F_UNLCK): lease already gone') },
              },
            },
            close_flush: {
              on: {
                put_map_direct_vma_return: [
                  { guard: ({ context }) => (!context.closeFlush || context.work === 'idle') && (context.freed || context.ref <= 0), target: '#map_direct_state.S9_use_after_free', meta: P04('put_map_direct', 'P04 put_map_direct_vma: put_map_direct of a freed mds') },
                  { guard: ({ context }) => !context.closeFlush || context.work === 'idle', target: 'released', actions: assign(({ context }) => put(context)), meta: P04('put_map_direct', 'P04 put_map_direct_vma: flush_delayed_work returned; iput; put_map_direct') },
                ],
              },
            },
            released: {
              tags: ['validEnd'],
              // MD-L6 remap: A's second MAP_DIRECT mmap runs map_direct_register again, which allocates a new mds
              on: {
                i_mapdcount_inc: { guard: ({ context }) => reusable(context) && context.mapdcountFirst, target: 'inc_then_lease', actions: assign({ ...FRESH }), meta: P04('map_direct_register', 'P04 map_direct_register: kzalloc a new mds (a second MAP_DIRECT mmap); F7 fix: i_mapdcount_inc first') },
                vfs_setlease: { guard: ({ context, event }) => event.owner === 'mds' && reusable(context) && !context.mapdcountFirst, target: 'leased', actions: assign({ ...FRESH, ...LEASED }), meta: P04('map_direct_register', 'P04 map_direct_register: kzalloc a new mds (a second MAP_DIRECT mmap), vfs_setlease(F_RDLCK)') },
                vfs_setlease_eagain: { guard: ({ context, event }) => event.owner === 'mds' && reusable(context) && !context.mapdcountFirst, target: 'failed', actions: assign({ ...FRESH }), meta: P04('map_direct_register', 'P04 map_direct_register err_setlease (a second MAP_DIRECT mmap)') },
              },
            },
          },
        },
        work: {
          initial: 'idle',
          states: {
            idle: {
              always: { guard: ({ context }) => context.work === 'pending', target: 'pending', meta: P04('schedule_delayed_work', 'P04 map_direct_lm_break schedule_delayed_work(&mds_work, lease_break_time*HZ)') },
            },
            pending: {
              always: { guard: ({ context }) => context.freed, target: '#map_direct_state.S9_use_after_free', meta: P04('put_map_direct', 'kfree(mds) with mds_work still queued or running: use after free') },
              after: {
                45000: [
                  { guard: ({ context }) => context.timeoutKill, target: 'running', actions: [emit({ type: 'SIGKILL' }), assign(({ context }) => start(context))], meta: P04('map_direct_invalidate', 'MD-K8 SIGKILL (JG3 "using SIGKILL if the lease-break-time hits"): SIGKILL the holder, then clear_bit(VALID); vma = ACCESS_ONCE(mds_vma)') },
                  { target: 'running', actions: assign(({ context }) => start(context)), meta: P04('map_direct_invalidate', 'P04 schedule_delayed_work(lease_break_time*HZ) expired: clear_bit(VALID); vma = ACCESS_ONCE(mds_vma)') },
                ],
              },
              on: {
                flush_delayed_work: {
                  guard: ({ context }) => context.closing && context.closeFlush,
                  target: 'running', actions: assign(({ context }) => start(context)),
                  meta: P04('flush_delayed_work', 'P04 put_map_direct_vma flush_delayed_work runs map_direct_invalidate now'),
                },
              },
            },
            running: {
              always: { guard: ({ context }) => context.freed, target: '#map_direct_state.S9_use_after_free', meta: P04('put_map_direct', 'kfree(mds) with mds_work still queued or running: use after free') },
              initial: 'flush_faults',
              states: {
                flush_faults: {
                  always: { guard: ({ context }) => !context.faultFlush || context.invalidateOrder !== 'validFirst', target: 'zap', meta: P04('map_direct_invalidate', 'P04 as posted: clear_bit(VALID), then unmap_mapping_range at once: a fault past its is_map_direct_valid check is not waited for (F9)') },
                  on: {
                    xfs_ilock_cycle: { guard: ({ context }) => context.flushLock === 'MMAPLOCK', target: 'zap', meta: P04('map_direct_invalidate', 'F9 fix: after clear_bit(VALID), wait for faults in flight (a filesystem hook: xfs_ilock(MMAPLOCK_EXCL); xfs_iunlock), then zap') },
                    mmap_sem_cycle: { guard: ({ context }) => context.flushLock === 'mmap_sem', target: 'zap', meta: P04('map_direct_invalidate', 'mutant of the F9 fix: the fault flush cycles the mapping mm\'s mmap_sem (down_write(&vma->vm_mm->mmap_sem); up_write) instead of MMAPLOCK') },
                  },
                },
                zap: {
                  always: { guard: ({ context }) => !context.vmaSeen, target: 'after_zap', meta: P04('map_direct_invalidate', 'P04 map_direct_invalidate: if (vma) skipped, mds_vma is NULL') },
                  on: {
                    unmap_mapping_range: { guard: ({ context, event }) => (event.vma ?? 'orig') === context.vmaAt, target: 'after_zap', actions: assign({ zapped: true }), meta: P04('unmap_mapping_range', 'P04 map_direct_invalidate: if (vma) unmap_mapping_range(mapping, start, len, 1)') },
                  },
                },
                after_zap: {
                  always: [
                    { guard: ({ context }) => context.invalidateOrder === 'validFirst', target: 'unlck', meta: P04('map_direct_invalidate', 'P04 map_direct_invalidate: VALID already clear') },
                    { target: 'clear_valid', meta: P04('map_direct_invalidate', 'MD-C8 mutant: VALID still set after the zap') },
                  ],
                },
                clear_valid: {
                  on: { clear_bit_VALID: { target: 'unlck', actions: assign({ valid: false }), meta: P04('map_direct_invalidate', 'MD-C8 mutant: clear_bit(VALID) after the zap') } },
                },
                unlck: {
                  always: { guard: ({ context }) => !context.vmaSeen && !context.vmaNullCheck, target: '#map_direct_state.S9_null_vma_deref', meta: P04('map_direct_invalidate', 'P04 map_direct_invalidate: vfs_setlease(vma->vm_file, F_UNLCK) with vma NULL (F4)') },
                  on: {
                    map_direct_lm_change: {
                      guard: ({ event }) => event.by === 'work',
                      target: '#map_direct_state.ok.work.idle',
                      actions: assign(({ context }) => ({ ...unlocked(context, true), work: 'idle' as const })),
                      meta: P04('map_direct_invalidate', 'P04 map_direct_invalidate: vfs_setlease(vma->vm_file, F_UNLCK); put_map_direct'),
                    },
                    vfs_setlease_unlck: {
                      guard: ({ event }) => event.owner === 'mds' && event.by === 'work',
                      target: '#map_direct_state.ok.work.idle',
                      actions: assign(({ context }) => ({ ...(context.refFix ? {} : put(context)), work: 'idle' as const })),
                      meta: P04('map_direct_invalidate', 'P04 map_direct_invalidate: F_UNLCK of a lease already gone; put_map_direct'),
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    S9_null_vma_deref: { tags: ['violation:S9'] },
    S9_stale_mds_vma: { tags: ['violation:S9'] },
    S9_use_after_free: { tags: ['violation:S9'] },
  },
}));
