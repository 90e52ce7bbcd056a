/**
 * Model coverage: which states and transitions of each actor some exploration reached, read from
 * the composed system's interned local states and memoised steps (every (local state, event) pair
 * XState ran). Dead parts of a model are a smell a reviewer must see.
 */
import { activeNodeIds, enteredNodeIds, takenTransitions } from '../adapter/xstate.js';
import type { ComposedSystem } from './system.js';

/** A transition of one machine as coverage sees it: source node id, event type, target node ids. */
export interface CoveredTransition {
  readonly from: string;
  readonly event: string;
  /** Target state node ids joined by ',' (the source id for a targetless transition). */
  readonly to: string;
}

export interface ActorCoverage {
  /** The machine's id (instances of one machine share a statechart). */
  readonly machine: string;
  /** Ids of the state nodes active in some reached local state, or entered by a taken transition. */
  readonly states: readonly string[];
  /** Transitions some reached (local state, event) pair took, sorted. */
  readonly transitions: readonly CoveredTransition[];
}

/**
 * What exploration reached, per actor instance, read from the composed system's interned local
 * states and memoised steps (every (local state, event) pair XState ran). Eventless (`always`)
 * transitions taken inside a macrostep are not seen here: the report counts one as reached when its
 * source and target states are (docs/reports.md).
 */
export function computeCoverage(sys: ComposedSystem): Record<string, ActorCoverage> {
  const out: Record<string, ActorCoverage> = {};
  for (const t of sys.actors) {
    const states = new Set<string>(enteredNodeIds(t.machine, null));
    const trans = new Map<string, CoveredTransition>();
    const taken = (l: number, event: { type: string }) => {
      for (const f of takenTransitions(t.machine, t.locals[l].snapshot, event)) {
        const key = `${f.from}\u0000${event.type}\u0000${f.to}`;
        if (!trans.has(key)) trans.set(key, { from: f.from, event: event.type, to: f.to });
        for (const id of f.to.split(',')) for (const n of enteredNodeIds(t.machine, id)) states.add(n);
      }
    };
    t.locals.forEach((l) => { for (const n of activeNodeIds(l)) states.add(n); });
    t.memo.forEach((row, l) => row.forEach((r, e) => { if (r >= 0) taken(l, sys.events[e]); }));
    t.messageMemo.forEach((m, l) => { for (const [e, r] of m) if (r >= 0) taken(l, sys.events[e]); });
    t.timerMemo.forEach((row, l) => row.forEach((r, k) => { if (r >= 0) taken(l, t.locals[l].timers[k].event); }));
    const transitions = [...trans.values()].sort((a, b) => (a.from + a.event + a.to < b.from + b.event + b.to ? -1 : 1));
    out[t.id] = { machine: t.machine.id, states: [...states].sort(), transitions };
  }
  return out;
}
