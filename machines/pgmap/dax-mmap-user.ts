/**
 * A user process with a shared DAX mapping of a fully allocated file, and the fault handlers
 * that run in its context (seed 004 RZ6-RZ9): `__dax_fault` (PTE), `__dax_pmd_fault` (PMD) and
 * `dax_pfn_mkwrite` (first write through a read-only PTE, then `wp_pfn_shared`).
 *
 * The page table of the process is in the context (`pte[index]`: none / ro / rw, and whether the
 * mapping is a PMD). The process makes one watched store (`store_watched`, synchronised with the
 * pmem media actor) through a writable mapping; other stores have no observable effect here.
 * `faults` bounds the number of faults (a small configuration). Block = sector = pfn; the file's
 * block of index i is `blockOf[i]` on device `dataDev`.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface Pte {
  m: 'none' | 'ro' | 'rw';
  pmd: boolean;
}
export interface DaxMmapUserInput {
  id: string;
  nPages: number;
  pmdPages: number;
  blockOf: number[];
  dataDev: string;
  faults: number;
  /** The VMA allows PMD mappings (aligned, CONFIG_FS_DAX_PMD); the "mapping size" knob. */
  pmd: boolean;
  /** This process makes the watched store. */
  stores: boolean;
}
export interface DaxMmapUserContext extends DaxMmapUserInput {
  pte: Pte[];
  fault: { index: number; write: boolean; pmd: boolean } | null;
  stored: boolean;
}

type Ev =
  | { type: 'handle_mm_fault'; user: string; index: number; write: boolean; pmd: boolean }
  | { type: 'do_wp_page'; user: string; index: number }
  | { type: 'dax_radix_entry'; index: number; block: number; pmd: boolean; dirty: boolean }
  | { type: 'vm_insert_mixed'; user: string }
  | { type: 'vmf_insert_pfn_pmd'; user: string }
  | { type: 'wp_pfn_shared'; user: string }
  | { type: 'store_watched'; index: number; block: number; dev: string };

const C = 'P6 dax: add support for fsync/msync (seed 004 RZ6)';
const regionOf = (ctx: DaxMmapUserContext, i: number) => i - (i % ctx.pmdPages);
const mine = (ctx: DaxMmapUserContext, e: { user: string }) => e.user === ctx.id;

export const daxMmapUser = setup({
  types: { context: {} as DaxMmapUserContext, events: {} as Ev, input: {} as DaxMmapUserInput },
}).createMachine({
  id: 'dax_mmap_user',
  context: ({ input }) => ({
    ...input,
    pte: Array.from({ length: input.nPages }, () => ({ m: 'none' as const, pmd: false })),
    fault: null,
    stored: false,
  }),
  initial: 'running',
  states: {
    running: {
      tags: ['validEnd'],
      on: {
        handle_mm_fault: [
          {
            // PTE fault on a not-present PTE (read or write)
            guard: ({ context: c, event: e }) =>
              mine(c, e) && c.faults > 0 && !e.pmd && e.index < c.nPages && c.pte[e.index].m === 'none',
            target: '__dax_fault',
            meta: m('__dax_fault', C + ' dax_insert_mapping', ATOMIC.handle_mm_fault),
            actions: assign(({ context: c, event: e }) => ({ faults: c.faults - 1, fault: { index: e.index, write: e.write, pmd: false } })),
          },
          {
            // PMD fault: the whole PMD range is unmapped, or a write to a read-only PMD (wp_huge_pmd -> pmd_fault)
            guard: ({ context: c, event: e }) => {
              if (!mine(c, e) || c.faults <= 0 || !e.pmd || !c.pmd || e.index % c.pmdPages !== 0 || e.index >= c.nPages) return false;
              const r = c.pte.slice(e.index, e.index + c.pmdPages);
              return r.every((p) => p.m === 'none') || (e.write && r.every((p) => p.pmd && p.m === 'ro'));
            },
            target: '__dax_pmd_fault',
            meta: m('__dax_pmd_fault', C + ' __dax_pmd_fault "if (write) dax_radix_entry(..., true, true)"', ATOMIC.handle_mm_fault),
            actions: assign(({ context: c, event: e }) => ({ faults: c.faults - 1, fault: { index: e.index, write: e.write, pmd: true } })),
          },
        ],
        do_wp_page: {
          guard: ({ context: c, event: e }) => mine(c, e) && c.faults > 0 && c.pte[e.index]?.m === 'ro' && !c.pte[e.index].pmd,
          target: 'dax_pfn_mkwrite',
          meta: m('do_wp_page', 'PG §1.1: dax_pfn_mkwrite, the first write through a read-only pfn PTE', ATOMIC.do_wp_page),
          actions: assign(({ context: c, event: e }) => ({ faults: c.faults - 1, fault: { index: e.index, write: true, pmd: false } })),
        },
        store_watched: {
          guard: ({ context: c, event: e }) =>
            c.stores && !c.stored && c.pte[e.index]?.m === 'rw' && e.block === c.blockOf[e.index] && e.dev === c.dataDev,
          meta: m('store', 'PG-INV-11 ghost store through a writable DAX mapping', ATOMIC.store_watched),
          actions: assign({ stored: true }),
        },
      },
    },
    __dax_fault: {
      on: {
        dax_radix_entry: {
          guard: ({ context: c, event: e }) =>
            e.index === c.fault!.index && e.block === c.blockOf[e.index] && !e.pmd && e.dirty === c.fault!.write,
          target: 'vm_insert_mixed',
          meta: m('dax_insert_mapping', C + ' dax_radix_entry(pgoff, sector, false, FAULT_FLAG_WRITE) before vm_insert_mixed', ATOMIC.dax_radix_entry),
          actions: assign({}),
        },
      },
    },
    vm_insert_mixed: {
      on: {
        vm_insert_mixed: {
          guard: ({ context: c, event: e }) => mine(c, e),
          target: 'running',
          meta: m('vm_insert_mixed', C + ' dax_insert_mapping', ATOMIC.vm_insert_mixed),
          actions: assign(({ context: c }) => ({
            pte: c.pte.map((p, i) => (i === c.fault!.index ? { m: c.fault!.write ? ('rw' as const) : ('ro' as const), pmd: false } : p)),
            fault: null,
          })),
        },
      },
    },
    __dax_pmd_fault: {
      always: [{ guard: ({ context: c }) => !c.fault!.write, target: 'vmf_insert_pfn_pmd' }],
      on: {
        dax_radix_entry: {
          guard: ({ context: c, event: e }) =>
            e.index === c.fault!.index && e.block === c.blockOf[e.index] && e.pmd && e.dirty,
          target: 'vmf_insert_pfn_pmd',
          meta: m('__dax_pmd_fault', C + ' dax_radix_entry(mapping, pgoff, dax.sector, true, true)', ATOMIC.dax_radix_entry),
          actions: assign({}),
        },
      },
    },
    vmf_insert_pfn_pmd: {
      on: {
        vmf_insert_pfn_pmd: {
          guard: ({ context: c, event: e }) => mine(c, e),
          target: 'running',
          meta: m('vmf_insert_pfn_pmd', C + ' __dax_pmd_fault', ATOMIC.vmf_insert_pfn_pmd),
          actions: assign(({ context: c }) => {
            const r = regionOf(c, c.fault!.index);
            return {
              pte: c.pte.map((p, i) =>
                i >= r && i < r + c.pmdPages ? { m: c.fault!.write ? ('rw' as const) : ('ro' as const), pmd: true } : p,
              ),
              fault: null,
            };
          }),
        },
      },
    },
    dax_pfn_mkwrite: {
      on: {
        dax_radix_entry: {
          guard: ({ context: c, event: e }) => e.index === c.fault!.index && e.block === -1 && !e.pmd && e.dirty,
          target: 'wp_pfn_shared',
          meta: m('dax_pfn_mkwrite', C + ' dax_radix_entry(mapping, pgoff, NO_SECTOR, false, true)', ATOMIC.dax_radix_entry),
          actions: assign({}),
        },
      },
    },
    wp_pfn_shared: {
      on: {
        wp_pfn_shared: {
          guard: ({ context: c, event: e }) => mine(c, e),
          target: 'running',
          meta: m('wp_pfn_shared', 'seed 004 RZ6 comment: pte_same() fails after a hole punch, the fault is retried', ATOMIC.wp_pfn_shared),
          actions: assign(({ context: c }) => ({
            pte: c.pte.map((p, i) => (i === c.fault!.index && p.m === 'ro' ? { ...p, m: 'rw' as const } : p)),
            fault: null,
          })),
        },
      },
    },
  },
});
