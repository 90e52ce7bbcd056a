/**
 * Why each step of the pgmap / GUP / DAX fsync / DAX fault machines is one step (issue 11;
 * docs/semantics.md §9, "Atomicity"), by kernel function (the event type). Every transition's
 * `meta` takes its `atomic` from here (`machines/meta.ts` `m`), so a reviewer reads the whole
 * argument in one table; docs/models/pgmap-gup-fsync.md ("Locks and atomicity") gives the citations.
 *
 * Locks taken and dropped inside one step (a section that touches only the state the lock protects
 * and the caller's own variables, and never waits for another modelled thread) are represented by
 * the instance that owns the protected state: `tree_lock` by the mapping tree, `xa_lock` by the
 * 2022 mapping entry, `XFS_ILOCK` by the inode, the PTE lock `ptl` (and `i_mmap_rwsem` taken for
 * write by `unmap_mapping_range`) by the page tables. By reduction (the lock acquire moves right,
 * the release moves left) such a section is one step; the spec's `locks` say the owner holds the
 * lock whenever no thread keeps it across steps. A lock kept across steps (MMAPLOCK, `tree_lock`
 * over an atomic `->direct_access`, `i_mmap_rwsem` read in `__dax_pmd_fault`) is held by a thread,
 * taken and dropped by steps of their own (`op: down_read`, ...).
 */
import type { Atomicity } from '../meta.js';

const lock = (name: string): Atomicity => ({ lock: name });
const op = (instr: string): Atomicity => ({ op: instr });

export const ATOMIC = {
  // ---- the faulting or calling thread alone --------------------------------------------------
  handle_mm_fault: 'local',
  do_wp_page: 'local',
  __dax_dbg: 'local',
  xfs_file_fallocate: 'local',
  fsync_return: 'local',
  get_user_pages_fast: 'local',
  gup_pte_range: 'local',
  dma_complete: 'local',
  mmap_region: 'local',
  __bdev_dax_supported: 'local',
  device_release_driver: 'local',
  dax_iomap_fault: 'local',
  do_truncate: 'local',
  // ---- rwsems and bit locks held across steps: the primitive is the step ---------------------
  xfs_ilock: op('down_read / down_write (XFS_MMAPLOCK)'),
  xfs_iunlock: op('up_read / up_write (XFS_MMAPLOCK)'),
  i_mmap_lock_read: op('down_read(&mapping->i_mmap_rwsem)'),
  i_mmap_unlock_read: op('up_read(&mapping->i_mmap_rwsem)'),
  unlock_page: op('clear_bit_unlock(PG_locked)'),
  // ---- mapping->tree_lock sections (seed 004) -------------------------------------------------
  dax_radix_entry: lock('tree_lock'),
  tag_pages_for_writeback: lock('tree_lock'),
  dax_writeback_one: lock('tree_lock'),
  dax_unlock_entry: lock('tree_lock'),
  put_locked_mapping_entry: lock('tree_lock'),
  grab_mapping_entry: lock('tree_lock'),
  radix_tree_tag_clear: lock('tree_lock'),
  dax_wait_inflight: lock('tree_lock'),
  dax_load_hole: lock('tree_lock'),
  find_lock_page: lock('tree_lock'),
  delete_from_page_cache: lock('tree_lock'),
  truncate_inode_pages_range: lock('tree_lock'),
  // RCU lookups: one rcu_dereference of the slot (dax_writeback_one rechecks under tree_lock)
  radix_tree_lookup: op('rcu_dereference (radix_tree_lookup)'),
  find_get_entries_tag: op('rcu_dereference (find_get_entries_tag: one entry per call)'),
  // ---- the inode's block map under XFS_ILOCK (inside xfs_get_blocks / xfs_bunmapi) -------------
  get_block: lock('XFS_ILOCK'),
  xfs_free_file_space: lock('XFS_ILOCK'),
  truncate_free_block: lock('XFS_ILOCK'),
  // ---- page tables: PTE lock sections; unmap_mapping_range under i_mmap_rwsem (write) + PTLs -----
  do_set_pte: lock('ptl'),
  vm_insert_mixed: lock('ptl'),
  vmf_insert_pfn_pmd: lock('ptl'),
  wp_pfn_shared: lock('ptl'),
  wp_page_reuse: lock('ptl'),
  unmap_mapping_range: lock('i_mmap_rwsem'),
  munmap: op('zap + TLB shootdown IPI (waits for IRQ-off walkers)'),
  gup_fast_pte: op('READ_ONCE(*ptep) with IRQs off'),
  // ---- memory and cache ----------------------------------------------------------------------
  store_watched: op('store'),
  access_memory: op('load / store / DMA write'),
  wb_cache_pmem: op('clwb'),
  wmb_pmem: op('sfence (wmb_pmem)'),
  // a ghost step: the media records that the watched store is older than this fsync (no kernel state changes)
  vfs_fsync_range: op('ghost: observation of the store order'),
  // ---- percpu_ref and page / folio refcounts: the atomic of the cited code -----------------------
  percpu_ref_kill: op('percpu_ref_kill'),
  wait_for_completion: op('wait_for_completion (the ref reached zero)'),
  percpu_ref_tryget: op('percpu_ref_tryget'),
  percpu_ref_put: op('percpu_ref_put'),
  percpu_ref_is_dying: op('percpu_ref_is_dying (READ_ONCE of the dead bit)'),
  get_dev_pagemap: op('percpu_ref_tryget_live'),
  put_dev_pagemap: op('percpu_ref_put'),
  vma_get: op('percpu_ref_get'),
  vma_put: op('percpu_ref_put'),
  blk_queue_enter: op('percpu_ref_tryget_live(&q->q_usage_counter)'),
  blk_queue_exit: op('percpu_ref_put(&q->q_usage_counter)'),
  // 2015 get_page: percpu_ref_get(pgmap->ref), then atomic_inc(&page->_count); nothing reads both
  get_page: op('percpu_ref_get + atomic_inc(&page->_count)'),
  put_page: op('put_page_testzero (atomic_dec_and_test) + percpu_ref_put'),
  page_cache_get_speculative: op('get_page_unless_zero (atomic_inc_not_zero)'),
  folio_ref_inc: op('atomic_inc(&folio->_refcount)'),
  folio_ref_count: op('atomic_read(&folio->_refcount)'),
  folio_ref_dec: op('atomic_dec(&folio->_refcount) (folio_put)'),
  dax_page_idle: op('page_ref_count (atomic_read)'),
  arch_remove_memory: op('arch_remove_memory (the memory goes: one step of the unbind thread)'),
  // ---- dax_device SRCU and the 2022 mapping entry under xa_lock -------------------------------
  kill_dax: op('clear_bit(DAXDEV_ALIVE)'),
  synchronize_srcu: op('synchronize_srcu (no reader section left)'),
  dax_read_lock: op('srcu_read_lock + dax_alive (test_bit)'),
  dax_read_unlock: op('srcu_read_unlock'),
  dax_lock_entry: lock('xa_lock'),
  dax_entry_lookup: lock('xa_lock'),
  dax_insert_entry: lock('xa_lock'),
  dax_delete_entry: lock('xa_lock'),
} as const satisfies Record<string, Atomicity>;

/** The 2022 mapping entry takes `dax_unlock_entry` under xa_lock, not the 2016 tree_lock. */
export const ATOMIC_2022 = { ...ATOMIC, dax_unlock_entry: lock('xa_lock') } as const satisfies Record<string, Atomicity>;
