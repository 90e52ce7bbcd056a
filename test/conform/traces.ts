/**
 * The counterexamples `review` writes, and the witnesses of the properties it finds holding,
 * collected once per variant for the conformance tests. Exploration is breadth-first, so every
 * trace a bounded run finds is the very trace a full run (review) finds; a variant is explored with
 * a growing state bound until it has every trace its expectations call for (`hasAll`), or its
 * space is exhausted (the bound grows fourfold, so the repeated prefixes cost at most a third more
 * than the last run). A full run could only add an unexpected violation, which fails review's own
 * gate. An expected trace missing from an exhausted space fails the test: nothing is skipped
 * silently. Lasso traces (liveness) are not logs of a finite run and are left out.
 */
import { checkSpec, type CheckResult } from '../../src/check.js';
import { defineSpec, type Spec } from '../../src/spec/types.js';
import type { Trace } from '../../src/trace/types.js';

export interface Collected {
  readonly variant: string;
  readonly traces: Trace[];
  /** Expected violated/reached properties that have no trace in the explored space. */
  readonly missing: string[];
  /** The state bound of the last run (Infinity: complete). */
  readonly bound: number;
}

/** One exploration per (spec, variant, first bound), shared by every test that asks for it. */
const cache = new Map<string, Promise<Collected>>();

/**
 * Whether a run has every trace the variant's expectations ask for: a counterexample of each
 * property expected violated, a path to each goal expected reached, and the witness of each
 * property expected to hold (review's gate requires those witnesses: no vacuous passes).
 */
function hasAll(spec: Spec, variant: string, r: CheckResult): boolean {
  const expect = spec.variants[variant].expect;
  const verdict = (name: string) => (expect[name] ?? expect['*'])?.verdict;
  for (const [name, p] of Object.entries(r.properties)) {
    if (p.kind === 'liveness' || p.trace) continue;
    const own = expect[name]?.verdict;
    let wanted: boolean;
    if (own !== undefined) wanted = own === 'violated' || own === 'reached';
    else if (p.witnessOf !== undefined) wanted = verdict(p.witnessOf) === 'holds';
    else wanted = verdict(name) === 'violated';
    if (wanted) return false;
  }
  return true;
}

export async function collectTraces(spec: Spec, first = 12_000, only?: (variant: string, index: number) => boolean): Promise<Collected[]> {
  const out: Collected[] = [];
  for (const [i, variant] of Object.keys(spec.variants).entries()) {
    if (only && !only(variant, i)) continue;
    const key = `${spec.name}/${variant}/${first}`;
    if (!cache.has(key)) cache.set(key, collectVariant(spec, variant, first));
    out.push(await cache.get(key)!);
  }
  return out;
}

/**
 * The spec without its liveness properties: they add no finite trace, and an exhausted space would
 * otherwise pay for the liveness graph. Breadth-first order and the expansion of each state do not
 * depend on the properties checked, so the other traces are the ones review finds.
 */
const finite = new Map<Spec, Spec>();
function safetyOnly(spec: Spec): Spec {
  let s = finite.get(spec);
  if (!s) {
    const live = new Set(spec.properties.filter((p) => p.kind === 'liveness').map((p) => p.name));
    const variants = Object.fromEntries(Object.entries(spec.variants).map(([v, d]) => [v, { ...d, expect: Object.fromEntries(Object.entries(d.expect).filter(([p]) => !live.has(p))) }]));
    finite.set(spec, (s = defineSpec({ ...spec, properties: spec.properties.filter((p) => !live.has(p.name)), variants })));
  }
  return s;
}

async function collectVariant(spec: Spec, variant: string, first: number): Promise<Collected> {
  let bound = first;
  const check = () => checkSpec(safetyOnly(spec), { variant, witnessTraces: true, maxStates: bound });
  let r = await check();
  while (!r.complete && !hasAll(spec, variant, r)) {
    bound *= 4;
    r = await check();
  }
  const traces = Object.values(r.properties).filter((p) => p.trace && p.trace.kind !== 'lasso').map((p) => p.trace!);
  const live = new Set(spec.properties.filter((p) => p.kind === 'liveness').map((p) => p.name));
  const missing = Object.entries(spec.variants[variant].expect)
    .filter(([p, e]) => p !== '*' && (e.verdict === 'violated' || e.verdict === 'reached') && !live.has(p) && !r.properties[p]?.trace)
    .map(([p]) => p);
  return { variant, traces, missing, bound: r.complete ? Infinity : bound };
}
