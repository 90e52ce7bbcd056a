/**
 * Turns a spec's properties into the explorer's `Checks`: invariants, action properties, assertion
 * tags, goals, witnesses, deadlock and mailbox overflow, evaluated through a `GlobalView` of the
 * composed system's integer state.
 */
import type { AnyMachineSnapshot, EventObject } from 'xstate';
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

/** A view of one global state; rebind `state` to reuse it without allocation. */
export class SystemView implements GlobalView {
  state: Int32Array = new Int32Array(0);
  readonly actors: readonly string[];
  constructor(private readonly sys: ComposedSystem) {
    this.actors = sys.actors.map((a) => a.id);
  }
  private index(actor: string): number {
    const i = this.sys.actorIndex.get(actor);
    if (i === undefined) throw new SpecError(`spec '${this.sys.spec.name}': a property names unknown actor '${actor}'`);
    return i;
  }
  snapshot(actor: string): AnyMachineSnapshot {
    const a = this.index(actor);
    return this.sys.local(a, this.state[a]).snapshot;
  }
  context<T = any>(actor: string): T {
    return this.snapshot(actor).context as T;
  }
  matches(actor: string, value: string | Record<string, unknown>): boolean {
    return this.snapshot(actor).matches(value as any);
  }
  hasTag(actor: string, tag: string): boolean {
    return this.snapshot(actor).hasTag(tag);
  }
  mailbox(actor: string): readonly EventObject[] {
    return this.sys.mailboxContents(this.state, this.index(actor));
  }
  dropped(actor: string, eventType: string): boolean {
    return this.sys.dropped(this.state, this.index(actor), eventType);
  }
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

function guard<T>(spec: string, prop: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpecError) throw e;
    throw new ModelError(`spec '${spec}': property '${prop}' threw: ${(e as Error).message}`);
  }
}

export function buildChecks(sys: ComposedSystem, props: readonly CheckedProperty[]): Checks {
  const spec = sys.spec.name;
  const view = new SystemView(sys);
  const prevView = new SystemView(sys);
  const index = new Map(props.map((p, i) => [p.name, i]));
  const overflow = index.get(OVERFLOW) ?? -1;
  const stateFns: { i: number; f: (s: GlobalView) => boolean; name: string; negate: boolean }[] = [];
  const actionFns: { i: number; on: Set<string> | null; f: (a: GlobalView, st: StepView, b: GlobalView) => boolean; name: string }[] = [];
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
    if (!d) return;
    if (p.witnessOf) stateFns.push({ i, f: (d as { witness: (s: GlobalView) => boolean }).witness, name: p.name, negate: false });
    else if (d.kind === 'invariant') stateFns.push({ i, f: d.check, name: p.name, negate: true });
    else if (d.kind === 'goal') stateFns.push({ i, f: d.reach, name: p.name, negate: false });
    else if (d.kind === 'action') actionFns.push({ i, on: d.on ? new Set(d.on) : null, f: d.check, name: p.name });
  });
  const reached = new Uint8Array(props.length);
  const assertionHit = (hit: (prop: number) => void) => (name: string) => hit(index.get(name)!);

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
        const v = guard(spec, c.name, () => c.f(view));
        if (v !== !c.negate) continue;
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
            const sv = stepView;
            if (!guard(spec, c.name, () => c.f(prevView, sv, view))) hit(c.i);
          }
        }
      : undefined,
  };
}
