/**
 * A complete small spec: a device pins a block with get_user_pages and DMAs into it, while
 * truncate frees the block and the allocator hands it to another file. Knob `truncateWaits`
 * chooses whether truncate waits for the pin to drop (the fix) or not (the bug).
 */
import { assign, setup } from 'xstate';
import { defineSpec } from '../../src/spec/types.js';

/** The block's owner, as the filesystem's block map sees it. */
const block = setup({
  types: {
    context: {} as { owner: 'fileA' | 'free' | 'fileB'; pins: number; waitForPins: boolean },
    input: {} as { waitForPins: boolean },
  },
}).createMachine({
  id: 'block',
  context: ({ input }) => ({ owner: 'fileA', pins: 0, waitForPins: input.waitForPins }),
  initial: 'mapped',
  on: {
    PUT_PAGE: { guard: ({ context }) => context.pins > 0, actions: assign({ pins: ({ context }) => context.pins - 1 }), meta: { fn: 'put_page', cite: 'example' } },
  },
  states: {
    mapped: {
      on: {
        // GUP finds the block through the file's mapping: only while the file still maps it.
        GUP_PIN: { actions: assign({ pins: ({ context }) => context.pins + 1 }), meta: { fn: 'get_user_pages', cite: 'example' } },
        TRUNCATE: {
          // The knob changes only this guard: does truncate wait for the pins to drop?
          guard: ({ context }) => !context.waitForPins || context.pins === 0,
          target: 'free',
          actions: assign({ owner: 'free' as const }),
          meta: { fn: 'truncate_inode_pages', cite: 'example' },
        },
      },
    },
    free: { on: { ALLOC: { target: 'reused', actions: assign({ owner: 'fileB' as const }), meta: { fn: 'xfs_alloc_file_space', cite: 'example' } } } },
    reused: { tags: ['validEnd'] },
  },
});

/** The device: takes a pin, DMAs into the pinned block while it holds the pin, then unpins. */
const device = setup({}).createMachine({
  id: 'device',
  initial: 'idle',
  states: {
    idle: { tags: ['validEnd'], on: { GUP_PIN: { target: 'pinned', meta: { fn: 'ib_umem_get', cite: 'example' } } } },
    pinned: { on: { DMA_WRITE: { target: 'pinned', meta: { fn: 'hca_dma_write', cite: 'example' } }, PUT_PAGE: { target: 'done', meta: { fn: 'ib_umem_release', cite: 'example' } } } },
    done: { type: 'final' },
  },
});

export default defineSpec({
  name: 'pin-vs-truncate',
  title: 'DMA into a pinned block while truncate frees it',
  knobs: {
    truncateWaits: { values: [false, true], default: true, doc: 'truncate waits until no pin holds the block', cite: 'example' },
  },
  system: (k) => ({
    actors: {
      dev: { machine: device, thread: true },
      blk: { machine: block, input: { waitForPins: k.truncateWaits } },
    },
    events: {
      GUP_PIN: { sync: [['dev', 'blk']] },
      PUT_PAGE: { sync: [['dev', 'blk']] },
      DMA_WRITE: { local: ['dev'] },
      TRUNCATE: { local: ['blk'] },
      ALLOC: { local: ['blk'] },
    },
  }),
  properties: [
    {
      name: 'noDmaIntoReusedBlock',
      kind: 'action',
      on: ['DMA_WRITE'],
      doc: 'a device never DMAs into a block that belongs to another file',
      check: (_prev, _step, next) => next.context('blk').owner !== 'fileB',
      witness: (s) => s.matches('dev', 'pinned') && s.context('blk').pins === 1,
    },
  ],
  variants: {
    buggy: {
      knobs: { truncateWaits: false },
      expect: {
        noDmaIntoReusedBlock: { verdict: 'violated', cite: 'docs/specs.md example', keySteps: ['GUP_PIN', 'TRUNCATE', 'ALLOC', 'DMA_WRITE'] },
        '*': { verdict: 'holds', cite: 'docs/specs.md example' },
      },
    },
    fixed: { knobs: { truncateWaits: true }, expect: { '*': { verdict: 'holds', cite: 'docs/specs.md example' } } },
  },
});
