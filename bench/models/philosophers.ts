/**
 * Benchmark model: N dining philosophers with the forks as actors (bench only, not a kernel
 * protocol). Twin of bench/peers/philosophers.m (Rumur) and bench/peers/philosophers.pml (SPIN).
 *
 * A philosopher gets hungry on its own (a local event), picks up its left fork (a rendezvous with
 * fork i), then its right fork (a rendezvous with fork i+1), eats, and puts both forks down at once
 * (a three-party rendezvous). Deadlocks (everyone holding the left fork) are reachable and are not
 * checked here (`deadlock: false`): the bench counts states, it does not judge the protocol.
 *
 * State count: a fork's state is a function of its two philosophers' states, so a global state is
 * a cyclic word over {thinking, hungry, hasLeft, eating} in which an eating philosopher is never
 * followed by one holding its left fork (hasLeft, eating). The count is trace(T^N) for the 4x4
 * transfer matrix T with those two entries zero: 13, 45, 161, 573, ..., 1,169,589 for N = 11.
 */
import { setup } from 'xstate';
import { defineSpec, type InvariantDecl } from '../../src/spec/types.js';

type PEvent = { type: 'hungry' } | { type: 'takeLeft' } | { type: 'takeRight' } | { type: 'release' };

const CITE = 'bench model (Hoare 1985, CSP §2.5.4)';

/**
 * A philosopher picking up its forks in the given order: left then right (everyone, as posted), or
 * right then left (the last philosopher under Dijkstra's resource ordering: the lower-numbered fork
 * first, and its right fork is fork 0).
 */
function diner(id: string, first: 'Left' | 'Right') {
  const second = first === 'Left' ? 'Right' : 'Left';
  const holds = `has${first}`;
  return setup({ types: { events: {} as PEvent } }).createMachine({
    id,
    initial: 'thinking',
    states: {
      thinking: { on: { hungry: { target: 'hungry', meta: { fn: 'gets hungry', cite: CITE } } } },
      hungry: { on: { [`take${first}`]: { target: holds, meta: { fn: `picks up ${first.toLowerCase()} fork`, cite: CITE } } } },
      [holds]: { on: { [`take${second}`]: { target: 'eating', meta: { fn: `picks up ${second.toLowerCase()} fork`, cite: CITE } } } },
      eating: {
        tags: ['eating'],
        on: { release: { target: 'thinking', meta: { fn: 'puts down both forks', cite: CITE } } },
      },
    },
  });
}

export const philosopher = diner('philosopher', 'Left');
export const rightHanded = diner('rightHanded', 'Right');

/** Fork i: the left fork of philosopher i, the right fork of philosopher i-1. */
export const fork = setup({ types: { events: {} as PEvent } }).createMachine({
  id: 'fork',
  initial: 'free',
  states: {
    free: {
      on: {
        takeLeft: { target: 'taken', meta: { fn: 'taken by philosopher i', cite: CITE } },
        takeRight: { target: 'taken', meta: { fn: 'taken by philosopher i-1', cite: CITE } },
      },
    },
    taken: { on: { release: { target: 'free', meta: { fn: 'put down', cite: CITE } } } },
  },
});

/**
 * The distinct states for N philosophers, computed independently of any explorer: trace(T^N) for
 * the transfer matrix T over (thinking, hungry, hasLeft, eating) of one philosopher and the next,
 * which is 1 except where an eating philosopher meets a neighbour holding its left fork.
 */
export function closedFormStates(n: number): number {
  const T = [
    [1, 1, 1, 1],
    [1, 1, 1, 1],
    [1, 1, 1, 1],
    [1, 1, 0, 0],
  ];
  const idx = [0, 1, 2, 3];
  let M: number[][] = idx.map((i) => idx.map((j) => (i === j ? 1 : 0)));
  for (let k = 0; k < n; k++) M = M.map((row) => idx.map((j) => idx.reduce((acc, l) => acc + row[l] * T[l][j], 0)));
  return M[0][0] + M[1][1] + M[2][2] + M[3][3];
}

/** The sizes the knob offers: N = 2 .. 13. */
export const SIZES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;

const ph = (i: number) => `ph${i}`;
const fk = (i: number) => `fork${i}`;

/**
 * The composition for n philosophers. `order`: 'left-first', everyone picks up the left fork first;
 * 'ordered' (resource ordering), philosopher n-1 picks up its right fork, fork 0, first.
 */
export function philosophersSystem(n: number, order: 'left-first' | 'ordered' = 'left-first') {
  const idx = [...Array(n).keys()];
  const actors: Record<string, { machine: typeof philosopher | typeof rightHanded | typeof fork; thread?: boolean }> = {};
  for (const i of idx) actors[ph(i)] = { machine: order === 'ordered' && i === n - 1 ? rightHanded : philosopher, thread: true };
  for (const i of idx) actors[fk(i)] = { machine: fork };
  return {
    actors,
    events: {
      hungry: { local: idx.map(ph), doc: 'philosopher i gets hungry' },
      takeLeft: { sync: idx.map((i) => [ph(i), fk(i)]), doc: 'philosopher i picks up fork i' },
      takeRight: { sync: idx.map((i) => [ph(i), fk((i + 1) % n)]), doc: 'philosopher i picks up fork i+1' },
      release: { sync: idx.map((i) => [ph(i), fk(i), fk((i + 1) % n)]), doc: 'philosopher i puts both forks down' },
    },
  };
}

/** Two neighbours never eat at the same time (both specs). */
export const neighboursNeverBothEat: InvariantDecl = {
  name: 'neighboursNeverBothEat',
  kind: 'invariant',
  doc: 'two neighbours never eat at the same time',
  cite: CITE,
  check: (s) => {
    const n = s.actors.length / 2;
    for (let i = 0; i < n; i++) if (s.hasTag(ph(i), 'eating') && s.hasTag(ph((i + 1) % n), 'eating')) return false;
    return true;
  },
  witness: (s) => s.hasTag(ph(0), 'eating'),
};

export default defineSpec({
  name: 'bench-philosophers',
  title: 'N dining philosophers, forks as actors (benchmark)',
  knobs: {
    n: { values: SIZES, default: 3, doc: 'number of philosophers (and forks)' },
  },
  deadlock: false,
  system: (k) => philosophersSystem(Number(k.n)),
  properties: [neighboursNeverBothEat],
  variants: {
    default: {
      knobs: {},
      expect: { '*': { verdict: 'holds', cite: 'a fork is a rendezvous partner of one philosopher at a time' } },
    },
  },
});
