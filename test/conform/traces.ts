/**
 * The counterexamples and witnesses `review` finds, collected once per spec for the conformance
 * tests. Exploration is breadth-first, so every trace a bounded run finds is the very trace a full
 * run (review) finds; a variant is explored with a growing state bound until it has a trace for
 * every property its expectations call violated or reached and every witness goal, or its space is
 * exhausted (the bound grows fourfold, so the repeated prefixes cost at most a third more than the
 * last run). What review writes beyond that is what a full run finds: an unexpected violation (then
 * review's own gate fails) or a witness of a goal no path reaches (none is written). An expected
 * trace missing from an exhausted space fails the test: nothing is skipped silently. Lasso traces
 * (liveness) are not logs of a finite run and are left out.
 */
import { checkSpec, type CheckResult } from '../../src/check.js';
import type { Spec } from '../../src/spec/types.js';
import type { Trace } from '../../src/trace/types.js';

export interface Collected {
  readonly variant: string;
  readonly traces: Trace[];
  /** Expected violated/reached properties that have no trace in the explored space. */
  readonly missing: string[];
  /** The state bound of the last run (Infinity: complete). */
  readonly bound: number;
}

const cache = new Map<string, Promise<Collected[]>>();

/** Whether a run has every trace the variant's expectations ask for, and every witness goal reached. */
function hasAll(spec: Spec, variant: string, r: CheckResult): boolean {
  const expect = spec.variants[variant].expect;
  for (const [name, p] of Object.entries(r.properties)) {
    if (p.kind === 'liveness') continue;
    const e = expect[name]?.verdict ?? (p.kind === 'safety' ? expect['*']?.verdict : undefined);
    const wanted = p.kind === 'goal' || e === 'violated' || e === 'reached';
    if (wanted && !p.trace) return false;
  }
  return true;
}

export function collectTraces(spec: Spec, first = 3000, only?: (variant: string, index: number) => boolean): Promise<Collected[]> {
  const picked = Object.keys(spec.variants).filter((v, i) => !only || only(v, i));
  const key = `${spec.name}/${first}/${picked.join(',')}`;
  if (!cache.has(key)) {
    cache.set(key, (async () => {
      const out: Collected[] = [];
      for (const variant of picked) {
        const decl = spec.variants[variant];
        let bound = first;
        let r = await checkSpec(spec, { variant, witnessTraces: true, maxStates: bound });
        while (!r.complete && !hasAll(spec, variant, r)) {
          bound *= 4;
          r = await checkSpec(spec, { variant, witnessTraces: true, maxStates: bound });
        }
        const traces = Object.values(r.properties).filter((p) => p.trace && p.trace.kind !== 'lasso').map((p) => p.trace!);
        const missing = Object.entries(decl.expect)
          .filter(([p, e]) => p !== '*' && (e.verdict === 'violated' || e.verdict === 'reached') && r.properties[p]?.kind !== 'liveness' && !r.properties[p]?.trace)
          .map(([p]) => p);
        out.push({ variant, traces, missing, bound: r.complete ? Infinity : bound });
      }
      return out;
    })());
  }
  return cache.get(key)!;
}
