/**
 * The page tables of the processes that map one DAX file (the `i_mmap` view of the mapping): per
 * process and page index, a PTE that is none, the zero page of a hole (`zero`, read-only), or a
 * pfn mapping of a block, read-only (`ro`) or writable (`rw`), installed as a PTE or as part of a
 * PMD (`pmd`). Block = sector = pfn (one name: block). A passive actor: every event is taken
 * together with the thread that runs the kernel function, under the page table lock.
 *
 * - `do_set_pte`: `__do_fault` maps the locked hole page a read fault returned (VM_FAULT_LOCKED).
 * - `vm_insert_mixed` / `vmf_insert_pfn_pmd`: `insert_pfn` maps a block; a PTE that is not none is
 *   left alone (-EBUSY, "somebody else faulted on the same PTE").
 * - `unmap_mapping_range`: zaps [start, end] in every process; a PMD that overlaps is zapped whole.
 * - `wp_pfn_shared`: after `->pfn_mkwrite`, retakes the PTL and makes the PTE writable only if
 *   `pte_same(*pte, orig_pte)`; the parameter `same` is the result of that test.
 * - `i_mmap_lock_read` / `i_mmap_unlock_read`: `__dax_pmd_fault` (2016) holds mapping->i_mmap_rwsem
 *   for read; `unmap_mapping_range` takes it for write (i_mmap_lock_write), so it waits for them.
 * - `wp_page_reuse`: makes the faulting PTE writable from `orig_pte` without the recheck (the
 *   design alternative of knob `pteSame: false`).
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface PtEntry {
  m: 'none' | 'zero' | 'ro' | 'rw';
  /** Block mapped (-1 for none and the zero page). */
  b: number;
  pmd: boolean;
}
export interface PageTablesInput {
  procs: string[];
  nPages: number;
  pmdPages: number;
  /** Initial PTEs per process (default: all none). */
  initial?: Record<string, PtEntry[]>;
}
export interface PageTablesContext {
  pt: Record<string, PtEntry[]>;
  pmdPages: number;
  /** Holders of mapping->i_mmap_rwsem for read (__dax_pmd_fault, 2016); unmap_mapping_range takes it for write. */
  immapReaders: number;
}
type Ev =
  | { type: 'do_set_pte'; proc: string; index: number }
  | { type: 'vm_insert_mixed'; proc: string; index: number; block: number; write: boolean }
  | { type: 'vmf_insert_pfn_pmd'; proc: string; index: number; block: number; write: boolean }
  | { type: 'unmap_mapping_range'; start: number; end: number }
  | { type: 'wp_pfn_shared'; proc: string; index: number; block: number; same: boolean }
  | { type: 'wp_page_reuse'; proc: string; index: number; block: number }
  | { type: 'i_mmap_lock_read' }
  | { type: 'i_mmap_unlock_read' };

export const NO_PTE: PtEntry = { m: 'none', b: -1, pmd: false };
const C = 'P6 dax: add support for fsync/msync (seed 004 RZ6)';

const setAt = (pt: Record<string, PtEntry[]>, proc: string, f: (p: PtEntry, i: number) => PtEntry) => ({
  ...pt,
  [proc]: pt[proc].map(f),
});
const isSame = (p: PtEntry | undefined, block: number) => !!p && p.m === 'ro' && p.b === block && !p.pmd;

export const pageTables = setup({
  types: { context: {} as PageTablesContext, events: {} as Ev, input: {} as PageTablesInput },
}).createMachine({
  id: 'page_tables',
  context: ({ input }) => {
    const pt: Record<string, PtEntry[]> = {};
    for (const p of input.procs) pt[p] = input.initial?.[p]?.map((e) => ({ ...e })) ?? Array.from({ length: input.nPages }, () => ({ ...NO_PTE }));
    return { pt, pmdPages: input.pmdPages, immapReaders: 0 };
  },
  initial: 'ptl',
  states: {
    ptl: {
      tags: ['validEnd'],
      on: {
        // i_mmap_rwsem: readers share it; unmap_mapping_range (i_mmap_lock_write) waits for them to leave
        i_mmap_lock_read: {
          meta: m('i_mmap_lock_read', '[bg] 4.4 fs/dax.c __dax_pmd_fault i_mmap_lock_read(mapping); seed 004 RZ2 context', ATOMIC.i_mmap_lock_read),
          actions: assign(({ context }) => ({ immapReaders: context.immapReaders + 1 })),
        },
        i_mmap_unlock_read: {
          guard: ({ context }) => context.immapReaders > 0,
          meta: m('i_mmap_unlock_read', 'seed 004 RZ2 "i_mmap_unlock_read(mapping); unmap_mapping_range(...)"', ATOMIC.i_mmap_unlock_read),
          actions: assign(({ context }) => ({ immapReaders: context.immapReaders - 1 })),
        },
        do_set_pte: {
          guard: ({ context, event }) => !!context.pt[event.proc]?.[event.index],
          meta: m('do_set_pte', '[bg] 4.4 mm/memory.c do_read_fault -> do_set_pte (hole page returned VM_FAULT_LOCKED by dax_load_hole)', ATOMIC.do_set_pte),
          actions: assign(({ context, event }) => ({
            pt: setAt(context.pt, event.proc, (p, i) => (i === event.index && p.m === 'none' ? { m: 'zero' as const, b: -1, pmd: false } : p)),
          })),
        },
        vm_insert_mixed: {
          guard: ({ context, event }) => !!context.pt[event.proc]?.[event.index],
          meta: m('vm_insert_mixed', C + ' dax_insert_mapping; [bg] insert_pfn -EBUSY when the PTE is not none', ATOMIC.vm_insert_mixed),
          actions: assign(({ context, event }) => ({
            pt: setAt(context.pt, event.proc, (p, i) =>
              i === event.index && p.m === 'none' ? { m: event.write ? ('rw' as const) : ('ro' as const), b: event.block, pmd: false } : p,
            ),
          })),
        },
        vmf_insert_pfn_pmd: {
          guard: ({ context, event }) => !!context.pt[event.proc] && event.index % context.pmdPages === 0,
          meta: m('vmf_insert_pfn_pmd', C + ' __dax_pmd_fault', ATOMIC.vmf_insert_pfn_pmd),
          actions: assign(({ context, event }) => {
            const n = context.pmdPages;
            const row = context.pt[event.proc];
            if (!row.slice(event.index, event.index + n).every((p) => p.m === 'none')) return {};
            return {
              pt: setAt(context.pt, event.proc, (p, i) =>
                i >= event.index && i < event.index + n
                  ? { m: event.write ? ('rw' as const) : ('ro' as const), b: event.block + (i - event.index), pmd: true }
                  : p,
              ),
            };
          }),
        },
        unmap_mapping_range: {
          // i_mmap_lock_write(mapping): waits while a PMD fault holds the rwsem for read
          guard: ({ context }) => context.immapReaders === 0,
          meta: m('unmap_mapping_range', 'seed 004 RZ2 "unmap_mapping_range() to unmap the VMAs"; zap_huge_pmd for an overlapping PMD', ATOMIC.unmap_mapping_range),
          actions: assign(({ context, event }) => {
            const n = context.pmdPages;
            const pt: Record<string, PtEntry[]> = {};
            for (const [proc, row] of Object.entries(context.pt)) {
              pt[proc] = row.map((p, i) => {
                const r = i - (i % n);
                const hit = p.pmd ? r <= event.end && r + n - 1 >= event.start : i >= event.start && i <= event.end;
                return hit ? { ...NO_PTE } : p;
              });
            }
            return { pt };
          }),
        },
        wp_pfn_shared: {
          guard: ({ context, event }) => event.same === isSame(context.pt[event.proc]?.[event.index], event.block),
          meta: m('wp_pfn_shared', 'seed 004 RZ6 dax_radix_entry comment: "the pte_same() check will fail, eventually causing page fault to be retried"', ATOMIC.wp_pfn_shared),
          actions: assign(({ context, event }) =>
            event.same ? { pt: setAt(context.pt, event.proc, (p, i) => (i === event.index ? { ...p, m: 'rw' as const } : p)) } : {},
          ),
        },
        wp_page_reuse: {
          guard: ({ context, event }) => !!context.pt[event.proc]?.[event.index],
          meta: m('wp_page_reuse', 'design alternative: wp_pfn_shared without the pte_same() recheck (knob pteSame)', ATOMIC.wp_page_reuse),
          actions: assign(({ context, event }) => ({
            pt: setAt(context.pt, event.proc, (p, i) => (i === event.index ? { m: 'rw' as const, b: event.block, pmd: false } : p)),
          })),
        },
      },
    },
  },
});
