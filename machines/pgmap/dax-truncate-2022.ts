/**
 * Truncate of a DAX file whose block backs folio `pfn` (2022 series, seed 003 titles "dax_page_idle()",
 * "Wait for pinned pages during truncate_inode_pages_final()", "Validate DAX layouts broken before
 * truncate"). With `waitIdle` the truncate waits until the folio is idle before it frees the block;
 * without it the block is freed, and reallocated to another file, while a pin still holds the folio.
 *
 * Events: `do_truncate` (local: the user truncates), `dax_page_idle` {pfn} (with the pages actor),
 * `truncate_free_block` (local: the block goes back to the allocator), then, in `done`,
 * `dax_iomap_fault` (with the fault of the file that got the block: it can only map it now).
 */
import { setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

type Ev = { type: string; [k: string]: any };

export const daxTruncate2022 = setup({ types: { context: {} as { pfn: number; waitIdle: boolean }, events: {} as Ev, input: {} as { pfn: number; waitIdle: boolean } } }).createMachine({
  id: 'dax_truncate_2022',
  context: ({ input }) => ({ ...input }),
  initial: 'start',
  states: {
    start: { tags: ['validEnd'], on: { do_truncate: { target: 'break_layouts', meta: m('do_truncate', 'truncate(2) of the file that mapped the block', ATOMIC.do_truncate) } } },
    break_layouts: {
      always: [{ guard: ({ context }) => !context.waitIdle, target: 'free' }],
      on: { dax_page_idle: { guard: ({ context, event }) => event.pfn === context.pfn, target: 'free', meta: m('dax_break_layout', 'seed 003 titles: dax_page_idle(), wait for pinned pages during truncate_inode_pages_final()', ATOMIC.dax_page_idle) } },
    },
    free: { on: { truncate_free_block: { target: 'done', meta: m('xfs_free_file_space', 'the block is freed and may be reallocated (PG-INV-10)', ATOMIC.truncate_free_block) } } },
    done: { tags: ['validEnd'], on: { dax_iomap_fault: { target: 'done', meta: m('xfs_alloc_file_space', 'the freed block was reallocated to the faulting file (under XFS_ILOCK in its iomap_begin)', ATOMIC.truncate_free_block) } } },
  },
});
