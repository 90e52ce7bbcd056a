/**
 * Tiny hand-countable systems, used by test/oracle.test.ts (oracle vs hand counts) and by
 * test/random-systems.test.ts (engine vs oracle). Plain spec-shaped objects: wrap them with
 * `defineSpec` to give them to the engine.
 */
import { setup, assign, emit } from 'xstate';
import type { AnyStateMachine, EventObject } from 'xstate';

type View = {
  hasTag(a: string, t: string): boolean;
  matches(a: string, v: string): boolean;
  dropped(a: string, t: string): boolean;
  context<T = any>(a: string): T;
};
const V = { tiny: { knobs: {}, expect: { '*': { verdict: 'open' as const, cite: 'hand-counted test system' } } } };
type StepV = { kind: string; event: EventObject; actors: readonly string[] };

export interface TinySpec {
  name: string;
  title: string;
  knobs: Record<string, never>;
  variants: Record<string, { knobs: Record<string, never>; expect: Record<string, { verdict: 'open'; cite: string }> }>;
  deadlock?: boolean;
  system: () => {
    actors: Record<string, { machine: AnyStateMachine; input?: unknown }>;
    events: Record<string, any>;
    wires?: any[];
    mailboxes?: Record<string, { capacity: number; policy?: Record<string, 'block' | 'drop' | 'defer'> }>;
  };
  properties: any[];
}

const toggle = setup({}).createMachine({
  id: 'toggle',
  initial: 'off',
  states: { off: { on: { T: 'on' } }, on: { on: { T: 'off' } } },
});

/** Two independent toggles: 4 states, 8 transitions; `notBoth` violated after 2 steps. */
export function toggles(withInvariant: boolean, withAction = false): TinySpec {
  const properties: any[] = [];
  if (withInvariant)
    properties.push({ name: 'notBoth', kind: 'invariant', doc: 'not both on', check: (s: View) => !(s.matches('a', 'on') && s.matches('b', 'on')) });
  if (withAction)
    properties.push({
      name: 'aNeverOff',
      kind: 'action',
      doc: 'a never switches off',
      on: ['T'],
      check: (p: View, st: StepV, n: View) => !(st.actors.includes('a') && p.matches('a', 'on') && n.matches('a', 'off')),
    });
  return {
    name: 'toggles',
    title: 'two toggles',
    knobs: {},
    variants: V,
    system: () => ({ actors: { a: { machine: toggle }, b: { machine: toggle } }, events: { T: { local: ['a', 'b'] } } }),
    properties,
  };
}

const party = setup({}).createMachine({
  id: 'party',
  initial: 'idle',
  context: ({ input }: { input: { want: number | null } }) => ({ want: input.want, got: 0 }),
  states: {
    idle: {
      on: {
        V: {
          guard: ({ context, event }) => context.want === null || context.want === (event as unknown as { x: number }).x,
          target: 'fin',
          actions: assign({ got: ({ event }) => (event as unknown as { x: number }).x }),
        },
      },
    },
    fin: { type: 'final' },
  },
});

/**
 * Rendezvous of a and b on V with x in {1,2,3}; a takes any x, b only `bWants`.
 * bWants = 2: 2 states, 1 transition, no deadlock. bWants = 9: 1 state, deadlock at depth 0.
 */
export function rendezvous(bWants: number): TinySpec {
  return {
    name: 'rendezvous',
    title: 'rendezvous',
    knobs: {},
    variants: V,
    system: () => ({
      actors: { a: { machine: party, input: { want: null } }, b: { machine: party, input: { want: bWants } } },
      events: { V: { sync: [['a', 'b']], params: { x: [1, 2, 3] } } },
    }),
    properties: [{ name: 'agree', kind: 'invariant', doc: 'same x', check: (s: View) => s.context<{ got: number }>('a').got === s.context<{ got: number }>('b').got }],
  };
}

/**
 * Sends M on every `send`, alternating s0/s1. (An emit-only self-loop would not do: XState returns
 * the very same snapshot object for it, so under docs/semantics.md §1 it is never enabled.)
 */
const spammer = setup({}).createMachine({
  id: 'spammer',
  initial: 's0',
  states: {
    s0: { on: { send: { target: 's1', actions: emit({ type: 'M' }) } } },
    s1: { on: { send: { target: 's0', actions: emit({ type: 'M' }) } } },
  },
});
const flipOnM = setup({}).createMachine({
  id: 'flip',
  initial: 'r0',
  states: { r0: { on: { M: 'r1' } }, r1: { on: { M: 'r0' } } },
});

/**
 * A mailbox of capacity 1 that overflows. Each send flips s, each delivery flips r, so with an empty
 * box s = r and with [M] s != r: 4 ordinary states, plus the 2 overflow states reached by a send
 * into a full box (not expanded). Transitions: 1 from each empty-box state, 2 (send, deliver) from
 * each full one = 6. Overflow after 2 steps.
 */
export function overflow(): TinySpec {
  return {
    name: 'overflow',
    title: 'overflow',
    knobs: {},
    variants: V,
    system: () => ({
      actors: { s: { machine: spammer }, r: { machine: flipOnM } },
      events: { send: { local: ['s'] }, M: { wired: ['r'] } },
      wires: [{ from: 's', event: 'M', to: 'r' }],
      mailboxes: { r: { capacity: 1 } },
    }),
    properties: [],
  };
}

const oneShot = setup({}).createMachine({
  id: 'oneShot',
  initial: 's0',
  states: { s0: { on: { send: { target: 's1', actions: emit({ type: 'M' }) } } }, s1: { type: 'final' } },
});
const opener = setup({}).createMachine({
  id: 'opener',
  initial: 'closed',
  states: { closed: { on: { open: 'opened' } }, opened: { on: { M: 'got' } }, got: { type: 'final' } },
});

/**
 * A message that arrives before the receiver opens is dropped (policy drop).
 * Without the invariant: 7 states, 7 transitions, deadlock after 3 steps.
 * With `noDrop`: 6 states, 6 transitions, noDrop violated after 2 steps, no deadlock.
 */
export function dropFlag(withInvariant: boolean): TinySpec {
  return {
    name: 'drop',
    title: 'drop',
    knobs: {},
    variants: V,
    system: () => ({
      actors: { s: { machine: oneShot }, r: { machine: opener } },
      events: { send: { local: ['s'] }, open: { local: ['r'] }, M: { wired: ['r'] } },
      wires: [{ from: 's', event: 'M', to: 'r' }],
      mailboxes: { r: { capacity: 1, policy: { M: 'drop' } } },
    }),
    properties: withInvariant ? [{ name: 'noDrop', kind: 'invariant', doc: 'M never dropped', check: (s: View) => !s.dropped('r', 'M') }] : [],
  };
}

const twoEmits = setup({}).createMachine({
  id: 'twoEmits',
  initial: 's0',
  states: { s0: { on: { go: { target: 's1', actions: [emit({ type: 'A' }), emit({ type: 'B' })] } } }, s1: { type: 'final' } },
});
const bThenA = setup({}).createMachine({
  id: 'bThenA',
  initial: 'waitB',
  states: { waitB: { on: { B: 'waitA' } }, waitA: { on: { A: 'fin' } }, fin: { type: 'final' } },
});

/** A then B arrive; the receiver wants B first. defer: 4 states, 3 transitions; block: deadlock at depth 1. */
export function deferred(policy: 'defer' | 'block'): TinySpec {
  return {
    name: 'defer',
    title: 'defer',
    knobs: {},
    variants: V,
    system: () => ({
      actors: { s: { machine: twoEmits }, r: { machine: bThenA } },
      events: { go: { local: ['s'] }, A: { wired: ['r'] }, B: { wired: ['r'] } },
      wires: [
        { from: 's', event: 'A', to: 'r' },
        { from: 's', event: 'B', to: 'r' },
      ],
      mailboxes: { r: { capacity: 2, policy: { A: policy } } },
    }),
    properties: [],
  };
}

const timed = setup({}).createMachine({
  id: 'timed',
  initial: 'a',
  states: { a: { after: { 100: 'b' }, on: { C: 'c' } }, b: { type: 'final' }, c: { type: 'final' } },
});
/** An `after` timer races a local event that cancels it: 3 states, 2 transitions. */
export function timer(): TinySpec {
  return {
    name: 'timer',
    title: 'timer',
    knobs: {},
    variants: V,
    system: () => ({ actors: { t: { machine: timed } }, events: { C: { local: ['t'] } } }),
    properties: [{ name: 'timeoutReached', kind: 'goal', doc: 'the timer can fire', reach: (s: View) => s.matches('t', 'b') }],
  };
}

const hist = setup({}).createMachine({
  id: 'hist',
  initial: 'p',
  states: {
    p: { initial: 'p1', states: { p1: { on: { N: 'p2' } }, p2: {}, h: { type: 'history' } }, on: { OUT: 'q' } },
    q: { on: { IN: 'p.h' } },
  },
});
/** Shallow history: 7 states (history distinguishes p.p1 before and after a visit to q), 9 transitions. */
export function history(): TinySpec {
  return {
    name: 'history',
    title: 'history',
    knobs: {},
    variants: V,
    system: () => ({ actors: { h: { machine: hist } }, events: { N: { local: ['h'] }, OUT: { local: ['h'] }, IN: { local: ['h'] } } }),
    properties: [],
  };
}

const counter = setup({}).createMachine({
  id: 'counter',
  initial: 'run',
  context: { n: 0 },
  states: {
    run: {
      on: { INC: { actions: assign({ n: ({ context }) => context.n + 1 }) } },
      always: { guard: ({ context }) => context.n >= 3, actions: assign({ n: 0 }) },
    },
  },
});
/** `always` resets n at 3 inside the macrostep: 3 states, 3 transitions; goal n = 2 after 2 steps. */
export function always(): TinySpec {
  return {
    name: 'always',
    title: 'always',
    knobs: {},
    variants: V,
    system: () => ({ actors: { c: { machine: counter } }, events: { INC: { local: ['c'] } } }),
    properties: [{ name: 'two', kind: 'goal', doc: 'n reaches 2', reach: (s: View) => s.context<{ n: number }>('c').n === 2 }],
  };
}

const emitOnly = setup({}).createMachine({
  id: 'emitOnly',
  initial: 's0',
  states: { s0: { on: { send: { actions: emit({ type: 'M' }) } } } },
});
/**
 * The pitfall of docs/semantics.md §1: `send` is a taken transition whose only effect is an emit, so
 * XState returns the very same snapshot object and §1 (to the letter) says it is not enabled: 1
 * state, 0 transitions, deadlock at once. Under XState's `can` it is enabled, and the count is the
 * one of `overflow()` (s has one state instead of two, but r's parity argument is the same):
 * 4 ordinary states + 2 overflow states, 6 transitions, overflow after 2 steps.
 */
export function emitOnlyLoop(): TinySpec {
  return {
    name: 'emitOnly',
    title: 'emit-only self-loop',
    knobs: {},
    variants: V,
    system: () => ({
      actors: { s: { machine: emitOnly }, r: { machine: flipOnM } },
      events: { send: { local: ['s'] }, M: { wired: ['r'] } },
      wires: [{ from: 's', event: 'M', to: 'r' }],
      mailboxes: { r: { capacity: 1 } },
    }),
    properties: [],
  };
}
