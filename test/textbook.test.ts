/**
 * Textbook models: the engine (src/check.ts) against the reference enumerator (test/oracle/), and
 * both against figures computed a third way, without XState:
 *  - Peterson: a hand-written transition function over (pc0, pc1, flag0, flag1, turn), BFS'd here;
 *  - philosophers: a closed form (derived below) and a BFS over fork owners.
 */
import { describe, it, expect } from 'vitest';
import { checkSpec } from '../src/check.js';
import { enumerate } from './oracle/enumerator.js';
import type { SpecLike } from './oracle/enumerator.js';
import peterson from '../specs/peterson.js';
import philosophers from '../specs/philosophers.js';

// ------------------------------------------------------------------ independent counts

/** BFS over a plain transition function; violating states are counted and not expanded. */
function plainBfs<S>(init: S, key: (s: S) => string, next: (s: S) => S[], bad: (s: S) => boolean) {
  const depth = new Map<string, number>([[key(init), 0]]);
  const queue: S[] = [init];
  let transitions = 0;
  let firstBad: number | undefined = bad(init) ? 0 : undefined;
  for (let h = 0; h < queue.length; h++) {
    const s = queue[h];
    if (bad(s)) continue;
    const d = depth.get(key(s))!;
    for (const t of next(s)) {
      transitions++;
      const k = key(t);
      if (depth.has(k)) continue;
      depth.set(k, d + 1);
      if (bad(t) && firstBad === undefined) firstBad = d + 1;
      queue.push(t);
    }
  }
  return { states: depth.size, transitions, firstBad };
}

/** Peterson without XState: each process does exactly one shared access per step. */
function plainPeterson(turnFirst: boolean) {
  type St = { pc: [string, string]; flag: [boolean, boolean]; turn: 0 | 1 };
  const start = turnFirst ? 'giveTurnEarly' : 'raiseFlag';
  const init: St = { pc: [start, start], flag: [false, false], turn: 0 };
  const next = (s: St): St[] =>
    ([0, 1] as const).map((i) => {
      const j = (1 - i) as 0 | 1;
      const t: St = { pc: [...s.pc] as [string, string], flag: [...s.flag] as [boolean, boolean], turn: s.turn };
      switch (s.pc[i]) {
        case 'raiseFlag': t.flag[i] = true; t.pc[i] = 'giveTurn'; break;
        case 'giveTurn': t.turn = j; t.pc[i] = 'waitFlag'; break;
        case 'giveTurnEarly': t.turn = j; t.pc[i] = 'raiseFlagLate'; break;
        case 'raiseFlagLate': t.flag[i] = true; t.pc[i] = 'waitFlag'; break;
        case 'waitFlag': t.pc[i] = s.flag[j] ? 'waitTurn' : 'cs'; break;
        case 'waitTurn': t.pc[i] = s.turn === i ? 'cs' : 'waitFlag'; break;
        case 'cs': t.flag[i] = false; t.pc[i] = start; break;
      }
      return t;
    });
  return plainBfs(init, (s) => JSON.stringify(s), next, (s) => s.pc[0] === 'cs' && s.pc[1] === 'cs');
}

/**
 * Philosophers without XState: a global state is an owner per fork (0 free, 1 its left philosopher
 * i, 2 its right philosopher i-1). Philosopher i holds fork i as left, fork i+1 as right.
 */
function plainPhilosophers(n: number, asymmetric: boolean) {
  const next = (f: number[]): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < n; i++) {
      const l = i, r = (i + 1) % n;
      const hasL = f[l] === 1, hasR = f[r] === 2;
      const rightFirst = asymmetric && i === n - 1;
      const set = (k: number, v: number) => { const g = [...f]; g[k] = v; out.push(g); };
      if (!rightFirst) {
        if (!hasL && !hasR && f[l] === 0) set(l, 1); // take left
        if (hasL && !hasR && f[r] === 0) set(r, 2); // take right
        if (hasL && hasR) set(l, 0); // put down left
        if (!hasL && hasR) set(r, 0); // put down right
      } else {
        if (!hasL && !hasR && f[r] === 0) set(r, 2);
        if (!hasL && hasR && f[l] === 0) set(l, 1);
        if (hasL && hasR) set(r, 0);
        if (hasL && !hasR) set(l, 0);
      }
    }
    return out;
  };
  return plainBfs(new Array(n).fill(0), (f) => f.join(''), next, () => false);
}

/**
 * Closed form. A philosopher's machine state is exactly the set of forks it holds, so a global
 * state is an owner per fork, free / left user / right user: 3^N assignments. All are reachable
 * except, in the naive order, the one where every philosopher holds only its right fork: a
 * philosopher gets there only by putting down its left fork after eating, and the last one to do
 * so, k, was eating (holding fork k) while k-1 already held fork k as its right fork. Hence
 * 3^N - 1 naive, 3^N asymmetric.
 * Transitions: per philosopher i, the states where its one possible move is enabled, counted over
 * the owners of its two forks (the other N-2 forks free: 3^(N-2) each): eating 1, right-only 2
 * (left fork free or held by i-1), thinking with left fork free 2 (right fork free or held by
 * i+1), left-only with right fork free 1: 6 * 3^(N-2); over N philosophers 2N * 3^(N-1). The
 * unreachable naive state has N enabled moves (every philosopher can put its right fork down).
 */
const closed = (n: number, naive: boolean) => ({
  states: 3 ** n - (naive ? 1 : 0),
  transitions: 2 * n * 3 ** (n - 1) - (naive ? n : 0),
});

/** `keySteps` patterns (`EVENT` or `actor:EVENT`) appear in order in the step list. */
function inOrder(steps: readonly { event: { type: string }; actors: readonly string[] }[], keys: readonly string[]): boolean {
  let k = 0;
  for (const s of steps) {
    if (k === keys.length) break;
    const [a, e] = keys[k].includes(':') ? keys[k].split(':') : [undefined, keys[k]];
    if (s.event.type === e && (a === undefined || s.actors.includes(a))) k++;
  }
  return k === keys.length;
}

const oracle = (spec: unknown, knobs: Record<string, string | number>) => enumerate(spec as SpecLike, knobs);

// ------------------------------------------------------------------ Peterson

describe('Peterson (2 processes)', () => {
  const plainCorrect = plainPeterson(false);
  const plainBroken = plainPeterson(true);

  it('oracle agrees with the plain model (correct: 32 states, 64 transitions; broken: 48, 92, mutex at 7)', () => {
    expect(plainCorrect).toEqual({ states: 32, transitions: 64, firstBad: undefined });
    expect(plainBroken).toEqual({ states: 48, transitions: 92, firstBad: 7 });
    const c = oracle(peterson, { variant: 'correct' });
    expect([c.states, c.transitions]).toEqual([plainCorrect.states, plainCorrect.transitions]);
    expect(c.properties['mutex'].violated).toBe(false);
    expect(c.witnesses['mutex'].reached).toBe(true);
    expect(c.properties['p0EntersCS'].reached && c.properties['p1EntersCS'].reached).toBe(true);
    expect(c.properties['deadlock'].violated).toBe(false);
    const b = oracle(peterson, { variant: 'broken' });
    expect([b.states, b.transitions]).toEqual([plainBroken.states, plainBroken.transitions]);
    expect(b.properties['mutex']).toMatchObject({ violated: true, depth: plainBroken.firstBad });
    expect(b.properties['deadlock'].violated).toBe(false);
  });

  it('engine: correct holds, with the oracle figures', async () => {
    const c = oracle(peterson, { variant: 'correct' });
    const r = await checkSpec(peterson, { variant: 'correct' });
    expect(r.complete).toBe(true);
    expect(r.stats.states).toBe(c.states);
    expect(r.stats.transitions).toBe(c.transitions);
    expect(r.properties['mutex'].verdict).toBe('holds');
    expect(r.properties['deadlock'].verdict).toBe('holds');
    expect(r.properties['p0EntersCS'].verdict).toBe('reached');
    expect(r.properties['p1EntersCS'].verdict).toBe('reached');
    const w = Object.values(r.properties).find((p) => p.witnessOf === 'mutex');
    expect(w?.verdict).toBe('reached');
  });

  it('engine: broken is violated with the shortest trace (7 accesses) and the key steps', async () => {
    const b = oracle(peterson, { variant: 'broken' });
    const r = await checkSpec(peterson, { variant: 'broken' });
    expect(r.complete).toBe(true);
    expect(r.stats.states).toBe(b.states);
    expect(r.stats.transitions).toBe(b.transitions);
    const m = r.properties['mutex'];
    expect(m.verdict).toBe('violated');
    expect(m.traceLength).toBe(7);
    expect(m.trace?.steps.length).toBe(7);
    expect(inOrder(m.trace!.steps, peterson.variants.broken.expect.mutex.keySteps!)).toBe(true);
  });
});

// ------------------------------------------------------------------ philosophers

describe('dining philosophers', () => {
  for (const n of [3, 4, 5]) {
    it(`N=${n} naive: oracle = plain BFS = closed form (3^N-1 states), deadlock after N steps`, () => {
      const o = oracle(philosophers, { n, order: 'naive' });
      const p = plainPhilosophers(n, false);
      expect([o.states, o.transitions]).toEqual([p.states, p.transitions]);
      expect({ states: o.states, transitions: o.transitions }).toEqual(closed(n, true));
      expect(o.properties['deadlock']).toMatchObject({ violated: true, depth: n });
      expect(o.properties['forkExclusive'].violated).toBe(false);
      expect(o.witnesses['forkExclusive'].reached).toBe(true);
    });

    it(`N=${n} asymmetric: 3^N states, no deadlock`, () => {
      const o = oracle(philosophers, { n, order: 'asymmetric' });
      const p = plainPhilosophers(n, true);
      expect([o.states, o.transitions]).toEqual([p.states, p.transitions]);
      expect({ states: o.states, transitions: o.transitions }).toEqual(closed(n, false));
      expect(o.properties['deadlock'].violated).toBe(false);
    });

    it(`N=${n} engine = oracle (naive and asymmetric)`, async () => {
      for (const order of ['naive', 'asymmetric'] as const) {
        const o = oracle(philosophers, { n, order });
        const r = await checkSpec(philosophers, { knobs: { n, order } });
        expect(r.complete).toBe(true);
        expect([r.stats.states, r.stats.transitions]).toEqual([o.states, o.transitions]);
        expect(r.properties['forkExclusive'].verdict).toBe('holds');
        if (order === 'naive') {
          expect(r.properties['deadlock'].verdict).toBe('violated');
          expect(r.properties['deadlock'].traceLength).toBe(n);
          expect(inOrder(r.properties['deadlock'].trace!.steps, Array(n).fill('takeLeft'))).toBe(true);
        } else expect(r.properties['deadlock'].verdict).toBe('holds');
      }
    });
  }
});
