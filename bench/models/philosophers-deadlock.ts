/**
 * Benchmark model with a bug: the dining philosophers of bench/models/philosophers.ts with deadlock
 * checked. Everyone picking up the left fork first is the textbook slip (Dijkstra, "Hierarchical
 * ordering of sequential processes", Acta Informatica 1(2), 1971: the circular wait): when all N
 * philosophers hold their left fork, no step is enabled. That takes 2N steps, so breadth-first
 * search meets it only after most of the state space (bench/first-violation.ts: beyond 100,000
 * states from N = 9). The fix is resource ordering: philosopher N-1 picks up fork 0 first.
 *
 * Peers: bench/peers/philosophers.m and philosophers.pml (ORDERED 0 or 1), run with deadlock
 * detection on (Rumur `--deadlock-detection stuck`, SPIN without `-E`).
 */
import { defineSpec } from '../../src/spec/types.js';
import { neighboursNeverBothEat, philosophersSystem, SIZES } from './philosophers.js';

const DIJKSTRA = 'Dijkstra 1971, Acta Informatica 1(2) §6: the deadly embrace of the five dining philosophers; a total order on the forks removes it';

export default defineSpec({
  name: 'bench-philosophers-deadlock',
  title: 'N dining philosophers, forks as actors, deadlock checked (benchmark with a bug)',
  knobs: {
    n: { values: SIZES, default: 3, doc: 'number of philosophers (and forks)' },
    order: { values: ['left-first', 'ordered'], default: 'left-first', doc: 'the order in which the last philosopher picks up its forks' },
  },
  system: (k) => philosophersSystem(Number(k.n), k.order as 'left-first' | 'ordered'),
  properties: [neighboursNeverBothEat],
  variants: {
    'left-first': {
      knobs: { order: 'left-first' },
      doc: 'every philosopher picks up the left fork first: all N can hold one fork and wait for the next',
      expect: {
        '*': { verdict: 'holds', cite: 'a fork is a rendezvous partner of one philosopher at a time' },
        deadlock: { verdict: 'violated', cite: `${DIJKSTRA} (every philosopher holding the left fork, 2N steps)`, keySteps: ['takeLeft', 'takeLeft'] },
      },
    },
    ordered: {
      knobs: { order: 'ordered' },
      doc: 'resource ordering: the last philosopher picks up fork 0 before fork N-1',
      expect: { '*': { verdict: 'holds', cite: DIJKSTRA } },
    },
  },
});
