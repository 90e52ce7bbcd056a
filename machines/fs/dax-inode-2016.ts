/**
 * The inode of one DAX file as the 2016 fault path sees it (seed 004): its block map with holes,
 * the block allocator, and the fault/truncate rwsem (XFS_MMAPLOCK, ext4 i_mmap_sem, ext2 dax_sem;
 * one rwsem, here named after XFS). Written for the pgmap/fsync models (issue 4).
 *
 * Why not `xfs-inode.ts`: that actor models the P03-P06 MAP_DIRECT flow, where `xfs_bmapi_write`
 * drops MMAPLOCK_SHARED inside the allocation step and `xfs_free_file_space` bundles the lock,
 * the zap, the free and the IOLOCK drop into one step; the 2016 `__dax_fault` keeps the lock across
 * `find_lock_page` and `dax_insert_mapping` after allocating, and the punch must interleave
 * `unmap_mapping_range` and `truncate_inode_pages_range` (other actors) before freeing. Same
 * naming: block `b` is an index into `owner`; block = sector = pfn.
 *
 * Events (all synchronised with the thread that runs the kernel function):
 * - `xfs_ilock` / `xfs_iunlock` {mode: 'SHARED' | 'EXCL'}: the rwsem.
 * - `get_block` {off, create, res, blk}: the filesystem's get_block callback
 *   (ext4_dax_mmap_get_block / xfs_get_blocks_dax_fault): `res` 'mapped' with the block, 'hole'
 *   (create = false, blk -1) or 'alloc' (create = true over a hole: the lowest free block is
 *   allocated and zeroed; BH_Mapped only, never BH_New, RZ2).
 * - `xfs_free_file_space` {off}: frees the block of page `off` (hole punch, after the page cache
 *   and the mappings were truncated by the caller).
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from '../pgmap/atomicity.js';

export interface DaxInode2016Input {
  /** Block per page (`null` = hole). */
  readonly fmap: readonly (number | null)[];
  /** Initial owner per block: 'FREE' or 'f:<off>'. */
  readonly owners: readonly string[];
}
export interface DaxInode2016Context {
  fmap: (number | null)[];
  owner: string[];
  /** rwsem value: 0 free, n > 0 shared holders, -1 exclusive. */
  mmaplock: number;
}
type Ev =
  | { type: 'xfs_ilock'; mode: 'SHARED' | 'EXCL' }
  | { type: 'xfs_iunlock'; mode: 'SHARED' | 'EXCL' }
  | { type: 'get_block'; off: number; create: boolean; res: 'mapped' | 'hole' | 'alloc'; blk: number }
  | { type: 'xfs_free_file_space'; off: number };

const C = 'seed 004 RZ2, RZ6 (__dax_fault get_block), JK-p2';
const lowestFree = (c: DaxInode2016Context) => c.owner.indexOf('FREE');

export const daxInode2016 = setup({
  types: { context: {} as DaxInode2016Context, events: {} as Ev, input: {} as DaxInode2016Input },
}).createMachine({
  id: 'dax_inode_2016',
  context: ({ input }) => ({ fmap: [...input.fmap], owner: [...input.owners], mmaplock: 0 }),
  initial: 'live',
  states: {
    live: {
      tags: ['validEnd'],
      on: {
        xfs_ilock: {
          guard: ({ context, event }) => (event.mode === 'EXCL' ? context.mmaplock === 0 : context.mmaplock >= 0),
          actions: assign(({ context, event }) => ({ mmaplock: event.mode === 'EXCL' ? -1 : context.mmaplock + 1 })),
          meta: m('xfs_ilock', 'seed 004 RZ9 XFS_MMAPLOCK_SHARED (faults) / EXCL (truncate, punch); JK-p2 i_mmap_sem', ATOMIC.xfs_ilock),
        },
        xfs_iunlock: {
          guard: ({ context, event }) => (event.mode === 'EXCL' ? context.mmaplock === -1 : context.mmaplock > 0),
          actions: assign(({ context, event }) => ({ mmaplock: event.mode === 'EXCL' ? 0 : context.mmaplock - 1 })),
          meta: m('xfs_iunlock', 'seed 004 RZ9', ATOMIC.xfs_iunlock),
        },
        get_block: {
          guard: ({ context, event }) => {
            const cur = context.fmap[event.off];
            if (cur === undefined) return false;
            if (cur !== null) return event.res === 'mapped' && event.blk === cur;
            if (!event.create) return event.res === 'hole' && event.blk === -1;
            return event.res === 'alloc' && event.blk === lowestFree(context) && event.blk >= 0;
          },
          actions: assign(({ context, event }) => {
            if (event.res !== 'alloc') return {};
            const owner = [...context.owner];
            owner[event.blk] = `f:${event.off}`;
            const fmap = [...context.fmap];
            fmap[event.off] = event.blk;
            return { owner, fmap };
          }),
          meta: m('get_block', C, ATOMIC.get_block),
        },
        xfs_free_file_space: {
          guard: ({ context, event }) => typeof context.fmap[event.off] === 'number',
          actions: assign(({ context, event }) => {
            const b = context.fmap[event.off]!;
            const owner = [...context.owner];
            owner[b] = 'FREE';
            const fmap = [...context.fmap];
            fmap[event.off] = null;
            return { owner, fmap };
          }),
          meta: m('xfs_free_file_space', 'xfs_bunmapi after truncate_pagecache_range (hole punch)', ATOMIC.xfs_free_file_space),
        },
      },
    },
  },
});
