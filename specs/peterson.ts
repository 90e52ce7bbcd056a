/**
 * Peterson's mutual exclusion for two processes: a textbook model, used to test the explorer
 * against known answers (not a kernel protocol).
 *
 * Peterson 1981 ("Myths about the mutual exclusion problem", IPL 12(3):115-116), in its common
 * form (e.g. Herlihy & Shavit, The Art of Multiprocessor Programming, 2008, §2.3.3, Fig. 2.6,
 * `victim` for `turn`; Peterson's own text writes TURN := i and waits for TURN = j, which is the
 * same algorithm with the turn values renamed):
 *
 *     flag[i] := true; turn := j;
 *     wait until flag[j] = false or turn = i;
 *     critical section;
 *     flag[i] := false
 *
 * Encoding, one shared-variable access per step: the processes P0, P1 and the shared variables
 * flag0, flag1, turn are actor instances. A write is a sync event between the writer and the
 * variable, with the written value as parameter (the writer accepts only the value it writes, the
 * variable takes any). A read is a sync event between the reader and the variable, with the value
 * read as parameter (the variable accepts only its current value, the reader takes any and
 * branches on it). The busy wait reads flag[j], then turn, then flag[j] again, ...
 *
 * Note on reads: a guarded self-loop with neither target nor actions is not a step (docs/semantics.md
 * §1 as written: XState returns the same snapshot object; and XState's `can`, which the engine uses,
 * is false for it), so the variable's read transition carries an assign that rewrites the same
 * value: the read is a step and the variable's state is unchanged.
 *
 * Knob `variant`: `broken` swaps the two writes of the entry protocol (turn := j before
 * flag[i] := true). The first step of the mutual-exclusion proof (Herlihy & Shavit, Lemma 2.3.4:
 * write_A(flag[A] = true) -> write_A(victim = A)) is exactly this order; without it the process
 * that gave the turn away first can enter while the other, whose flag it read as false, is inside.
 * Shortest counterexample (derived by hand, 7 accesses): X gives the turn, F gives the turn, F
 * raises its flag, F reads flag[X] = false and enters, X raises its flag, X reads flag[F] = true,
 * X reads turn = X and enters. Every process needs 3 accesses to enter at all, and the second one
 * in sees the other's flag up, so it needs 4: 7 is the minimum.
 */
import { setup, assign } from 'xstate';
import { defineSpec } from '../src/spec/types.js';
import type { GlobalView } from '../src/spec/types.js';

type Bit = 0 | 1;
type PEvent =
  | { type: 'write_flag'; v: boolean }
  | { type: 'read_flag'; v: boolean }
  | { type: 'write_turn'; v: Bit }
  | { type: 'read_turn'; v: Bit };

const CITE = 'Peterson 1981, IPL 12(3):115-116';
/** Each step of the algorithm is one load or one store of a shared word (the variable's side and the process's side of the same step). */
const STORE = { op: 'store (one aligned word)' } as const;
const LOAD = { op: 'load (one aligned word)' } as const;

/** One process; input i (its id) and turnFirst (the broken order). */
export const petersonProcess = setup({
  types: {
    context: {} as { i: Bit; j: Bit; turnFirst: boolean },
    input: {} as { i: Bit; turnFirst: boolean },
    events: {} as PEvent,
  },
  guards: {
    turnFirst: ({ context }) => context.turnFirst,
    writesTrue: ({ event }) => event.type === 'write_flag' && event.v === true,
    writesFalse: ({ event }) => event.type === 'write_flag' && event.v === false,
    givesTurnAway: ({ context, event }) => event.type === 'write_turn' && event.v === context.j,
    readsFalse: ({ event }) => event.type === 'read_flag' && event.v === false,
    readsMyTurn: ({ context, event }) => event.type === 'read_turn' && event.v === context.i,
  },
}).createMachine({
  id: 'petersonProcess',
  context: ({ input }) => ({ i: input.i, j: (1 - input.i) as Bit, turnFirst: input.turnFirst }),
  initial: 'entry',
  states: {
    entry: {
      always: [
        { guard: 'turnFirst', target: 'giveTurnEarly', meta: { fn: 'entry protocol (broken order)', cite: CITE, atomic: 'local' } },
        { target: 'raiseFlag', meta: { fn: 'entry protocol', cite: CITE, atomic: 'local' } },
      ],
    },
    raiseFlag: { on: { write_flag: { guard: 'writesTrue', target: 'giveTurn', meta: { fn: 'flag[i] := true', cite: CITE, atomic: STORE } } } },
    giveTurn: { on: { write_turn: { guard: 'givesTurnAway', target: 'waitFlag', meta: { fn: 'turn := j', cite: CITE, atomic: STORE } } } },
    giveTurnEarly: {
      on: { write_turn: { guard: 'givesTurnAway', target: 'raiseFlagLate', meta: { fn: 'turn := j (before the flag)', cite: CITE, atomic: STORE } } },
    },
    raiseFlagLate: {
      on: { write_flag: { guard: 'writesTrue', target: 'waitFlag', meta: { fn: 'flag[i] := true (after turn)', cite: CITE, atomic: STORE } } },
    },
    waitFlag: {
      on: {
        read_flag: [
          { guard: 'readsFalse', target: 'cs', meta: { fn: 'wait until flag[j] = false', cite: CITE, atomic: LOAD } },
          { target: 'waitTurn', meta: { fn: 'flag[j] = true: look at turn', cite: CITE, atomic: LOAD } },
        ],
      },
    },
    waitTurn: {
      on: {
        read_turn: [
          { guard: 'readsMyTurn', target: 'cs', meta: { fn: 'wait until turn = i', cite: CITE, atomic: LOAD } },
          { target: 'waitFlag', meta: { fn: 'turn = j: busy wait', cite: CITE, atomic: LOAD } },
        ],
      },
    },
    cs: {
      tags: ['critical'],
      on: { write_flag: { guard: 'writesFalse', target: 'entry', meta: { fn: 'flag[i] := false', cite: CITE, atomic: STORE } } },
    },
  },
});

/** A shared boolean flag[i]: written by its owner, read by the other process. */
export const flagVariable = setup({
  types: { context: {} as { v: boolean }, events: {} as PEvent },
  guards: { holds: ({ context, event }) => event.type === 'read_flag' && event.v === context.v },
}).createMachine({
  id: 'flagVariable',
  context: { v: false },
  initial: 'mem',
  states: {
    mem: {
      on: {
        write_flag: { actions: assign({ v: ({ event }) => (event.type === 'write_flag' ? event.v : false) }), meta: { fn: 'store flag', cite: CITE, atomic: STORE } },
        read_flag: { guard: 'holds', actions: assign({ v: ({ context }) => context.v }), meta: { fn: 'load flag', cite: CITE, atomic: LOAD } },
      },
    },
  },
});

/** The shared `turn`, initially 0 (Peterson leaves it arbitrary). */
export const turnVariable = setup({
  types: { context: {} as { v: Bit }, events: {} as PEvent },
  guards: { holds: ({ context, event }) => event.type === 'read_turn' && event.v === context.v },
}).createMachine({
  id: 'turnVariable',
  context: { v: 0 },
  initial: 'mem',
  states: {
    mem: {
      on: {
        write_turn: { actions: assign({ v: ({ event }) => (event.type === 'write_turn' ? event.v : 0) }), meta: { fn: 'store turn', cite: CITE, atomic: STORE } },
        read_turn: { guard: 'holds', actions: assign({ v: ({ context }) => context.v }), meta: { fn: 'load turn', cite: CITE, atomic: LOAD } },
      },
    },
  },
});

const inCS = (s: GlobalView, p: string) => s.hasTag(p, 'critical');

export default defineSpec({
  name: 'peterson',
  title: "Peterson's mutual exclusion, two processes (textbook model for testing the explorer)",
  doc: 'One shared-variable access per step; flag0, flag1 and turn are actors, accesses are sync events.',
  knobs: {
    variant: {
      values: ['correct', 'broken'],
      default: 'correct',
      doc: 'correct: flag[i] := true then turn := j (Peterson 1981). broken: turn := j then flag[i] := true.',
      cite: 'Peterson 1981; Herlihy & Shavit 2008 §2.3.3 Fig. 2.6 and Lemma 2.3.4',
    },
  },
  system: (k) => {
    const turnFirst = k.variant === 'broken';
    return {
      actors: {
        P0: { machine: petersonProcess, input: { i: 0, turnFirst }, thread: true },
        P1: { machine: petersonProcess, input: { i: 1, turnFirst }, thread: true },
        flag0: { machine: flagVariable },
        flag1: { machine: flagVariable },
        turn: { machine: turnVariable },
      },
      events: {
        write_flag: { sync: [['P0', 'flag0'], ['P1', 'flag1']], params: { v: [false, true] }, doc: 'flag[i] := v' },
        read_flag: { sync: [['P0', 'flag1'], ['P1', 'flag0']], params: { v: [false, true] }, doc: 'read flag[j] = v' },
        write_turn: { sync: [['P0', 'turn'], ['P1', 'turn']], params: { v: [0, 1] }, doc: 'turn := v' },
        read_turn: { sync: [['P0', 'turn'], ['P1', 'turn']], params: { v: [0, 1] }, doc: 'read turn = v' },
      },
    };
  },
  properties: [
    {
      name: 'mutex',
      kind: 'invariant',
      doc: 'P0 and P1 are never both in their critical sections',
      cite: CITE,
      // the entry reads that let each process in
      keySteps: ['read_flag', 'read_turn'],
      check: (s) => !(inCS(s, 'P0') && inCS(s, 'P1')),
      witness: (s) => inCS(s, 'P0') || inCS(s, 'P1'),
    },
    { name: 'p0EntersCS', kind: 'goal', doc: 'P0 reaches its critical section', reach: (s) => inCS(s, 'P0') },
    { name: 'p1EntersCS', kind: 'goal', doc: 'P1 reaches its critical section', reach: (s) => inCS(s, 'P1') },
  ],
  variants: {
    correct: {
      doc: "Peterson's algorithm as published",
      knobs: { variant: 'correct' },
      expect: {
        mutex: { verdict: 'holds', cite: 'Peterson 1981 (proof in the paper); Herlihy & Shavit 2008 Lemma 2.3.4' },
        p0EntersCS: { verdict: 'reached', cite: 'Peterson 1981: no deadlock, each process can enter' },
        p1EntersCS: { verdict: 'reached', cite: 'Peterson 1981: no deadlock, each process can enter' },
        deadlock: { verdict: 'holds', cite: 'Peterson 1981: progress' },
      },
    },
    broken: {
      doc: 'turn written before flag: the order the proof of Herlihy & Shavit Lemma 2.3.4 depends on is reversed',
      knobs: { variant: 'broken' },
      mutant: { fn: 'entry protocol', change: 'flag[i] := true; turn := j  ->  turn := j; flag[i] := true', cite: 'Herlihy & Shavit 2008 Lemma 2.3.4' },
      expect: {
        mutex: {
          verdict: 'violated',
          cite: 'Herlihy & Shavit 2008 Lemma 2.3.4 (its first step needs flag before victim); 7-access trace derived in this file',
          keySteps: ['write_turn', 'write_turn', 'write_flag', 'read_flag', 'write_flag', 'read_flag', 'read_turn'],
        },
        p0EntersCS: { verdict: 'reached', cite: 'each process can still enter' },
        p1EntersCS: { verdict: 'reached', cite: 'each process can still enter' },
        deadlock: { verdict: 'holds', cite: 'every state has an access to do' },
      },
    },
  },
});
