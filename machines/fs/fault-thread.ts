/**
 * A page-faulting thread of another process (B) with a plain MAP_SHARED mapping of file `f`: one
 * allocating write fault into a hole (`allocHole`, MD-R5/R6) or one COW write fault on a reflinked
 * page (`cowWrite`, MD-R7), through __xfs_filemap_fault -> dax_iomap_fault -> xfs_file_iomap_begin,
 * under XFS_MMAPLOCK_SHARED (P06, MD A14).
 *
 * Input: `off`, `kind`, `breakFirst` (K2 'breakLayoutNonblock', DCr6: ->iomap_begin first calls
 * break_layout(inode, false); on -EWOULDBLOCK the fault is retried).
 * Program: xfs_ilock(MMAPLOCK_SHARED) -> [break_layout(inode,false)] -> xfs_iomap_begin (the
 * allocation may go on) -> xfs_bmapi_write (allocate, xfs_iunlock) | xfs_iomap_begin_etxtbsy
 * (SIGBUS, xfs_iunlock). COW: xfs_reflink_allocate_cow | xfs_reflink_cow_etxtbsy.
 * Context `sigbus` records the SIGBUS (L4).
 */
import { assign, setup } from 'xstate';
import { declareAtomicity } from '../mapdirect/atomicity.js';

export interface FaultThreadInput {
  readonly off: number;
  readonly kind: 'allocHole' | 'cowWrite';
  readonly breakFirst: boolean;
}
type Ev = { type: string; [k: string]: any };
const m = (fn: string, cite: string) => ({ fn, cite });
const shared = ({ event }: { event: Ev }) => event.lock === 'MMAPLOCK' && event.mode === 'SHARED';

export const faultThreadMachine = setup({
  types: {} as { context: FaultThreadInput & { sigbus: boolean }; input: FaultThreadInput; events: Ev },
}).createMachine(declareAtomicity({
  id: 'fault_thread',
  context: ({ input }) => ({ ...input, sigbus: false }),
  initial: 'start',
  states: {
    start: {
      on: { xfs_ilock: { guard: shared, target: 'locked', meta: m('__xfs_filemap_fault', 'P06 __xfs_filemap_fault xfs_ilock(MMAPLOCK_SHARED)') } },
    },
    locked: {
      always: [
        { guard: ({ context }) => context.breakFirst, target: 'break_nowait', meta: m('xfs_file_iomap_begin', 'DCr6 break_layout(inode, false) first') },
        { guard: ({ context }) => context.kind === 'cowWrite', target: 'cow', meta: m('xfs_file_iomap_begin', 'a write to a reflinked page: COW') },
        { target: 'iomap_begin', meta: m('xfs_file_iomap_begin', 'an allocating write fault') },
      ],
    },
    break_nowait: {
      on: {
        __break_lease_none: [
          { guard: ({ context }) => context.kind === 'cowWrite', target: 'cow', meta: m('break_layout', 'DCr6 break_layout(inode, false) in ->iomap_begin: no lease') },
          { target: 'iomap_begin', meta: m('break_layout', 'DCr6 break_layout(inode, false) in ->iomap_begin: no lease') },
        ],
        __break_lease: [
          { guard: ({ event }) => event.n === 0, target: 'retry', meta: m('break_layout', 'DCr6 -EWOULDBLOCK: the fault is retried') },
          { target: 'break_loop', meta: m('break_layout', 'DCr6 break_layout(inode, false)') },
        ],
      },
    },
    break_loop: {
      on: { __break_lease_ewouldblock: { target: 'retry', meta: m('break_layout', 'DCr6 -EWOULDBLOCK: the fault is retried') } },
    },
    retry: {
      on: { xfs_iunlock: { guard: shared, target: 'start', meta: m('__xfs_filemap_fault', 'VM_FAULT_RETRY: xfs_iunlock(MMAPLOCK_SHARED)') } },
    },
    iomap_begin: {
      on: {
        xfs_iomap_begin: { guard: ({ context, event }) => event.off === context.off, target: 'alloc', meta: m('xfs_file_iomap_begin', 'P03 xfs_file_iomap_begin: allocation allowed') },
        xfs_iomap_begin_etxtbsy: { guard: ({ context, event }) => event.off === context.off, target: 'done', actions: assign({ sigbus: true }), meta: m('xfs_file_iomap_begin', 'P03 -ETXTBSY -> VM_FAULT_SIGBUS') },
        xfs_iomap_begin_mapped: { guard: ({ context, event }) => event.off === context.off, target: 'done', meta: m('xfs_file_iomap_begin', 'the page is allocated: dax_iomap_fault maps it') },
      },
    },
    alloc: {
      on: {
        xfs_bmapi_write: { guard: ({ context, event }) => event.off === context.off, target: 'done', meta: m('xfs_iomap_write_direct', 'P03 allocation after the check; xfs_iunlock(MMAPLOCK_SHARED)') },
        xfs_iomap_begin_mapped: { guard: ({ context, event }) => event.off === context.off, target: 'done', meta: m('xfs_iomap_write_direct', 'another fault allocated the page first: no allocation') },
      },
    },
    cow: {
      on: {
        xfs_reflink_allocate_cow: { guard: ({ context, event }) => event.off === context.off, target: 'done', meta: m('xfs_reflink_allocate_cow', 'DC3 the COW path skips the i_mapdcount check') },
        xfs_reflink_cow_etxtbsy: { target: 'done', actions: assign({ sigbus: true }), meta: m('iomap_can_allocate', 'DC3 (proposed): refused, VM_FAULT_SIGBUS') },
        // the shared page was punched meanwhile: an ordinary allocating fault into a hole
        xfs_iomap_begin: { guard: ({ context, event }) => event.off === context.off, target: 'alloc', meta: m('xfs_file_iomap_begin', 'P03 the page is a hole now: allocation allowed') },
        xfs_iomap_begin_etxtbsy: { guard: ({ context, event }) => event.off === context.off, target: 'done', actions: assign({ sigbus: true }), meta: m('xfs_file_iomap_begin', 'P03 -ETXTBSY -> VM_FAULT_SIGBUS') },
      },
    },
    done: { type: 'final' },
  },
}));
