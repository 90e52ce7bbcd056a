/**
 * Why each step of the MAP_DIRECT models is one step (docs/semantics.md, "Atomicity"), per event:
 * the lock the stepping thread holds (a lock of the spec's `locks`), or the atomic instruction or
 * the critical section that makes the code atomic there. `declareAtomicity` writes it into the
 * `meta.atomic` of every transition of a machine config that does not declare its own; an event
 * not listed moves one instance only ('local'). Plain data: no explorer code.
 */
import type { Atomicity, StepMeta } from '../meta.js';

const FLC: Atomicity = { op: 'spin_lock(&ctx->flc_lock) ... spin_unlock: the lease-core critical section (fs/locks.c), taken and dropped within the step' };
const MMAPLOCK: Atomicity = { lock: 'MMAPLOCK' };

export const MD_ATOMICITY: Readonly<Record<string, Atomicity>> = {
  // the XFS inode rwsems: the lock primitive itself
  xfs_ilock: { op: 'down_read / down_write (xfs_ilock)' },
  xfs_iunlock: { op: 'up_read / up_write (xfs_iunlock)' },
  xfs_ilock_cycle: { op: 'down_write(MMAPLOCK); up_write: taken and dropped, waits for every shared holder' },
  mmap_sem_cycle: { op: 'down_write(&mm->mmap_sem); up_write: taken and dropped, waits for every holder' },
  // the CPU fault of A (process.ts declares its own) and the faulting thread B: under MMAPLOCK_SHARED
  xfs_iomap_begin: MMAPLOCK,
  xfs_iomap_begin_etxtbsy: MMAPLOCK,
  xfs_iomap_begin_mapped: MMAPLOCK,
  xfs_bmapi_write: MMAPLOCK,
  xfs_reflink_allocate_cow: MMAPLOCK,
  xfs_reflink_cow_etxtbsy: MMAPLOCK,
  // the lease core
  vfs_setlease: FLC, vfs_setlease_eagain: FLC, vfs_setlease_unlck: FLC,
  map_direct_lm_break: FLC, lease_direct_lm_break: FLC, map_direct_lm_change: FLC, lease_direct_lm_change: FLC,
  __break_lease: FLC, __break_lease_none: FLC, __break_lease_ewouldblock: FLC, __break_lease_wait: FLC,
  __break_lease_wakeup: FLC, __break_lease_enomem: FLC, time_out_leases: FLC,
  i_mapdcount_inc: { op: 'atomic_inc(&i_mapdcount)' },
  i_mapdcount_dec: { op: 'atomic_dec(&i_mapdcount)' },
  is_map_direct_broken: { op: 'test_bit(MAPDIRECT_BREAK)' },
  put_map_direct_vma_return: { op: 'atomic_dec_and_test(&mds_ref) (put_map_direct)' },
  flush_work: { op: 'flush_work: wait_for_completion of the lds_work barrier' },
  // the mapping (A holds mmap_sem for writing in mmap and munmap: its own mm)
  mmap: { op: 'do_mmap -> mmap_region: vm_area_alloc under down_write(&mm->mmap_sem), A\'s own mm' },
  mmap_return: { op: 'vma_link under down_write(&mm->mmap_sem), A\'s own mm; vm_private_data store' },
  xfs_file_mmap: { op: 'vma_link under down_write(&mm->mmap_sem), A\'s own mm' },
  dax_mmap: { op: 'vma_link under down_write(&mm->mmap_sem), A\'s own mm' },
  vma_close: { op: 'remove_vma under down_write(&mm->mmap_sem), A\'s own mm' },
  vma_open: { op: 'split_vma under down_write(&mm->mmap_sem), A\'s own mm; atomic_inc(&mds_vmaref)' },
  xfs_seal_block_map: { op: 'S_IOMAP_IMMUTABLE set under XFS_ILOCK_EXCL' },
  // GUP (ib_umem_get) and the ODP page fault, split as the code is: follow_page_mask (the PTE read and
  // get_page under the PTE lock, which every zap takes), or faultin_page -> __xfs_filemap_fault (the
  // check, then dax_iomap_fault under MMAPLOCK_SHARED, as A's CPU fault)
  get_user_pages: { op: 'follow_page_mask: the PTE read and get_page under pte_offset_map_lock (the PTE lock unmap_mapping_range takes)' },
  faultin_page: { op: 'test_bit(MAPDIRECT_VALID) (is_map_direct_valid) after down_read(MMAPLOCK)' },
  get_user_pages_efault: { op: 'xfs_vma_checks fails: down_read(MMAPLOCK), test_bit(MAPDIRECT_VALID) / inode flags, up_read: VM_FAULT_SIGBUS -> -EFAULT' },
  // the RDMA core and the DMA API
  ibv_reg_mr: { op: 'ib_uverbs write(): the process enters ib_umem_get (a call)' },
  ib_umem_get_checks: { op: 'ib_umem_get: vma->vm_ops->lease_direct and dma_get_iommu_domain read under mmap_sem (read)' },
  ib_reg_user_mr: { op: 'the HCA MR is written (a driver command, one completion) and returned to the caller' },
  ib_umem_get_fail: { op: 'ib_umem_get returns the error to its caller' },
  ibv_dereg_mr: { op: 'ib_dereg_mr: the HCA MR is destroyed (a synchronous fence, JG4)' },
  ib_umem_release_return: { op: '__ib_umem_release returns to its caller' },
  ib_uverbs_close: { op: 'ib_uverbs_cleanup_ucontext: the MR is destroyed (a synchronous fence, JG4)' },
  ib_umem_lease_break: { op: 'lds_work runs ib_umem_lease_break (a call from the work item)' },
  ib_umem_mr_invalidate: { op: 'the driver invalidates the MR (one completion)' },
  dma_map_sg: { op: 'alloc_iova + iommu_map under the domain\'s iova_rbtree_lock / pgtable lock' },
  dma_unmap_sg: { op: 'iommu_unmap + free_iova under the domain locks (strict: IOTLB flushed)' },
  iommu_unmap: { op: 'iommu_unmap under the domain\'s pgtable lock (strict: IOTLB flushed)' },
  iommu_map_sink: { op: 'iommu_map under the domain\'s pgtable lock' },
  hca_dma_write: { op: 'one DMA write: the IOMMU translates (IOTLB or page walk) and the write lands' },
  hca_dma_fault: { op: 'one DMA write that faults in the IOMMU' },
  hca_odp_dma_write: { op: 'one DMA write through the ODP mirror' },
  put_page: { op: 'put_page: atomic_dec of the page refcount' },
  dax_alive: { op: 'dax_alive: a read of the dax_device flag under dax_read_lock (SRCU)' },
  kill_dax: { op: 'kill_dax: clear DAXDEV_ALIVE, synchronize_srcu' },
  dax_pages_reassign: { op: 'devm_memunmap_pages: the pages leave the device (one teardown)' },
  // the zap and the breakers' block-map changes
  unmap_mapping_range: { op: 'unmap_mapping_range: i_mmap_lock_read, then each PTE cleared under its PTE lock' },
  xfs_free_file_space: { op: 'xfs_ilock(MMAPLOCK_EXCL) ... xfs_iunlock: the punch runs with both inode locks exclusive (T holds IOLOCK_EXCL)' },
  xfs_file_dax_write: { lock: 'IOLOCK' },
  xfs_fallocate_etxtbsy: { lock: 'IOLOCK' },
  xfs_vma_checks: { op: 'test_bit(MAPDIRECT_VALID) (is_map_direct_valid) after down_read(MMAPLOCK)' },
  dax_iomap_fault: MMAPLOCK,
  dax_iomap_fault_sigbus: MMAPLOCK,
};

type Transition = { meta?: StepMeta; [k: string]: unknown };
const each = (t: unknown, f: (t: Transition) => void) => { for (const x of Array.isArray(t) ? t : [t]) if (x && typeof x === 'object') f(x as Transition); };
const declare = (t: Transition, a: Atomicity) => { if (t.meta && t.meta.atomic === undefined) t.meta = { ...t.meta, atomic: a }; };

/** Fills `meta.atomic` of every transition of `config` (an XState machine config) that has none. */
export function declareAtomicity<T>(config: T, table: Readonly<Record<string, Atomicity>> = MD_ATOMICITY): T {
  const walk = (node: Record<string, any>) => {
    for (const [ev, t] of Object.entries(node.on ?? {})) each(t, (x) => declare(x, table[ev] ?? 'local'));
    each(node.always, (x) => declare(x, 'local'));
    for (const t of Object.values(node.after ?? {})) each(t, (x) => declare(x, 'local'));
    for (const child of Object.values(node.states ?? {})) walk(child as Record<string, any>);
  };
  walk(config as Record<string, any>);
  return config;
}
