/**
 * Spec map-direct against the function tracer (`echo FUNCS > set_ftrace_filter; echo function >
 * current_tracer`): each traced kernel function prints one line, `task-PID [CPU] ... func <-caller`,
 * when it is entered. The map traces the functions the MAP_DIRECT series names whose call is one
 * model step (its event is the call): the mmap-side registration (vfs_setlease), the RDMA
 * registration and release (ib_umem_get, ib_dereg_mr), the lease break on both sides
 * (__break_lease, time_out_leases, map_direct_lm_break, ib_umem_lease_break), the revocation
 * (unmap_mapping_range, iommu_unmap, kill_dax), the operation that breaks the lease
 * (xfs_free_file_space) and the fault (__xfs_filemap_fault). Functions the model splits into
 * several steps per call (ib_umem_get's page loop, dma_map_sg per page, map_direct_invalidate's
 * work item) are not traced: one call would print once but match several steps. Only the
 * function name and the thread are compared; the caller is not.
 */
import { defineConformanceMap, type Rule } from '../../src/conform/map.js';

const call = (fn: string): Rule => () => ({ event: fn });
const FUNCS: Readonly<Record<string, string>> = {
  vfs_setlease: 'vfs_setlease',
  ibv_reg_mr: 'ib_umem_get',
  ibv_dereg_mr: 'ib_dereg_mr',
  __break_lease: '__break_lease',
  __break_lease_none: '__break_lease',
  __break_lease_enomem: '__break_lease',
  time_out_leases: 'time_out_leases',
  map_direct_lm_break: 'map_direct_lm_break',
  ib_umem_lease_break: 'ib_umem_lease_break',
  unmap_mapping_range: 'unmap_mapping_range',
  iommu_unmap: 'iommu_unmap',
  kill_dax: 'kill_dax',
  xfs_free_file_space: 'xfs_free_file_space',
  xfs_vma_checks: '__xfs_filemap_fault',
  faultin_page: '__xfs_filemap_fault',
};

export default defineConformanceMap({
  name: 'ftrace-map-direct',
  doc: 'map-direct: the MAP_DIRECT series\' named kernel functions against the function tracer',
  specs: ['map-direct', 'map-direct-baselines'],
  source: 'function',
  events: [...new Set(Object.values(FUNCS))],
  defaults: { caller: 'entry_SYSCALL_64_fastpath' },
  observe: Object.fromEntries(Object.entries(FUNCS).map(([ev, fn]) => [ev, call(fn)])),
  silent: ['every other step: locks, page loops, DMA mapping, lease bookkeeping, timers, the HCA'],
});
