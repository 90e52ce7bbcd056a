/**
 * The bench's buggy philosophers (everyone picks up the left fork first), both sides, against an
 * independent enumerator of the same model (plain arrays, nothing from src/): the left-first
 * philosophers deadlock after 2N steps, the shortest counterexample being every philosopher hungry
 * and holding its left fork; under resource ordering (the last one picks up fork 0 first) nothing
 * deadlocks, with the enumerator's state and transition counts. Simulation finds the deadlock.
 */
import { describe, expect, it } from 'vitest';
import deadlockSpec from '../bench/models/philosophers-deadlock.js';
import { closedFormStates } from '../bench/models/philosophers.js';
import { checkSpec } from '../src/check.js';
import { replayTrace } from '../src/replay/replay.js';
import { simulate } from '../src/simulate/simulate.js';

const THINKING = 0, HUNGRY = 1, HAS_ONE = 2, EATING = 3;

/** BFS over (philosophers, forks): distinct states, transitions, and the depth of the first state with no move. */
function enumerate(n: number, ordered: boolean): { states: number; transitions: number; deadlockDepth?: number } {
  const rightFirst = (i: number) => ordered && i === n - 1;
  const succ = (s: number[]): number[][] => {
    const out: number[][] = [];
    const ph = s.slice(0, n), fk = s.slice(n);
    for (let i = 0; i < n; i++) {
      const r = (i + 1) % n;
      const first = rightFirst(i) ? r : i, second = rightFirst(i) ? i : r;
      const with_ = (p: number, forks: [number, number][]) => {
        const t = [...ph, ...fk];
        t[i] = p;
        for (const [f, v] of forks) t[n + f] = v;
        out.push(t);
      };
      if (ph[i] === THINKING) with_(HUNGRY, []);
      if (ph[i] === HUNGRY && fk[first] === 0) with_(HAS_ONE, [[first, 1]]);
      if (ph[i] === HAS_ONE && fk[second] === 0) with_(EATING, [[second, 1]]);
      if (ph[i] === EATING) with_(THINKING, [[i, 0], [r, 0]]);
    }
    return out;
  };
  const start = new Array(2 * n).fill(0);
  const seen = new Set([start.join()]);
  let level = [start], transitions = 0, deadlockDepth: number | undefined;
  for (let d = 0; level.length; d++) {
    const next: number[][] = [];
    for (const s of level) {
      const ss = succ(s);
      if (!ss.length && deadlockDepth === undefined) deadlockDepth = d;
      transitions += ss.length;
      for (const t of ss) if (!seen.has(t.join())) { seen.add(t.join()); next.push(t); }
    }
    level = next;
  }
  return { states: seen.size, transitions, deadlockDepth };
}

describe('bench philosophers: left first deadlocks, resource ordering does not', () => {
  it('the enumerator agrees with the closed form (left first)', () => {
    for (const n of [3, 4, 5, 6]) expect(enumerate(n, false).states).toBe(closedFormStates(n));
  });

  it.each([3, 4, 5])('ordered, %i philosophers: no deadlock, the enumerator\'s counts', async (n) => {
    const want = enumerate(n, true);
    expect(want.deadlockDepth).toBeUndefined();
    const r = await checkSpec(deadlockSpec, { variant: 'ordered', knobs: { n } });
    expect(r.complete).toBe(true);
    expect([r.stats.states, r.stats.transitions]).toEqual([want.states, want.transitions]);
    expect(r.properties.deadlock.verdict).toBe('holds');
    expect(r.properties.neighboursNeverBothEat.verdict).toBe('holds');
  });

  it.each([3, 4, 5])('left first, %i philosophers: deadlock after 2N steps, every philosopher holding its left fork', async (n) => {
    const want = enumerate(n, false);
    expect(want.deadlockDepth).toBe(2 * n);
    const full = await checkSpec(deadlockSpec, { variant: 'left-first', knobs: { n } });
    expect([full.stats.states, full.stats.transitions]).toEqual([want.states, want.transitions]);
    const r = await checkSpec(deadlockSpec, { variant: 'left-first', knobs: { n }, stop: 'first' });
    const p = r.properties.deadlock;
    expect(p.verdict).toBe('violated');
    expect(p.traceLength).toBe(2 * n);
    const events = p.trace!.steps.map((s) => `${s.actors[0]}:${s.event.type}`).sort();
    expect(events).toEqual([...Array(n).keys()].flatMap((i) => [`ph${i}:hungry`, `ph${i}:takeLeft`]).sort());
    expect(replayTrace(deadlockSpec, JSON.parse(JSON.stringify(p.trace))).confirmed).toBe(true);
  });

  it('uniform walks find the deadlock of 10 philosophers (the bench size) within 1,000 walks at seed 1', async () => {
    const r = await simulate(deadlockSpec, { variant: 'left-first', knobs: { n: 10 }, runs: 1000, depth: 200, seed: 1 });
    expect(r.mode).toBe('uniform');
    expect(r.violation?.property).toBe('deadlock');
    // The walk takes 92 steps; shrinking cuts each philosopher's meals out (per-thread loops), which
    // leaves the circular wait alone: the shortest counterexample.
    const steps = r.violation!.trace.steps;
    expect(steps.map((s) => `${s.actors[0]}:${s.event.type}`).sort()).toEqual([...Array(10).keys()].flatMap((i) => [`ph${i}:hungry`, `ph${i}:takeLeft`]).sort());
    expect(replayTrace(deadlockSpec, JSON.parse(JSON.stringify(r.violation!.trace))).confirmed).toBe(true);
  });
});
