/**
 * Atomicity on the explored graph (docs/semantics.md, "Atomicity"): watches every explored edge
 * and checks that a step is as atomic as the code says it is.
 *
 * - A step in which two or more instances move (a rendezvous: one party may only read another's
 *   state in a guard) must be justified by the `meta.atomic` of a transition it takes: a lock the
 *   spec models (`{ lock }`) or one atomic instruction (`{ op }`).
 * - A declared lock must exist in the spec's `locks`, and some moving instance must hold it
 *   (`heldBy`) in the state before the step.
 * - Every step that changes what a lock protects (`protects(prev, next)`) must be taken by an
 *   instance that holds it before the step.
 * - A single-instance step needs no declaration; a transition taken with no `meta.atomic` at all
 *   is counted as a warning (every transition should say why it is one step).
 *
 * Emitting into a mailbox does not move the receiver (it moves when the message is delivered), so
 * local, timer and delivery steps move one instance.
 */
import type { EventObject } from 'xstate';
import { takenTransitions } from '../adapter/xstate.js';
import { ModelError, SpecError } from '../errors.js';
import { SystemView } from '../compose/properties.js';
import type { ComposedSystem } from '../compose/system.js';
import type { LockDecl } from '../spec/types.js';

export type LintFailureKind = 'unjustified' | 'unknown-lock' | 'lock-not-held' | 'unprotected';

/** The first (shortest-path) occurrence of one distinct failure, and how many edges show it. */
export interface LintFailure {
  readonly kind: LintFailureKind;
  readonly message: string;
  /** The step, trace-style: `actor (fn) + actor (fn): EVENT`. */
  readonly label: string;
  /** Store id of the state the step leaves, the step code, and the successor. */
  readonly state: number;
  readonly step: number;
  readonly next: Int32Array;
  count: number;
}

/** How a kind of multi-instance step is justified, with the number of explored edges. */
export interface Justification {
  readonly event: string;
  readonly actors: readonly string[];
  /** `lock L`, `op X` (joined by ` + ` when several), or `none`. */
  readonly justification: string;
  /** Whether lint accepts it (declared, locks known and held). */
  readonly ok: boolean;
  count: number;
}

/** A transition some explored step took without `meta.atomic`. */
export interface Undeclared {
  readonly machine: string;
  readonly from: string;
  readonly event: string;
  readonly fn?: string;
}

type Declared = { readonly lock: string } | { readonly op: string };

/** What one instance's transitions declare for one (local state, event). */
interface Taken {
  readonly fns: string;
  readonly declared: readonly Declared[];
  readonly undeclared: readonly string[];
}

export interface AtomicitySummary {
  readonly multiActorSteps: number;
  readonly justifications: readonly Justification[];
  readonly failures: number;
  readonly undeclared: number;
}

export function specLocks(sys: ComposedSystem): Readonly<Record<string, LockDecl>> {
  const l = sys.spec.locks;
  return (typeof l === 'function' ? l(sys.knobs) : l) ?? {};
}

function isDeclared(a: unknown): a is Declared {
  return !!a && typeof a === 'object' && (typeof (a as { lock?: unknown }).lock === 'string' || typeof (a as { op?: unknown }).op === 'string');
}

/** `cpu1 does not hold` / `none of cpu1, tree holds`. */
const holders = (movers: readonly string[]) => (movers.length > 1 ? `none of ${movers.join(', ')} holds` : `${movers[0]} does not hold`);

const show = (d: Declared) => ('lock' in d ? `lock ${d.lock}` : `op ${d.op}`);

export class AtomicityCheck {
  readonly failures = new Map<string, LintFailure>();
  readonly justifications = new Map<string, Justification>();
  readonly undeclared = new Map<string, Undeclared>();
  multiActorSteps = 0;
  private readonly locks: Readonly<Record<string, LockDecl>>;
  private readonly guarded: [string, LockDecl][];
  private readonly prevView: SystemView;
  private readonly nextView: SystemView;
  private readonly declaredBuf: Declared[] = [];
  /** memo[actor][local]: event object -> what the taken transitions declare. */
  private readonly memo: Map<number, Map<EventObject, Taken>>[];

  constructor(private readonly sys: ComposedSystem) {
    this.locks = specLocks(sys);
    for (const [name, d] of Object.entries(this.locks)) {
      if (!d || typeof d.heldBy !== 'function') throw new SpecError(`spec '${sys.spec.name}': lock '${name}' needs a function heldBy(state, actor)`);
      if (d.protects !== undefined && typeof d.protects !== 'function') throw new SpecError(`spec '${sys.spec.name}': lock '${name}': protects must be a function (prev, next)`);
    }
    this.guarded = Object.entries(this.locks).filter(([, d]) => typeof d.protects === 'function');
    this.prevView = new SystemView(sys);
    this.nextView = new SystemView(sys);
    this.memo = sys.actors.map(() => new Map());
  }

  private taken(a: number, l: number, event: EventObject): Taken {
    let row = this.memo[a].get(l);
    if (!row) this.memo[a].set(l, (row = new Map()));
    let t = row.get(event);
    if (t) return t;
    const actor = this.sys.actors[a];
    const ts = takenTransitions(actor.machine, actor.locals[l].snapshot, event);
    const declared: Declared[] = [];
    const undeclared: string[] = [];
    for (const x of ts) {
      if (isDeclared(x.atomic)) declared.push(x.atomic);
      else if (x.atomic !== 'local') {
        const key = `${actor.machine.id}\u0000${x.from}\u0000${event.type}\u0000${x.fn ?? ''}`;
        undeclared.push(key);
        if (!this.undeclared.has(key)) this.undeclared.set(key, { machine: actor.machine.id, from: x.from, event: event.type, fn: x.fn });
      }
    }
    const fns = ts.map((x) => x.fn).filter(Boolean).join(', ');
    t = { fns, declared, undeclared };
    row.set(event, t);
    return t;
  }

  private held(lock: string, d: LockDecl, view: SystemView, actor: string): boolean {
    try {
      return !!d.heldBy(view, actor);
    } catch (e) {
      throw new ModelError(`spec '${this.sys.spec.name}': lock '${lock}': heldBy threw for actor '${actor}': ${(e as Error).message}`);
    }
  }

  private fail(key: string, kind: LintFailureKind, message: string, label: () => string, state: number, step: number, next: Int32Array): void {
    const f = this.failures.get(key);
    if (f) f.count++;
    else this.failures.set(key, { kind, message, label: label(), state, step, next: next.slice(), count: 1 });
  }

  /** The edge observer (`ExploreOptions.onEdge`). */
  readonly edge = (fromId: number, from: Int32Array, code: number, next: Int32Array): void => {
    const sys = this.sys;
    const view = sys.describe(from, code);
    const movers = view.actors;
    const declared = this.declaredBuf;
    declared.length = 0;
    for (let i = 0; i < movers.length; i++) {
      const a = sys.actorIndex.get(movers[i])!;
      const t = this.taken(a, from[a], view.event);
      for (let j = 0; j < t.declared.length; j++) declared.push(t.declared[j]);
    }
    // Built only for a failure: the step as a trace line, and in words.
    const label = () => {
      const parts = movers.map((id) => {
        const a = sys.actorIndex.get(id)!;
        const fns = this.taken(a, from[a], view.event).fns;
        return fns ? `${id} (${fns})` : id;
      });
      return `${parts.join(' + ')}: ${view.kind === 'local' || view.kind === 'sync' ? '' : view.kind + ' '}${view.event.type}`;
    };
    const what = () => `${view.event.type} by ${movers.join('+')}`;
    let ok = true;
    this.prevView.state = from;
    const lockOf = new Set<string>();
    for (const d of declared) {
      if (!('lock' in d)) continue;
      lockOf.add(d.lock);
      const decl = this.locks[d.lock];
      if (!decl) {
        ok = false;
        this.fail(`unknown\u0000${d.lock}`, 'unknown-lock', `${what()} declares lock '${d.lock}', which the spec's locks do not model (locks: ${Object.keys(this.locks).join(', ') || 'none'})`, label, fromId, code, next);
      } else if (!movers.some((m) => this.held(d.lock, decl, this.prevView, m))) {
        ok = false;
        this.fail(`notheld\u0000${d.lock}\u0000${view.event.type}\u0000${movers.join('+')}`, 'lock-not-held', `${what()} declares lock '${d.lock}', but ${holders(movers)} it before the step`, label, fromId, code, next);
      }
    }
    if (this.guarded.length) {
      this.nextView.state = next;
      for (const [name, d] of this.guarded) {
        if (lockOf.has(name)) continue; // checked above as a declared lock
        let changed: boolean;
        try {
          changed = !!d.protects!(this.prevView, this.nextView);
        } catch (e) {
          throw new ModelError(`spec '${sys.spec.name}': lock '${name}': protects threw: ${(e as Error).message}`);
        }
        if (changed && !movers.some((m) => this.held(name, d, this.prevView, m))) {
          ok = false;
          this.fail(`unprotected\u0000${name}\u0000${view.event.type}\u0000${movers.join('+')}`, 'unprotected', `${what()} changes what lock '${name}' protects, but ${holders(movers)} it before the step`, label, fromId, code, next);
        }
      }
    }
    if (movers.length > 1) {
      this.multiActorSteps++;
      if (!declared.length) {
        ok = false;
        this.fail(`unjustified\u0000${view.event.type}\u0000${movers.join('+')}`, 'unjustified', `${what()} moves ${movers.length} instances in one step, but none of its transitions declares a lock or an atomic op (meta.atomic)`, label, fromId, code, next);
      }
      const justification = declared.length ? [...new Set(declared.map(show))].join(' + ') : 'none';
      const key = `${view.event.type}\u0000${movers.join('+')}\u0000${justification}\u0000${ok}`;
      const j = this.justifications.get(key);
      if (j) j.count++;
      else this.justifications.set(key, { event: view.event.type, actors: movers, justification, ok, count: 1 });
    }
  };

  summary(): AtomicitySummary {
    return {
      multiActorSteps: this.multiActorSteps,
      justifications: [...this.justifications.values()].sort((x, y) => (x.event + x.actors.join() < y.event + y.actors.join() ? -1 : 1)),
      failures: this.failures.size,
      undeclared: this.undeclared.size,
    };
  }
}
