/**
 * The RDMA device's IOMMU domain (P07, V8a/V8b, MD A11), the HCA (MD A12), and another kernel DMA
 * user of the same domain (MD-R2 step 3).
 *
 * `iommuMachine`: per IOVA its allocation (the DMA API's IOVA allocator), its page-table entry,
 * and, in lazy mode only, its IOTLB entry (in strict mode every unmap flushes the IOTLB at once, so
 * the IOTLB always agrees with the page table and is not kept). Input: `mode` (K6) 'absent' (no
 * translating IOMMU or passthrough: the DMA address is the block), 'strict' (iommu_unmap and
 * dma_unmap flush synchronously, RMr) or 'lazy' (the invalidation is queued on a flush queue, RM);
 * `niova`.
 * Events: ib_umem_get_checks {iommu} (P07 dma_has_iommu / V8a dma_get_iommu_domain);
 * dma_map_sg {who, iova, n, blk, blk2} (the lowest free contiguous range of n IOVAs);
 * dma_unmap_sg {who, iova, n} (frees the range; lazy: it waits on the flush queue); iommu_unmap {iova, n} (V8c: page tables only, the IOVA stays
 * allocated); iommu_map_sink {iova, n} (K5 remapToSink); hca_dma_write {iova, blk} (a translation,
 * through the IOTLB in lazy mode, filled on use); hca_dma_fault {iova} (no translation); local
 * iommu_flush_iotlb (lazy: the flush queue drains).
 *
 * `hcaMachine`: the MR (none | valid | invalidated) with its IOVAs, and the QP (RTS | ERROR).
 * Events: ib_reg_user_mr {i0, i1, valid} (valid false: K5 mrInvalidate, the break came first); ibv_dereg_mr (MR deletion is a synchronous fence, JG4);
 * ib_umem_mr_invalidate (K5 mrInvalidate); hca_dma_write; hca_dma_fault (an IOMMU fault moves the
 * QP to ERROR, MD-R10, JG5).
 *
 * ODP (K5/K7 `odp`): the MR has no IOVAs of its own; `hca_odp_dma_write {off, blk}` goes through
 * the ODP page table of `ibUmemOdpMachine` (machines/mapdirect/ib-umem-odp.ts).
 *
 * `dmaUserMachine`: another driver maps one kernel buffer block through the same domain: the "new
 * dma_map for the same device or group" of MD-R2 step 3.
 */
import { assign, setup } from 'xstate';
import { declareAtomicity } from './atomicity.js';

type Ev = { type: string; [k: string]: any };
const m = (fn: string, cite: string) => ({ fn, cite });

export interface IommuInput {
  readonly mode: 'absent' | 'strict' | 'lazy';
  readonly niova: number;
}
export interface IommuContext extends IommuInput {
  /** null free; 'umem' | 'user' allocated; 'fq' freed but waiting on the flush queue. */
  alloc: (string | null)[];
  pt: (number | null)[];
  /** lazy mode only (strict: always equal to `pt`) */
  tlb: (number | null)[];
}
/** Where a DMA to `iova` lands now: the block, or null (IOMMU fault). */
export const translate = (c: IommuContext, iova: number): number | null =>
  c.mode === 'absent' ? iova : c.mode === 'lazy' ? (c.tlb[iova] ?? c.pt[iova] ?? null) : (c.pt[iova] ?? null);
const set = <T>(a: T[], i: number, v: T) => a.map((x, j) => (j === i ? v : x));
/** alloc_iova: the lowest start of `n` free contiguous IOVAs, or -1. */
const lowestRange = (c: IommuContext, n: number) => {
  for (let i = 0; i + n <= c.niova; i++) if (c.alloc.slice(i, i + n).every((a) => a === null)) return i;
  return -1;
};

export const iommuMachine = setup({
  types: {} as { context: IommuContext; input: IommuInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'iommu_domain',
  context: ({ input }) => ({
    ...input,
    alloc: Array.from({ length: input.niova }, () => null),
    pt: Array.from({ length: input.niova }, () => null),
    tlb: input.mode === 'lazy' ? Array.from({ length: input.niova }, () => null) : [],
  }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        ib_umem_get_checks: { guard: ({ context, event }) => event.iommu === (context.mode !== 'absent'), actions: assign({}), meta: m('dma_get_iommu_domain', 'P07 dma_has_iommu; V8a dma_get_iommu_domain') },
        dma_map_sg: [
          { guard: ({ context, event }) => context.mode === 'absent' && event.iova === event.blk && event.n === 1, actions: assign({}), meta: m('dma_map_sg', 'no IOMMU: the DMA address is the physical block') },
          {
            guard: ({ context, event }) => context.mode !== 'absent' && event.iova === lowestRange(context, event.n),
            actions: assign(({ context, event }) => {
              const blks = [event.blk as number, event.blk2 as number];
              return {
                alloc: context.alloc.map((a, i) => (i >= event.iova && i < event.iova + event.n ? (event.who as string) : a)),
                pt: context.pt.map((p, i) => (i >= event.iova && i < event.iova + event.n ? blks[i - event.iova]! : p)),
                tlb: context.mode === 'lazy' ? context.tlb.map((t, i) => (i >= event.iova && i < event.iova + event.n ? null : t)) : context.tlb,
              };
            }),
            meta: m('dma_map_sg', 'alloc_iova (the lowest free contiguous range) + iommu_map (DW1)'),
          },
        ],
        dma_unmap_sg: [
          { guard: ({ context }) => context.mode === 'absent', actions: assign({}), meta: m('dma_unmap_sg', 'no IOMMU: nothing to unmap') },
          {
            guard: ({ context, event }) => event.iova + event.n <= context.niova,
            actions: assign(({ context, event }) => {
              const hit = (i: number) => i >= event.iova && i < event.iova + event.n && (context.alloc[i] === 'umem' || context.alloc[i] === 'user');
              return {
                alloc: context.alloc.map((a, i) => (hit(i) ? (context.mode === 'lazy' ? 'fq' : null) : a)),
                pt: context.pt.map((p, i) => (hit(i) ? null : p)),
              };
            }),
            meta: m('dma_unmap_sg', 'iommu_unmap + free_iova of the range: the IOVAs can be handed out again (DW1, DW2; MD-C3 wrong address)'),
          },
        ],
        iommu_unmap: {
          guard: ({ context }) => context.mode !== 'absent',
          actions: assign(({ context, event }) => ({ pt: context.pt.map((p, i) => (i >= event.iova && i < event.iova + event.n ? null : p)) })),
          meta: m('iommu_unmap', 'V8c ib_umem_lease_break iommu_unmap: page tables (and IOTLB unless lazy, RM/RMr); the IOVA stays allocated'),
        },
        iommu_map_sink: {
          guard: ({ context }) => context.mode !== 'absent',
          actions: assign(({ context, event }) => ({ pt: context.pt.map((p, i) => (i >= event.iova && i < event.iova + event.n ? (event.sink as number) : p)) })),
          meta: m('iommu_map', 'MD-K5 remapToSink (JGr5)'),
        },
        iommu_flush_iotlb: {
          guard: ({ context }) => context.mode === 'lazy' && (context.tlb.some((t, i) => t !== null && t !== context.pt[i]) || context.alloc.includes('fq')),
          actions: assign(({ context }) => ({
            tlb: context.tlb.map((t, i) => (t !== null && t !== context.pt[i] ? null : t)),
            alloc: context.alloc.map((a) => (a === 'fq' ? null : a)),
          })),
          meta: m('iova_flush_queue', 'RM lazy IOTLB invalidation: the flush queue drains'),
        },
        hca_dma_write: {
          guard: ({ context, event }) => translate(context, event.iova) === event.blk,
          actions: assign(({ context, event }) => (context.mode === 'lazy' ? { tlb: set(context.tlb, event.iova, event.blk as number) } : {})),
          meta: m('iommu translation', 'MD A11: the IOTLB is filled on use'),
        },
        hca_dma_fault: {
          guard: ({ context, event }) => translate(context, event.iova) === null,
          actions: assign({}),
          meta: m('iommu fault', 'MD-R10 / JG5: no translation, the IOMMU faults the DMA'),
        },
      },
    },
  },
}));

export interface HcaInput {
  readonly pages: number;
  /** K5/K7 odp: the MR is an ODP MR (no IOVAs of its own: the HCA mirrors the process page table) */
  readonly odp: boolean;
}
export interface HcaContext extends HcaInput {
  mr: 'none' | 'valid' | 'invalidated';
  iovas: number[];
  qp: 'RTS' | 'ERROR';
}

export const hcaMachine = setup({
  types: {} as { context: HcaContext; input: HcaInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'hca',
  context: ({ input }) => ({ ...input, mr: 'none', iovas: [], qp: 'RTS' }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        ib_reg_user_mr: {
          guard: ({ context }) => context.mr === 'none',
          actions: assign(({ context, event }) => ({ mr: event.valid ? ('valid' as const) : ('invalidated' as const), iovas: context.odp ? [] : [event.i0 as number, event.i1 as number].slice(0, context.pages) })),
          meta: m('ib_reg_user_mr', 'P11 the driver programs the MR with the umem DMA addresses'),
        },
        ibv_dereg_mr: { guard: ({ context }) => context.mr !== 'none', actions: assign({ mr: 'none' as const, iovas: [] }), meta: m('ib_dereg_mr', 'JG4 MR deletion is a synchronous hardware fence') },
        ib_uverbs_close: { guard: ({ context }) => context.mr !== 'none', actions: assign({ mr: 'none' as const, iovas: [] }), meta: m('ib_uverbs_cleanup_ucontext', 'JG4 process exit: ib_uverbs_cleanup_ucontext deletes the MR, a synchronous hardware fence') },
        ib_umem_mr_invalidate: [
          { guard: ({ context }) => context.mr === 'valid', actions: assign({ mr: 'invalidated' as const }), meta: m('ib_umem_lease_break', 'MD-K5 mrInvalidate (JG3, CH2)') },
          { actions: assign({}), meta: m('ib_umem_lease_break', 'MD-K5 mrInvalidate: the MR is already gone (deregistered)') },
        ],
        hca_dma_write: {
          guard: ({ context, event }) => context.mr === 'valid' && context.qp === 'RTS' && context.iovas.includes(event.iova),
          actions: assign({}),
          meta: m('hca DMA write', 'MD A12 a remote write through an IOVA of a valid MR'),
        },
        hca_dma_fault: {
          guard: ({ context, event }) => context.mr === 'valid' && context.qp === 'RTS' && context.iovas.includes(event.iova),
          actions: assign({ qp: 'ERROR' as const }),
          meta: m('hca DMA fault', 'MD-R10 / JG5 an IOMMU fault moves the QP to ERROR'),
        },
        hca_odp_dma_write: {
          guard: ({ context, event }) => context.odp && context.mr === 'valid' && context.qp === 'RTS' && event.off < context.pages,
          actions: assign({}),
          meta: m('hca DMA write (ODP)', 'JG2 a remote write through an ODP MR (translated by its ODP page table)'),
        },
      },
    },
  },
}));

export interface DmaUserInput {
  readonly blk: number;
}
export const dmaUserMachine = setup({
  types: {} as { context: DmaUserInput & { iova: number }; input: DmaUserInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'dma_user',
  context: ({ input }) => ({ ...input, iova: -1 }),
  initial: 'idle',
  states: {
    idle: {
      tags: ['validEnd'],
      on: { dma_map_sg: { guard: ({ context, event }) => event.who === 'user' && event.blk === context.blk && event.n === 1 && event.blk2 === -1, target: 'mapped', actions: assign({ iova: ({ event }) => event.iova as number }), meta: m('dma_map_single', 'MD-R2 step 3: a new dma_map for the same device or group') } },
    },
    mapped: { tags: ['validEnd'] },
  },
}));
