/**
 * Liveness checking after a complete safety exploration (docs/semantics.md §8): rebuild the edges
 * of the explored graph with their fairness labels, then find, per liveness property, the shortest
 * fair lasso that violates it.
 */
import type { ComposedSystem } from '../compose/system.js';
import { evaluatePredicate, SystemView } from '../compose/properties.js';
import { SpecError } from '../errors.js';
import type { Checks } from '../explore/model.js';
import type { StateStore } from '../explore/store.js';
import type { GlobalView, LivenessDecl } from '../spec/types.js';
import { Fairness } from './fairness.js';
import { findLasso, GraphBuilder, type FairGraph } from './graph.js';

export const KEEP_EXPLORING = '(liveness: explore every state)';

/**
 * The explorer stops once every safety property and goal has its verdict; liveness needs the whole
 * graph. This adds a goal that is never reached, so the run ends only when the space is exhausted
 * (or a bound cuts it, and then liveness is incomplete).
 */
export function keepExploring(checks: Checks): Checks {
  return { ...checks, names: [...checks.names, KEEP_EXPLORING], kinds: [...checks.kinds, 'goal'] };
}

export interface LivenessGraph {
  readonly graph: FairGraph;
  readonly fairness: Fairness;
  readonly seconds: number;
}

/** Rebuilds every edge of a completely explored store, labelled with fairness sets. */
export function buildLivenessGraph(sys: ComposedSystem, store: StateStore): LivenessGraph {
  const t0 = performance.now();
  const decl = sys.spec.fairness;
  const fairness = new Fairness(sys, typeof decl === 'function' ? decl(sys.knobs) : decl ?? []);
  const n = store.count;
  const b = new GraphBuilder(n, fairness.nSets, fairness.strong);
  const cur = new Int32Array(sys.width);
  const visit = (code: number, next: Int32Array) => {
    const t = store.find(next);
    if (t < 0) throw new Error('internal: a successor of an explored state is not in the store (incomplete exploration?)');
    const m = fairness.maskOf(cur, code);
    b.enable(m);
    if (!store.isViolating(t)) b.edge(t, code, m);
  };
  for (let s = 0; s < n; s++) {
    const dead = store.isViolating(s);
    b.state(s, dead);
    if (dead) continue;
    store.read(s, cur);
    sys.successors(cur, visit);
  }
  return { graph: b.finish(), fairness, seconds: (performance.now() - t0) / 1000 };
}

export interface LivenessOutcome {
  readonly verdict: 'holds' | 'violated';
  /** For `violated`: store ids of the lasso's states, the step code of each step, the loop index. */
  readonly lasso?: { readonly states: readonly number[]; readonly codes: readonly number[]; readonly loop: number };
}

function evaluate(sys: ComposedSystem, store: StateStore, g: FairGraph, label: string, f: (s: GlobalView) => boolean): Uint8Array {
  const view = new SystemView(sys);
  const out = new Uint8Array(g.n);
  const buf = new Int32Array(sys.width);
  view.state = buf;
  for (let s = 0; s < g.n; s++) {
    if (g.dead[s]) continue;
    store.read(s, buf);
    out[s] = evaluatePredicate(sys, label, buf, () => f(view)) ? 1 : 0;
  }
  return out;
}

/** Checks one liveness property on the graph. */
export function checkLivenessProperty(sys: ComposedSystem, store: StateStore, lg: LivenessGraph, p: LivenessDecl): LivenessOutcome {
  const where = `spec '${sys.spec.name}': liveness property '${p.name}'`;
  if (typeof p.p !== 'function') throw new SpecError(`${where} needs p()`);
  const g = lg.graph;
  let trigger: Uint8Array | null;
  let goal: Uint8Array;
  if (p.form === 'eventually') {
    trigger = null;
    goal = evaluate(sys, store, g, `liveness property '${p.name}' (p)`, p.p);
  } else if (p.form === 'alwaysEventually') {
    trigger = new Uint8Array(g.n).fill(1);
    goal = evaluate(sys, store, g, `liveness property '${p.name}' (p)`, p.p);
  } else if (p.form === 'leadsTo') {
    if (typeof p.q !== 'function') throw new SpecError(`${where}: leadsTo needs q()`);
    trigger = evaluate(sys, store, g, `liveness property '${p.name}' (p)`, p.p);
    goal = evaluate(sys, store, g, `liveness property '${p.name}' (q)`, p.q);
  } else {
    throw new SpecError(`${where}: form must be eventually, alwaysEventually or leadsTo`);
  }
  const lasso = findLasso(g, 0, trigger, goal);
  if (!lasso) return { verdict: 'holds' };
  return { verdict: 'violated', lasso: { states: lasso.states, codes: lasso.edges.map((e) => g.codes[e]), loop: lasso.loop } };
}
