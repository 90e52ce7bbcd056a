/**
 * A hole-punch thread on a DAX file with page-cache state (the 2016 shape, before layout leases):
 * xfs_file_fallocate(FALLOC_FL_PUNCH_HOLE) -> xfs_free_file_space, which runs
 * truncate_pagecache_range (unmap_mapping_range, then truncate_inode_pages_range) before it frees
 * the blocks, all under XFS_MMAPLOCK_EXCL. Written for the pgmap/fsync models (issue 4); the
 * lease-breaking punch of MAP_DIRECT is `lease-breaker.ts`, which has no page-cache step.
 *
 * Input: `off` (one page). Events: `xfs_file_fallocate` (local: the user calls fallocate);
 * `xfs_ilock` / `xfs_iunlock` {mode: 'EXCL'} and `xfs_free_file_space` {off} with the inode actor
 * (`dax-inode-2016.ts`);
 * `unmap_mapping_range` {start, end} with the page tables; `truncate_inode_pages_range`
 * {start, end} with the mapping tree. The punch runs once (a user choice: `fallocate`).
 */
import { setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from '../pgmap/atomicity.js';

export interface DaxPunchInput {
  readonly off: number;
  /** Mutant (false): xfs_file_fallocate returns without `xfs_iunlock(ip, XFS_MMAPLOCK_EXCL)`. */
  readonly unlock?: boolean;
}
type Ev = { type: string; [k: string]: any };
const excl = (_c: DaxPunchInput, e: Ev) => e.mode === 'EXCL';
const range = (c: DaxPunchInput, e: Ev) => e.start === c.off && e.end === c.off;
/** One page: the truncate's single entry step is for that page. */
const e_index = (c: DaxPunchInput, e: Ev) => e.index === c.off;

export const daxPunchThread = setup({
  types: {} as { context: DaxPunchInput; input: DaxPunchInput; events: Ev },
}).createMachine({
  id: 'dax_punch',
  context: ({ input }) => ({ ...input }),
  initial: 'start',
  states: {
    start: {
      tags: ['validEnd'],
      on: {
        xfs_file_fallocate: { target: 'lock', meta: m('xfs_file_fallocate', 'fallocate(FALLOC_FL_PUNCH_HOLE)', ATOMIC.xfs_file_fallocate) },
      },
    },
    lock: {
      on: {
        xfs_ilock: {
          guard: ({ context, event }) => excl(context, event),
          target: 'unmap',
          meta: m('xfs_file_fallocate', 'xfs_ilock(ip, XFS_MMAPLOCK_EXCL) (seed 004 RZ9: faults "serialise against truncate")', ATOMIC.xfs_ilock),
        },
      },
    },
    unmap: {
      on: {
        unmap_mapping_range: {
          guard: ({ context, event }) => range(context, event),
          target: 'truncate',
          meta: m('truncate_pagecache_range', 'seed 004 RZ6 comment: "the pte that was hole punched will have been unmapped"', ATOMIC.unmap_mapping_range),
        },
      },
    },
    truncate: {
      on: {
        truncate_inode_pages_range: {
          guard: ({ context, event }) => range(context, event) && e_index(context, event),
          target: 'free',
          meta: m('truncate_inode_pages_range', 'seed 004 RZ4 clear_exceptional_entry: "the radix tree entry will have been removed" (RZ6)', ATOMIC.truncate_inode_pages_range),
        },
      },
    },
    free: {
      on: {
        xfs_free_file_space: {
          guard: ({ context, event }) => event.off === context.off,
          target: 'unlock',
          meta: m('xfs_free_file_space', 'xfs_bunmapi after truncate_pagecache_range', ATOMIC.xfs_free_file_space),
        },
      },
    },
    unlock: {
      always: [{ guard: ({ context }) => context.unlock === false, target: 'done' }],
      on: {
        xfs_iunlock: {
          guard: ({ context, event }) => excl(context, event),
          target: 'done',
          meta: m('xfs_file_fallocate', 'xfs_iunlock(ip, XFS_MMAPLOCK_EXCL)', ATOMIC.xfs_iunlock),
        },
      },
    },
    done: { type: 'final', tags: ['validEnd'] },
  },
});
