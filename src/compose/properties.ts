/**
 * Turns a spec's properties into the explorer's `Checks`: invariants, action properties, assertion
 * tags, goals, witnesses, deadlock and mailbox overflow, evaluated through a `GlobalView` of the
 * composed system's integer state.
 */
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { machineId, stateChecker, tagChecker } from '../adapter/xstate.js';
import { ModelError, SpecError } from '../errors.js';
import type { Checks, PropertyKind } from '../explore/model.js';
import type { GlobalView, PropertyDecl, StepView } from '../spec/types.js';
import type { ComposedSystem } from './system.js';

/** One checked property: declared, implicit (deadlock, overflow) or a witness goal. */
export interface CheckedProperty {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly doc: string;
  /** For witness goals: the safety property it keeps from holding vacuously. */
  readonly witnessOf?: string;
  readonly decl?: PropertyDecl;
}

export const DEADLOCK = 'deadlock';
export const OVERFLOW = 'mailbox-overflow';
export const witnessName = (p: string) => `witness:${p}`;

/**
 * A misuse of the view: an actor, state or tag the spec does not have. Thrown while a property runs;
 * whoever runs the property adds its name (`propertyError`).
 */
export class ViewMisuse extends SpecError {}

/**
 * A view of one global state; rebind `state` to reuse it without allocation. It answers only what
 * can be true somewhere: a state path or tag that no node of the actor's machine has is a slip in
 * the spec (it would be false in every state and make a property hold silently), so it throws.
 */
export class SystemView implements GlobalView {
  state: Int32Array = new Int32Array(0);
  readonly actors: readonly string[];
  private readonly badState: ((value: unknown) => string | null)[];
  private readonly badTag: ((tag: unknown) => string | null)[];
  constructor(private readonly sys: ComposedSystem) {
    this.actors = sys.actors.map((a) => a.id);
    this.badState = sys.actors.map((a) => stateChecker(a.machine));
    this.badTag = sys.actors.map((a) => tagChecker(a.machine));
  }
  private index(actor: string): number {
    const i = this.sys.actorIndex.get(actor);
    if (i === undefined) throw new ViewMisuse(`names unknown actor ${JSON.stringify(actor) ?? String(actor)} (actors: ${this.actors.join(', ')})`);
    return i;
  }
  private snap(a: number): AnyMachineSnapshot {
    return this.sys.local(a, this.state[a]).snapshot;
  }
  /**
   * Not offered: a raw snapshot answers `matches('typo')` with a silent false and exposes XState
   * internals. Present only to give specs written against the old view a clear error.
   */
  snapshot(actor: string): never {
    throw new ViewMisuse(`calls snapshot(${JSON.stringify(actor)}), which the view does not offer: use matches, hasTag, context or machine`);
  }
  machine(actor: string): string {
    return machineId(this.sys.actors[this.index(actor)].machine);
  }
  context<T = any>(actor: string): T {
    return this.snap(this.index(actor)).context as T;
  }
  matches(actor: string, value: string | Record<string, unknown>): boolean {
    const a = this.index(actor);
    const bad = this.badState[a](value);
    if (bad) throw new ViewMisuse(`asks matches('${actor}', ${JSON.stringify(value) ?? String(value)}): actor '${actor}' ${bad}`);
    return this.snap(a).matches(value as any);
  }
  hasTag(actor: string, tag: string): boolean {
    const a = this.index(actor);
    const bad = this.badTag[a](tag);
    if (bad) throw new ViewMisuse(`asks hasTag('${actor}', ${JSON.stringify(tag) ?? String(tag)}): actor '${actor}' ${bad}`);
    return this.snap(a).hasTag(tag);
  }
  /** An actor without a mailbox would answer [] in every state: a slip, as an unknown state is. */
  mailbox(actor: string): readonly EventObject[] {
    const a = this.index(actor);
    if (this.sys.mailboxOf[a] < 0) throw new ViewMisuse(`asks mailbox('${actor}'): actor '${actor}' has no mailbox (${this.withMailbox()})`);
    return this.sys.mailboxContents(this.state, a);
  }
  /** Only a type the mailbox's policy drops can ever be dropped; anything else would answer false forever. */
  dropped(actor: string, eventType: string): boolean {
    const a = this.index(actor);
    const m = this.sys.mailboxOf[a];
    const what = `asks dropped('${actor}', ${JSON.stringify(eventType) ?? String(eventType)})`;
    if (m < 0) throw new ViewMisuse(`${what}: actor '${actor}' has no mailbox (${this.withMailbox()})`);
    const drops = [...this.sys.mailboxes[m].policy].filter(([, p]) => p === 'drop').map(([t]) => t);
    if (!drops.includes(eventType)) throw new ViewMisuse(`${what}: the mailbox of '${actor}' never drops that type (policy 'drop': ${drops.join(', ') || 'none'})`);
    return this.sys.dropped(this.state, a, eventType);
  }
  private withMailbox(): string {
    const ids = this.actors.filter((_, i) => this.sys.mailboxOf[i] >= 0);
    return ids.length ? `actors with a mailbox: ${ids.join(', ')}` : 'the spec declares no mailboxes';
  }
}

/** How errors name a checked property: a witness is named after the property it belongs to. */
export function propertyLabel(p: Pick<CheckedProperty, 'name' | 'witnessOf'>): string {
  return p.witnessOf ? `witness of property '${p.witnessOf}'` : `property '${p.name}'`;
}

/** The error for a property that threw: a view misuse is a spec error, anything else a model error. */
export function propertyError(sys: ComposedSystem, label: string, e: unknown): Error {
  if (e instanceof ViewMisuse) return new SpecError(`spec '${sys.spec.name}': ${label} ${e.message}`);
  if (e instanceof SpecError || e instanceof ModelError) return e;
  return new ModelError(`spec '${sys.spec.name}': ${label} threw: ${(e as Error)?.message ?? String(e)}`);
}

/**
 * A property's answer, which must be a boolean: a check that forgot `return` gives undefined, and
 * counting that as "no violation" would be a silent holds.
 */
export function truth(sys: ComposedSystem, label: string, v: unknown, state: Int32Array): boolean {
  if (v === true || v === false) return v;
  const got = v === undefined ? 'undefined (a missing return?)' : `${typeof v} ${JSON.stringify(v) ?? String(v)}`.slice(0, 80);
  throw new ModelError(`spec '${sys.spec.name}': ${label} returned ${got} instead of a boolean, in state ${sys.stateLine(state)}`);
}

/** Runs one predicate of a property on a view; errors and non-booleans named (see above). */
export function evaluatePredicate(sys: ComposedSystem, label: string, state: Int32Array, run: () => unknown): boolean {
  let v: unknown;
  try {
    v = run();
  } catch (e) {
    throw propertyError(sys, label, e);
  }
  return truth(sys, label, v, state);
}

export function propertyList(sys: ComposedSystem): CheckedProperty[] {
  const spec = sys.spec;
  const out: CheckedProperty[] = [];
  const names = new Set<string>();
  for (const p of spec.properties) {
    if (names.has(p.name)) throw new SpecError(`spec '${spec.name}': property '${p.name}' is declared twice`);
    names.add(p.name);
    if (p.kind === 'liveness') continue;
    if (p.kind === 'goal' && typeof p.reach !== 'function') throw new SpecError(`spec '${spec.name}': goal '${p.name}' needs reach()`);
    if ((p.kind === 'invariant' || p.kind === 'action') && typeof p.check !== 'function') {
      throw new SpecError(`spec '${spec.name}': property '${p.name}' needs check()`);
    }
    out.push({ name: p.name, kind: p.kind === 'goal' ? 'goal' : 'safety', doc: p.doc, decl: p });
  }
  if (spec.deadlock !== false) out.push({ name: DEADLOCK, kind: 'safety', doc: 'no reachable state where nothing can move while an actor is not at a valid end or a message waits' });
  if (sys.mailboxes.length) out.push({ name: OVERFLOW, kind: 'safety', doc: 'no message is sent to a full mailbox' });
  for (const p of spec.properties) {
    if (p.kind !== 'goal' && p.kind !== 'liveness' && p.witness) {
      out.push({ name: witnessName(p.name), kind: 'goal', doc: `witness of ${p.name}: the situation it is about is reachable`, witnessOf: p.name, decl: p });
    }
  }
  return out;
}

/** `include`: the properties these checks evaluate (symmetry splits them, src/compose/symmetry-checks.ts); ids stay those of `props`. */
export function buildChecks(sys: ComposedSystem, props: readonly CheckedProperty[], include: (p: CheckedProperty) => boolean = () => true): Checks {
  const spec = sys.spec.name;
  const view = new SystemView(sys);
  const prevView = new SystemView(sys);
  const index = new Map(props.map((p, i) => [p.name, i]));
  const overflow = props.findIndex((p) => p.name === OVERFLOW && include(p));
  const stateFns: { i: number; f: (s: GlobalView) => boolean; label: string; negate: boolean }[] = [];
  const actionFns: { i: number; on: Set<string> | null; f: (a: GlobalView, st: StepView, b: GlobalView) => boolean; label: string }[] = [];
  for (const p of props) {
    const d = p.decl;
    if (d?.kind !== 'action' || !d.on || p.witnessOf) continue;
    for (const t of d.on) {
      // An `on` entry no step can carry would leave the property never evaluated: a silent holds.
      if (!sys.eventTypes.has(t) && !t.startsWith('xstate.')) {
        throw new SpecError(`spec '${spec}': action property '${p.name}' is on '${t}', which is not a declared event type`);
      }
    }
  }
  props.forEach((p, i) => {
    const d = p.decl;
    if (!d || !include(p)) return;
    const label = propertyLabel(p);
    if (p.witnessOf) stateFns.push({ i, f: (d as { witness: (s: GlobalView) => boolean }).witness, label, negate: false });
    else if (d.kind === 'invariant') stateFns.push({ i, f: d.check, label, negate: true });
    else if (d.kind === 'goal') stateFns.push({ i, f: d.reach, label, negate: false });
    else if (d.kind === 'action') actionFns.push({ i, on: d.on ? new Set(d.on) : null, f: d.check, label });
  });
  const reached = new Uint8Array(props.length);
  const assertionHit = (hit: (prop: number) => void) => (name: string) => {
    const i = index.get(name)!;
    if (include(props[i])) hit(i);
  };

  return {
    names: props.map((p) => p.name),
    kinds: props.map((p) => p.kind),
    deadlock: index.get(DEADLOCK) ?? -1,
    validEnd: (s) => sys.validEnd(s),
    state(s, hit) {
      view.state = s;
      sys.assertionHits(s, assertionHit(hit));
      if (overflow >= 0 && sys.overflowedMailbox(s) !== null) hit(overflow);
      for (let k = 0; k < stateFns.length; k++) {
        const c = stateFns[k];
        if (!c.negate && reached[c.i]) continue; // a goal needs only its first witness
        let v: unknown;
        try {
          v = c.f(view);
        } catch (e) {
          throw propertyError(sys, c.label, e);
        }
        if (truth(sys, c.label, v, s) !== !c.negate) continue;
        if (!c.negate) reached[c.i] = 1;
        hit(c.i);
      }
    },
    step: actionFns.length
      ? (prev, code, next, hit) => {
          let stepView: StepView | null = null;
          for (const c of actionFns) {
            if (c.on) {
              stepView ??= sys.describe(prev, code);
              if (!c.on.has(stepView.event.type)) continue;
            }
            stepView ??= sys.describe(prev, code);
            prevView.state = prev;
            view.state = next;
            let v: unknown;
            try {
              v = c.f(prevView, stepView, view);
            } catch (e) {
              throw propertyError(sys, c.label, e);
            }
            if (!truth(sys, c.label, v, next)) hit(c.i);
          }
        }
      : undefined,
  };
}
