/**
 * N dining philosophers: a textbook model, used to test the explorer against known answers (not a
 * kernel protocol).
 *
 * Dijkstra posed the problem in 1965 and wrote it up in "Hierarchical ordering of sequential
 * processes" (EWD310, Acta Informatica 1(2):115-138, 1971); Hoare's CSP book (Communicating
 * Sequential Processes, 1985, §2.5.4 "The dining philosophers") gives the version modelled here:
 * philosopher i picks up fork i (left), then fork i+1 (right), eats, puts down left, then right.
 * If every philosopher holds the left fork, nobody can take a right one: deadlock.
 *
 * Forks are actors; picking up and putting down are sync events between a philosopher and a fork.
 * Knob `order`: `asymmetric` makes the last philosopher take the right fork first (and put it down
 * first): the resource-ordering remedy (forks taken in increasing number; Dijkstra 1971), which
 * removes the deadlock.
 *
 * State count (closed form, derived in test/textbook.test.ts): a philosopher's state is exactly
 * which of its two forks it holds, so a global state is an owner for every fork (free, its left
 * philosopher, its right philosopher): 3^N states. Transitions: 2N * 3^(N-1).
 */
import { setup } from 'xstate';
import { defineSpec } from '../src/spec/types.js';
import type { GlobalView } from '../src/spec/types.js';

type FEvent = { type: 'takeLeft' } | { type: 'takeRight' } | { type: 'releaseLeft' } | { type: 'releaseRight' };

const CITE = 'Hoare 1985, CSP §2.5.4; Dijkstra 1971, EWD310';
/** The philosopher's side of a fork step: P or V on the fork's semaphore; the fork names the instruction (test-and-set, or a store in the mutant). */
const TAKE = { op: 'P(fork)' } as const;
const PUT_DOWN = { op: 'V(fork)' } as const;

/** A philosopher; states are named by the forks held. Input rightFirst: the asymmetric one. */
export const philosopher = setup({
  types: { context: {} as { rightFirst: boolean }, input: {} as { rightFirst: boolean }, events: {} as FEvent },
  guards: {
    leftFirst: ({ context }) => !context.rightFirst,
    rightFirst: ({ context }) => context.rightFirst,
  },
}).createMachine({
  id: 'philosopher',
  context: ({ input }) => ({ rightFirst: input.rightFirst }),
  initial: 'thinking',
  states: {
    thinking: {
      on: {
        takeLeft: { guard: 'leftFirst', target: 'holdsLeft', meta: { fn: 'picks up left fork', cite: CITE, atomic: TAKE } },
        takeRight: { guard: 'rightFirst', target: 'holdsRight', meta: { fn: 'picks up right fork first', cite: CITE, atomic: TAKE } },
      },
    },
    holdsLeft: {
      on: {
        takeRight: { guard: 'leftFirst', target: 'eating', meta: { fn: 'picks up right fork', cite: CITE, atomic: TAKE } },
        releaseLeft: { guard: 'rightFirst', target: 'thinking', meta: { fn: 'puts down left fork', cite: CITE, atomic: PUT_DOWN } },
      },
    },
    holdsRight: {
      on: {
        takeLeft: { guard: 'rightFirst', target: 'eating', meta: { fn: 'picks up left fork', cite: CITE, atomic: TAKE } },
        releaseRight: { guard: 'leftFirst', target: 'thinking', meta: { fn: 'puts down right fork', cite: CITE, atomic: PUT_DOWN } },
      },
    },
    eating: {
      tags: ['eating'],
      on: {
        releaseLeft: { guard: 'leftFirst', target: 'holdsRight', meta: { fn: 'puts down left fork', cite: CITE, atomic: PUT_DOWN } },
        releaseRight: { guard: 'rightFirst', target: 'holdsLeft', meta: { fn: 'puts down right fork first', cite: CITE, atomic: PUT_DOWN } },
      },
    },
  },
});

/** Fork i: the left fork of philosopher i and the right fork of philosopher i-1. */
/**
 * Taking a fork is one test-and-set (the fork's semaphore P); putting it down one store. With
 * `input.take: 'store'` (a mutant) a take stores the new holder without testing the fork is free.
 */
const TAS = { op: 'test_and_set (the fork semaphore P)' } as const;
const PUT = { op: 'store (the fork semaphore V)' } as const;
export const fork = setup({
  types: { context: {} as { blind: boolean }, input: {} as { take?: 'testAndSet' | 'store' } | undefined, events: {} as FEvent },
  guards: { blind: ({ context }) => context.blind },
}).createMachine({
  id: 'fork',
  context: ({ input }) => ({ blind: input?.take === 'store' }),
  initial: 'free',
  states: {
    free: {
      on: {
        takeLeft: { target: 'heldAsLeft', meta: { fn: 'fork taken by philosopher i', cite: CITE, atomic: TAS } },
        takeRight: { target: 'heldAsRight', meta: { fn: 'fork taken by philosopher i-1', cite: CITE, atomic: TAS } },
      },
    },
    heldAsLeft: {
      on: {
        releaseLeft: { target: 'free', meta: { fn: 'fork put down by philosopher i', cite: CITE, atomic: PUT } },
        takeRight: { guard: 'blind', target: 'heldAsRight', meta: { fn: 'fork taken by philosopher i-1 (no test)', cite: CITE, atomic: { op: 'store' } } },
      },
    },
    heldAsRight: {
      on: {
        releaseRight: { target: 'free', meta: { fn: 'fork put down by philosopher i-1', cite: CITE, atomic: PUT } },
        takeLeft: { guard: 'blind', target: 'heldAsLeft', meta: { fn: 'fork taken by philosopher i (no test)', cite: CITE, atomic: { op: 'store' } } },
      },
    },
  },
});

const ph = (i: number) => `ph${i}`;
const fk = (i: number) => `fork${i}`;
const holdsLeft = (s: GlobalView, i: number) => s.matches(ph(i), 'holdsLeft') || s.matches(ph(i), 'eating');
const holdsRight = (s: GlobalView, i: number) => s.matches(ph(i), 'holdsRight') || s.matches(ph(i), 'eating');

export default defineSpec({
  name: 'philosophers',
  title: 'N dining philosophers (textbook model for testing the explorer)',
  knobs: {
    n: { values: [3, 4, 5], default: 3, doc: 'number of philosophers (and forks)' },
    order: {
      values: ['naive', 'asymmetric'],
      default: 'naive',
      doc: 'naive: everyone takes the left fork first (Hoare 1985 §2.5.4). asymmetric: the last philosopher takes the right fork first.',
      cite: 'Dijkstra 1971 (EWD310), resource ordering',
    },
    take: {
      values: ['testAndSet', 'store'],
      default: 'testAndSet',
      doc: 'how a fork is taken: test-and-set (P), or a mutant that stores the new holder without testing the fork is free',
      cite: 'Dijkstra 1965 (EWD123): P is indivisible',
    },
  },
  system: (k) => {
    const n = Number(k.n);
    const idx = [...Array(n).keys()];
    const actors: Record<string, { machine: typeof philosopher | typeof fork; input?: unknown; thread?: boolean }> = {};
    for (const i of idx) actors[ph(i)] = { machine: philosopher, input: { rightFirst: k.order === 'asymmetric' && i === n - 1 }, thread: true };
    for (const i of idx) actors[fk(i)] = { machine: fork, input: { take: k.take } };
    const left = idx.map((i) => [ph(i), fk(i)]);
    const right = idx.map((i) => [ph(i), fk((i + 1) % n)]);
    return {
      actors,
      events: {
        takeLeft: { sync: left, doc: 'philosopher i picks up fork i' },
        takeRight: { sync: right, doc: 'philosopher i picks up fork i+1' },
        releaseLeft: { sync: left, doc: 'philosopher i puts down fork i' },
        releaseRight: { sync: right, doc: 'philosopher i puts down fork i+1' },
      },
    };
  },
  properties: [
    {
      name: 'forkExclusive',
      kind: 'invariant',
      doc: 'no fork is held by both of its neighbours',
      cite: CITE,
      keySteps: ['takeLeft', 'takeRight'],
      check: (s) => {
        const n = s.actors.filter((a) => a.startsWith('ph')).length;
        for (let i = 0; i < n; i++) if (holdsLeft(s, i) && holdsRight(s, (i + n - 1) % n)) return false;
        return true;
      },
      witness: (s) => s.actors.some((a) => a.startsWith('ph') && s.hasTag(a, 'eating')),
    },
  ],
  variants: {
    naive3: {
      knobs: { n: 3, order: 'naive' },
      expect: {
        deadlock: { verdict: 'violated', cite: 'Hoare 1985 §2.5.4: all pick up their left forks', keySteps: ['takeLeft', 'takeLeft', 'takeLeft'] },
        forkExclusive: { verdict: 'holds', cite: 'a fork is a sync partner of one holder at a time' },
      },
    },
    naive4: {
      knobs: { n: 4, order: 'naive' },
      expect: {
        deadlock: { verdict: 'violated', cite: 'Hoare 1985 §2.5.4', keySteps: ['takeLeft', 'takeLeft', 'takeLeft', 'takeLeft'] },
        forkExclusive: { verdict: 'holds', cite: 'a fork is a sync partner of one holder at a time' },
      },
    },
    naive5: {
      knobs: { n: 5, order: 'naive' },
      expect: {
        deadlock: { verdict: 'violated', cite: 'Hoare 1985 §2.5.4', keySteps: ['takeLeft', 'takeLeft', 'takeLeft', 'takeLeft', 'takeLeft'] },
        forkExclusive: { verdict: 'holds', cite: 'a fork is a sync partner of one holder at a time' },
      },
    },
    'naive3:take=store': {
      doc: 'mutant: a fork is taken with a plain store, without testing that it is free',
      mutant: { fn: 'P(fork)', change: 'if (fork free) take -> take', cite: 'Dijkstra 1965 (EWD123): P is indivisible' },
      knobs: { n: 3, order: 'naive', take: 'store' },
      expect: {
        forkExclusive: { verdict: 'violated', cite: 'two neighbours hold the fork between them', keySteps: ['takeLeft', 'takeRight'] },
        deadlock: { verdict: 'holds', cite: 'a take that does not test the fork never waits: some philosopher can always take a fork (measured)' },
      },
    },
    asymmetric5: {
      knobs: { n: 5, order: 'asymmetric' },
      expect: {
        deadlock: { verdict: 'holds', cite: 'Dijkstra 1971 (EWD310): resource ordering prevents the circular wait' },
        forkExclusive: { verdict: 'holds', cite: 'a fork is a sync partner of one holder at a time' },
      },
    },
  },
});
