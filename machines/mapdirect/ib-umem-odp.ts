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
 * - `xfs_filemap_fault {off, blk}` (this instance's party group): an HCA page fault on page `off`:
 *   ib_umem_odp_map_dma_pages -> get_user_pages -> the VMA's ->fault (__xfs_filemap_fault, with
 *   xfs_vma_checks), then the page table entry of `off` is `blk` (the page reference is dropped at
 *   once: the driver has invalidate_range, so no lasting pin).
 * - `unmap_mapping_range`, `xfs_free_file_space {off}`, `vma_close`: every zap of the VMA's PTEs
 *   calls the mmu notifier (ib_umem_notifier_invalidate_range_start), which clears the entries of
 *   the zapped range synchronously, inside the zapping step.
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
}
type Ev = { type: string; [k: string]: any };
const m = (fn: string, cite: string) => ({ fn, cite });
const none = (n: number) => Array.from({ length: n }, () => null as number | null);

export const ibUmemOdpMachine = setup({
  types: {} as { context: UmemOdpContext; input: UmemOdpInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'ib_umem_odp',
  context: ({ input }) => ({ ...input, live: false, mtt: none(input.pages) }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        ib_reg_user_mr: { guard: ({ context }) => !context.live, actions: assign(({ context }) => ({ live: true, mtt: none(context.pages) })), meta: m('ib_umem_odp_get', 'JGr2 the ODP path: ib_umem_odp_get, no pin, no ->lease_direct [X 4.14]') },
        ibv_dereg_mr: { actions: assign(({ context }) => ({ live: false, mtt: none(context.pages) })), meta: m('ib_umem_odp_release', 'JG4 MR deletion fences the HCA; ib_umem_odp_release [X 4.14]') },
        xfs_filemap_fault: {
          guard: ({ context, event }) => context.live && event.off < context.pages && context.mtt[event.off] === null,
          actions: assign(({ context, event }) => ({ mtt: context.mtt.map((b, i) => (i === event.off ? (event.blk as number) : b)) })),
          meta: m('ib_umem_odp_map_dma_pages', 'JGr3 "an io fault that gets handled by the driver to setup the new mapping": get_user_pages -> ->fault'),
        },
        unmap_mapping_range: { actions: assign(({ context }) => ({ mtt: none(context.pages) })), meta: m('ib_umem_notifier_invalidate_range_start', 'JG2 "synchronously retarget the ODP MR": the mmu notifier of the zap [X 4.14]') },
        vma_close: { actions: assign(({ context }) => ({ mtt: none(context.pages) })), meta: m('ib_umem_notifier_invalidate_range_start', 'munmap: unmap_vmas calls the mmu notifier [X 4.14]') },
        xfs_free_file_space: {
          actions: assign(({ context, event }) => ({ mtt: context.mtt.map((b, i) => (event.off < 0 || i === event.off ? null : b)) })),
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
