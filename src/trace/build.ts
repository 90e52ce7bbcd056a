/**
 * Rebuilds a counterexample from the explorer's parent pointers: for each edge on the path, the
 * first step (in enumeration order) of the parent that yields the child is the step BFS took.
 */
import type { ComposedSystem } from '../compose/system.js';
import { takenTransitions } from '../adapter/xstate.js';
import type { ExploreResult, Discovery } from '../explore/explorer.js';
import type { GlobalSnapshot, LocalState, Trace, TraceStep } from './types.js';

export function globalSnapshot(sys: ComposedSystem, v: Int32Array): GlobalSnapshot {
  const actors: Record<string, LocalState> = {};
  const mailboxes: Record<string, unknown[]> = {};
  sys.actors.forEach((t, a) => {
    actors[t.id] = localState(sys, a, v[a]);
    if (sys.mailboxOf[a] >= 0) mailboxes[t.id] = sys.mailboxContents(v, a);
  });
  return { actors, mailboxes: mailboxes as GlobalSnapshot['mailboxes'], dropped: sys.droppedAll(v) };
}

function localState(sys: ComposedSystem, a: number, l: number): LocalState {
  const loc = sys.local(a, l);
  return {
    value: loc.snapshot.value,
    context: loc.snapshot.context,
    status: loc.snapshot.status,
    timers: loc.timers.map((t) => t.id),
  };
}

function sameVec(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The step code that leads from `from` to `to`: the first in enumeration order. */
function findStep(sys: ComposedSystem, from: Int32Array, to: Int32Array): number {
  let found = -1;
  sys.successors(from, (code, next) => {
    if (found < 0 && sameVec(next, to)) found = code;
  });
  if (found < 0) throw new Error('internal: a parent pointer has no step to its child');
  return found;
}

export function traceStep(sys: ComposedSystem, from: Int32Array, code: number, to: Int32Array): TraceStep {
  const view = sys.describe(from, code);
  const after: Record<string, LocalState> = {};
  const functions: TraceStep['functions'][number][] = [];
  for (const id of view.actors) {
    const a = sys.actorIndex.get(id)!;
    after[id] = localState(sys, a, to[a]);
    const t = sys.actors[a];
    for (const { fn, cite, from: src, to: dst } of takenTransitions(t.machine, sys.local(a, from[a]).snapshot, view.event)) functions.push({ actor: id, fn, cite, from: src, to: dst });
  }
  return { ...view, after, functions };
}

export interface TraceContext {
  spec: string;
  variant?: string;
  property: string;
  propertyDoc: string;
  kind: Trace['kind'];
}

/** `concrete`: under symmetry, the real path for the stored representatives (src/explore/symmetry.ts). */
export function buildTrace(sys: ComposedSystem, res: ExploreResult, d: Discovery, ctx: TraceContext, concrete?: (reps: Int32Array[]) => Int32Array[]): Trace {
  const ids = res.store.pathTo(d.state);
  const reps = ids.map((id) => res.store.read(id, new Int32Array(sys.width)));
  const vecs = concrete ? concrete(reps) : reps;
  const steps: TraceStep[] = [];
  for (let i = 1; i < vecs.length; i++) steps.push(traceStep(sys, vecs[i - 1], findStep(sys, vecs[i - 1], vecs[i]), vecs[i]));
  if (d.step !== undefined && d.next) {
    vecs.push(d.next);
    steps.push({ ...traceStep(sys, vecs[vecs.length - 2], d.step, d.next), violating: true });
  }
  return assemble(sys, vecs, steps, ctx);
}

/** The trace record shared by counterexamples, witnesses and lassos. */
function assemble(sys: ComposedSystem, vecs: readonly Int32Array[], steps: TraceStep[], ctx: TraceContext, loop?: number): Trace {
  const states = vecs.map((v) => globalSnapshot(sys, v));
  return {
    spec: ctx.spec,
    variant: ctx.variant,
    knobs: sys.knobs,
    property: ctx.property,
    propertyDoc: ctx.propertyDoc,
    kind: ctx.kind,
    actorOrder: sys.actors.map((t) => t.id),
    threads: sys.actors.filter((t) => t.thread).map((t) => t.id),
    initial: states[0],
    steps,
    states,
    ...(loop === undefined ? {} : { loop }),
  };
}

// ---- lasso counterexamples (liveness, docs/semantics.md §8) ------------------------------------

/**
 * A lasso: `ids` are store ids of the states along the run (ids[0] the initial state), `codes[i]`
 * the step code from ids[i] to ids[i+1], and `loop` the index where the cycle starts: the last state
 * equals states[loop], and the run repeats steps loop.. forever. loop = last index: the run stays
 * in that state forever (stuttering, no cycle step).
 */
export function buildLassoTrace(
  sys: ComposedSystem,
  store: { read(id: number, out: Int32Array): Int32Array },
  ids: readonly number[],
  codes: readonly number[],
  loop: number,
  ctx: Omit<TraceContext, 'kind'>,
): Trace {
  const vecs = ids.map((id) => store.read(id, new Int32Array(sys.width)));
  const steps: TraceStep[] = [];
  for (let i = 1; i < vecs.length; i++) steps.push(traceStep(sys, vecs[i - 1], codes[i - 1], vecs[i]));
  return assemble(sys, vecs, steps, { ...ctx, kind: 'lasso' }, loop);
}

// ---- paths (simulate, conform) -----------------------------------------------------------------

/**
 * A trace from a path given as vectors and the step codes between them (a simulated walk, a
 * conformance run):
 * `codes[i]` leads from `vecs[i]` to `vecs[i+1]`. With `violatingLast`, the last step is the one an
 * action property rejects.
 */
export function buildPathTrace(sys: ComposedSystem, vecs: readonly Int32Array[], codes: readonly number[], ctx: TraceContext, violatingLast = false): Trace {
  const steps: TraceStep[] = [];
  for (let i = 1; i < vecs.length; i++) steps.push(traceStep(sys, vecs[i - 1], codes[i - 1], vecs[i]));
  if (violatingLast && steps.length) steps[steps.length - 1] = { ...steps[steps.length - 1], violating: true };
  return assemble(sys, vecs, steps, ctx);
}
