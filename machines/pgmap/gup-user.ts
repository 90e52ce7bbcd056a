/**
 * A user thread with a DAX mapping of `nPages` pages that does O_DIRECT I/O into it:
 * `get_user_pages_fast` (x86 gup_pte_range for devmap PTEs, seed 001), DMA, DMA completion and
 * `put_page` of every pinned page; plus loads/stores through its PTEs and munmap.
 *
 * Knobs (input):
 * - `gupPgmap`: gup-fast takes `get_dev_pagemap` before `get_page` and drops it after (2015, seed
 *   001); false once "mm/gup: Drop DAX pgmap accounting" (2022, seed 003 titles).
 * - `rollback`: `undo_dev_pagemap` puts the pages taken so far when the walk fails (seed 001).
 * - `irqOff`: gup-fast runs with IRQs off, so a revoke (`unmap_mapping_range` + TLB shootdown)
 *   cannot complete while the walk is between reading a PTE and taking its reference (PG-X-R2 [bg]).
 * - `coarse`: the DAX VMA holds a pgmap reference (coarse pin policy, seed 001 DW).
 * - `memKind`: devmap (pte_devmap), special (pte_special: gup-fast bails, FS_DAX_LIMITED) or
 *   none (no struct page and no special bit: pre-2017 behaviour, SIGBUS) (seed 000).
 * - `pmd`: the mapping is one huge devmap PMD over all `nPages` pages (PG-S1-R4). The walk reads
 *   the PMD once (`follow_devmap_pmd`, seed 001 hunk), then for each subpage computes
 *   `pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT`, looks its pgmap up and calls `get_page` on that
 *   subpage: the pages are standalone, never compound (seed 001 DW), so the reference of a
 *   non-head subpage is counted on that page itself.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface GupUserInput {
  nPages: number;
  gupPgmap: boolean;
  rollback: boolean;
  irqOff: boolean;
  coarse: boolean;
  memKind: 'devmap' | 'special' | 'none';
  /**
   * What the DAX mount checks (`__bdev_dax_supported`, seed 000): nothing about the pfn (before the
   * 2017 patch), `pfn_t_devmap` (the 2017 patch: -EOPNOTSUPP otherwise), or devmap or special
   * (later CONFIG_FS_DAX_LIMITED). Absent: the mount is not modelled.
   */
  mountCheck?: 'none' | 'devmap' | 'devmap-or-special';
  /** One huge devmap PMD maps every page (follow_devmap_pmd); default false (4K PTEs). */
  pmd?: boolean;
  /**
   * Mutant (false): follow_devmap_pmd without `pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT`: every
   * subpage's reference lands on the head page while the caller's pages[] names the subpage.
   */
  pmdOffset?: boolean;
}
export interface GupUserContext extends GupUserInput {
  pmd: boolean;
  pmdOffset: boolean;
  mounted: 'unknown' | 'yes' | 'refused';
  pte: boolean[];
  i: number;
  pinned: number[];
  gupDone: boolean;
  result: 'none' | 'ok' | 'efault' | 'sigbus';
  /** Why the walk stopped: a devmap lookup failed (undo_dev_pagemap) or a PTE was gone (the caller releases). */
  undo: 'none' | 'pgmap' | 'pte';
}
type Ev =
  | { type: 'mmap_region' }
  | { type: '__bdev_dax_supported'; ok: boolean }
  | { type: 'vma_get' }
  | { type: 'vma_put' }
  | { type: 'access_memory'; pfn: number; who: string }
  | { type: 'get_user_pages_fast' }
  | { type: 'gup_pte_range'; pfn: number; present: boolean }
  | { type: 'get_dev_pagemap'; ok: boolean }
  | { type: 'get_page'; pfn: number }
  | { type: 'put_dev_pagemap' }
  | { type: 'put_page'; pfn: number; zero: boolean }
  | { type: 'dma_complete' }
  | { type: 'munmap' }
  | { type: 'unmap_mapping_range' }
  | { type: 'page_cache_get_speculative'; pfn: number; ok: boolean };

const S1 = 'seed 001 arch/x86/mm/gup.c hunks (undo_dev_pagemap, get_page)';
const inWalk = (c: GupUserContext) => c.i >= 0;

export const gupUser = setup({
  types: { context: {} as GupUserContext, events: {} as Ev, input: {} as GupUserInput },
}).createMachine({
  id: 'gup_user',
  context: ({ input }) => ({ pmd: false, pmdOffset: true, ...input, mounted: 'unknown' as const, pte: Array.from({ length: input.nPages }, () => true), i: -1, pinned: [], gupDone: false, result: 'none' as const, undo: 'none' as const }),
  initial: 'mount',
  on: {
    // The driver's revoke zaps every PTE; with IRQs off it cannot complete during a gup-fast walk.
    unmap_mapping_range: {
      guard: ({ context }) => !(context.irqOff && inWalk(context)),
      actions: assign(({ context }) => ({ pte: context.pte.map(() => false) })),
      meta: m('unmap_mapping_range', 'seed 001 DW "forcibly revoke mappings"; PG-X-R2 [bg] gup-fast runs with IRQs off', ATOMIC.unmap_mapping_range),
    },
    page_cache_get_speculative: {
      guard: ({ context, event }) => context.pte[event.pfn] === true,
      actions: assign({}),
      meta: m('page_cache_get_speculative', 'seed 001 AM (the lookup finds the page through a live mapping)', ATOMIC.page_cache_get_speculative),
    },
  },
  states: {
    // (root `on` above also holds `page_cache_get_speculative`: a lookup finds the page only while it is mapped)
    mount: {
      tags: ['validEnd'],
      always: [{ guard: ({ context }) => context.mountCheck === undefined, target: 'mmap' }],
      on: {
        __bdev_dax_supported: [
          {
            guard: ({ context, event }) =>
              event.ok ===
              (context.mountCheck === 'none' ||
                context.memKind === 'devmap' ||
                (context.mountCheck === 'devmap-or-special' && context.memKind === 'special')),
            target: 'mount_done',
            actions: assign(({ event }) => ({ mounted: event.ok ? ('yes' as const) : ('refused' as const) })),
            meta: m('__bdev_dax_supported', 'seed 000 DW-patch: "if (!pfn_t_devmap(pfn)) ... -EOPNOTSUPP"; [bg] later pfn_t_special with CONFIG_FS_DAX_LIMITED', ATOMIC.__bdev_dax_supported),
          },
        ],
      },
    },
    mount_done: {
      always: [{ guard: ({ context }) => context.mounted === 'refused', target: 'mount_refused' }, { target: 'mmap' }],
    },
    mount_refused: { tags: ['validEnd'] },
    mmap: {
      // the process may never get to mmap (with the coarse policy, not once the pgmap is dying)
      tags: ['validEnd'],
      always: [{ guard: ({ context }) => !context.coarse, target: 'mapped' }],
      on: { vma_get: { target: 'mapped', meta: m('dax_mmap', 'seed 001 DW: coarse pinning, pin while any dax vma is established', ATOMIC.vma_get) } },
    },
    mapped: {
      tags: ['validEnd'],
      on: {
        access_memory: {
          guard: ({ context, event }) => event.who === 'user' && context.pte[event.pfn] === true,
          actions: assign({}),
          meta: m('load/store', 'PG-INV-2: load/store through a PTE', ATOMIC.access_memory),
        },
        get_user_pages_fast: {
          guard: ({ context }) => !context.gupDone,
          target: 'gup_pte_range',
          actions: assign({ i: 0, gupDone: true }),
          meta: m('get_user_pages_fast', S1, ATOMIC.get_user_pages_fast),
        },
        munmap: [
          { guard: ({ context }) => !context.coarse, target: 'unmapped', actions: assign(({ context }) => ({ pte: context.pte.map(() => false) })), meta: m('munmap', 'PG §5.1 user thread', ATOMIC.munmap) },
        ],
        vma_put: {
          guard: ({ context }) => context.coarse,
          target: 'unmapped',
          actions: assign(({ context }) => ({ pte: context.pte.map(() => false) })),
          meta: m('munmap', 'seed 001 DW: coarse pinning released when the vma goes', ATOMIC.vma_put),
        },
      },
    },
    gup_pte_range: {
      // A huge PMD was read once for the whole walk: the next subpage is pfn + offset, no new read.
      always: [{ guard: ({ context }) => context.pmd && context.i > 0, target: 'get_dev_pagemap' }],
      on: {
        gup_pte_range: [
          {
            // the walk meets a present devmap PMD (assert_spin_locked(pmd_lockptr)); its pfn is the head's
            guard: ({ context, event }) => context.pmd && event.pfn === context.i && event.present && context.pte[context.i] && context.memKind === 'devmap',
            target: 'get_dev_pagemap',
            meta: m('follow_devmap_pmd', 'seed 001 follow_devmap_pmd hunk: "if (pmd_present(*pmd) && pmd_devmap(*pmd))"; pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT', ATOMIC.gup_pte_range),
            actions: assign({}),
          },
          {
            // pte_special (FS_DAX_LIMITED, s390 mask _PAGE_SPECIAL) or not present: return 0, fall back / fail
            guard: ({ context, event }) => event.pfn === context.i && (!event.present || context.memKind === 'special') && event.present === context.pte[context.i],
            target: 'undo_dev_pagemap',
            meta: m('gup_pte_range', 'seed 000 MS: mask = ... | _PAGE_SPECIAL; return 0', ATOMIC.gup_pte_range),
            actions: assign({ result: 'efault' as const, undo: 'pte' as const }),
          },
          {
            // no struct page and no special bit: pfn_to_page on a pfn without a memmap
            guard: ({ context, event }) => event.pfn === context.i && event.present && context.pte[context.i] && context.memKind === 'none',
            target: 'done',
            meta: m('gup_pte_range', 'seed 000 DW-patch: O_DIRECT into a dax buffer without struct page triggers SIGBUS', ATOMIC.gup_pte_range),
            actions: assign({ result: 'sigbus' as const, i: -1 }),
          },
          {
            guard: ({ context, event }) => !context.pmd && event.pfn === context.i && event.present && context.pte[context.i] && context.memKind === 'devmap',
            target: 'get_dev_pagemap',
            meta: m('gup_pte_range', S1 + ' pte_devmap', ATOMIC.gup_pte_range),
            actions: assign({}),
          },
        ],
      },
    },
    get_dev_pagemap: {
      always: [{ guard: ({ context }) => !context.gupPgmap, target: 'get_page' }],
      on: {
        get_dev_pagemap: [
          { guard: ({ event }) => event.ok, target: 'get_page', meta: m('get_dev_pagemap', S1, ATOMIC.get_dev_pagemap), actions: assign({}) },
          { guard: ({ event }) => !event.ok, target: 'undo_dev_pagemap', meta: m('get_dev_pagemap', S1 + ' undo_dev_pagemap on failure', ATOMIC.get_dev_pagemap), actions: assign({ result: 'efault' as const, undo: 'pgmap' as const }) },
        ],
      },
    },
    get_page: {
      on: {
        get_page: {
          // pages[] (pinned) holds the page at the walked address; the mutant gets the PMD's head
          guard: ({ context, event }) => event.pfn === (context.pmd && !context.pmdOffset ? 0 : context.i),
          target: 'put_dev_pagemap',
          actions: assign(({ context }) => ({ pinned: [...context.pinned, context.i] })),
          meta: m('get_page', S1, ATOMIC.get_page),
        },
      },
    },
    put_dev_pagemap: {
      always: [
        { guard: ({ context }) => !context.gupPgmap && context.i + 1 < context.nPages, target: 'gup_pte_range', actions: assign(({ context }) => ({ i: context.i + 1 })) },
        { guard: ({ context }) => !context.gupPgmap, target: 'dma_in_flight', actions: assign({ i: -1, result: 'ok' as const }) },
      ],
      on: {
        put_dev_pagemap: [
          {
            guard: ({ context }) => context.i + 1 < context.nPages,
            target: 'gup_pte_range',
            actions: assign(({ context }) => ({ i: context.i + 1 })),
            meta: m('put_dev_pagemap', S1, ATOMIC.put_dev_pagemap),
          },
          { target: 'dma_in_flight', actions: assign({ i: -1, result: 'ok' as const }), meta: m('put_dev_pagemap', S1, ATOMIC.put_dev_pagemap) },
        ],
      },
    },
    undo_dev_pagemap: {
      always: [
        { guard: ({ context }) => (!context.rollback && context.undo === 'pgmap') || context.pinned.length === 0, target: 'gup_failed', actions: assign({ i: -1 }) },
      ],
      on: {
        put_page: {
          guard: ({ context, event }) => (context.rollback || context.undo === 'pte') && event.pfn === context.pinned[context.pinned.length - 1],
          actions: assign(({ context }) => ({ pinned: context.pinned.slice(0, -1) })),
          meta: m('undo_dev_pagemap', S1 + ' ClearPageReferenced(page); put_page(page)', ATOMIC.put_page),
        },
      },
    },
    gup_failed: {
      tags: ['validEnd'],
      on: {
        // the failed I/O returned an error; the process can still drop its mapping
        munmap: { guard: ({ context }) => !context.coarse, target: 'unmapped', actions: assign(({ context }) => ({ pte: context.pte.map(() => false) })), meta: m('munmap', 'PG §5.1 user thread', ATOMIC.munmap) },
        vma_put: { guard: ({ context }) => context.coarse, target: 'unmapped', actions: assign(({ context }) => ({ pte: context.pte.map(() => false) })), meta: m('munmap', 'seed 001 DW: coarse pinning released when the vma goes', ATOMIC.vma_put) },
      },
    },
    dma_in_flight: {
      on: {
        access_memory: {
          guard: ({ context, event }) => event.who === 'dma' && context.pinned.includes(event.pfn),
          target: 'dma_complete',
          actions: assign({}),
          meta: m('dma (device writes the pinned page)', 'PG-S1-R1: DMA in flight into a pinned DAX page', ATOMIC.access_memory),
        },
      },
    },
    dma_complete: {
      on: {
        dma_complete: { target: 'put_pages', meta: m('dio_bio_end_io', 'PG §5.1 DMA completion', ATOMIC.dma_complete), actions: assign({}) },
      },
    },
    put_pages: {
      // the I/O is over: the process goes on with its mapping (it may touch it again, or munmap it)
      always: [{ guard: ({ context }) => context.pinned.length === 0, target: 'mapped' }],
      on: {
        put_page: {
          guard: ({ context, event }) => event.pfn === context.pinned[0],
          actions: assign(({ context }) => ({ pinned: context.pinned.slice(1) })),
          meta: m('put_page', 'PG-S1-R1: unbind must wait for put_page', ATOMIC.put_page),
        },
      },
    },
    done: { tags: ['validEnd'] },
    unmapped: { tags: ['validEnd'] },
  },
});
