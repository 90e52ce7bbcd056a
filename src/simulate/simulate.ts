/**
 * `daxcheck simulate`: seeded random walks through the same memoised composition the explorer
 * uses. By default each step is chosen uniformly among the enabled steps; with `swarm`, three walks
 * in four are swarm walks instead (groups of steps starved for the whole walk). A walk ends at its
 * first violation, at a state with no enabled step, or at the depth bound. The first violating walk
 * is shrunk to a 1-minimal counterexample. A simulation never proves anything: finding nothing is
 * incomplete.
 */
import { compose } from '../check.js';
import type { KnobValues, Scalar, Spec } from '../spec/types.js';
import { buildPathTrace } from '../trace/build.js';
import type { Trace } from '../trace/types.js';
import { Stepper } from './path.js';
import { ddmin } from './shrink.js';

export interface SimulateOptions {
  variant?: string;
  knobs?: Readonly<Record<string, Scalar>>;
  /** Walks to run. */
  runs: number;
  /** Steps per walk at most. */
  depth: number;
  seed: number;
  /** Swarm walks (walks 4k+1..4k+3; walk 4k stays uniform). Default: every walk uniform. */
  swarm?: boolean;
  /** Polled between walks (Ctrl-C). */
  interrupted?: () => boolean;
}

export interface SimulatedViolation {
  readonly property: string;
  /** The walk that found it (1-based) and its length when found. */
  readonly walk: number;
  /** How that walk chose its steps. */
  readonly walkKind: WalkKind;
  readonly foundSteps: number;
  /** Candidate paths run while shrinking. */
  readonly shrinkTests: number;
  readonly shrinkSeconds: number;
  readonly trace: Trace;
  /** The trace's step codes (the composition's numbering), to run it again. */
  readonly codes: readonly number[];
}

export interface SimulateResult {
  readonly spec: string;
  readonly variant?: string;
  readonly knobs: KnobValues;
  readonly seed: number;
  readonly depth: number;
  /** Which walks ran: 'uniform' (every walk), or 'swarm' (walk 4k uniform, the others swarm). */
  readonly mode: 'uniform' | 'swarm';
  /** Walks run (fewer than asked after a violation or Ctrl-C). */
  readonly walks: number;
  readonly steps: number;
  /** Walks that ended in a state with no enabled step (a valid end), and at the depth bound. */
  readonly endedValid: number;
  readonly endedAtDepth: number;
  readonly seconds: number;
  readonly interrupted: boolean;
  readonly violation?: SimulatedViolation;
  /** Properties a walk cannot check (liveness needs the whole graph). */
  readonly unchecked: readonly string[];
}

/**
 * How a walk picks its next step: uniformly among the enabled steps, or as a swarm walk whose groups
 * are the threads that move, the instances that move, or the single step.
 */
export type WalkKind = 'uniform' | 'swarm-threads' | 'swarm-instances' | 'swarm-steps';

/** Walk `w`'s kind: always uniform, unless swarm walks were asked for (then walk 4k stays uniform). */
export function walkKind(swarm: boolean, w: number): WalkKind {
  return swarm ? (['uniform', 'swarm-threads', 'swarm-instances', 'swarm-steps'] as const)[w % 4] : 'uniform';
}

/** mulberry32, seeded per walk so that walk k is the same whatever came before it. */
export function walkRandom(seed: number, walk: number): () => number {
  let s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(walk + 1, 0xc2b2ae35)) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function simulate(spec: Spec, opts: SimulateOptions): Promise<SimulateResult> {
  const sys = compose(spec, opts);
  const st = new Stepper(sys);
  const t0 = performance.now();
  let steps = 0;
  let endedValid = 0;
  let endedAtDepth = 0;
  let walks = 0;
  let stopped = false;
  let found: { walk: number; kind: WalkKind; codes: number[]; prop: number } | null = null;
  let sliceEnd = performance.now() + 50;
  // A step's group for swarm walks: the threads (else the instances) that take part in an event,
  // else the timer or mailbox itself.
  const byParties = (code: number) => (code < sys.templates.length ? sys.templates[code].parties.join(',') : `#${code}`);
  const byStep = (code: number) => `#${code}`;
  const byThreads = (code: number) => {
    if (code >= sys.templates.length) return `#${code}`;
    const ps = sys.templates[code].parties;
    const threads = ps.filter((a) => sys.actors[a].thread);
    return (threads.length ? threads : ps).join(',');
  };
  const groupOf = { 'swarm-threads': byThreads, 'swarm-instances': byParties, 'swarm-steps': byStep };

  for (let w = 0; w < opts.runs && !found; w++) {
    if (performance.now() > sliceEnd) {
      await new Promise<void>((r) => setImmediate(r));
      sliceEnd = performance.now() + 50;
      if (opts.interrupted?.()) { stopped = true; break; }
    }
    walks++;
    const rnd = walkRandom(opts.seed, w);
    // A uniform walk picks among the enabled steps uniformly. A swarm walk (Groce et al., ISSTA
    // 2012) starves each group of steps (the threads that move, the instances that move, or the
    // step itself, parameters included) or not, at random, for the whole walk, so that the groups
    // that run can run far ahead of the starved ones.
    const kind = walkKind(opts.swarm ?? false, w);
    const weights = kind === 'uniform' ? null : new Map<string, number>();
    const group = kind === 'uniform' ? byStep : groupOf[kind];
    let v = st.initial();
    const codes: number[] = [];
    let en = st.enabled(v);
    let hits = st.stateHits(v, en.codes.length === 0);
    for (let d = 0; !hits.length; d++) {
      if (en.codes.length === 0) { endedValid++; break; }
      if (d >= opts.depth) { endedAtDepth++; break; }
      const j = weights ? pickWeighted(en.codes, group, weights, rnd) : Math.floor(rnd() * en.codes.length);
      const code = en.codes[j];
      const next = en.nexts[j];
      hits = st.stepHits(v, code, next);
      codes.push(code);
      steps++;
      v = next;
      en = st.enabled(v);
      hits = [...new Set([...hits, ...st.stateHits(v, en.codes.length === 0)])].sort((a, b) => a - b);
    }
    if (hits.length) found = { walk: w + 1, kind, codes, prop: hits[0] };
  }

  const base = {
    spec: spec.name, variant: opts.variant, knobs: sys.knobs, seed: opts.seed, depth: opts.depth,
    mode: opts.swarm ? 'swarm' as const : 'uniform' as const, walks, steps, endedValid, endedAtDepth, interrupted: stopped,
    unchecked: spec.properties.filter((p) => p.kind === 'liveness').map((p) => p.name),
  };
  if (!found) return { ...base, seconds: (performance.now() - t0) / 1000 };

  // Shrink: a candidate counts when its first violation is still of the same property.
  const prop = found.prop;
  const s0 = performance.now();
  let tests = 0;
  const fails = (c: readonly number[]) => {
    tests++;
    const r = st.run(c);
    return r && r.end.props.includes(prop) ? r.codes : null;
  };
  let codes = found.codes;
  for (;;) {
    const before = codes.length;
    codes = ddmin(cutThreadLoops(st, cutCycles(st, codes, fails), fails), fails).codes;
    if (codes.length === before) break;
  }
  const path = st.run(codes)!;
  const p = st.props[prop];
  const trace = buildPathTrace(sys, path.vecs, path.codes, {
    spec: spec.name, variant: opts.variant, property: p.name, propertyDoc: p.doc, kind: 'violation',
  }, path.end.byStep.includes(prop));
  const violation: SimulatedViolation = {
    property: p.name, walk: found.walk, walkKind: found.kind, foundSteps: found.codes.length, shrinkTests: tests,
    shrinkSeconds: (performance.now() - s0) / 1000, trace, codes: path.codes,
  };
  return { ...base, violation, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Cuts the loops out of a path: where it comes back to a state it was in, the steps in between go
 * (the largest loop of each state first). What is left visits each state once.
 */
function cutCycles(st: Stepper, codes: number[], fails: (c: readonly number[]) => number[] | null): number[] {
  let c = codes;
  for (;;) {
    const r = st.run(c);
    if (!r) return c;
    const last = new Map<string, number>();
    r.vecs.forEach((v, i) => last.set(v.join(','), i));
    let next: number[] | null = null;
    for (let i = 0; i < r.vecs.length && !next; i++) {
      const j = last.get(r.vecs[i].join(','))!;
      if (j > i) next = fails(c.slice(0, i).concat(c.slice(j)));
    }
    if (!next) return c;
    c = next;
  }
}

/**
 * Cuts one thread's loops out of a path: where a thread comes back to a local state it was in, its
 * steps in between go (with the partners they moved), the other threads' steps stay. A walk's
 * detours (a philosopher who eats and thinks again while the others move) are not loops of the
 * whole state, and ddmin cannot drop them either: its chunks are contiguous, and dropping one step
 * of a detour makes the path impossible. Threads are the actors declared `thread` (else every actor).
 */
function cutThreadLoops(st: Stepper, codes: number[], fails: (c: readonly number[]) => number[] | null): number[] {
  const sys = st.sys;
  const threads = sys.actors.map((t, a) => (t.thread ? a : -1)).filter((a) => a >= 0);
  const actors = threads.length ? threads : sys.actors.map((_, a) => a);
  let c = codes;
  for (let cut = true; cut;) {
    cut = false;
    const r = st.run(c);
    if (!r) return c;
    // moved[k]: the actors step k moves (its parties, and any actor whose local state it changes).
    const moved = r.codes.map((code, k) => {
      const m = new Set<number>(code < sys.templates.length ? sys.templates[code].parties : []);
      for (let a = 0; a < sys.actors.length; a++) if (r.vecs[k][a] !== r.vecs[k + 1][a]) m.add(a);
      return m;
    });
    for (const a of actors) {
      for (let i = 0; i < r.codes.length && !cut; i++) {
        if (!moved[i].has(a)) continue;
        let j = r.vecs.length - 1;
        while (j > i && r.vecs[j][a] !== r.vecs[i][a]) j--;
        if (j <= i) continue;
        const next = fails(c.filter((_, k) => k < i || k >= j || !moved[k].has(a)));
        if (next) {
          c = next;
          cut = true;
        }
      }
      if (cut) break;
    }
  }
  return c;
}

/**
 * Swarm walks: each group of steps (the instances that move together, whatever the event's
 * parameters) has a weight drawn on first sight; a group is chosen in proportion to its weight,
 * then a step uniformly within it.
 */
function pickWeighted(codes: readonly number[], groupOf: (code: number) => string, weights: Map<string, number>, rnd: () => number): number {
  const groups = new Map<string, number[]>();
  for (let j = 0; j < codes.length; j++) {
    const g = groupOf(codes[j]);
    const list = groups.get(g);
    if (list) list.push(j); else groups.set(g, [j]);
  }
  let total = 0;
  for (const g of groups.keys()) {
    let w = weights.get(g);
    if (w === undefined) weights.set(g, (w = rnd() < 0.5 ? 1 : rnd() ** 2 * 0.1));
    total += w;
  }
  let x = rnd() * total;
  for (const [g, list] of groups) {
    x -= weights.get(g)!;
    if (x < 0) return list[Math.floor(rnd() * list.length)];
  }
  const last = [...groups.values()].pop()!;
  return last[Math.floor(rnd() * last.length)];
}
