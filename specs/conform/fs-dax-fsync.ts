/**
 * Spec dax-fsync against the fs_dax tracepoints of Linux 4.15.
 *
 * The user process's faults print the fault tracepoints; the fsync/msync caller prints
 * dax_writeback_range on entry, dax_writeback_one per entry it flushes (after the flush, as 4.15
 * does) and dax_writeback_range_done on return. Everything else (tree lookups, tagging, the fence,
 * the store, unbind) prints nothing. What is compared:
 * - dax_writeback_range: both ends of the range (msync; fsync's whole-file end is not a model page);
 * - dax_writeback_one: the entry's page and length (PTE or PMD);
 * - dax_writeback_range_done: the end only (4.15 prints start_index advanced past the last entry);
 * - faults: the page, the access (read, write, mkwrite); fault_done: the page and NOPAGE;
 *   dax_insert_mapping: read or write.
 */
import { defineConformanceMap } from '../../src/conform/map.js';
import { FS_DAX } from './_fs-dax.js';

const access = (write: boolean) => (write ? 'write' : 'read');
/** The fault a user thread is in, before the step. */
type UserCtx = { fault: { index: number; write: boolean; pmd: boolean } | null };

export default defineConformanceMap({
  name: 'fs-dax-4.15-fsync',
  doc: 'dax-fsync: faults and dax_writeback_mapping_range against the fs_dax tracepoints of Linux 4.15',
  specs: ['dax-fsync'],
  ...FS_DAX,
  observe: {
    // ---- the fsync/msync caller: dax_writeback_mapping_range
    vfs_fsync_range: (s) => ({ event: 'dax_writeback_range', fields: { start_index: s.event.start as number, end_index: s.event.end as number } }),
    wb_cache_pmem: (s) => {
      const t = s.event.thread as string;
      const c = s.before<{ index: number }>(t);
      return { event: 'dax_writeback_one', thread: t, fields: { pgoff: c.index, pglen: s.event.n as number } };
    },
    fsync_return: (s) => ({ event: 'dax_writeback_range_done', fields: { end_index: s.before<{ end: number }>(s.event.thread as string).end } }),
    // ---- the user process's faults (__dax_fault, __dax_pmd_fault, dax_pfn_mkwrite)
    handle_mm_fault: (s) => ({
      event: s.event.pmd ? 'dax_pmd_fault' : 'dax_pte_fault',
      fields: { pgoff: s.event.index as number, access: access(s.event.write as boolean) },
    }),
    do_wp_page: (s) => ({ event: 'dax_pte_fault', fields: { pgoff: s.event.index as number, access: 'mkwrite' } }),
    'fn:dax_insert_mapping': (s) => ({ event: 'dax_insert_mapping', fields: { rw: access(s.event.dirty as boolean) } }),
    // 4.15 takes a write through a read-only PTE through the PTE fault handler: it re-inserts the entry dirty
    'fn:dax_pfn_mkwrite': () => ({ event: 'dax_insert_mapping', fields: { rw: 'write' } }),
    vm_insert_mixed: (s) => ({ event: 'dax_pte_fault_done', fields: { pgoff: s.before<UserCtx>(s.threads[0]).fault!.index, outcome: 'nopage' } }),
    wp_pfn_shared: (s) => ({ event: 'dax_pte_fault_done', fields: { pgoff: s.before<UserCtx>(s.threads[0]).fault!.index, outcome: 'nopage' } }),
    vmf_insert_pfn_pmd: (s) => {
      const f = s.before<UserCtx>(s.threads[0]).fault!;
      return [
        { event: 'dax_pmd_insert_mapping', fields: { rw: access(f.write) } },
        { event: 'dax_pmd_fault_done', fields: { pgoff: f.index, outcome: 'nopage' } },
      ];
    },
  },
  silent: [
    'store_watched', 'fn:__dax_pmd_fault', 'radix_tree_lookup', 'tag_pages_for_writeback', 'find_get_entries_tag', 'dax_writeback_one',
    'blk_queue_enter', 'blk_queue_exit', 'dax_unlock_entry', 'radix_tree_tag_clear', 'wmb_pmem', 'dax_wait_inflight',
    'device_release_driver', 'percpu_ref_kill', 'wait_for_completion', 'arch_remove_memory',
  ],
});
