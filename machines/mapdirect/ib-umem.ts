/**
 * struct ib_umem (drivers/infiniband/core/umem.c, P11 / V8c) with the registering thread's
 * ib_umem_get / __ib_umem_release (region `user`) and the lease break callback
 * ib_umem_lease_break, run by lds_work (region `brk`).
 *
 * ib_umem_get (P11): set_bit(IB_UMEM_MAPPED); get_user_pages(FOLL_WRITE) page by page (the fault
 * goes through the VMA: xfs_vma_checks); for the DAX VMA: vm_ops->lease_direct present? IOMMU
 * (dma_has_iommu v7, dma_get_iommu_domain v8)? then ->lease_direct (xfs_filemap_direct_lease,
 * order `ldsOrder`); after the loop ib_dma_map_sg; the driver then writes the MR to the HCA
 * (`ib_reg_user_mr`). Errors destroy the lease, unmap, unpin and return failure.
 * ib_umem_release (after ib_dereg_mr fenced the HCA): v7: dma_unmap_sg if test_and_clear_bit
 * (MAPPED), unpin, destroy the leases; v8: destroy the leases first, dma_unmap_sg, unpin.
 * ib_umem_lease_break: v7 dma_unmap_sg if test_and_clear_bit(MAPPED) (frees the IOVA, MD-R2);
 * v8 iommu_unmap (page tables only, IOVA kept); K5 alternatives mrInvalidate / remapToSink.
 *
 * Input (`UmemInput`): `pages`; `gate` 'none' (pre-series: no P11 checks) | 'lease' (P11) |
 * 'sealed' (v6: the DAX VMA must be on a sealed inode); `ldsOrder` 'registerThenCheck' (P09) |
 * 'checkThenRegister' (MD-R8 [C]) | 'noCheck' (device-dax, P10); `revocation` (K5) 'none' |
 * 'dmaUnmapSg' | 'iommuUnmapKeepIova' | 'mrInvalidate' | 'remapToSink'; `release` 'v7' | 'v8';
 * `selfInit` (MD-C2 `struct ib_umem *umem = umem`: the callback acts on garbage, nothing is
 * revoked); `partialUnmap` (MD-C3: iommu_unmap gets a page count as a byte size, covering one page,
 * and iommu_sg_num_pages rewrote the sg dma addresses so the release unmaps IOVA 0..n-1);
 * `mapBeforeLease` (F5 fix: ib_dma_map_sg before ->lease_direct); `sink` (the sink block).
 * On device-dax (MD-R12) the check after the lease is `dax_alive` instead of is_map_direct_broken.
 * K5 `odp` (JG2, JGr2 "I don't touch the ODP path"): ibv_reg_mr with IB_ACCESS_ON_DEMAND takes the
 * early `ib_umem_odp_get` branch of ib_umem_get [X: 4.14 umem.c, before the P11 hunks]: no pin, no
 * ->lease_direct, no ib_dma_map_sg; it fails unless the device supports ODP (`hcaKind`, K7). K7
 * `nonOdp` with K5 `mrInvalidate` (a revocation the driver must do): ib_umem_get refuses the DAX
 * registration, "blacklisted from supporting DAX altogether" (JGr4).
 * K5 `sigkill` (JG3): the callback sends SIGKILL to the registering process (emit SIGKILL); the
 * process exit deletes the MR (`ib_uverbs_close`, a synchronous fence, JG4). `sigkillWait`: the
 * callback returns (and lds_work unlocks the lease, so the breaker proceeds) only once the MR is
 * fenced (`fenced`: deleted by ibv_dereg_mr / ib_uverbs_close, or the registration failed after
 * the lease: err_destroy); false: it returns at once.
 */
import { assign, emit, setup } from 'xstate';
import { declareAtomicity } from './atomicity.js';

export interface UmemInput {
  readonly pages: number;
  readonly gate: 'none' | 'lease' | 'sealed';
  readonly ldsOrder: 'registerThenCheck' | 'checkThenRegister' | 'noCheck';
  readonly revocation: 'none' | 'dmaUnmapSg' | 'iommuUnmapKeepIova' | 'mrInvalidate' | 'remapToSink' | 'odp' | 'sigkill';
  /** K5 sigkill: the break callback waits for the MR's fence (process exit) before it returns */
  readonly sigkillWait: boolean;
  /** K7: what the HCA can do (ib_device attrs): ODP, out-of-band MR invalidate, or neither */
  readonly hcaKind: 'nonOdpWithOOBInvalidate' | 'odp' | 'nonOdp';
  readonly release: 'v7' | 'v8';
  readonly selfInit: boolean;
  readonly partialUnmap: boolean;
  readonly mapBeforeLease: boolean;
  readonly sink: number;
}
export interface UmemContext extends UmemInput {
  pinned: number[];
  iovas: number[];
  /** IB_UMEM_MAPPED */
  mapped: boolean;
  /** an lds is on umem->leases */
  lds: boolean;
  /** MD-C3: the sg dma addresses were overwritten by iommu_sg_num_pages */
  clobbered: boolean;
  /** 1 while the running break callback still has to unmap / remap the IOVA range */
  brkLeft: number;
  /** the release unmaps (v8: nmap > 0; v7: it won test_and_clear_bit(IB_UMEM_MAPPED)) */
  relUnmap: boolean;
  /** the driver has written the MR to the HCA */
  hw: boolean;
  /** K5 mrInvalidate: the break came before the MR was written; it is written invalid */
  revoked: boolean;
  /** K5 sigkill: no MR of this registration can DMA any more (deleted: the fence, JG4; or the registration failed) */
  fenced: boolean;
}
type Ev = { type: string; [k: string]: any };
type C = UmemContext;
const m = (fn: string, cite: string) => ({ fn, cite });
/** The DMA address ib_dma_unmap_sg passes (MD-C3: iommu_sg_num_pages rewrote it to offset 0). */
const unmapAddr = (c: C) => (c.clobbered ? 0 : c.iovas[0]);
const range = (iova: number, n: number) => Array.from({ length: n }, (_, i) => iova + i);
/** The sg list's pages: the second block parameter is -1 for a one-page MR. */
const sgOk = (c: C, e: Ev) => e.blk === c.pinned[0] && e.blk2 === (c.pinned[1] ?? -1) && e.n === c.pages;

export const ibUmemMachine = setup({
  types: {} as { context: UmemContext; input: UmemInput; events: Ev; emitted: { type: 'SIGKILL' } },
}).createMachine(declareAtomicity({
  id: 'ib_umem',
  context: ({ input }) => ({ ...input, pinned: [], iovas: [], mapped: false, lds: false, clobbered: false, brkLeft: 0, relUnmap: false, hw: false, revoked: false, fenced: false }),
  type: 'parallel',
  states: {
    user: {
      initial: 'idle',
      states: {
        idle: {
          tags: ['validEnd'],
          on: {
            ibv_reg_mr: [
              { guard: ({ context }) => context.revocation === 'odp' && context.hcaKind === 'odp', target: 'reg', actions: assign({ pinned: [], iovas: [], mapped: false, lds: false, clobbered: false, revoked: false }), meta: m('ib_umem_odp_get', 'JGr2 "I don\'t touch the ODP path": IB_ACCESS_ON_DEMAND -> ib_umem_odp_get, no pin, no lease [X 4.14 ib_umem_get]') },
              { guard: ({ context }) => context.revocation === 'odp', target: 'err_unmap', actions: assign({ pinned: [], iovas: [], mapped: false, lds: false, clobbered: false, revoked: false }), meta: m('ib_umem_odp_get', 'JG2/JGr3: the device has no ODP: ib_umem_odp_get fails (-EINVAL) [X 4.14]') },
              { target: 'gup', actions: assign({ pinned: [], iovas: [], mapped: true, lds: false, clobbered: false, revoked: false, fenced: false }), meta: m('ib_umem_get', 'P11 ib_umem_get: set_bit(IB_UMEM_MAPPED)') },
            ],
          },
        },
        // the GUP loop for page `off` ([X] mm/gup.c __get_user_pages, under mmap_sem): follow_page_mask
        // pins the page a present PTE maps; with no PTE, faultin_page -> handle_mm_fault -> P06
        // __xfs_filemap_fault (MMAPLOCK_SHARED, xfs_vma_checks, then dax_iomap_fault in a later step,
        // as for a CPU fault), and the loop retries follow_page_mask: a zap in between sends it round again
        gup: {
          always: { guard: ({ context }) => context.pinned.length === context.pages, target: 'gate', meta: m('ib_umem_get', 'P11 ib_umem_get: the GUP loop pinned every page') },
          on: {
            get_user_pages: {
              guard: ({ context, event }) => event.off === context.pinned.length,
              actions: assign({ pinned: ({ context, event }) => [...context.pinned, event.blk] }),
              meta: m('follow_page_mask', 'P11 ib_umem_get get_user_pages(FOLL_WRITE): [X] mm/gup.c follow_page_mask finds the PTE, get_page'),
            },
            faultin_page: {
              guard: ({ context, event }) => event.off === context.pinned.length,
              target: 'gup_fault',
              meta: m('faultin_page', '[X] mm/gup.c __get_user_pages: no PTE -> faultin_page -> handle_mm_fault -> P06 __xfs_filemap_fault: xfs_ilock(MMAPLOCK_SHARED); xfs_vma_checks'),
            },
            get_user_pages_efault: { target: 'err_unpin', meta: m('get_user_pages', 'P06 xfs_vma_checks: VM_FAULT_SIGBUS -> P11 ib_umem_get: get_user_pages < 0 -> goto out') },
          },
        },
        // past xfs_vma_checks, MMAPLOCK_SHARED held (P06 __xfs_filemap_fault)
        gup_fault: {
          on: {
            dax_iomap_fault: { guard: ({ context, event }) => event.off === context.pinned.length, target: 'gup', meta: m('__xfs_filemap_fault', 'P06 __xfs_filemap_fault: dax_iomap_fault; xfs_iunlock(MMAPLOCK_SHARED); [X] mm/gup.c: retry follow_page_mask') },
            dax_iomap_fault_sigbus: { guard: ({ context, event }) => event.off === context.pinned.length, target: 'err_unpin', meta: m('__xfs_filemap_fault', 'P03 -ETXTBSY / -ENOSPC / a dead device -> VM_FAULT_SIGBUS; xfs_iunlock: get_user_pages returns -EFAULT, P11 goto out') },
          },
        },
        gate: {
          always: [
            { guard: ({ context }) => context.gate === 'none', target: 'dma_map', meta: m('ib_umem_get', 'pre-series ib_umem_get: no ->lease_direct / IOMMU checks') },
            { guard: ({ context }) => context.gate === 'lease' && context.mapBeforeLease && context.iovas.length === 0, target: 'dma_map', meta: m('ib_umem_get', 'F5 fix: ib_dma_map_sg before ->lease_direct') },
          ],
          on: {
            ib_umem_get_checks: [
              { guard: ({ context, event }) => event.lease_direct === true && (event.iommu === true || context.gate === 'sealed') && !(context.revocation === 'mrInvalidate' && context.hcaKind === 'nonOdp'), target: 'lease', meta: m('ib_umem_get', 'P11 vm_ops->lease_direct present; dma_has_iommu (v7) / dma_get_iommu_domain (V8c)') },
              { target: 'err_unmap', meta: m('ib_umem_get', 'P11 "DAX-RDMA requires a MAP_DIRECT mapping" / "requires an iommu protected device": -EOPNOTSUPP; K7 nonOdp under mrInvalidate: "blacklisted from supporting DAX altogether" (JGr4)') },
            ],
          },
        },
        lease: {
          always: [
            { guard: ({ context }) => context.gate === 'sealed', target: 'dma_map', meta: m('ib_umem_get', 'MD-K1 v6: the sealed inode needs no lease') },
            { guard: ({ context }) => context.ldsOrder === 'checkThenRegister', target: 'precheck', meta: m('xfs_filemap_direct_lease', 'MD-R8 [C] check-then-register') },
          ],
          on: {
            vfs_setlease: { guard: ({ event }) => event.owner === 'lds', target: 'postcheck', actions: assign({ lds: true }), meta: m('map_direct_lease', 'P09 xfs_filemap_direct_lease: map_direct_lease first; P10 dax_vm_ops.lease_direct') },
            vfs_setlease_eagain: { guard: ({ event }) => event.owner === 'lds', target: 'err_unmap', meta: m('map_direct_lease', 'P08 map_direct_lease err_setlease') },
          },
        },
        postcheck: {
          always: { guard: ({ context }) => context.ldsOrder === 'noCheck', target: 'dma_map', meta: m('map_direct_lease', 'P10 dax_vm_ops.lease_direct = map_direct_lease: no check') },
          on: {
            is_map_direct_broken: [
              { guard: ({ event }) => event.broken === false, target: 'dma_map', meta: m('xfs_filemap_direct_lease', 'P09 !is_map_direct_broken: return ld') },
              { target: 'err_destroy', actions: assign({ fenced: true }), meta: m('xfs_filemap_direct_lease', 'P09 is_map_direct_broken: map_direct_lease_destroy, -ENXIO') },
            ],
            // device-dax (MD-R12 fix): the same register-then-check order against kill_dax
            dax_alive: [
              { guard: ({ event }) => event.alive === true, target: 'dma_map', meta: m('dax_alive', 'MD-R12 fix: dax_alive() after map_direct_lease') },
              { target: 'err_destroy', actions: assign({ fenced: true }), meta: m('dax_alive', 'MD-R12 fix: the device was killed: map_direct_lease_destroy, -ENXIO') },
            ],
          },
        },
        precheck: {
          on: {
            is_map_direct_broken: [
              { guard: ({ event }) => event.broken === false, target: 'lease_after_check', meta: m('xfs_filemap_direct_lease', 'MD-R8 [C] check-then-register: not broken') },
              { target: 'err_unmap', meta: m('xfs_filemap_direct_lease', 'MD-R8 [C] check-then-register: -ENXIO') },
            ],
            dax_alive: [
              { guard: ({ event }) => event.alive === true, target: 'lease_after_check', meta: m('dax_alive', 'MD-R12 [C] check-then-register on device-dax') },
              { target: 'err_unmap', meta: m('dax_alive', 'MD-R12 [C] check-then-register on device-dax: -ENXIO') },
            ],
          },
        },
        lease_after_check: {
          on: {
            vfs_setlease: { guard: ({ event }) => event.owner === 'lds', target: 'dma_map', actions: assign({ lds: true }), meta: m('map_direct_lease', 'MD-R8 [C] map_direct_lease after the check') },
            vfs_setlease_eagain: { guard: ({ event }) => event.owner === 'lds', target: 'err_unmap', meta: m('map_direct_lease', 'P08 map_direct_lease err_setlease') },
          },
        },
        dma_map: {
          always: [
            { guard: ({ context }) => context.iovas.length > 0 && context.mapBeforeLease && context.gate === 'lease' && !context.lds, target: 'gate', meta: m('ib_umem_get', 'F5 fix: ->lease_direct after ib_dma_map_sg') },
            { guard: ({ context }) => context.iovas.length > 0, target: 'reg', meta: m('ib_umem_get', 'P11 ib_umem_get returns the umem to the driver') },
          ],
          on: {
            dma_map_sg: {
              guard: ({ context, event }) => event.who === 'umem' && sgOk(context, event),
              actions: assign(({ context, event }) => ({ iovas: range(event.iova, context.pages) })),
              meta: m('ib_dma_map_sg', 'P11 ib_umem_get: ib_dma_map_sg of the whole sg table (one contiguous IOVA range)'),
            },
          },
        },
        reg: {
          on: {
            ib_reg_user_mr: {
              guard: ({ context, event }) => event.i0 === (context.iovas[0] ?? -1) && event.i1 === (context.iovas[1] ?? -1) && event.valid === !context.revoked,
              target: 'registered', actions: assign({ hw: true }), meta: m('ib_reg_user_mr', 'P11 the driver writes the umem DMA addresses into the MR; ibv_reg_mr returns'),
            },
          },
        },
        err_destroy: {
          on: {
            lease_direct_lm_change: { guard: ({ event }) => event.by === 'destroy', target: 'err_flush', meta: m('map_direct_lease_destroy', 'P09 xfs_filemap_direct_lease: map_direct_lease_destroy') },
            vfs_setlease_unlck: { guard: ({ event }) => event.owner === 'lds' && event.by === 'destroy', target: 'err_flush', meta: m('map_direct_lease_destroy', 'P09 xfs_filemap_direct_lease: map_direct_lease_destroy') },
          },
        },
        err_flush: {
          on: { flush_work: { target: 'err_unmap', actions: assign({ lds: false }), meta: m('map_direct_lease_destroy', 'P08 flush_work') } },
        },
        err_unmap: {
          always: { guard: ({ context }) => context.iovas.length === 0, target: 'err_unpin', meta: m('__ib_umem_release', 'P11 error path: nothing DMA-mapped') },
          on: {
            dma_unmap_sg: {
              guard: ({ context, event }) => event.who === 'umem' && event.iova === context.iovas[0] && event.n === context.pages,
              actions: assign({ iovas: [] }),
              meta: m('ib_dma_unmap_sg', 'P11 ib_umem_get error path __ib_umem_release'),
            },
          },
        },
        err_unpin: {
          always: { guard: ({ context }) => context.pinned.length === 0, target: 'err_ret', meta: m('__ib_umem_release', 'P11 error path: every page unpinned') },
          on: {
            put_page: {
              guard: ({ context, event }) => event.blk === context.pinned[context.pinned.length - 1],
              actions: assign({ pinned: ({ context }) => context.pinned.slice(0, -1) }),
              meta: m('put_page', 'P11 ib_umem_get error path __ib_umem_release: put_page'),
            },
          },
        },
        err_ret: {
          on: { ib_umem_get_fail: { target: 'idle', actions: assign({ mapped: false }), meta: m('ib_umem_get', 'P11 ib_umem_get returns ERR_PTR') } },
        },
        registered: {
          tags: ['validEnd'],
          on: {
            ibv_dereg_mr: [
              { guard: ({ context }) => context.release === 'v8', target: 'rel_destroy', actions: assign({ relUnmap: true, hw: false, fenced: true }), meta: m('ib_dereg_mr', 'JG4 the driver destroys the MR (synchronous fence), then ib_umem_release (V8c order)') },
              { target: 'rel_unmap', actions: assign(({ context }) => ({ mapped: false, relUnmap: context.mapped, hw: false, fenced: true })), meta: m('ib_dereg_mr', 'JG4 fence; P11 __ib_umem_release: test_and_clear_bit(IB_UMEM_MAPPED)') },
            ],
            // process exit (MD-K5 sigkill, MD-K8): the same MR deletion, from ib_uverbs_cleanup_ucontext
            ib_uverbs_close: [
              { guard: ({ context }) => context.release === 'v8', target: 'rel_destroy', actions: assign({ relUnmap: true, hw: false, fenced: true }), meta: m('ib_uverbs_cleanup_ucontext', 'JG4 ib_uverbs_close -> ib_uverbs_cleanup_ucontext deletes the MR (synchronous fence), then ib_umem_release (V8c order)') },
              { target: 'rel_unmap', actions: assign(({ context }) => ({ mapped: false, relUnmap: context.mapped, hw: false, fenced: true })), meta: m('ib_uverbs_cleanup_ucontext', 'JG4 ib_uverbs_close -> ib_uverbs_cleanup_ucontext: MR deleted (fence); P11 __ib_umem_release') },
            ],
          },
        },
        rel_destroy: {
          always: { guard: ({ context }) => !context.lds, target: 'rel_destroy_done', meta: m('__ib_umem_release', 'P11/V8c: umem->leases is empty') },
          on: {
            lease_direct_lm_change: { guard: ({ event }) => event.by === 'destroy', target: 'rel_flush', meta: m('map_direct_lease_destroy', 'P11/V8c __ib_umem_release: map_direct_lease_destroy: F_UNLCK') },
            vfs_setlease_unlck: { guard: ({ event }) => event.owner === 'lds' && event.by === 'destroy', target: 'rel_flush', meta: m('map_direct_lease_destroy', 'P11/V8c __ib_umem_release: map_direct_lease_destroy: F_UNLCK') },
          },
        },
        rel_flush: {
          on: { flush_work: { target: 'rel_destroy_done', actions: assign({ lds: false }), meta: m('map_direct_lease_destroy', 'P08 map_direct_lease_destroy: flush_work, fput, kfree') } },
        },
        rel_destroy_done: {
          always: [
            { guard: ({ context }) => context.release === 'v8', target: 'rel_unmap', meta: m('__ib_umem_release', 'V8c: leases destroyed first, then ib_dma_unmap_sg') },
            { target: 'rel_ret', meta: m('__ib_umem_release', 'P11: leases destroyed last') },
          ],
        },
        rel_unmap: {
          always: { guard: ({ context }) => context.iovas.length === 0 || !context.relUnmap, target: 'rel_unpin', actions: assign({ relUnmap: false }), meta: m('__ib_umem_release', 'P11: MAPPED already cleared by ib_umem_lease_break (v7): no unmap') },
          on: {
            dma_unmap_sg: {
              guard: ({ context, event }) => event.who === 'umem' && event.iova === unmapAddr(context) && event.n === context.pages,
              actions: assign({ iovas: [] }),
              meta: m('ib_dma_unmap_sg', 'P11/V8c __ib_umem_release: ib_dma_unmap_sg (MD-C3: at the rewritten address)'),
            },
          },
        },
        rel_unpin: {
          always: [
            { guard: ({ context }) => context.pinned.length === 0 && context.release === 'v7', target: 'rel_destroy', meta: m('__ib_umem_release', 'P11 (v7): unpinned, then map_direct_lease_destroy') },
            { guard: ({ context }) => context.pinned.length === 0, target: 'rel_ret', meta: m('__ib_umem_release', 'V8c: unpinned') },
          ],
          on: {
            put_page: {
              guard: ({ context, event }) => event.blk === context.pinned[context.pinned.length - 1],
              actions: assign({ pinned: ({ context }) => context.pinned.slice(0, -1) }),
              meta: m('put_page', 'P11 __ib_umem_release: put_page'),
            },
          },
        },
        rel_ret: {
          on: { ib_umem_release_return: { target: 'idle', actions: assign({ iovas: [], mapped: false, clobbered: false }), meta: m('ib_umem_release', 'P11 ib_umem_release returns; ibv_dereg_mr returns') } },
        },
      },
    },
    brk: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            ib_umem_lease_break: [
              { guard: ({ context }) => context.selfInit || context.revocation === 'none', target: 'ret', meta: m('ib_umem_lease_break', 'MD-C2 `umem = umem`: the callback acts on garbage, nothing is revoked') },
              {
                guard: ({ context }) => context.revocation === 'dmaUnmapSg',
                target: 'unmap_sg',
                actions: assign(({ context }) => (context.mapped && context.iovas.length > 0 ? { mapped: false, brkLeft: 1 } : { brkLeft: 0 })),
                meta: m('ib_umem_lease_break', 'P11 ib_umem_lease_break: nmap > 0 && test_and_clear_bit(IB_UMEM_MAPPED)'),
              },
              { guard: ({ context }) => context.revocation === 'iommuUnmapKeepIova', target: 'iommu_unmap', meta: m('ib_umem_lease_break', 'V8c ib_umem_lease_break') },
              { guard: ({ context }) => context.revocation === 'mrInvalidate' && context.hw, target: 'mr_invalidate', meta: m('ib_umem_lease_break', 'MD-K5 mrInvalidate (JG3, CH2)') },
              { guard: ({ context }) => context.revocation === 'mrInvalidate', target: 'ret', actions: assign({ revoked: true }), meta: m('ib_umem_lease_break', 'MD-K5 mrInvalidate: no MR written yet; it will be written invalid') },
              { guard: ({ context }) => context.revocation === 'sigkill', target: 'fence_wait', actions: emit({ type: 'SIGKILL' }), meta: m('ib_umem_lease_break', 'MD-K5 sigkill (JG3): SIGKILL the process that registered the MR') },
              { target: 'sink', actions: assign(({ context }) => ({ brkLeft: context.iovas.length > 0 ? 1 : 0 })), meta: m('ib_umem_lease_break', 'MD-K5 remapToSink (JGr5)') },
            ],
          },
        },
        unmap_sg: {
          always: { guard: ({ context }) => context.brkLeft === 0, target: 'ret', meta: m('ib_umem_lease_break', 'nothing (left) to revoke') },
          on: {
            dma_unmap_sg: {
              guard: ({ context, event }) => event.who === 'umem' && event.iova === context.iovas[0] && event.n === context.pages,
              actions: assign({ brkLeft: 0 }),
              meta: m('ib_dma_unmap_sg', 'P11 ib_umem_lease_break: ib_dma_unmap_sg frees the IOVAs (MD-R2)'),
            },
          },
        },
        iommu_unmap: {
          // before ib_dma_map_sg (F5 window) sg_dma_address is 0: nothing of this umem is mapped
          always: { guard: ({ context }) => context.iovas.length === 0, target: 'ret', meta: m('ib_umem_lease_break', 'V8c before ib_dma_map_sg (F5): nothing of this umem is mapped') },
          on: {
            iommu_unmap: {
              guard: ({ context, event }) => event.iova === context.iovas[0] && event.n === (context.partialUnmap ? 1 : context.iovas.length),
              target: 'ret', actions: assign(({ context }) => ({ clobbered: context.partialUnmap })),
              meta: m('iommu_unmap', 'V8c iommu_unmap(umem->iommu, sg_dma_address(sgl) & PAGE_MASK, iommu_sg_num_pages(...))'),
            },
          },
        },
        mr_invalidate: {
          on: { ib_umem_mr_invalidate: { target: 'ret', meta: m('ib_umem_lease_break', 'MD-K5 mrInvalidate: the driver invalidates the MR and fences') } },
        },
        fence_wait: {
          always: [
            { guard: ({ context }) => !context.sigkillWait, target: 'ret', meta: m('ib_umem_lease_break', 'MD-K5 sigkill, no wait: the callback returns at once, the lease is unlocked before the process exit fenced the MR') },
            { guard: ({ context }) => context.fenced, target: 'ret', meta: m('ib_umem_lease_break', 'MD-K5 "sigkill: S1 holds if the breaker waits for the fence": the MR was deleted (JG4 synchronous fence)') },
          ],
        },
        sink: {
          always: { guard: ({ context }) => context.brkLeft === 0 || context.iovas.length === 0, target: 'ret', meta: m('ib_umem_lease_break', 'nothing (left) to remap: released meanwhile') },
          on: {
            iommu_map_sink: {
              guard: ({ context, event }) => event.iova === context.iovas[0] && event.n === context.pages,
              actions: assign({ brkLeft: 0 }),
              meta: m('iommu_map', 'MD-K5 remapToSink: the IOVA now translates to a sink page'),
            },
          },
        },
        ret: {
          on: {
            lease_direct_lm_change: { guard: ({ event }) => event.by === 'work', target: 'idle', meta: m('lease_direct_invalidate', 'P08 ib_umem_lease_break returned; vfs_setlease(F_UNLCK)') },
            vfs_setlease_unlck: { guard: ({ event }) => event.owner === 'lds' && event.by === 'work', target: 'idle', meta: m('lease_direct_invalidate', 'P08 ib_umem_lease_break returned; F_UNLCK of a lease already gone') },
          },
        },
      },
    },
  },
}));
