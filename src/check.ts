/**
 * Checks one spec under one knob assignment: compose, explore, and turn what the explorer found
 * into a verdict per property, with a counterexample (or a witness path) where there is one.
 */
import { buildChecks, propertyList, type CheckedProperty } from './compose/properties.js';
import { ComposedSystem } from './compose/system.js';
import { explore, type ExploreOptions, type StopReason, type Stats } from './explore/explorer.js';
import { getVariant, resolveKnobs, validateSpec } from './spec/validate.js';
import type { KnobValues, Scalar, Spec, Verdict } from './spec/types.js';
import { buildTrace } from './trace/build.js';
import type { Trace } from './trace/types.js';

export interface CheckOptions extends Omit<ExploreOptions, 'order'> {
  variant?: string;
  /** Knob values on top of the variant's (or the defaults). */
  knobs?: Readonly<Record<string, Scalar>>;
  order?: 'bfs' | 'dfs';
  /** Build the witness path of each reached goal too (default false). */
  witnessTraces?: boolean;
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
  readonly complete: boolean;
  readonly stop: StopReason;
  readonly stats: Stats;
  readonly properties: Record<string, PropertyResult>;
}

/** Composes the system of a spec for the given variant/knobs (validated). */
export function compose(spec: Spec, opts: Pick<CheckOptions, 'variant' | 'knobs'> = {}): ComposedSystem {
  validateSpec(spec);
  const base = opts.variant ? getVariant(spec, opts.variant).knobs : {};
  const knobs = resolveKnobs(spec, { ...base, ...(opts.knobs ?? {}) });
  return new ComposedSystem(spec, knobs);
}

export async function checkSpec(spec: Spec, opts: CheckOptions = {}): Promise<CheckResult> {
  const sys = compose(spec, opts);
  const props: CheckedProperty[] = propertyList(sys);
  const checks = buildChecks(sys, props);
  const model = {
    width: sys.width,
    initial: () => sys.initial(),
    successors: (s: Int32Array, visit: (step: number, next: Int32Array) => void) => sys.successors(s, visit),
    checks,
  };
  const res = await explore(model, { ...opts, order: opts.order ?? 'bfs' });
  const properties: Record<string, PropertyResult> = {};
  props.forEach((p, i) => {
    const d = res.discoveries.get(i);
    let verdict: Verdict;
    if (p.kind === 'safety') verdict = d ? 'violated' : res.complete ? 'holds' : 'incomplete';
    else verdict = d ? 'reached' : res.complete ? 'unreached' : 'incomplete';
    let trace: Trace | undefined;
    if (d && (p.kind === 'safety' || opts.witnessTraces)) {
      trace = buildTrace(sys, res, d, {
        spec: spec.name,
        variant: opts.variant,
        property: p.name,
        propertyDoc: p.doc,
        kind: p.kind === 'safety' ? 'violation' : 'witness',
      });
    }
    const traceLength = d ? res.store.depth[d.state] + (d.step !== undefined ? 1 : 0) : undefined;
    properties[p.name] = { name: p.name, kind: p.kind, doc: p.doc, verdict, traceLength, trace, witnessOf: p.witnessOf };
  });
  for (const p of spec.properties) {
    if (p.kind === 'liveness') properties[p.name] = { name: p.name, kind: 'liveness', doc: p.doc, verdict: 'unchecked' };
  }
  return { spec: spec.name, variant: opts.variant, knobs: sys.knobs, complete: res.complete, stop: res.stop, stats: res.stats, properties };
}
