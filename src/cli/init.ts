/**
 * `daxcheck init [dir]`: writes a small spec to start from (one machine, one property with its
 * witness, a buggy and a fixed variant with their expected verdicts) and a README on running it.
 * The spec imports `daxcheck` and `xstate`, which resolve to the CLI's own copies wherever it lives.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SpecError } from '../errors.js';

const SPEC = `/**
 * A DAX block and the two things that race on it: get_user_pages() pins the page for DMA, and a
 * truncate frees the block. The truncate must wait until no pin is left (dax_layout_busy_page()
 * finds the pinned page and the filesystem waits); the buggy variant frees it at once.
 */
import { assign, setup } from 'xstate';
import { defineSpec, m } from 'daxcheck';

const CITE = 'fs/dax.c dax_layout_busy_page(); mm/gup.c get_user_pages()';
const MAX_PINS = 2;

export const block = setup({
  types: {
    context: {} as { pins: number; waitsForPins: boolean },
    input: {} as { waitsForPins: boolean },
    events: {} as { type: 'get_user_pages' } | { type: 'put_page' } | { type: 'truncate' },
  },
  guards: {
    canPin: ({ context }) => context.pins < MAX_PINS,
    pinned: ({ context }) => context.pins > 0,
    mayFree: ({ context }) => !context.waitsForPins || context.pins === 0,
  },
}).createMachine({
  id: 'block',
  context: ({ input }) => ({ pins: 0, waitsForPins: input.waitsForPins }),
  initial: 'allocated',
  states: {
    allocated: {
      on: {
        get_user_pages: { guard: 'canPin', actions: assign({ pins: ({ context }) => context.pins + 1 }), meta: m('get_user_pages', CITE) },
        put_page: { guard: 'pinned', actions: assign({ pins: ({ context }) => context.pins - 1 }), meta: m('put_page', CITE) },
        truncate: { guard: 'mayFree', target: 'freed', meta: m('truncate_inode_pages_range', CITE) },
      },
    },
    freed: {
      tags: ['validEnd'],
      on: {
        put_page: { guard: 'pinned', actions: assign({ pins: ({ context }) => context.pins - 1 }), meta: m('put_page', CITE) },
      },
    },
  },
});

export default defineSpec({
  name: 'my-first-spec',
  title: 'A pinned DAX block must not be freed',
  knobs: {
    waitsForPins: { values: [true, false], default: true, doc: 'truncate waits until no page of the block is pinned' },
  },
  system: (k) => ({
    actors: { blk: { machine: block, input: { waitsForPins: k.waitsForPins === true } } },
    events: {
      get_user_pages: { local: ['blk'], doc: 'a driver pins the page for DMA' },
      put_page: { local: ['blk'], doc: 'the driver drops its pin' },
      truncate: { local: ['blk'], doc: 'the filesystem frees the block' },
    },
  }),
  properties: [
    {
      name: 'no-free-while-pinned',
      kind: 'invariant',
      doc: 'a block is never freed while a page of it is pinned',
      cite: CITE,
      check: (s) => !(s.matches('blk', 'freed') && s.context('blk').pins > 0),
      // No vacuous pass: the situation the property is about (a pinned page) is reachable.
      witness: (s) => s.context('blk').pins > 0,
    },
  ],
  variants: {
    fixed: {
      knobs: { waitsForPins: true },
      doc: 'truncate waits for the pins to go',
      expect: { '*': { verdict: 'holds', cite: 'the truncate is enabled only with no pin left' } },
    },
    buggy: {
      knobs: { waitsForPins: false },
      doc: 'truncate frees the block at once',
      expect: {
        'no-free-while-pinned': { verdict: 'violated', cite: 'get_user_pages then truncate', keySteps: ['get_user_pages', 'truncate'] },
        '*': { verdict: 'holds', cite: 'every state has a step or is a valid end' },
      },
    },
  },
});
`;

const README = `# my first daxcheck spec

\`spec.ts\` models one DAX block that get_user_pages() pins and a truncate frees, with a buggy
variant (the truncate does not wait for the pins) and a fixed one. It imports \`daxcheck\` and
\`xstate\`; both resolve to the daxcheck command's own copies, so this folder needs no
package.json and no node_modules.

    daxcheck review spec.ts                      # every variant against its expected verdicts (exit 0)
    daxcheck check spec.ts --variant buggy       # the shortest counterexample, step by step
    daxcheck check spec.ts --variant buggy --stop first   # end at the first violation
    daxcheck simulate spec.ts --variant buggy    # seeded random walks, a 1-minimal counterexample
    daxcheck check spec.ts --variant buggy --trace-out t.json && daxcheck replay t.json --spec spec.ts

Change the machine, add properties (invariants, action properties, goals), add knobs for the
design choices you want to compare; docs/specs.md in the daxcheck package describes the format.
`;

/** Writes spec.ts and README.md into `dir` (created if missing); never overwrites a file. */
export function runInit(dir = '.'): number {
  const root = resolve(process.cwd(), dir);
  const files: [string, string][] = [['spec.ts', SPEC], ['README.md', README]];
  for (const [name] of files) {
    if (existsSync(join(root, name))) throw new SpecError(`init: '${join(dir, name)}' already exists; not overwriting it`);
  }
  try {
    mkdirSync(root, { recursive: true });
    for (const [name, text] of files) writeFileSync(join(root, name), text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new SpecError(`init: cannot write into '${dir}': ${err.code ?? err.message}`);
  }
  console.log(`wrote ${join(dir, 'spec.ts')} and ${join(dir, 'README.md')}; next: daxcheck review ${join(dir, 'spec.ts')}`);
  return 0;
}
