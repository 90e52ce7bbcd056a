/**
 * Composes a spec's actor instances into a `Model` on integers (docs/semantics.md).
 *
 * Each instance's distinct local states, each distinct event, and each mailbox's distinct contents
 * are numbered once; a global state is the vector [local state per instance, content per mailbox,
 * overflow flag]. XState runs once per distinct (local state, event): the result is memoised, so
 * the product exploration runs on integers only.
 */
import type { AnyStateMachine, EventObject } from 'xstate';
import { canonical } from '../adapter/canonical.js';
import { checkMachine, enabledLocal, handledEvents, initialLocal, selfRaisedEvents, isDone, localKey, stepLocal, tags, type Local, type LocalStep, type Timer } from '../adapter/xstate.js';
import { SpecError } from '../errors.js';
import type { Model } from '../explore/model.js';
import type { KnobValues, MailboxPolicy, Scalar, Spec, StepView, SystemDecl } from '../spec/types.js';

/** One step template: a local event of one instance, or a rendezvous of a party group. */
interface Template {
  readonly kind: 'local' | 'sync';
  readonly event: number;
  readonly parties: readonly number[];
}

/** A memoised macrostep: next local id, and emitted messages as (mailbox, event id) pairs. */
interface Result {
  readonly next: number;
  readonly emits: readonly number[];
  /** Timer ids the macrostep (re)armed, still pending after it (ordered timers). */
  readonly armed: readonly string[];
}

/** How time orders timer steps (docs/semantics.md §4): not at all, or by declared delay. */
export type TimerMode = 'untimed' | 'ordered';

/** A pending timer in the arming order: instance, timer id, arming rank (ties share one), delay. */
interface Armed {
  readonly a: number;
  readonly id: string;
  readonly rank: number;
  readonly delay: number;
}

const NONE: readonly string[] = [];

interface ActorTable {
  readonly id: string;
  readonly machine: AnyStateMachine;
  readonly thread: boolean;
  readonly keys: Map<string, number>;
  readonly locals: Local[];
  /** Per local: done or tagged validEnd. */
  readonly endOk: boolean[];
  /** Per local: names of the assertion properties its tags violate. */
  readonly violations: (readonly string[])[];
  readonly results: Result[];
  /** memo[local][event] = -2 unknown, -1 disabled, else index into results. */
  readonly memo: Int32Array[];
  /** timerMemo[local][k]: result of firing pending timer k (-2 unknown). */
  readonly timerMemo: Int32Array[];
  /** messageMemo[local]: event id -> result, for message events (interned after the templates). */
  readonly messageMemo: Map<number, number>[];
}

interface MailboxTable {
  readonly receiver: number;
  readonly capacity: number;
  readonly policy: ReadonlyMap<string, MailboxPolicy>;
  readonly keys: Map<string, number>;
  readonly msgs: (readonly number[])[];
  readonly dropped: (readonly string[])[];
  /** enqueueMemo[content]: message id -> next content, or -1 on overflow. Small-integer keys only:
   * a composite numeric key would leave V8's small-integer range and allocate on every lookup. */
  readonly enqueueMemo: Map<number, number>[];
  /** deliver[content] -> receiver local -> outcome code. */
  readonly deliverMemo: Map<number, number>[];
}

/** Delivery outcome: none, deliver message k with a result, or drop message k. */
type Delivery = { kind: 'none' } | { kind: 'deliver'; k: number; result: number; next: number } | { kind: 'drop'; k: number; next: number };

const MAX_TIMERS = 64;
/** Parameter combinations one event may have: each is a step template scanned in every state. */
const MAX_COMBOS = 100_000;

export class ComposedSystem {
  readonly actors: ActorTable[];
  readonly actorIndex = new Map<string, number>();
  readonly mailboxes: MailboxTable[];
  readonly mailboxOf: Int32Array; // per actor: mailbox index or -1
  readonly templates: Template[] = [];
  readonly events: EventObject[] = [];
  private readonly eventKeys = new Map<string, number>();
  private readonly wires = new Map<string, { to?: number; field?: string; targets?: Map<string, number> }>();
  private readonly deliveries: Delivery[] = [];
  private readonly nTemplateEvents: number;
  readonly width: number;
  /** Every declared event type (local, sync or wired). */
  readonly eventTypes: ReadonlySet<string>;
  readonly sys: SystemDecl;
  /** Assertion property names the machines may tag. */
  private readonly assertions: Set<string>;
  /** Index of the mailbox-overflow word (when there are mailboxes). */
  private readonly overflowAt: number;
  /** Ordered timers: index of the arming-order word, else -1. */
  readonly orderAt: number;
  /** Ordered timers: the interned arming orders, their keys, and which timers each lets fire. */
  private readonly orders: (readonly Armed[])[] = [];
  private readonly orderKeys = new Map<string, number>();
  private readonly fireable: (ReadonlySet<string> | undefined)[] = [];

  constructor(readonly spec: Spec, readonly knobs: KnobValues, readonly timerMode: TimerMode = 'untimed') {
    let sys: SystemDecl;
    try {
      sys = spec.system(knobs);
    } catch (e) {
      throw new SpecError(`spec '${spec.name}': system() threw for knobs ${canonical(knobs)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const where = `spec '${spec.name}'`;
    if (!sys || typeof sys !== 'object' || typeof sys.actors !== 'object' || sys.actors === null) {
      throw new SpecError(`${where}: system() must return an object with actors (got ${sys === null ? 'null' : typeof sys})`);
    }
    this.sys = sys;
    this.assertions = new Set(spec.properties.filter((p) => p.kind === 'assertion').map((p) => p.name));
    const ids = Object.keys(sys.actors ?? {});
    if (ids.length === 0) throw new SpecError(`${where} declares no actors`);
    this.actors = ids.map((id, i) => {
      const d = sys.actors[id];
      if (!d || typeof d.machine?.transition !== 'function') throw new SpecError(`${where}: actor '${id}' has no XState machine`);
      checkMachine(id, d.machine);
      this.actorIndex.set(id, i);
      return {
        id, machine: d.machine, thread: !!d.thread, keys: new Map(), locals: [], endOk: [], violations: [],
        results: [], memo: [], timerMemo: [], messageMemo: [],
      };
    });
    const actorAt = (id: string, ctx: string): number => {
      const i = this.actorIndex.get(id);
      if (i === undefined) throw new SpecError(`${where}: ${ctx} names unknown actor '${id}'`);
      return i;
    };

    // Ownership: every (actor, event type) the machine handles has exactly one owner.
    const owner = new Map<string, string>();
    const own = (a: number, type: string, kind: string) => {
      const k = `${a}\u0000${type}`;
      if (owner.has(k)) throw new SpecError(`${where}: event '${type}' of actor '${this.actors[a].id}' is declared twice (${owner.get(k)} and ${kind})`);
      if (!handledEvents(this.actors[a].machine).has(type)) {
        throw new SpecError(`${where}: event '${type}' is declared for actor '${this.actors[a].id}', whose machine never handles it`);
      }
      owner.set(k, kind);
    };
    for (const [type, decl] of Object.entries(sys.events ?? {})) {
      const combos = 'wired' in decl ? [] : paramCombos(where, type, decl.params);
      if ('local' in decl) {
        for (const id of decl.local) {
          const a = actorAt(id, `event '${type}'`);
          own(a, type, 'local');
          for (const c of combos) this.templates.push({ kind: 'local', event: this.internEvent({ type, ...c }), parties: [a] });
        }
      } else if ('sync' in decl) {
        for (const group of decl.sync) {
          if (!Array.isArray(group) || group.length === 0) throw new SpecError(`${where}: event '${type}' has an empty party group`);
          if (group.length > 64) throw new SpecError(`${where}: event '${type}' has a party group of more than 64 instances`);
          const parties = group.map((id) => actorAt(id, `event '${type}'`));
          if (new Set(parties).size !== parties.length) throw new SpecError(`${where}: event '${type}' names a party twice in one group`);
          // One instance may take part in several groups of the same event; own it once.
          for (const a of parties) if (!owner.has(`${a}\u0000${type}`)) own(a, type, 'sync');
          for (const c of combos) this.templates.push({ kind: 'sync', event: this.internEvent({ type, ...c }), parties });
        }
      } else if ('wired' in decl) {
        for (const id of decl.wired) own(actorAt(id, `event '${type}'`), type, 'wired');
      } else {
        throw new SpecError(`${where}: event '${type}' must be declared local, sync or wired`);
      }
    }
    for (let a = 0; a < this.actors.length; a++) {
      const own = selfRaisedEvents(this.actors[a].machine);
      for (const type of handledEvents(this.actors[a].machine)) {
        if (!owner.has(`${a}\u0000${type}`) && !own.has(type)) {
          throw new SpecError(`${where}: event '${type}' of actor '${this.actors[a].id}' has no owner: declare it local, sync or wired`);
        }
      }
    }
    this.nTemplateEvents = this.events.length;
    this.eventTypes = new Set(Object.keys(sys.events ?? {}));

    // Mailboxes and wiring.
    this.mailboxOf = new Int32Array(this.actors.length).fill(-1);
    this.mailboxes = [];
    // Mailboxes in actor declaration order: deliveries are enumerated by receiving instance (§6).
    for (const id of Object.keys(sys.mailboxes ?? {})) actorAt(id, 'a mailbox');
    for (const id of ids.filter((x) => sys.mailboxes?.[x] !== undefined)) {
      const decl = sys.mailboxes![id];
      const a = actorAt(id, 'a mailbox');
      if (!Number.isInteger(decl.capacity) || decl.capacity < 1) throw new SpecError(`${where}: mailbox '${id}' needs a positive integer capacity`);
      const policy = new Map<string, MailboxPolicy>();
      for (const [type, p] of Object.entries(decl.policy ?? {})) {
        if (p !== 'block' && p !== 'drop' && p !== 'defer') throw new SpecError(`${where}: mailbox '${id}' has unknown policy '${p}' for '${type}'`);
        policy.set(type, p);
      }
      this.mailboxOf[a] = this.mailboxes.length;
      this.mailboxes.push({ receiver: a, capacity: decl.capacity, policy, keys: new Map(), msgs: [], dropped: [], enqueueMemo: [], deliverMemo: [] });
      this.internContent(this.mailboxes.length - 1, [], []);
    }
    const needsMailbox = (to: number, type: string) => {
      if (this.mailboxOf[to] < 0) throw new SpecError(`${where}: '${type}' is wired to actor '${this.actors[to].id}', which has no mailbox`);
      if (owner.get(`${to}\u0000${type}`) !== 'wired') throw new SpecError(`${where}: '${type}' is wired to actor '${this.actors[to].id}', which does not declare it wired`);
    };
    for (const w of sys.wires ?? []) {
      const from = actorAt(w.from, `a wire of '${w.event}'`);
      const key = `${from}\u0000${w.event}`;
      if (this.wires.has(key)) throw new SpecError(`${where}: '${w.event}' from '${w.from}' is wired twice`);
      if ('to' in w) {
        const to = actorAt(w.to, `a wire of '${w.event}'`);
        needsMailbox(to, w.event);
        this.wires.set(key, { to });
      } else {
        const targets = new Map<string, number>();
        for (const t of w.targets) {
          const to = actorAt(t, `a wire of '${w.event}'`);
          needsMailbox(to, w.event);
          targets.set(t, to);
        }
        this.wires.set(key, { field: w.toField, targets });
      }
    }
    this.overflowAt = this.actors.length + this.mailboxes.length;
    const base = this.overflowAt + (this.mailboxes.length ? 1 : 0);
    // Ordered timers: one more word, the arming order of every pending timer (its cost: states
    // that differ only in that order are distinct; docs/performance.md).
    this.orderAt = timerMode === 'ordered' ? base : -1;
    this.width = base + (timerMode === 'ordered' ? 1 : 0);
    for (const [k, d] of Object.entries(spec.timerDelays ?? {})) {
      if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) throw new SpecError(`${where}: timerDelays '${k}' must be a finite number >= 0 (got ${String(d)})`);
    }
  }

  // ---- interning ----------------------------------------------------------------------------

  internEvent(e: EventObject): number {
    const key = canonical(e);
    let id = this.eventKeys.get(key);
    if (id === undefined) {
      id = this.events.length;
      this.events.push(e);
      this.eventKeys.set(key, id);
    }
    return id;
  }

  /**
   * Called every 256 new local states or mailbox contents, before the tables change: the memo tables
   * live on the V8 heap, and a run must stop (the hook throws) before node's heap cap aborts it.
   */
  onGrowth: (() => void) | null = null;
  private interned = 0;
  private growing(): void {
    if ((++this.interned & 255) === 0) this.onGrowth?.();
  }

  internLocal(a: number, l: Local): number {
    const t = this.actors[a];
    const key = localKey(l);
    let id = t.keys.get(key);
    if (id !== undefined) return id;
    this.growing();
    id = t.locals.length;
    t.keys.set(key, id);
    t.locals.push(l);
    const ts = tags(l);
    t.endOk.push(isDone(l) || ts.includes('validEnd'));
    const v: string[] = [];
    for (const tag of ts) {
      if (!tag.startsWith('violation:')) continue;
      const name = tag.slice('violation:'.length);
      if (!this.assertions.has(name)) {
        throw new SpecError(`spec '${this.spec.name}': actor '${t.id}' state ${JSON.stringify(l.snapshot.value)} is tagged '${tag}', but the spec declares no assertion '${name}'`);
      }
      v.push(name);
    }
    t.violations.push(v);
    t.memo.push(new Int32Array(this.nTemplateEvents).fill(-2));
    t.timerMemo.push(new Int32Array(l.timers.length).fill(-2));
    t.messageMemo.push(new Map());
    if (l.timers.length > MAX_TIMERS) throw new SpecError(`spec '${this.spec.name}': actor '${t.id}' has more than ${MAX_TIMERS} pending timers`);
    return id;
  }

  internContent(m: number, msgs: readonly number[], dropped: readonly string[]): number {
    const mb = this.mailboxes[m];
    const key = msgs.join(',') + '|' + dropped.join(',');
    let id = mb.keys.get(key);
    if (id === undefined) {
      this.growing();
      id = mb.msgs.length;
      mb.keys.set(key, id);
      mb.msgs.push(msgs);
      mb.dropped.push(dropped);
      mb.deliverMemo.push(new Map());
      mb.enqueueMemo.push(new Map());
    }
    return id;
  }

  /** Interns a macrostep result: the next local state, and routes what it emitted. */
  private internResult(a: number, r: LocalStep): number {
    const t = this.actors[a];
    const emits: number[] = [];
    for (const e of r.emitted) {
      const w = this.wires.get(`${a}\u0000${e.type}`);
      if (!w) throw new SpecError(`spec '${this.spec.name}': actor '${t.id}' emits '${e.type}', which no wire routes`);
      let to = w.to;
      if (to === undefined) {
        const name = (e as Record<string, unknown>)[w.field!];
        to = w.targets!.get(String(name));
        if (to === undefined) throw new SpecError(`spec '${this.spec.name}': actor '${t.id}' emits '${e.type}' with ${w.field}=${JSON.stringify(name)}, not one of the wired targets`);
      }
      emits.push(this.mailboxOf[to], this.internEvent(e));
    }
    t.results.push({ next: this.internLocal(a, r.next), emits, armed: r.armed?.length ? r.armed : NONE });
    return t.results.length - 1;
  }

  // ---- stepping (memoised) ------------------------------------------------------------------

  /** Result index of instance `a` in local `l` taking event `e`, or -1 when not enabled. */
  step(a: number, l: number, e: number): number {
    const t = this.actors[a];
    const row = t.memo[l];
    if (e < this.nTemplateEvents) {
      const r = row[e];
      if (r !== -2) return r;
    }
    if (e >= this.nTemplateEvents) {
      const r = t.messageMemo[l].get(e);
      if (r !== undefined) return r;
    }
    const s = stepLocal(t.id, t.machine, t.locals[l], this.events[e]);
    const r = s === null ? -1 : this.internResult(a, s);
    if (e < this.nTemplateEvents) row[e] = r; else t.messageMemo[l].set(e, r);
    return r;
  }

  /** Result of firing pending timer `k` of instance `a` in local `l` (always a step). */
  timer(a: number, l: number, k: number): number {
    const t = this.actors[a];
    const r = t.timerMemo[l][k];
    if (r !== -2) return r;
    const local = t.locals[l];
    const tm = local.timers[k];
    const s = stepLocal(t.id, t.machine, local, tm.event, tm.id);
    // A timer whose event no transition takes is consumed, as XState consumes it.
    const res = this.internResult(a, s ?? { next: { snapshot: local.snapshot, timers: local.timers.filter((x) => x.id !== tm.id) }, emitted: [] });
    t.timerMemo[l][k] = res;
    return res;
  }

  private enqueue(m: number, c: number, msg: number): number {
    const mb = this.mailboxes[m];
    const memo = mb.enqueueMemo[c];
    let r = memo.get(msg);
    if (r === undefined) {
      const q = mb.msgs[c];
      r = q.length >= mb.capacity ? -1 : this.internContent(m, [...q, msg], mb.dropped[c]);
      memo.set(msg, r);
    }
    return r;
  }

  /** What the delivery step of mailbox `m` does in content `c` with the receiver in local `l`. */
  delivery(m: number, c: number, l: number): Delivery {
    const mb = this.mailboxes[m];
    const memo = mb.deliverMemo[c];
    let code = memo.get(l);
    if (code === undefined) {
      const q = mb.msgs[c];
      let d: Delivery = { kind: 'none' };
      for (let k = 0; k < q.length; k++) {
        const r = this.step(mb.receiver, l, q[k]);
        const rest = q.slice(0, k).concat(q.slice(k + 1));
        if (r >= 0) {
          d = { kind: 'deliver', k, result: r, next: this.internContent(m, rest, mb.dropped[c]) };
          break;
        }
        const type = this.events[q[k]].type;
        const p = mb.policy.get(type) ?? 'block';
        if (p === 'block') break;
        if (p === 'drop') {
          const dropped = mb.dropped[c].includes(type) ? mb.dropped[c] : [...mb.dropped[c], type].sort();
          d = { kind: 'drop', k, next: this.internContent(m, rest, dropped) };
          break;
        }
      }
      code = this.deliveries.length;
      this.deliveries.push(d);
      memo.set(l, code);
    }
    return this.deliveries[code];
  }

  // ---- the Model ----------------------------------------------------------------------------

  initial(): Int32Array {
    const v = new Int32Array(this.width);
    const starts: [number, LocalStep][] = this.actors.map((t, a) => {
      return [a, initialLocal(t.id, t.machine, this.sys.actors[t.id].input)];
    });
    for (const [a, s] of starts) v[a] = this.internLocal(a, s.next);
    for (let m = 0; m < this.mailboxes.length; m++) v[this.actors.length + m] = 0;
    // Every instance starts at once: the timers armed on start share the first rank.
    if (this.orderAt >= 0) {
      const armed: Armed[] = [];
      starts.forEach(([a]) => { for (const t of this.actors[a].locals[v[a]].timers) armed.push({ a, id: t.id, rank: 0, delay: this.delayOf(a, t) }); });
      v[this.orderAt] = this.internOrder(armed);
    }
    // Messages emitted on start are delivered like any other.
    for (const [a, s] of starts) {
      if (s.emitted.length) {
        const r = this.actors[a].results[this.internResult(a, s)];
        this.applyEmits(v, r.emits);
      }
    }
    return v;
  }

  /** Appends emitted messages to their mailboxes in `v`; sets the overflow word on overflow. */
  private applyEmits(v: Int32Array, emits: readonly number[]): void {
    const base = this.actors.length;
    // After an overflow the step routes nothing more (the other parties of a rendezvous included):
    // the first mailbox that overflowed is the one the violation names.
    if (this.mailboxes.length && v[this.overflowAt] !== 0) return;
    for (let i = 0; i < emits.length; i += 2) {
      const m = emits[i];
      const c = this.enqueue(m, v[base + m], emits[i + 1]);
      if (c < 0) {
        v[this.overflowAt] = m + 1;
        return;
      }
      v[base + m] = c;
    }
  }

  /** Step codes: templates, then timers (per actor, per timer), then deliveries (per mailbox). */
  timerCode(a: number, k: number): number {
    return this.templates.length + a * MAX_TIMERS + k;
  }
  deliveryCode(m: number): number {
    return this.templates.length + this.actors.length * MAX_TIMERS + m;
  }

  successors(state: Int32Array, visit: (step: number, next: Int32Array) => void): void {
    const next = this.scratch;
    const tpl = this.templates;
    const nA = this.actors.length;
    const actors = this.actors;
    const got = this.partyResults;
    for (let i = 0; i < tpl.length; i++) {
      const t = tpl[i];
      const ps = t.parties;
      const e = t.event;
      // Hot path: the memo row of each party, read inline; XState runs only on a memo miss.
      let ok = true;
      let unknown = false;
      for (let j = 0; j < ps.length; j++) {
        const a = ps[j];
        const r = actors[a].memo[state[a]][e];
        if (r === -2) {
          // Not run yet: ask XState whether it is enabled before running any party's macrostep, so
          // that a rendezvous some party refuses interns nothing (coverage counts only real steps).
          if (!enabledLocal(actors[a].id, actors[a].locals[state[a]], this.events[e])) {
            actors[a].memo[state[a]][e] = -1;
            ok = false;
            break;
          }
          unknown = true;
        } else if (r < 0) {
          ok = false;
          break;
        }
        got[j] = r;
      }
      if (!ok) continue;
      if (unknown) for (let j = 0; j < ps.length; j++) if (got[j] === -2) got[j] = this.step(ps[j], state[ps[j]], e);
      next.set(state);
      for (let j = 0; j < ps.length; j++) {
        const a = ps[j];
        const res = actors[a].results[got[j]];
        next[a] = res.next;
        if (res.emits.length) this.applyEmits(next, res.emits);
      }
      if (this.orderAt >= 0) next[this.orderAt] = this.reorder(state, next, ps, got);
      visit(i, next);
    }
    const one = this.oneMover;
    for (let a = 0; a < nA; a++) {
      const timers = this.actors[a].locals[state[a]].timers;
      const fireable = this.orderAt >= 0 ? this.fireableIn(state[this.orderAt]) : null;
      for (let k = 0; k < timers.length; k++) {
        // Ordered timers: a timer waits while an earlier- (or same-) armed one has a shorter delay.
        if (fireable && !fireable.has(`${a}\u0000${timers[k].id}`)) continue;
        const r = this.timer(a, state[a], k);
        const res = this.actors[a].results[r];
        next.set(state);
        next[a] = res.next;
        if (res.emits.length) this.applyEmits(next, res.emits);
        if (this.orderAt >= 0) {
          one.parties[0] = a;
          one.results[0] = r;
          next[this.orderAt] = this.reorder(state, next, one.parties, one.results);
        }
        visit(this.timerCode(a, k), next);
      }
    }
    for (let m = 0; m < this.mailboxes.length; m++) {
      const c = state[nA + m];
      if (this.mailboxes[m].msgs[c].length === 0) continue;
      const a = this.mailboxes[m].receiver;
      const d = this.delivery(m, c, state[a]);
      if (d.kind === 'none') continue;
      next.set(state);
      next[nA + m] = d.next;
      if (d.kind === 'deliver') {
        const res = this.actors[a].results[d.result];
        next[a] = res.next;
        if (res.emits.length) this.applyEmits(next, res.emits);
        if (this.orderAt >= 0) {
          one.parties[0] = a;
          one.results[0] = d.result;
          next[this.orderAt] = this.reorder(state, next, one.parties, one.results);
        }
      }
      visit(this.deliveryCode(m), next);
    }
  }

  // ---- ordered timers (docs/semantics.md §4) ------------------------------------------------

  private readonly oneMover = { parties: [0], results: new Int32Array(1) };

  /** A timer's delay: the spec's delay class for its id or event type, else what XState raised it with. */
  private delayOf(a: number, t: Timer): number {
    const d = this.spec.timerDelays;
    return d?.[t.id] ?? d?.[t.event.type] ?? t.delay;
  }

  private internOrder(entries: Armed[]): number {
    // Dense ranks, entries by (rank, instance, id): equal orders get equal keys.
    const ranks = [...new Set(entries.map((e) => e.rank))].sort((x, y) => x - y);
    const norm = entries.map((e) => ({ ...e, rank: ranks.indexOf(e.rank) }));
    norm.sort((x, y) => x.rank - y.rank || x.a - y.a || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const key = norm.map((e) => `${e.a}:${e.rank}:${e.delay}:${e.id}`).join('|');
    let id = this.orderKeys.get(key);
    if (id === undefined) {
      id = this.orders.length;
      this.orders.push(norm);
      this.fireable.push(undefined);
      this.orderKeys.set(key, id);
    }
    return id;
  }

  /**
   * The arming order after a step in which `parties` moved (with results `results`): their timers
   * no longer pending leave it, the ones they (re)armed join it with one new rank, after all others.
   */
  private reorder(state: Int32Array, next: Int32Array, parties: readonly number[], results: ArrayLike<number>): number {
    const cur = state[this.orderAt];
    let touched = false;
    for (let j = 0; j < parties.length && !touched; j++) {
      const a = parties[j];
      touched = this.actors[a].locals[state[a]].timers.length > 0 || this.actors[a].locals[next[a]].timers.length > 0;
    }
    if (!touched) return cur;
    const old = this.orders[cur];
    const kept: Armed[] = [];
    for (const e of old) {
      const j = parties.indexOf(e.a);
      if (j >= 0) {
        if (this.actors[e.a].results[results[j]].armed.includes(e.id)) continue;
        if (!this.actors[e.a].locals[next[e.a]].timers.some((t) => t.id === e.id)) continue;
      }
      kept.push(e);
    }
    const rank = kept.reduce((r, e) => Math.max(r, e.rank + 1), 0);
    for (let j = 0; j < parties.length; j++) {
      const a = parties[j];
      const armed = this.actors[a].results[results[j]].armed;
      for (const id of armed) {
        const t = this.actors[a].locals[next[a]].timers.find((x) => x.id === id)!;
        kept.push({ a, id, rank, delay: this.delayOf(a, t) });
      }
    }
    return this.internOrder(kept);
  }

  /** The timers (`instance\0id`) an arming order lets fire: none armed no later has a shorter delay. */
  private fireableIn(order: number): ReadonlySet<string> {
    let f = this.fireable[order];
    if (f) return f;
    const es = this.orders[order];
    const out = new Set<string>();
    for (const e of es) if (!es.some((x) => x !== e && x.rank <= e.rank && x.delay < e.delay)) out.add(`${e.a}\u0000${e.id}`);
    this.fireable[order] = f = out;
    return f;
  }

  /** Ordered timers: the pending timers in arming order, as `instance:id (delay)` per rank. */
  armingOrder(state: Int32Array): string[][] {
    if (this.orderAt < 0) return [];
    const out: string[][] = [];
    for (const e of this.orders[state[this.orderAt]]) (out[e.rank] ??= []).push(`${this.actors[e.a].id}:${e.id} (${e.delay})`);
    return out;
  }

  /** Result index per party of the rendezvous being built (no template has more parties). */
  private readonly partyResults = new Int32Array(64);
  private scratchBuf: Int32Array | null = null;
  private get scratch(): Int32Array {
    return (this.scratchBuf ??= new Int32Array(this.width));
  }

  /** The step a code stands for, in `state`: kind, event, the instances that moved. */
  describe(state: Int32Array, code: number): StepView {
    const T = this.templates.length;
    const nA = this.actors.length;
    if (code < T) {
      const t = this.templates[code];
      return { kind: t.kind, event: this.events[t.event], actors: t.parties.map((a) => this.actors[a].id) };
    }
    if (code < T + nA * MAX_TIMERS) {
      const a = Math.floor((code - T) / MAX_TIMERS);
      const k = (code - T) % MAX_TIMERS;
      return { kind: 'timer', event: this.actors[a].locals[state[a]].timers[k].event, actors: [this.actors[a].id] };
    }
    const m = code - T - nA * MAX_TIMERS;
    const mb = this.mailboxes[m];
    const d = this.delivery(m, state[nA + m], state[mb.receiver]);
    if (d.kind === 'none') throw new Error('internal: no delivery in this state');
    const event = this.events[mb.msgs[state[nA + m]][d.k]];
    return { kind: d.kind === 'deliver' ? 'deliver' : 'drop', event, actors: [this.actors[mb.receiver].id] };
  }

  /** The instances whose local state a step code changes (for traces and coverage). */
  local(a: number, l: number): Local {
    return this.actors[a].locals[l];
  }

  /** One line naming a global state for error messages: each actor's state value. */
  stateLine(state: Int32Array): string {
    const parts = this.actors.map((t, a) => `${t.id}=${JSON.stringify(t.locals[state[a]]?.snapshot.value)}`);
    const over = this.overflowedMailbox(state);
    return `{${parts.join(' ')}${over ? ` overflow@${over}` : ''}}`;
  }

  overflowedMailbox(state: Int32Array): string | null {
    if (!this.mailboxes.length) return null;
    const m = state[this.overflowAt];
    return m === 0 ? null : this.actors[this.mailboxes[m - 1].receiver].id;
  }

  /** Valid end: every instance done or tagged validEnd, every mailbox empty. */
  validEnd(state: Int32Array): boolean {
    for (let a = 0; a < this.actors.length; a++) if (!this.actors[a].endOk[state[a]]) return false;
    const nA = this.actors.length;
    for (let m = 0; m < this.mailboxes.length; m++) if (this.mailboxes[m].msgs[state[nA + m]].length) return false;
    return true;
  }

  assertionHits(state: Int32Array, hit: (name: string) => void): void {
    for (let a = 0; a < this.actors.length; a++) {
      const v = this.actors[a].violations[state[a]];
      for (let i = 0; i < v.length; i++) hit(v[i]);
    }
  }

  mailboxContents(state: Int32Array, actor: number): EventObject[] {
    const m = this.mailboxOf[actor];
    if (m < 0) return [];
    return this.mailboxes[m].msgs[state[this.actors.length + m]].map((e) => this.events[e]);
  }

  dropped(state: Int32Array, actor: number, type: string): boolean {
    const m = this.mailboxOf[actor];
    return m >= 0 && this.mailboxes[m].dropped[state[this.actors.length + m]].includes(type);
  }

  droppedAll(state: Int32Array): string[] {
    const out: string[] = [];
    for (let m = 0; m < this.mailboxes.length; m++) {
      for (const t of this.mailboxes[m].dropped[state[this.actors.length + m]]) out.push(`${this.actors[this.mailboxes[m].receiver].id}:${t}`);
    }
    return out;
  }
}

/** Every combination of parameter values, the first parameter varying slowest. */
function paramCombos(where: string, type: string, params: Readonly<Record<string, readonly Scalar[]>> | undefined): Record<string, Scalar>[] {
  let combos: Record<string, Scalar>[] = [{}];
  for (const [name, dom] of Object.entries(params ?? {})) {
    if (name === 'type') throw new SpecError(`${where}: event '${type}' has a parameter named 'type', which would replace the event type`);
    if (!Array.isArray(dom) || dom.length === 0) {
      throw new SpecError(`${where}: parameter '${name}' of event '${type}' needs a non-empty finite array of values`);
    }
    for (const v of dom) {
      if (!(typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
        throw new SpecError(`${where}: parameter '${name}' of event '${type}' has a value that is not a finite scalar: ${String(v)}`);
      }
    }
    if (combos.length * dom.length > MAX_COMBOS) {
      throw new SpecError(`${where}: event '${type}' has more than ${MAX_COMBOS} parameter combinations: shrink its domains`);
    }
    const out: Record<string, Scalar>[] = [];
    for (const c of combos) for (const v of dom) out.push({ ...c, [name]: v });
    combos = out;
  }
  return combos;
}

export type { Model };
