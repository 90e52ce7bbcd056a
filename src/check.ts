/**
 * Checks one spec under one knob assignment: compose, explore, and turn what the explorer found
 * into a verdict per property, with a counterexample (or a witness path) where there is one.
 */
import { buildChecks, propertyList, type CheckedProperty } from './compose/properties.js';
import { ComposedSystem, type TimerMode } from './compose/system.js';
import { explore, type ExploreOptions, type StopReason, type Stats } from './explore/explorer.js';
import { getVariant, resolveKnobs, validateSpec, variantKnobs } from './spec/validate.js';
import type { KnobValues, Scalar, Spec, Verdict } from './spec/types.js';
import { buildTrace } from './trace/build.js';
import type { Trace } from './trace/types.js';
import { computeCoverage, type ActorCoverage } from './compose/coverage.js';
import { buildLivenessGraph, checkLivenessProperty, keepExploring } from './liveness/run.js';
import { buildLassoTrace } from './trace/build.js';
import { preflight } from './compose/preflight.js';
import { MemoryGuard } from './explore/memory.js';
import { enterPhase } from './activity.js';
import { SpecError } from './errors.js';
import { omissionProbability } from './explore/fingerprint-store.js';
import { StateStore } from './explore/store.js';
import { shuffledSuccessors } from './swarm/shuffle.js';
import { AtomicityCheck, type AtomicitySummary } from './lint/atomicity.js';
import { SystemSymmetry } from './compose/symmetry.js';
import { auditedSuccessors, symmetricChecks } from './compose/symmetry-checks.js';
import { Canonicaliser, concretePath } from './explore/symmetry.js';

export interface CheckOptions extends Omit<ExploreOptions, 'order'> {
  variant?: string;
  /** Knob values on top of the variant's (or the defaults). */
  knobs?: Readonly<Record<string, Scalar>>;
  order?: 'bfs' | 'dfs';
  /** Build the witness path of each reached goal too (default false). */
  witnessTraces?: boolean;
  /** Swarm members: visit each state's successors in an order permuted by this seed (src/swarm/shuffle.ts). */
  shuffleSeed?: number;
  /**
   * Watch every explored step's atomicity (src/lint/atomicity.ts) and return the justification of
   * each kind of multi-instance step (review's report section; `daxcheck lint` is the gate).
   */
  atomicity?: boolean;
  /** Timer semantics (docs/semantics.md §4): `untimed` (default) or `ordered` by declared delay. */
  timers?: TimerMode;
  /** false: explore every state even when the spec declares symmetry (docs/symmetry.md). */
  symmetry?: boolean;
}

export interface PropertyResult {
  readonly name: string;
  readonly kind: 'safety' | 'goal' | 'liveness';
  readonly doc: string;
  readonly verdict: Verdict;
  /** Steps in the counterexample (or witness path). */
  readonly traceLength?: number;
  readonly trace?: Trace;
  readonly witnessOf?: string;
}

export interface CheckResult {
  readonly spec: string;
  readonly variant?: string;
  readonly knobs: KnobValues;
  /** Set when the run used ordered timers (`--timers ordered`). */
  readonly timers?: 'ordered';
  readonly complete: boolean;
  readonly stop: StopReason;
  /** For a memory stop: which limit was reached, at what size. */
  readonly stopNote?: string;
  readonly stats: Stats;
  readonly properties: Record<string, PropertyResult>;
  /** Per actor instance: the state nodes and transitions exploration reached (model coverage). */
  readonly coverage?: Record<string, ActorCoverage>;
  /** Liveness pass (when the spec has liveness properties and exploration was complete). */
  readonly liveness?: LivenessStats;
  /** `--store fingerprint`: the estimated probability that a fingerprint collision hid a state. */
  readonly fingerprint?: { readonly omissionProbability: number; readonly generated: number };
  /** With `atomicity`: how the explored multi-instance steps are justified. */
  readonly atomicity?: AtomicitySummary;
  /** Set when the spec declares symmetry and it was used: states counted are classes (docs/symmetry.md). */
  readonly symmetry?: { readonly sets: readonly (readonly string[])[]; readonly permutations: number };
}

export interface LivenessStats {
  /** Seconds to rebuild the labelled graph, and to check every liveness property on it. */
  readonly graphSeconds: number;
  readonly checkSeconds: number;
  readonly edges: number;
  /** The fairness sets the spec's `fairness` declares (docs/semantics.md §8). */
  readonly fairnessSets: readonly string[];
}

/** Composes the system of a spec for the given variant/knobs (validated). */
export function compose(spec: Spec, opts: Pick<CheckOptions, 'variant' | 'knobs' | 'timers'> = {}): ComposedSystem {
  validateSpec(spec);
  const base = opts.variant ? variantKnobs(spec, getVariant(spec, opts.variant)) : {};
  const knobs = resolveKnobs(spec, { ...base, ...(opts.knobs ?? {}) });
  return new ComposedSystem(spec, knobs, opts.timers ?? 'untimed');
}

/**
 * Runs every property once on the initial state (and action properties on its steps), on a system
 * of its own: a misnamed state, tag or actor, or a non-boolean answer, fails before any exploration.
 */
export function preflightSpec(spec: Spec, opts: Pick<CheckOptions, 'variant' | 'knobs' | 'timers'> = {}): void {
  enterPhase('preflight', spec.name);
  const sys = compose(spec, opts);
  preflight(sys, propertyList(sys));
}

export async function checkSpec(spec: Spec, opts: CheckOptions = {}): Promise<CheckResult> {
  preflightSpec(spec, opts);
  enterPhase('compose', spec.name);
  const sys = compose(spec, opts);
  const props: CheckedProperty[] = propertyList(sys);
  const sym = opts.symmetry === false ? undefined : symmetryOf(sys, props);
  const checks = sym?.checks.checks ?? buildChecks(sys, props);
  const memory = opts.memory ?? new MemoryGuard(opts.maxMemoryMb);
  sys.onGrowth = () => memory.checkHeap();
  const model = {
    width: sys.width,
    initial: () => sys.initial(),
    successors: sym?.successors ?? ((s: Int32Array, visit: (step: number, next: Int32Array) => void) => sys.successors(s, visit)),
    // Liveness needs every reachable state: do not stop once the safety verdicts are in.
    checks: spec.properties.some((p) => p.kind === 'liveness') ? keepExploring(checks) : checks,
    canonical: sym ? (v: Int32Array) => sym.canon.canonical(v) : undefined,
  };
  const fingerprint = opts.store === 'fingerprint';
  if (fingerprint && opts.order === 'dfs') throw new SpecError(`spec '${spec.name}': --store fingerprint explores breadth-first only (drop --dfs)`);
  const explored = opts.shuffleSeed === undefined ? model : shuffledSuccessors(model, opts.shuffleSeed);
  const atomicity = opts.atomicity ? new AtomicityCheck(sys) : undefined;
  enterPhase('explore');
  const res = await explore(explored, { ...opts, memory, order: opts.order ?? 'bfs', onEdge: atomicity?.edge ?? opts.onEdge });
  sys.onGrowth = null;
  enterPhase('traces');
  const properties: Record<string, PropertyResult> = {};
  props.forEach((p, i) => {
    const d = res.discoveries.get(i);
    let verdict: Verdict;
    // A fingerprint run may have missed states: no holds, no unreached (fingerprint-store.ts).
    if (p.kind === 'safety') verdict = d ? 'violated' : !res.complete ? 'incomplete' : fingerprint ? 'probably-holds' : 'holds';
    else verdict = d ? 'reached' : res.complete && !fingerprint ? 'unreached' : 'incomplete';
    let trace: Trace | undefined;
    if (d && (p.kind === 'safety' || opts.witnessTraces)) {
      trace = buildTrace(sys, res, d, {
        spec: spec.name,
        variant: opts.variant,
        property: p.name,
        propertyDoc: p.doc,
        kind: p.kind === 'safety' ? 'violation' : 'witness',
      }, sym && ((reps) => sym.concrete(reps, d.step === undefined ? sym.checks.foundIn(i) : undefined)));
      if (fingerprint) confirmRebuilt(model.checks, trace.steps.length ? res.store.read(d.state, new Int32Array(sys.width)) : sys.initial(), d, i, p.name);
    }
    const traceLength = d ? res.store.depthOf(d.state) + (d.step !== undefined ? 1 : 0) : undefined;
    properties[p.name] = { name: p.name, kind: p.kind, doc: p.doc, verdict, traceLength, trace, witnessOf: p.witnessOf };
  });
  // ---- liveness (docs/semantics.md §8): only on a complete exploration; a bounded run says incomplete.
  let liveness: LivenessStats | undefined;
  const livenessProps = spec.properties.filter((p) => p.kind === 'liveness');
  if (livenessProps.length && (!res.complete || !(res.store instanceof StateStore))) {
    for (const p of livenessProps) properties[p.name] = { name: p.name, kind: 'liveness', doc: p.doc, verdict: 'incomplete' };
  } else if (livenessProps.length && res.store instanceof StateStore) {
    enterPhase('liveness');
    const store = res.store;
    const lg = buildLivenessGraph(sys, store);
    const t0 = performance.now();
    for (const p of livenessProps) {
      const out = checkLivenessProperty(sys, store, lg, p);
      const trace = out.lasso
        ? buildLassoTrace(sys, store, out.lasso.states, out.lasso.codes, out.lasso.loop, { spec: spec.name, variant: opts.variant, property: p.name, propertyDoc: p.doc })
        : undefined;
      properties[p.name] = { name: p.name, kind: 'liveness', doc: p.doc, verdict: out.verdict, traceLength: out.lasso?.codes.length, trace };
    }
    liveness = { graphSeconds: lg.seconds, checkSeconds: (performance.now() - t0) / 1000, edges: lg.graph.targets.length, fairnessSets: lg.fairness.sets.filter((s) => s.name !== '(unused)').map((s) => s.name) };
  }
  enterPhase('coverage');
  const coverage = computeCoverage(sys);
  const generated = res.stats.transitions + 1;
  const fp = fingerprint ? { omissionProbability: omissionProbability(res.stats.states, generated), generated } : undefined;
  return { spec: spec.name, variant: opts.variant, knobs: sys.knobs, ...(sys.timerMode === 'ordered' ? { timers: 'ordered' as const } : {}), complete: res.complete, stop: res.stop, stopNote: res.stopNote, stats: res.stats, properties, coverage, liveness, atomicity: atomicity?.summary(), ...(fp ? { fingerprint: fp } : {}), ...(sym ? { symmetry: sym.summary } : {}) };
}

/**
 * The spec's symmetry sets acting on this system (docs/symmetry.md), or undefined when it declares
 * none. Liveness is refused: fairness is per instance, and a lasso in the quotient need not be one
 * of the concrete system.
 */
function symmetryOf(sys: ComposedSystem, props: readonly CheckedProperty[]) {
  const decls = sys.sys.symmetry;
  if (!decls?.length) return undefined;
  const live = sys.spec.properties.find((p) => p.kind === 'liveness');
  if (live) throw new SpecError(`spec '${sys.spec.name}': liveness property '${live.name}' cannot be checked under symmetry reduction (docs/symmetry.md): run with --no-symmetry`);
  const group = new SystemSymmetry(sys, decls);
  const canon = new Canonicaliser(group);
  const checks = symmetricChecks(sys, props, canon, group);
  const broken = (what: string) => new SpecError(`spec '${sys.spec.name}': the declared symmetry does not hold (${what}): do the machines treat instance names as mere names?`);
  return {
    canon,
    checks,
    summary: { sets: group.sets, permutations: group.size },
    successors: auditedSuccessors(sys, canon, group),
    concrete: (reps: Int32Array[], target: Int32Array | undefined) => concretePath(sys, canon, reps, target ?? reps[reps.length - 1], broken),
  };
}

/** A fingerprint run's counterexample is rebuilt by replay: its state must violate the property
 * again (a state property; an action property's step was recorded with its successor). */
function confirmRebuilt(checks: ReturnType<typeof buildChecks>, last: Int32Array, d: { state: number; step?: number }, prop: number, name: string): void {
  if (d.step !== undefined) return;
  let again = false;
  checks.state(last, (q) => { if (q === prop) again = true; });
  if (!again && checks.deadlock !== prop) throw new Error(`internal: the rebuilt counterexample of ${name} does not violate it (fingerprint replay)`);
}
