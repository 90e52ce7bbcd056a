/**
 * Specs dax-fault-holes and dax-fault-punch against the fs_dax tracepoints of Linux 4.15.
 *
 * A fault thread prints dax_pte_fault or dax_pmd_fault on entry (a write through a read-only PTE:
 * dax_pte_fault with MKWRITE), dax_insert_mapping when it inserts its entry (dax_pmd_insert_mapping
 * for a PMD), dax_load_hole when it maps a hole, and dax_pte_fault_done / dax_pmd_fault_done when
 * its handler returns: when the filesystem wrapper drops the MMAPLOCK (FALLBACK from the PMD handler,
 * after which the retried PTE fault prints dax_pte_fault when it takes the lock again). Locks,
 * get_block, page-cache steps and the hole punch print nothing. Compared: pages, the access, the
 * outcome of fault_done (except after a hole: 4.15 maps the zero page and returns NOPAGE where the
 * 2016 code returns VM_FAULT_LOCKED, so the outcome is left out there), read/write of the inserts.
 */
import { defineConformanceMap, type StepInfo } from '../../src/conform/map.js';
import { FS_DAX } from './_fs-dax.js';

interface FaultCtx {
  kind: 'fault' | 'mkwrite';
  index: number;
  write: boolean;
  pmd: boolean;
  pmdNow: boolean;
  excl: boolean;
  result: string;
}
const access = (c: FaultCtx) => (c.write ? 'write' : 'read');
const ctx = (s: StepInfo) => s.before<FaultCtx>(s.threads[0]);

export default defineConformanceMap({
  name: 'fs-dax-4.15-fault',
  doc: 'dax-fault-holes, dax-fault-punch: DAX page faults against the fs_dax tracepoints of Linux 4.15',
  specs: ['dax-fault-holes', 'dax-fault-punch'],
  ...FS_DAX,
  observe: {
    'fn:handle_mm_fault': (s) => {
      const c = ctx(s);
      return { event: c.pmd ? 'dax_pmd_fault' : 'dax_pte_fault', fields: { pgoff: c.index, access: access(c) } };
    },
    'fn:do_wp_page': (s) => ({ event: 'dax_pte_fault', fields: { pgoff: ctx(s).index, access: 'mkwrite' } }),
    // the fs fault wrapper takes the lock: after a PMD fallback, or a retried write, this is the PTE fault's entry
    'fn:xfs_filemap_fault': (s) => {
      const c = ctx(s);
      if (s.event.type === 'xfs_ilock') {
        const afterFallback = c.pmd && !c.pmdNow && !c.excl;
        return afterFallback || c.result === 'retry' ? { event: 'dax_pte_fault', fields: { pgoff: c.index, access: access(c) } } : null;
      }
      // xfs_iunlock when the handler returned (not the JK-p2 bail, which retries inside the wrapper)
      if (c.result === 'nopage' || c.result === 'oom') {
        return { event: c.pmdNow ? 'dax_pmd_fault_done' : 'dax_pte_fault_done', fields: { pgoff: c.index, outcome: c.result } };
      }
      if (c.result === 'locked') return { event: 'dax_pte_fault_done', fields: { pgoff: c.index } };
      return null;
    },
    'fn:xfs_filemap_pmd_fault': (s) => ({ event: 'dax_pmd_fault_done', fields: { pgoff: ctx(s).index, outcome: 'fallback' } }),
    'fn:xfs_filemap_pfn_mkwrite': (s) => (s.event.type === 'xfs_iunlock' ? { event: 'dax_pte_fault_done', fields: { pgoff: ctx(s).index, outcome: 'nopage' } } : null),
    'fn:dax_insert_mapping': (s) => ({ event: 'dax_insert_mapping', fields: { rw: access(ctx(s)) } }),
    'fn:dax_pfn_mkwrite': () => ({ event: 'dax_insert_mapping', fields: { rw: 'write' } }),
    'fn:dax_load_hole': (s) => ({ event: 'dax_load_hole', fields: { pgoff: ctx(s).index } }),
    'fn:vmf_insert_pfn_pmd': (s) => ({ event: 'dax_pmd_insert_mapping', fields: { rw: access(ctx(s)) } }),
  },
  silent: [
    'xfs_ilock', 'xfs_iunlock', 'get_block', 'find_lock_page', 'grab_mapping_entry', 'put_locked_mapping_entry', 'unlock_page',
    'delete_from_page_cache', 'truncate_inode_pages_range', 'unmap_mapping_range', 'do_set_pte', 'vm_insert_mixed', 'wp_pfn_shared',
    'wp_page_reuse', '__dax_dbg', 'xfs_file_fallocate', 'xfs_free_file_space', 'fn:__dax_pmd_fault', 'fn:find_get_page',
  ],
});
