/**
 * Specs map-direct and map-direct-baselines against the function tracer (`echo FUNCS >
 * set_ftrace_filter; echo function > current_tracer`): each traced kernel function prints one
 * line, `task-PID [CPU] ... func <-caller`, when it is entered. A traced function is printed by
 * the model step that enters it, and by every step that enters it: a line the kernel prints but
 * no step of the model places would make a correct kernel diverge. So the map traces only
 * functions entered at one known point of one model step, where the step's lock (if any) is
 * already held, and says for every other step of the model why it prints nothing (`silent`,
 * checked against the specs' events in test/conform.test.ts). Only the function name and the
 * thread are compared; callers are read only to skip the calls that happen inside another step
 * (`skipCalls`).
 *
 * The CPU fault of the MAP_DIRECT mapping is two model steps (P06 __xfs_filemap_fault): the check
 * (xfs_ilock(MMAPLOCK_SHARED); xfs_vma_checks, whose is_map_direct_valid() is the first traced
 * call after the lock is taken), then dax_iomap_fault (the PTE insert, or VM_FAULT_SIGBUS when
 * xfs_file_iomap_begin refuses: the function tracer sees the entry only, so both exits print the
 * same line). __xfs_filemap_fault itself is not traced: it is entered before MMAPLOCK_SHARED, so a
 * fault that blocks behind a punch would print before the punch's line, an order no model path has.
 */
import { defineConformanceMap, type Observation, type StepInfo } from '../../src/conform/map.js';

const call = (event: string) => (): Observation => ({ event });
/** The device-dax mapping faults through dev_dax_fault: no XFS function is entered. */
const devdax = (s: StepInfo) => s.before<{ devdax: boolean }>('A').devdax;
/** A fault through the VMA (A's, a GUP's, the ODP HCA's): xfs_vma_checks reads the map_direct_state of a MAP_DIRECT VMA. */
const checks = (s: StepInfo): Observation[] => (s.actors.includes('mds') ? [{ event: 'is_map_direct_valid' }] : []);
const fault = (s: StepInfo): Observation[] => [...checks(s), { event: 'dax_iomap_fault' }];

export default defineConformanceMap({
  name: 'ftrace-map-direct',
  doc: 'map-direct: the MAP_DIRECT series\' kernel functions against the function tracer',
  specs: ['map-direct', 'map-direct-baselines'],
  source: 'function',
  events: [
    'vfs_setlease', 'ib_umem_get', 'ib_dereg_mr', '__break_lease', 'map_direct_lm_break', 'lease_direct_lm_break', 'ib_umem_lease_break',
    'unmap_mapping_range', 'iommu_unmap', 'kill_dax', 'xfs_free_file_space', 'xfs_setattr_size', 'dax_iomap_rw', 'is_map_direct_valid', 'dax_iomap_fault',
  ],
  defaults: { caller: 'entry_SYSCALL_64_fastpath' },
  skipCalls: {
    // the punch's and the truncate's own zap, and the DAX fault's zap of a zero page: inside xfs_free_file_space's step and dax_iomap_fault's
    unmap_mapping_range: ['truncate_pagecache_range', 'truncate_pagecache', 'dax_insert_mapping_entry'],
  },
  observe: {
    // mmap: map_direct_register's vfs_setlease(F_RDLCK) (P04); the RDMA side's map_direct_lease (P08)
    vfs_setlease: call('vfs_setlease'),
    vfs_setlease_eagain: call('vfs_setlease'),
    // vfs_setlease(F_UNLCK): mds_work, put_map_direct_vma, lds_work, map_direct_lease_destroy (lease removed, or already gone)
    map_direct_lm_change: call('vfs_setlease'),
    lease_direct_lm_change: call('vfs_setlease'),
    vfs_setlease_unlck: call('vfs_setlease'),
    ibv_reg_mr: call('ib_umem_get'),
    ibv_dereg_mr: call('ib_dereg_mr'),
    // process exit: ib_uverbs_close -> ib_uverbs_cleanup_ucontext -> ib_dereg_mr (JG4)
    ib_uverbs_close: call('ib_dereg_mr'),
    // break_layout enters __break_lease when the lease list is not empty; -ENOMEM from its lease_alloc
    __break_lease: call('__break_lease'),
    __break_lease_enomem: call('__break_lease'),
    map_direct_lm_break: call('map_direct_lm_break'),
    lease_direct_lm_break: call('lease_direct_lm_break'),
    ib_umem_lease_break: call('ib_umem_lease_break'),
    unmap_mapping_range: call('unmap_mapping_range'),
    iommu_unmap: call('iommu_unmap'),
    kill_dax: call('kill_dax'),
    // T's punch (xfs_file_fallocate) or truncate (xfs_vn_setattr_size), entered with MMAPLOCK_EXCL held
    xfs_free_file_space: (s) => ({ event: s.event.off === -1 ? 'xfs_setattr_size' : 'xfs_free_file_space' }),
    // T's write(2): xfs_file_dax_write enters dax_iomap_rw after xfs_file_aio_write_checks broke the layouts
    xfs_file_dax_write: call('dax_iomap_rw'),
    // A's CPU fault (P06 __xfs_filemap_fault, two steps): the check under MMAPLOCK_SHARED, then dax_iomap_fault
    xfs_vma_checks: (s) => (devdax(s) ? null : checks(s)),
    dax_iomap_fault: (s) => (devdax(s) ? null : { event: 'dax_iomap_fault' }),
    dax_iomap_fault_sigbus: (s) => (devdax(s) ? null : { event: 'dax_iomap_fault' }),
    // B's write fault through a plain MAP_SHARED mapping: dax_iomap_fault right after its xfs_ilock(MMAPLOCK_SHARED)
    xfs_ilock: (s) => (s.actors.includes('B') && s.event.lock === 'MMAPLOCK' && s.event.mode === 'SHARED' ? { event: 'dax_iomap_fault', thread: 'B' } : null),
    // the ODP HCA page fault (ib_umem_odp_map_dma_pages -> get_user_pages_remote -> ->fault) and
    // ib_umem_get's GUP with no PTE (faultin_page -> ->fault) check in xfs_vma_checks (above for the
    // odp group; faultin_page here), then dax_iomap_fault (above); a failed check is
    // get_user_pages_efault (the umem runs in A's context but is no thread of the model: its lines
    // match any PID)
    faultin_page: (s) => (devdax(s) ? null : checks(s)),
    get_user_pages_efault: (s) => (devdax(s) ? null : checks(s)),
  },
  silent: [
    'mmap: do_mmap and xfs_file_mmap_validate are entered before the model\'s first step of the mmap (its lock or lease); their prints would precede lines the model orders first',
    'xfs_file_mmap, dax_mmap, xfs_seal_block_map, mmap_return: the end of mmap (vma_link, the seal) calls no traced function',
    'xfs_ilock, xfs_iunlock, xfs_ilock_cycle: the XFS inode rwsems (B\'s MMAPLOCK_SHARED prints dax_iomap_fault, above)',
    'mmap_sem_cycle: down_write and up_write of mmap_sem inside map_direct_invalidate (a mutant of the F9 fix)',
    'i_mapdcount_inc, i_mapdcount_dec: atomic_inc / atomic_dec, inline',
    'vma_open, vma_close, put_map_direct_vma_return: split_vma and munmap; put_map_direct_vma\'s own calls (vfs_setlease(F_UNLCK)) are their own steps',
    'SIGIO, SIGKILL: signal delivery to A (kill_fasync and send_sig run inside map_direct_lm_break and the timeout steps)',
    '__break_lease_none: break_layout (an inline of include/linux/fs.h) calls __break_lease only when the lease list is not empty',
    '__break_lease_ewouldblock, __break_lease_wait, __break_lease_wakeup, __break_lease_eintr: the return, wait and wake-up of a __break_lease call already entered',
    'time_out_leases: not traced, since __break_lease and generic_add_lease call it on entry too, where the model takes no step of its own; the timeout step is inside the waiting __break_lease',
    'flush_delayed_work, clear_bit_VALID: map_direct_invalidate (a work item split into several steps: its entry would match one of them only); the zap prints unmap_mapping_range',
    'is_map_direct_broken, ib_umem_get_checks, dax_alive, flush_work, put_page, ib_umem_get_fail, ib_reg_user_mr, ib_umem_release_return: steps inside ib_umem_get / ib_umem_release (bit tests, the vm_ops and IOMMU checks, the driver\'s MR command, the returns)',
    'dma_map_sg, dma_unmap_sg, iommu_map_sink, iommu_flush_iotlb, ib_umem_mr_invalidate: the DMA API and driver calls (dma_map_sg is one step per page; the IOMMU drivers do not go through iommu_unmap)',
    'xfs_fallocate_etxtbsy: v6\'s refusal inside xfs_file_fallocate, entered before T\'s first step',
    'dax_pages_reassign: devm_memunmap_pages after the device is killed',
    'xfs_iomap_begin, xfs_iomap_begin_etxtbsy, xfs_iomap_begin_mapped, xfs_bmapi_write, xfs_reflink_allocate_cow, xfs_reflink_cow_etxtbsy: inside B\'s dax_iomap_fault (printed at its xfs_ilock)',
    'xfs_alloc_file_space: another process\'s allocation into file g (not a thread of the model)',
    'get_user_pages: GUP\'s follow_page_mask and get_page of a present PTE (inline page-table walk, no traced function)',
    'ib_umem_odp_map_dma_pages: ib_umem_odp_map_dma_single_page under umem_mutex, after get_user_pages_remote returned (not traced)',
    'hca_dma_write, hca_dma_fault, hca_odp_dma_write: the device\'s DMA, not a CPU',
  ],
});
