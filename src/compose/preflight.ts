/**
 * Runs every property once before exploring: each state predicate (check, witness, reach, liveness
 * p and q) on the initial state, each action property on every step out of it. A misnamed actor,
 * state or tag, a throw, or an answer that is not a boolean then stops the run at load time, not
 * after minutes of exploration (for liveness, not only after a complete one). Paths a property
 * reaches only in later states are still checked on first use, during exploration.
 */
import type { GlobalView, LivenessDecl, StepView } from '../spec/types.js';
import { evaluatePredicate, propertyLabel, SystemView, type CheckedProperty } from './properties.js';
import type { ComposedSystem } from './system.js';

/**
 * `sys` should be a system of its own (not the one explored): the steps taken here are interned,
 * and coverage counts what a system interned.
 */
export function preflight(sys: ComposedSystem, props: readonly CheckedProperty[]): void {
  const s0 = sys.initial();
  const view = new SystemView(sys);
  view.state = s0;
  const state = (label: string, f: (s: GlobalView) => unknown) => evaluatePredicate(sys, label, s0, () => f(view));
  for (const p of props) {
    const d = p.decl;
    if (!d) continue;
    if (p.witnessOf) {
      const w = (d as { witness?: (s: GlobalView) => unknown }).witness;
      if (typeof w === 'function') state(propertyLabel(p), w);
    } else if (d.kind === 'invariant') state(propertyLabel(p), d.check);
    else if (d.kind === 'goal') state(propertyLabel(p), d.reach);
  }
  for (const d of sys.spec.properties) {
    if (d.kind !== 'liveness') continue;
    const l = d as LivenessDecl;
    if (typeof l.p === 'function') state(`liveness property '${l.name}' (p)`, l.p);
    if (typeof l.q === 'function') state(`liveness property '${l.name}' (q)`, l.q);
  }
  const actions = props.filter((p) => !p.witnessOf && p.decl?.kind === 'action');
  if (!actions.length) return;
  const prev = new SystemView(sys);
  prev.state = s0;
  const next = new SystemView(sys);
  const steps: { step: StepView; to: Int32Array }[] = [];
  sys.successors(s0, (code, to) => steps.push({ step: sys.describe(s0, code), to: to.slice() }));
  for (const { step, to } of steps) {
    next.state = to;
    for (const p of actions) {
      const d = p.decl!;
      if (d.kind !== 'action' || (d.on && !d.on.includes(step.event.type))) continue;
      evaluatePredicate(sys, propertyLabel(p), to, () => d.check(prev, step, next));
    }
  }
}
