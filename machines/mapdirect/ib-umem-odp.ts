/**
 * struct ib_umem_odp (drivers/infiniband/core/umem_odp.c, kernel 4.14 [X]) of an ODP MR over the
 * MAP_DIRECT VMA, with the HCA's ODP page table for it (MD-K5 / K7 `odp`).
 *
 * JG2: "We also have ODP aware drivers that can retarget a MR to new physical pages. If the block
 * map changes DAX should synchronously retarget the ODP MR, not halt DMA." JGr2: "I don't touch the
 * ODP path." JGr3: "If the mapping is invalidated I would hope that generates an io fault that gets
 * handled by the driver to setup the new mapping."
 *
 * - `ib_reg_user_mr`: the ODP MR is written (ib_umem_odp_get: no pin, no lease, empty page table).
 * - An HCA page fault on page `off`, ib_umem_odp_map_dma_pages [X 4.14 umem_odp.c], in the steps
 *   the code has: `xfs_vma_checks {off}` (current_seq = notifiers_seq; down_read(mmap_sem);
 *   get_user_pages_remote -> the VMA's ->fault: P06 __xfs_filemap_fault takes MMAPLOCK_SHARED and
 *   runs xfs_vma_checks), `dax_iomap_fault {off, blk}` (the PTE is installed, MMAPLOCK dropped, GUP
 *   returns page `blk`) or `dax_iomap_fault_sigbus` (the fault fails), then
 *   `ib_umem_odp_map_dma_pages {off}` under umem_mutex: ib_umem_odp_map_dma_single_page writes the
 *   entry of `off` unless ib_umem_mmu_notifier_retry sees an invalidation since current_seq (-EAGAIN:
 *   the page is dropped and the HCA faults again). The page reference is dropped at once.
 * - `unmap_mapping_range`, `xfs_free_file_space {off}`, `vma_close`: every zap of the VMA's PTEs
 *   calls the mmu notifier (ib_umem_notifier_invalidate_range_start), which clears the entries of
 *   the zapped range synchronously, inside the zapping step, and bumps notifiers_seq (a fault in
 *   flight becomes `stale`).
 * - `hca_odp_dma_write {off, blk}`: a DMA through an entry present in the page table.
 * - `ibv_dereg_mr`: the MR and its page table go away (ib_umem_odp_release).
 */
import { assign, setup } from 'xstate';
import { declareAtomicity } from './atomicity.js';

export interface UmemOdpInput {
  readonly pages: number;
}
export interface UmemOdpContext extends UmemOdpInput {
  /** the ODP MR is registered */
  live: boolean;
  /** the HCA's ODP page table: block per MR page, null = not present */
  mtt: (number | null)[];
  /** the HCA page fault in flight: its page, the block GUP returned (-1: still in ->fault), and
   * whether an mmu notifier invalidation ran since it read notifiers_seq; null: none */
  fault: { off: number; blk: number; stale: boolean } | null;
}
type Ev = { type: string; [k: string]: any };
const m = (fn: string, cite: string) => ({ fn, cite });
type C = UmemOdpContext;
/** An mmu notifier invalidation: the zapped entries go, a fault in flight will retry. */
const invalidate = (c: C, hit: (i: number) => boolean) => ({
  mtt: c.mtt.map((b, i) => (hit(i) ? null : b)),
  fault: c.fault && { ...c.fault, stale: true },
});
const inFault = (c: C, e: Ev) => c.fault !== null && c.fault.off === e.off && c.fault.blk < 0;
const none = (n: number) => Array.from({ length: n }, () => null as number | null);

export const ibUmemOdpMachine = setup({
  types: {} as { context: UmemOdpContext; input: UmemOdpInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'ib_umem_odp',
  context: ({ input }) => ({ ...input, live: false, mtt: none(input.pages), fault: null }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        ib_reg_user_mr: { guard: ({ context }) => !context.live, actions: assign(({ context }) => ({ live: true, mtt: none(context.pages), fault: null })), meta: m('ib_umem_odp_get', 'JGr2 the ODP path: ib_umem_odp_get, no pin, no ->lease_direct [X 4.14]') },
        // the driver's page-fault handler holds the MR (mlx5: srcu_read_lock(&dev->mr_srcu)); deregistration
        // waits for it (synchronize_srcu) [X 4.14]
        ibv_dereg_mr: { guard: ({ context }) => context.fault === null, actions: assign(({ context }) => ({ live: false, mtt: none(context.pages) })), meta: m('ib_umem_odp_release', 'JG4 MR deletion fences the HCA; ib_umem_odp_release [X 4.14], after the page-fault handler in flight (synchronize_srcu)') },
        xfs_vma_checks: {
          guard: ({ context, event }) => context.live && context.fault === null && event.off < context.pages && context.mtt[event.off] === null,
          actions: assign(({ event }) => ({ fault: { off: event.off as number, blk: -1, stale: false } })),
          meta: m('ib_umem_odp_map_dma_pages', 'JGr3 "an io fault that gets handled by the driver to setup the new mapping": [X 4.14] current_seq = notifiers_seq; get_user_pages_remote -> P06 __xfs_filemap_fault: xfs_ilock(MMAPLOCK_SHARED); xfs_vma_checks'),
        },
        dax_iomap_fault: {
          guard: ({ context, event }) => inFault(context, event),
          actions: assign(({ context, event }) => ({ fault: { ...context.fault!, blk: event.blk as number } })),
          meta: m('__xfs_filemap_fault', 'P06 __xfs_filemap_fault: dax_iomap_fault; xfs_iunlock(MMAPLOCK_SHARED); get_user_pages_remote returns the page [X 4.14]'),
        },
        dax_iomap_fault_sigbus: {
          guard: ({ context, event }) => inFault(context, event),
          actions: assign({ fault: null }),
          meta: m('__xfs_filemap_fault', 'P03 -ETXTBSY / -ENOSPC -> VM_FAULT_SIGBUS: get_user_pages_remote fails, the HCA page fault is not resolved [X 4.14]'),
        },
        ib_umem_odp_map_dma_pages: [
          {
            guard: ({ context }) => context.fault !== null && context.fault.blk >= 0 && !context.fault.stale,
            actions: assign(({ context }) => ({ mtt: context.mtt.map((b, i) => (i === context.fault!.off ? context.fault!.blk : b)), fault: null })),
            meta: m('ib_umem_odp_map_dma_single_page', '[X 4.14 umem_odp.c] under umem_mutex: no invalidation since current_seq: the entry is written; put_page'),
          },
          {
            guard: ({ context }) => context.fault !== null && context.fault.blk >= 0,
            actions: assign({ fault: null }),
            meta: m('ib_umem_odp_map_dma_single_page', '[X 4.14 umem_odp.c] ib_umem_mmu_notifier_retry(umem, current_seq): -EAGAIN, the page is dropped (the HCA faults again)'),
          },
        ],
        unmap_mapping_range: { actions: assign(({ context }) => invalidate(context, () => true)), meta: m('ib_umem_notifier_invalidate_range_start', 'JG2 "synchronously retarget the ODP MR": the mmu notifier of the zap [X 4.14]') },
        // munmap takes mmap_sem for writing: not while get_user_pages_remote holds it for reading
        vma_close: { guard: ({ context }) => !(context.fault !== null && context.fault.blk < 0), actions: assign(({ context }) => invalidate(context, () => true)), meta: m('ib_umem_notifier_invalidate_range_start', 'munmap: unmap_vmas calls the mmu notifier [X 4.14]; down_write(mmap_sem) waits for ib_umem_odp_map_dma_pages\'s down_read around get_user_pages_remote') },
        xfs_free_file_space: {
          actions: assign(({ context, event }) => invalidate(context, (i) => event.off < 0 || i === event.off)),
          meta: m('ib_umem_notifier_invalidate_range_start', 'truncate_pagecache_range zaps the range: the mmu notifier [X 4.14]'),
        },
        hca_odp_dma_write: {
          guard: ({ context, event }) => context.live && context.mtt[event.off] === event.blk,
          actions: assign({}),
          meta: m('ib_umem_odp', 'JG2 the HCA translates through the ODP page table'),
        },
      },
    },
  },
}));
