/**
 * The application process A (a thread) that maps file `f` and registers an MR on it, and the
 * vm_area_struct of that mapping.
 *
 * `processMachine`. The application's own decisions are the entry steps `mmap`, `xfs_filemap_fault`
 * (a CPU access), `ibv_reg_mr`, `ibv_dereg_mr` and `vma_close` (munmap): it may take them in any
 * order, or never (it may ignore SIGIO: MD A1 "the app may misbehave"). Once it is inside a
 * syscall, the kernel steps that follow run in its context:
 * - mmap (P01 do_mmap, P06 xfs_file_mmap_validate, P04 map_direct_register):
 *   MAP_SHARED_VALIDATE|MAP_DIRECT on a file with ->mmap_validate: [F1 fix: xfs_ilock(IOLOCK_SHARED)]
 *   vfs_setlease -> i_mapdcount_inc (F7 fix: the other way round) -> [xfs_iunlock] -> [K3
 *   xfs_ilock_cycle(MMAPLOCK_EXCL)] -> mmap_return. Without ->mmap_validate: -EOPNOTSUPP (P01).
 *   MAP_SHARED|MAP_DIRECT (K13) or MAP_SHARED: a legacy mapping, `xfs_file_mmap`.
 *   v6 (`seal`): xfs_seal_block_map, then the mapping.
 * - ibv_reg_mr -> ib_umem_get (the `ib_umem` actor) -> ib_reg_user_mr | ib_umem_get_fail.
 * - ibv_dereg_mr -> ib_umem_release -> ib_umem_release_return.
 * - munmap -> put_map_direct_vma (the `map_direct_state` actor) -> put_map_direct_vma_return.
 * SIGIO (kill_fasync) arrives in A's mailbox and is recorded (`notified`).
 * SIGKILL (MD-K5 `sigkill` / MD-K8, JG3: sent by the break callback or the mds timeout) arrives in
 * A's mailbox too: A takes no more decisions of its own; once back in user space it exits. Process
 * exit closes the uverbs fd: `ib_uverbs_close` -> ib_uverbs_cleanup_ucontext deletes the MR (a
 * synchronous hardware fence, JG4) and releases its umem (`ib_umem_release_return`), then `exited`.
 * The exit's munmap (exit_mmap) is not modelled: the MR teardown is what revokes the DMA.
 *
 * Input (`ProcessInput`): `flags`; `mmapValidate` (the fs has ->mmap_validate); `seal` (v6);
 * `setupIolock` (F1 fix); `setupFaultFlush` (K3); `mapdcountFirst` (F7 fix); `regMr`;
 * `reregister` (may register again after deregistering: L6); `faultOffs` (pages A may touch);
 * `devdax` (MD-K9: /dev/daxX.Y, dax_mmap, no MAP_DIRECT state); `munmapAfterDereg` (an
 * application that munmaps only after ibv_dereg_mr: the MD-C9 discipline); `k10Reject` (MD-K10 at
 * mmap: xfs_file_mmap_validate refuses MAP_DIRECT on a non-DAX or reflinked file, -EOPNOTSUPP);
 * `remap` (MD-L6, JG5: after SIGIO, with its MR deregistered and the VMA unmapped, A may mmap f
 * again once, a new vm_area_struct and map_direct_state, and register over it).
 *
 * `vmaMachine`: mapped (direct or legacy ops), the PTE of each page, and freed (after munmap).
 * Events: mmap_return / xfs_file_mmap (mapped); xfs_vma_checks / faultin_page (a fault's check: GUP
 * faults only with no PTE), dax_iomap_fault {off, direct} (PTE installed); get_user_pages {off}
 * (follow_page_mask: GUP pins the page of a present PTE); unmap_mapping_range (all PTEs zapped; on a freed VMA a use-after-free,
 * violation:S9); xfs_free_file_space {off} (the punched page's PTE zapped); vma_close;
 * put_map_direct_vma_return (freed); ib_umem_get_checks {lease_direct} (vm_ops->lease_direct).
 * Candidate F6 (`vmaSplit`): `vma_open` (split_vma / dup_mmap -> xfs_filemap_direct_open) splits off
 * a part into another vm_area_struct that is not an actor (its PTEs are not modelled; A touches and
 * registers only the part in this struct); `vma_close {piece}` removes either part. This struct is
 * the one mds_vma points to; once it is closed while the other part lives, it is freed.
 */
import { assign, setup } from 'xstate';
import { declareAtomicity, MD_ATOMICITY } from './atomicity.js';
import { m as meta, type Atomicity } from '../meta.js';

export interface ProcessInput {
  readonly flags: 'MAP_SHARED_VALIDATE|MAP_DIRECT' | 'MAP_SHARED|MAP_DIRECT' | 'MAP_SHARED';
  readonly mmapValidate: boolean;
  readonly seal: boolean;
  readonly setupIolock: boolean;
  readonly setupFaultFlush: boolean;
  readonly mapdcountFirst: boolean;
  readonly regMr: boolean;
  readonly reregister: boolean;
  readonly faultOffs: readonly number[];
  /** MD-K9 device-dax: the file is /dev/daxX.Y */
  readonly devdax: boolean;
  /** MD-C9: the application munmaps the MAP_DIRECT VMA only after ibv_dereg_mr (never with a live MR) */
  readonly munmapAfterDereg: boolean;
  /** MD-K10 mmap (DCr6): xfs_file_mmap_validate rejects MAP_DIRECT on this file (not DAX, or reflinked) */
  readonly k10Reject: boolean;
  /** candidate F6: the application may split its MAP_DIRECT VMA once (split_vma / dup_mmap -> vm_ops->open) */
  readonly vmaSplit: boolean;
  /** mutant of do_mmap (P01): the `if (!file->f_op->mmap_validate) return -EOPNOTSUPP;` line removed */
  readonly mutNoValidateCheck: boolean;
  /** MD-L6: after SIGIO, once it has deregistered and munmapped, A may mmap f again (once) and register over the new mapping */
  readonly remap: boolean;
}
export interface ProcessContext extends ProcessInput {
  mapped: boolean;
  mr: boolean;
  regs: number;
  notified: boolean;
  /** mmap(MAP_SHARED_VALIDATE|MAP_DIRECT) returned -EOPNOTSUPP (the application then maps MAP_SHARED) */
  einval: boolean;
  /** SIGKILL delivered (MD-K5 sigkill, MD-K8 SIGKILL): the process exits on its way back to user space */
  killed: boolean;
  /** F6: the part of the mapping that stays in the original vm_area_struct (the `vma` actor) is mapped */
  origOpen: boolean;
  /** F6: the part split off into a new vm_area_struct (xfs_filemap_direct_open) is mapped */
  splitOpen: boolean;
  didSplit: boolean;
  /** the page of the CPU fault in flight (past xfs_vma_checks), -1 none */
  faultOff: number;
  /** mmaps started (MD-L6 remap: 2 once A maps again) */
  maps: number;
  /** `regs` when the current mapping was started: one registration per mapping (unless `reregister`) */
  regsAtMap: number;
}
type Ev = { type: string; [k: string]: any };
const m = (fn: string, cite: string, atomic: Atomicity = 'local') => meta(fn, cite, atomic);
/** F6: which part of a split mapping a munmap removes ('orig' without a split). */
const piece = (e: Ev): 'orig' | 'split' => (e.piece === 'split' ? 'split' : 'orig');
/** F6: munmap of `e.piece` while the other part stays mapped (put_map_direct_vma is not the last). */
const notLast = (c: ProcessContext, e: Ev) => (piece(e) === 'orig' ? c.origOpen && c.splitOpen : c.splitOpen && c.origOpen);
const lastPiece = (c: ProcessContext, e: Ev) => (piece(e) === 'orig' ? c.origOpen && !c.splitOpen : c.splitOpen && !c.origOpen);
const lk = (lock: string, mode: string) => ({ event }: { event: Ev }) => event.lock === lock && event.mode === mode;

/**
 * do_mmap of f (P01 do_mmap -> mmap_region -> ->mmap_validate): A's first mmap (from `idle`) and,
 * with `remap` (MD-L6), a second one from `user` once it has munmapped in reaction to SIGIO (`may`).
 * Each starts a new mapping: `maps` counts them, `regsAtMap` is `regs` when it started.
 */
type Args = { context: ProcessContext };
type Assign = typeof assign<ProcessContext, Ev, undefined, Ev, never>;
const set: Assign = assign;
const next = set(({ context }) => ({ maps: context.maps + 1, origOpen: true, regsAtMap: context.regs }));
const doMmap = (may: (c: ProcessContext) => boolean) => [
  { guard: ({ context }: Args) => may(context) && context.devdax, target: 'mmap_devdax', actions: next, meta: m('do_mmap', 'P10 mmap of /dev/daxX.Y', MD_ATOMICITY.mmap) },
  { guard: ({ context }: Args) => may(context) && context.seal, target: 'seal', actions: next, meta: m('do_mmap', 'MD-K1 v6: MAP_DIRECT seals the inode', MD_ATOMICITY.mmap) },
  { guard: ({ context }: Args) => may(context) && context.flags !== 'MAP_SHARED_VALIDATE|MAP_DIRECT', target: 'mmap_legacy', actions: next, meta: m('do_mmap', 'P01 do_mmap: MAP_SHARED (MAP_DIRECT ignored, MD-K13)', MD_ATOMICITY.mmap) },
  { guard: ({ context }: Args) => may(context) && !context.mmapValidate, target: 'mmap_legacy', actions: [next, set({ einval: ({ context }) => !context.mutNoValidateCheck })], meta: m('do_mmap', 'P01 do_mmap: MAP_SHARED_VALIDATE without ->mmap_validate: -EOPNOTSUPP; the application falls back to MAP_SHARED', MD_ATOMICITY.mmap) },
  { guard: ({ context }: Args) => may(context) && context.k10Reject, target: 'mmap_legacy', actions: [next, set({ einval: true })], meta: m('xfs_file_mmap_validate', 'MD-K10 reject at mmap (DCr6 "we can move these checks to mmap time"): !IS_DAX or reflinked -> -EOPNOTSUPP; the application falls back to MAP_SHARED', MD_ATOMICITY.mmap) },
  { guard: ({ context }: Args) => may(context) && context.setupIolock, target: 'iolock', actions: next, meta: m('do_mmap', 'P01 do_mmap -> mmap_region -> xfs_file_mmap_validate (P06)', MD_ATOMICITY.mmap) },
  { guard: ({ context }: Args) => may(context) && context.mapdcountFirst, target: 'inc_first', actions: next, meta: m('do_mmap', 'P01 do_mmap -> mmap_region -> xfs_file_mmap_validate (P06)', MD_ATOMICITY.mmap) },
  { guard: ({ context }: Args) => may(context), target: 'setlease', actions: next, meta: m('do_mmap', 'P01 do_mmap -> mmap_region -> xfs_file_mmap_validate (P06)', MD_ATOMICITY.mmap) },
];

/**
 * mmap_sem of A's mm is free (a mutant of map_direct_invalidate cycles it: `mmap_sem_cycle`). A
 * holds it for writing across mmap (P01 vm_mmap_pgoff: down_write around do_mmap) and munmap ([X]
 * mm/mmap.c vm_munmap: down_write around do_munmap -> remove_vma -> vm_ops->close), for reading in
 * a CPU fault ([X] __do_page_fault), and across ib_umem_get ([X] 4.14 umem.c: down_write around the
 * GUP loop, ->lease_direct and ib_dma_map_sg): every other state of A leaves it free.
 */
const mmapSemFree = {
  mmap_sem_cycle: { actions: set({}), meta: m('down_write', '[X] rwsem: down_write(&mm->mmap_sem) is granted once no holder is left', MD_ATOMICITY.mmap_sem_cycle) },
} as const;

export const processMachine = setup({
  types: {} as { context: ProcessContext; input: ProcessInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'process',
  context: ({ input }) => ({ ...input, mapped: false, mr: false, regs: 0, notified: false, einval: false, killed: false, origOpen: true, splitOpen: false, didSplit: false, faultOff: -1, maps: 0, regsAtMap: 0 }),
  on: {
    SIGIO: { actions: assign({ notified: true }), meta: m('kill_fasync', 'P04 map_direct_lm_break kill_fasync(&fl->fl_fasync, SIGIO, POLL_MSG)') },
    SIGKILL: { actions: assign({ killed: true }), meta: m('send_sig', 'JG3 "what about using SIGKILL if the lease-break-time hits?" (MD-K5 sigkill, MD-K8)') },
  },
  initial: 'idle',
  states: {
    idle: {
      tags: ['validEnd'],
      on: {
        ...mmapSemFree,
        mmap: doMmap(() => true),
      },
    },
    mmap_devdax: {
      on: { dax_mmap: { target: 'user', actions: assign({ mapped: true }), meta: m('dax_mmap', 'P10 dax_mmap: vm_ops = dax_vm_ops (.lease_direct = map_direct_lease)') } },
    },
    seal: {
      on: { xfs_seal_block_map: { target: 'mmap_legacy', meta: m('xfs_seal_block_map', 'MD-K1 v6 immutable: S_IOMAP_IMMUTABLE') } },
    },
    mmap_legacy: {
      on: { xfs_file_mmap: { target: 'user', actions: assign({ mapped: true }), meta: m('xfs_file_mmap', 'P06 xfs_file_mmap_validate -> xfs_file_mmap (no MAP_DIRECT)') } },
    },
    iolock: {
      on: {
        xfs_ilock: [
          { guard: ({ context, event }) => context.mapdcountFirst && lk('IOLOCK', 'SHARED')({ event }), target: 'inc_first', meta: m('xfs_ilock', 'F1 fix: IOLOCK_SHARED around map_direct_register') },
          { guard: lk('IOLOCK', 'SHARED'), target: 'setlease', meta: m('xfs_ilock', 'F1 fix: IOLOCK_SHARED around map_direct_register') },
        ],
      },
    },
    inc_first: {
      on: { i_mapdcount_inc: { target: 'setlease', meta: m('i_mapdcount_inc', 'F7 fix: i_mapdcount_inc before vfs_setlease') } },
    },
    setlease: {
      on: {
        vfs_setlease: [
          { guard: ({ context, event }) => event.owner === 'mds' && context.mapdcountFirst, target: 'iounlock', meta: m('map_direct_register', 'P04 map_direct_register vfs_setlease(F_RDLCK)') },
          { guard: ({ event }) => event.owner === 'mds', target: 'inc', meta: m('map_direct_register', 'P04 map_direct_register vfs_setlease(F_RDLCK)') },
        ],
        vfs_setlease_eagain: [
          { guard: ({ context, event }) => event.owner === 'mds' && context.mapdcountFirst, target: 'dec_failed', meta: m('map_direct_register', 'P04 map_direct_register err_setlease') },
          { guard: ({ event }) => event.owner === 'mds', target: 'mmap_failed', meta: m('map_direct_register', 'P04 map_direct_register err_setlease: mmap fails') },
        ],
      },
    },
    dec_failed: {
      on: { i_mapdcount_dec: { target: 'mmap_failed', meta: m('i_mapdcount_dec', 'F7 fix: undo on error') } },
    },
    mmap_failed: {
      always: [
        { guard: ({ context }) => context.setupIolock, target: 'fail_unlock', meta: m('xfs_file_mmap_validate', 'map_direct_register failed (F1 fix: unlock)') },
        { target: 'done', meta: m('xfs_file_mmap_validate', 'map_direct_register failed: mmap returns the error') },
      ],
    },
    fail_unlock: {
      on: { xfs_iunlock: { guard: lk('IOLOCK', 'SHARED'), target: 'done', meta: m('xfs_iunlock', 'F1 fix') } },
    },
    inc: {
      on: { i_mapdcount_inc: { target: 'iounlock', meta: m('i_mapdcount_inc', 'P04 map_direct_register i_mapdcount_inc') } },
    },
    iounlock: {
      always: { guard: ({ context }) => !context.setupIolock, target: 'flush_faults', meta: m('xfs_file_mmap_validate', 'P06 as posted: no IOLOCK held') },
      on: { xfs_iunlock: { guard: lk('IOLOCK', 'SHARED'), target: 'flush_faults', meta: m('xfs_iunlock', 'F1 fix') } },
    },
    flush_faults: {
      always: { guard: ({ context }) => !context.setupFaultFlush, target: 'ret', meta: m('xfs_file_mmap_validate', 'MD-K3 off: no MMAPLOCK cycle') },
      on: { xfs_ilock_cycle: { target: 'ret', meta: m('xfs_ilock', 'P06 xfs_file_mmap_validate: xfs_ilock(MMAPLOCK_EXCL); xfs_iunlock: "flush in-flight faults"') } },
    },
    ret: {
      on: { mmap_return: { target: 'user', actions: assign({ mapped: true }), meta: m('xfs_file_mmap_validate', 'P06 vma->vm_private_data = mds; mmap returns') } },
    },
    user: {
      tags: ['validEnd'],
      // a fatal signal is acted on when the task returns to user space: do_exit
      always: { guard: ({ context }) => context.killed, target: 'exit_files', meta: m('do_exit', 'JG3 "The kernel will clean up the MRs when the process exits"') },
      on: {
        ...mmapSemFree,
        // MD-L6 (JG5): after SIGIO the application quiesces (ibv_dereg_mr, munmap) and maps f again
        mmap: doMmap((c) => c.remap && c.notified && !c.mapped && !c.mr && c.maps < 2),
        // a CPU access faults: __xfs_filemap_fault takes MMAPLOCK_SHARED and runs xfs_vma_checks (one
        // step: down_read is a right mover); dax_iomap_fault installs the PTE in a later step (issue 11)
        xfs_vma_checks: {
          guard: ({ context, event }) => context.mapped && context.origOpen && context.faultOffs.includes(event.off),
          target: 'faulting', actions: assign({ faultOff: ({ event }) => event.off as number }),
          meta: m('__xfs_filemap_fault', 'P06 __xfs_filemap_fault: xfs_ilock(MMAPLOCK_SHARED); ret = xfs_vma_checks(vma, inode)', { op: 'test_bit(MAPDIRECT_VALID) (is_map_direct_valid) after down_read(MMAPLOCK)' }),
        },
        ibv_reg_mr: {
          guard: ({ context }) => context.regMr && context.mapped && context.origOpen && !context.mr && (context.regs === context.regsAtMap || context.reregister),
          target: 'reg_wait', actions: assign({ regs: ({ context }) => Math.min(context.regs + 1, 2) }), meta: m('ibv_reg_mr', 'P11 ib_uverbs reg_mr -> ib_umem_get'),
        },
        ibv_dereg_mr: { guard: ({ context }) => context.mr, target: 'dereg_wait', meta: m('ibv_dereg_mr', 'P11 ib_uverbs dereg_mr -> ib_dereg_mr -> ib_umem_release') },
        vma_open: {
          guard: ({ context }) => context.vmaSplit && context.mapped && context.origOpen && !context.didSplit,
          actions: assign({ splitOpen: true, didSplit: true }),
          meta: m('split_vma', 'F6 candidate: mprotect/munmap of part of the VMA (split_vma) or fork (dup_mmap) -> vm_ops->open = xfs_filemap_direct_open (P06) -> get_map_direct_vma (P04)'),
        },
        vma_close: [
          {
            guard: ({ context, event }) => notLast(context, event) && !(context.munmapAfterDereg && context.mr),
            actions: assign(({ event }) => (piece(event) === 'orig' ? { origOpen: false } : { splitOpen: false })),
            meta: m('munmap', 'F6: remove_vma of one part -> xfs_filemap_direct_close -> put_map_direct_vma returns 0 (not the last VMA); the other part stays mapped'),
          },
          {
            guard: ({ context, event }) => context.mapped && lastPiece(context, event) && !(context.munmapAfterDereg && context.mr),
            target: 'munmap_wait', actions: assign({ mapped: false, origOpen: false, splitOpen: false }),
            meta: m('munmap', 'remove_vma -> vm_ops->close (P06 xfs_filemap_direct_close)'),
          },
        ],
      },
    },
    // past xfs_vma_checks, MMAPLOCK_SHARED held: map_direct_invalidate does not wait for it (P04)
    faulting: {
      on: {
        dax_iomap_fault: { guard: ({ context, event }) => event.off === context.faultOff, target: 'user', meta: m('__xfs_filemap_fault', 'P06 __xfs_filemap_fault: dax_iomap_fault(vmf, pe_size, &xfs_iomap_ops); xfs_iunlock(MMAPLOCK_SHARED)', { lock: 'MMAPLOCK' }) },
        dax_iomap_fault_sigbus: { guard: ({ context, event }) => event.off === context.faultOff, target: 'user', meta: m('__xfs_filemap_fault', 'P03 xfs_file_iomap_begin -ETXTBSY (or -ENOSPC, or a dead device-dax) -> VM_FAULT_SIGBUS; xfs_iunlock(MMAPLOCK_SHARED)', { lock: 'MMAPLOCK' }) },
      },
    },
    reg_wait: {
      on: {
        ib_reg_user_mr: { target: 'user', actions: assign({ mr: true }), meta: m('ibv_reg_mr', 'P11 ibv_reg_mr returns the MR') },
        ib_umem_get_fail: { target: 'user', meta: m('ibv_reg_mr', 'P11 ibv_reg_mr fails') },
      },
    },
    dereg_wait: {
      on: { ...mmapSemFree, ib_umem_release_return: { target: 'user', actions: assign({ mr: false }), meta: m('ibv_dereg_mr', 'P11 __ib_umem_release returns') } },
    },
    munmap_wait: {
      always: { guard: ({ context }) => context.flags !== 'MAP_SHARED_VALIDATE|MAP_DIRECT' || context.seal || context.einval || context.devdax, target: 'user', meta: m('munmap', 'a legacy VMA has no vm_ops->close work') },
      on: { put_map_direct_vma_return: { target: 'user', meta: m('munmap', 'P04 put_map_direct_vma returns; munmap returns') } },
    },
    // do_exit -> exit_files -> ib_uverbs_close -> ib_uverbs_cleanup_ucontext (JG4)
    exit_files: {
      always: { guard: ({ context }) => !context.mr, target: 'exited', meta: m('do_exit', 'JG4 no MR left on the uverbs fd') },
      on: { ...mmapSemFree, ib_uverbs_close: { target: 'exit_release', meta: m('ib_uverbs_close', 'JG4 "ib_uverbs_close triggers ib_uverbs_cleanup_ucontext which runs through all the objects, including MRs, and deletes them"') } },
    },
    exit_release: {
      on: { ...mmapSemFree, ib_umem_release_return: { target: 'exited', actions: assign({ mr: false }), meta: m('ib_uverbs_cleanup_ucontext', 'JG4 the MR is deleted (synchronous fence) and its pages unpinned') } },
    },
    exited: { tags: ['validEnd'], on: mmapSemFree },
    done: { tags: ['validEnd'], on: mmapSemFree },
  },
}));

export interface VmaInput {
  readonly direct: boolean;
  readonly pages: number;
  /** MD-L6: the application may map again; the second mmap's vm_area_struct is this actor's next incarnation (event mmap) */
  readonly remap: boolean;
}
export interface VmaContext extends VmaInput {
  mapped: boolean;
  pte: boolean[];
  freed: boolean;
  /** F6: a part of the mapping was split off into another vm_area_struct that is still mapped */
  split: boolean;
}

export const vmaMachine = setup({
  types: {} as { context: VmaContext; input: VmaInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'vm_area_struct',
  context: ({ input }) => ({ ...input, mapped: false, pte: Array.from({ length: input.pages }, () => false), freed: false, split: false }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        // MD-L6 remap: the second mmap allocates a new vm_area_struct (mmap_region), which this actor stands for from now on
        mmap: [
          { guard: ({ context }) => context.remap && context.freed, actions: assign(({ context }) => ({ mapped: false, pte: context.pte.map(() => false), freed: false, split: false })), meta: m('mmap_region', 'P01 do_mmap -> mmap_region: vm_area_alloc of a new vm_area_struct (the old one was freed at munmap)') },
          { guard: ({ context }) => context.remap, actions: assign({}), meta: m('mmap_region', 'P01 do_mmap -> mmap_region: vm_area_alloc (the first mapping)') },
        ],
        mmap_return: { actions: assign({ mapped: true }), meta: m('mmap_region', 'P06 vm_ops = xfs_file_vm_direct_ops; vma linked') },
        dax_mmap: { actions: assign({ mapped: true }), meta: m('mmap_region', 'P10 a device-dax mapping (dax_vm_ops)', MD_ATOMICITY.dax_mmap) },
        xfs_file_mmap: { actions: assign({ mapped: true }), meta: m('mmap_region', 'P01 a legacy mapping', MD_ATOMICITY.xfs_file_mmap) },
        xfs_vma_checks: { guard: ({ context, event }) => context.mapped && event.direct === context.direct, actions: assign({}), meta: m('xfs_vma_checks', 'P06 xfs_vma_checks: is_xfs_map_direct(vma); vma->vm_private_data') },
        // GUP's fault: only where follow_page_mask found no PTE ([X] mm/gup.c __get_user_pages)
        faultin_page: { guard: ({ context, event }) => context.mapped && event.direct === context.direct && !context.pte[event.off], actions: assign({}), meta: m('faultin_page', '[X] mm/gup.c: follow_page_mask found no PTE -> faultin_page; P06 xfs_vma_checks reads vma->vm_private_data') },
        dax_iomap_fault: {
          guard: ({ context, event }) => context.mapped && event.direct === context.direct,
          actions: assign(({ context, event }) => ({ pte: context.pte.map((p, i) => p || i === event.off) })),
          meta: m('dax_iomap_fault', 'P06 __xfs_filemap_fault -> dax_iomap_fault installs the PTE (under the PTE lock, which unmap_mapping_range takes too)'),
        },
        get_user_pages: {
          guard: ({ context, event }) => context.mapped && context.pte[event.off] === true,
          actions: assign({}),
          meta: m('follow_page_mask', 'P11 GUP: [X] mm/gup.c follow_page_mask reads the present PTE under the PTE lock'),
        },
        get_user_pages_efault: { guard: ({ context, event }) => context.mapped && !context.pte[event.off], actions: assign({}), meta: m('get_user_pages', 'P11 GUP: no PTE, the fault fails (xfs_vma_checks)') },
        vma_open: { actions: assign({ split: true }), meta: m('split_vma', 'F6: vm_area_dup; the new part gets vm_ops->open (this struct keeps the other part)') },
        unmap_mapping_range: [
          // F6 fix: mds_vma points to the split-off part, whose PTEs are not modelled: this struct is not read
          { guard: ({ event }) => event.vma === 'split', actions: assign({}), meta: m('unmap_mapping_range', 'F6 fix: map_direct_invalidate zaps through the surviving VMA') },
          { guard: ({ context }) => context.freed, target: 'S9_vma_use_after_free', meta: m('unmap_mapping_range', 'MD-R9: map_direct_invalidate reads a freed vma (vm_end, vm_pgoff)') },
          { actions: assign(({ context }) => ({ pte: context.pte.map(() => false) })), meta: m('unmap_mapping_range', 'P04 map_direct_invalidate / P10 kill_dev_dax zap every PTE') },
        ],
        xfs_free_file_space: { actions: assign(({ context, event }) => ({ pte: context.pte.map((p, i) => p && event.off >= 0 && i !== event.off) })), meta: m('truncate_pagecache_range', 'xfs_free_file_space zaps the range') },
        vma_close: [
          { guard: ({ event }) => event.piece === 'split', actions: assign({ split: false }), meta: m('remove_vma', 'F6: munmap of the split-off part (another vm_area_struct)', MD_ATOMICITY.vma_close) },
          { guard: ({ context }) => context.split, actions: assign(({ context }) => ({ mapped: false, pte: context.pte.map(() => false), freed: true })), meta: m('remove_vma', 'F6: munmap of this part while the split-off part stays: vm_ops->close returns 0, vm_area_free', MD_ATOMICITY.vma_close) },
          { actions: assign(({ context }) => ({ mapped: false, pte: context.pte.map(() => false), freed: !context.direct })), meta: m('remove_vma', 'munmap: unmap_vmas, then vm_ops->close', MD_ATOMICITY.vma_close) },
        ],
        put_map_direct_vma_return: { actions: assign({ freed: true }), meta: m('remove_vma', 'vm_ops->close returned: vm_area_free') },
        ib_umem_get_checks: { guard: ({ context, event }) => event.lease_direct === context.direct, actions: assign({}), meta: m('ib_umem_get', 'P11 vma->vm_ops->lease_direct present?') },
      },
    },
    S9_vma_use_after_free: { tags: ['violation:S9'] },
  },
}));
