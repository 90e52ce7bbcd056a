/**
 * The liveness algorithm (src/liveness/graph.ts) on explicit graphs, against a brute force that
 * shares no code with it: a fair run exists exactly when some set of non-goal states is strongly
 * connected (a single state always is: every state may stutter) and meets every fairness set
 * (weak: taken by an edge inside or not enabled somewhere inside; strong: taken inside or enabled
 * nowhere inside). The brute force tries every subset of states, then a plain BFS gives the length
 * of the shortest prefix. Every lasso the algorithm returns is checked step by step.
 */
import { describe, it, expect } from 'vitest';
import { findLasso, GraphBuilder, type FairGraph, type Lasso } from '../src/liveness/graph.js';

interface RandomGraph {
  n: number;
  nSets: number;
  strong: boolean[];
  dead: boolean[];
  /** Real edges (to non-dead targets) and steps into dead states (enabled, but no run follows them). */
  edges: { from: number; to: number; sets: number }[];
  goal: boolean[];
  trigger: boolean[] | null;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomGraph(seed: number): RandomGraph {
  const r = rng(seed);
  const n = 1 + Math.floor(r() * 7);
  const nSets = Math.floor(r() * 4);
  const strong = Array.from({ length: nSets }, () => r() < 0.4);
  const dead = Array.from({ length: n }, (_, i) => i !== 0 && r() < 0.15);
  const edges: RandomGraph['edges'] = [];
  const m = Math.floor(r() * 2.5 * n);
  for (let k = 0; k < m; k++) {
    let sets = 0;
    for (let j = 0; j < nSets; j++) if (r() < 0.35) sets |= 1 << j;
    edges.push({ from: Math.floor(r() * n), to: Math.floor(r() * n), sets });
  }
  const goal = Array.from({ length: n }, () => r() < 0.3);
  const mode = r();
  const trigger = mode < 0.33 ? null : mode < 0.66 ? Array.from({ length: n }, () => true) : Array.from({ length: n }, () => r() < 0.5);
  return { n, nSets, strong, dead, edges, goal, trigger };
}

function toFairGraph(rg: RandomGraph): FairGraph {
  const strong = new Uint32Array(1);
  rg.strong.forEach((s, k) => { if (s) strong[0] |= 1 << k; });
  const b = new GraphBuilder(rg.n, rg.nSets, strong);
  for (let s = 0; s < rg.n; s++) {
    b.state(s, rg.dead[s]);
    if (rg.dead[s]) continue;
    rg.edges.forEach((e, i) => {
      if (e.from !== s) return;
      const m = new Uint32Array([e.sets]);
      b.enable(m);
      if (!rg.dead[e.to]) b.edge(e.to, i, m);
    });
  }
  return b.finish();
}

/** Brute force: union of the states of every fair strongly connected set, then BFS for the prefix. */
function bruteForce(rg: RandomGraph): number | null {
  const { n } = rg;
  const live = (s: number) => !rg.dead[s] && !rg.goal[s];
  const enabled = (s: number) => (rg.dead[s] ? 0 : rg.edges.filter((e) => e.from === s).reduce((a, e) => a | e.sets, 0));
  const inner = (S: number) => rg.edges.filter((e) => !rg.dead[e.from] && !rg.dead[e.to] && S & (1 << e.from) && S & (1 << e.to));
  const fairUnion = new Set<number>();
  for (let S = 1; S < 1 << n; S++) {
    const members = [...Array(n).keys()].filter((s) => S & (1 << s));
    if (!members.every(live)) continue;
    const es = inner(S);
    const reach = (from: number, rev: boolean) => {
      const seen = new Set([from]);
      const todo = [from];
      while (todo.length) {
        const u = todo.pop()!;
        for (const e of es) {
          const [a, b] = rev ? [e.to, e.from] : [e.from, e.to];
          if (a === u && !seen.has(b)) { seen.add(b); todo.push(b); }
        }
      }
      return seen;
    };
    if (reach(members[0], false).size !== members.length || reach(members[0], true).size !== members.length) continue;
    const taken = es.reduce((a, e) => a | e.sets, 0);
    let fair = true;
    for (let k = 0; k < rg.nSets; k++) {
      const bit = 1 << k;
      if (taken & bit) continue;
      if (rg.strong[k] ? members.some((s) => enabled(s) & bit) : members.every((s) => enabled(s) & bit)) fair = false;
    }
    if (fair) for (const s of members) fairUnion.add(s);
  }
  if (rg.dead[0]) return null;
  // BFS over (state, phase); phase 1 starts at a trigger state that is live.
  const isTrigger = (s: number) => (rg.trigger ? rg.trigger[s] : s === 0);
  const dist = new Map<string, number>();
  const q: [number, number][] = [];
  const push = (s: number, ph: number, d: number) => {
    const k = `${s},${ph}`;
    if (dist.has(k)) return;
    dist.set(k, d);
    q.push([s, ph]);
    if (ph === 0 && isTrigger(s) && live(s)) push(s, 1, d);
  };
  push(0, 0, 0);
  let best: number | null = null;
  for (let h = 0; h < q.length; h++) {
    const [s, ph] = q[h];
    const d = dist.get(`${s},${ph}`)!;
    if (ph === 1 && fairUnion.has(s)) { best = best === null ? d : Math.min(best, d); continue; }
    for (const e of rg.edges) {
      if (e.from !== s || rg.dead[e.to]) continue;
      if (ph === 1 && !live(e.to)) continue;
      push(e.to, ph, d + 1);
    }
  }
  return best;
}

/** Checks a lasso against the graph description alone. */
function validate(rg: RandomGraph, g: FairGraph, l0: Lasso): void {
  // Lasso edges are CSR indices; the step code is the index of the edge in rg.edges.
  const l = { ...l0, edges: l0.edges.map((e) => g.codes[e]) };
  expect(l.states[0]).toBe(0);
  expect(l.states.length).toBe(l.edges.length + 1);
  l.edges.forEach((ei, i) => {
    const e = rg.edges[ei];
    expect(e.from).toBe(l.states[i]);
    expect(e.to).toBe(l.states[i + 1]);
  });
  for (const s of l.states) expect(rg.dead[s]).toBe(false);
  const last = l.states.length - 1;
  expect(l.states[last]).toBe(l.states[l.loop]);
  // Some trigger state after which the goal never holds.
  const isTrigger = (s: number) => (rg.trigger ? rg.trigger[s] : s === 0);
  const from = l.states.findIndex((s, i) => (rg.trigger ? isTrigger(s) : i === 0) && l.states.slice(i).every((x) => !rg.goal[x]));
  expect(from).toBeGreaterThanOrEqual(0);
  expect(from).toBeLessThanOrEqual(l.loop);
  // The cycle is fair.
  const cycleStates = l.loop === last ? [l.states[last]] : l.states.slice(l.loop, last);
  const taken = l.edges.slice(l.loop).reduce((a, ei) => a | rg.edges[ei].sets, 0);
  const enabled = (s: number) => rg.edges.filter((e) => e.from === s).reduce((a, e) => a | e.sets, 0);
  for (let k = 0; k < rg.nSets; k++) {
    const bit = 1 << k;
    if (taken & bit) continue;
    if (rg.strong[k]) expect(cycleStates.some((s) => enabled(s) & bit), `strong set ${k} enabled on the cycle, never taken`).toBe(false);
    else expect(cycleStates.every((s) => enabled(s) & bit), `weak set ${k} always enabled on the cycle, never taken`).toBe(false);
  }
}

describe('liveness graph algorithm vs brute force', () => {
  it('agrees on 4000 random graphs (verdict, shortest prefix) and every lasso is a fair counterexample', () => {
    let violated = 0;
    let stutter = 0;
    let cycles = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const rg = randomGraph(seed);
      const g = toFairGraph(rg);
      const goal = Uint8Array.from(rg.goal, Number);
      const trig = rg.trigger ? Uint8Array.from(rg.trigger, Number) : null;
      const lasso = findLasso(g, 0, trig, goal);
      const expected = bruteForce(rg);
      expect(lasso === null ? null : lasso.loop, `seed ${seed}`).toBe(expected);
      if (lasso) {
        validate(rg, g, lasso);
        violated++;
        if (lasso.loop === lasso.states.length - 1) stutter++; else cycles++;
      }
    }
    // The sample exercises both outcomes and both kinds of lasso.
    expect(violated).toBeGreaterThan(500);
    expect(4000 - violated).toBeGreaterThan(500);
    expect(stutter).toBeGreaterThan(100);
    expect(cycles).toBeGreaterThan(100);
  });

  it('handles many fairness sets (more than one mask word)', () => {
    // A ring 0 -> 1 -> ... -> 39 -> 0; edge i is in weak set i. Goal: nowhere. Each set is enabled
    // at one state only, so stuttering anywhere is fair... except that state i enables set i:
    // every state enables a set, so only a run that takes every edge is fair: the whole ring.
    const n = 40;
    const strong = new Uint32Array(2);
    const b = new GraphBuilder(n, n, strong);
    for (let s = 0; s < n; s++) {
      b.state(s, false);
      const m = new Uint32Array(2);
      m[s >> 5] |= 1 << (s & 31);
      b.enable(m);
      b.edge((s + 1) % n, s, m);
    }
    const g = b.finish();
    const l = findLasso(g, 0, null, new Uint8Array(n))!;
    expect(l.loop).toBe(0);
    expect(l.edges.length).toBe(n);
    expect(l.states[n]).toBe(0);
  });

  it('is iterative: a 200000-state chain does not overflow the stack', () => {
    const n = 200000;
    const strong = new Uint32Array([1]);
    const b = new GraphBuilder(n, 1, strong);
    const m = new Uint32Array([1]);
    for (let s = 0; s < n; s++) {
      b.state(s, false);
      b.enable(m);
      b.edge(s + 1 < n ? s + 1 : 0, 0, m);
    }
    const goal = new Uint8Array(n);
    goal[n - 1] = 1; // the ring is broken at the goal: every fair run reaches it
    expect(findLasso(b.finish(), 0, null, goal)).toBeNull();
  });
});
