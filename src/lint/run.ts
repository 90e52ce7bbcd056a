/**
 * `daxcheck lint`: explores every variant of a spec (each distinct knob setting once) with no
 * property to stop at, so that every reachable step is seen, and checks each step's atomicity
 * (./atomicity.ts). Each failure comes with the shortest path to the state it leaves, as a trace.
 */
import { compose } from '../check.js';
import { explore, type Bounds, type StopReason, type Stats } from '../explore/explorer.js';
import type { Checks } from '../explore/model.js';
import { keepExploring } from '../liveness/run.js';
import { canonical } from '../adapter/canonical.js';
import type { KnobValues, Spec } from '../spec/types.js';
import { buildTrace } from '../trace/build.js';
import type { Trace } from '../trace/types.js';
import { AtomicityCheck, type AtomicitySummary, type LintFailure, type Undeclared } from './atomicity.js';

export interface LintRun {
  readonly spec: string;
  /** The variants with this knob setting (lint depends only on the knobs). */
  readonly variants: readonly string[];
  readonly knobs: KnobValues;
  readonly complete: boolean;
  readonly stop: StopReason;
  readonly stats: Stats;
  readonly summary: AtomicitySummary;
  readonly failures: readonly (LintFailure & { readonly trace: Trace })[];
  readonly undeclared: readonly Undeclared[];
}

export interface LintOptions extends Bounds {
  /** Lint only this variant. */
  variant?: string;
  interrupted?: () => boolean;
  onStart?: (spec: string, variants: readonly string[]) => void;
}

/** No property: the explorer expands every reachable state (`keepExploring` keeps it going). */
function noChecks(validEnd: (s: Int32Array) => boolean): Checks {
  return keepExploring({ names: [], kinds: [], state: () => {}, deadlock: -1, validEnd });
}

export async function lintSpec(spec: Spec, opts: LintOptions = {}): Promise<LintRun[]> {
  const names = opts.variant ? [opts.variant] : Object.keys(spec.variants);
  // One exploration per distinct knob setting, named by every variant that has it.
  const settings = new Map<string, { variants: string[]; sys: ReturnType<typeof compose> }>();
  for (const v of names) {
    const sys = compose(spec, { variant: v });
    const key = canonical(sys.knobs);
    const s = settings.get(key);
    if (s) s.variants.push(v);
    else settings.set(key, { variants: [v], sys });
  }
  const out: LintRun[] = [];
  for (const { variants, sys } of settings.values()) {
    if (opts.interrupted?.()) break;
    opts.onStart?.(spec.name, variants);
    const lint = new AtomicityCheck(sys);
    const model = {
      width: sys.width,
      initial: () => sys.initial(),
      successors: (s: Int32Array, visit: (step: number, next: Int32Array) => void) => sys.successors(s, visit),
      checks: noChecks((s) => sys.validEnd(s)),
    };
    const res = await explore(model, {
      maxStates: opts.maxStates ?? spec.bounds?.maxStates ?? 2_000_000,
      maxDepth: opts.maxDepth ?? spec.bounds?.maxDepth,
      timeout: opts.timeout,
      maxMemoryMb: opts.maxMemoryMb,
      interrupted: opts.interrupted,
      order: 'bfs',
      onEdge: lint.edge,
    });
    const failures = [...lint.failures.values()].map((f) => ({
      ...f,
      trace: buildTrace(sys, res, { prop: 0, state: f.state, step: f.step, next: f.next }, {
        spec: spec.name, variant: variants[0], property: `atomicity (${f.kind})`, propertyDoc: f.message, kind: 'violation',
      }),
    }));
    out.push({
      spec: spec.name, variants, knobs: sys.knobs, complete: res.complete, stop: res.stop, stats: res.stats,
      summary: lint.summary(), failures, undeclared: [...lint.undeclared.values()],
    });
  }
  return out;
}
