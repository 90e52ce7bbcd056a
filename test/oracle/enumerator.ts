/**
 * The reference enumerator: a second, deliberately naive implementation of docs/semantics.md.
 *
 * It imports NOTHING from `src/` (the spec shapes it needs are declared locally below) and steps
 * machines only through xstate's public pure API, `initialTransition(machine, input)` and
 * `transition(machine, snapshot, event)`. Plain breadth-first search over a Map of JSON keys: no
 * memoisation, no numbering, no typed arrays. It is slow on purpose; it is meant for models of at
 * most a few thousand states, to be compared with the engine.
 *
 * Readings of docs/semantics.md where the text leaves a choice (each is reported to the lead):
 *
 *  R1 (timers, §4) A pending timer is identified by the id of its delayed `raise` (XState gives
 *     `after` timers the id `xstate.after.<delay>.<stateId>`); a delayed raise without an id uses
 *     its event type as id. Raising an id that is already pending replaces it (XState's scheduler
 *     keys by id). A `timer` step exists for every pending timer, whether or not the instance
 *     accepts its event (as in XState, the timeout fires and an unaccepted event is ignored): the
 *     step removes the timer and, if the event is accepted, runs the macrostep.
 *  R2 (timers) When an instance reaches status `done`, its pending timers are dropped (XState's
 *     actor cancels all its scheduled events when it stops).
 *  R3 (initial state, §3) Emits and delayed raises returned by `initialTransition` are processed
 *     like those of a step: timers become pending, messages are routed (instances in declaration
 *     order), and an overflow there makes the initial state violate `mailbox-overflow`.
 *  R4 (routing, §3) Every wire whose `from` and `event` match routes the message, in wire
 *     declaration order (two matching wires send two copies). Emits of a sync step are routed
 *     party by party in declaration order, each party's in emission order.
 *  R5 (overflow, §3/§7) An emit into a full mailbox is not appended; the successor state carries
 *     an overflow marker (the receiving instance's id) in its key, so it is a distinct state, it
 *     violates `mailbox-overflow` and (like every violating state) is not expanded. Routing of
 *     the step's later messages continues; the first overflowing receiver is recorded.
 *  R6 (action properties, §7) An action property is violated by a step, not by a state: the
 *     counterexample length is depth(prev) + 1, and the target state is still expanded (unless
 *     it violates some state property).
 *  R7 (deadlock, §7) Deadlock is decided only for states that are expanded (a state already
 *     violating another safety property is not expanded and never counts as a deadlock).
 *  R8 (assertions, §7) A state in which any instance has a tag `violation:<name>` violates
 *     `<name>`, whether or not a property of that name is declared.
 *  R9 (goals and witnesses) Goals and witnesses are evaluated on every reachable state,
 *     violating states included.
 *  R10 (StepView.actors) local/timer/deliver/drop: the one instance; sync: the group's members in
 *     declaration order of the actors.
 *
 * Counting: `states` is the number of distinct reachable keys (violating states included);
 * `transitions` the number of enabled steps examined from expanded states (self-loops and steps to
 * already known states included).
 */
import { initialTransition, transition } from 'xstate';
import type { AnyStateMachine, AnyMachineSnapshot, EventObject } from 'xstate';

// ---------------------------------------------------------------- local copies of the spec shapes

export type OScalar = string | number | boolean;
export type OKnobs = Readonly<Record<string, OScalar>>;
type ODomains = Readonly<Record<string, readonly OScalar[]>>;

export interface OActor {
  readonly machine: AnyStateMachine;
  readonly input?: unknown;
}
export type OEvent =
  | { readonly local: readonly string[]; readonly params?: ODomains }
  | { readonly sync: readonly (readonly string[])[]; readonly params?: ODomains }
  | { readonly wired: readonly string[] };
export type OWire =
  | { readonly from: string; readonly event: string; readonly to: string }
  | { readonly from: string; readonly event: string; readonly toField: string; readonly targets: readonly string[] };
export interface OMailbox {
  readonly capacity: number;
  readonly policy?: Readonly<Record<string, 'block' | 'drop' | 'defer'>>;
}
export interface OSystem {
  readonly actors: Readonly<Record<string, OActor>>;
  readonly events: Readonly<Record<string, OEvent>>;
  readonly wires?: readonly OWire[];
  readonly mailboxes?: Readonly<Record<string, OMailbox>>;
}
export interface OView {
  readonly actors: readonly string[];
  snapshot(actor: string): AnyMachineSnapshot;
  context<T = any>(actor: string): T;
  matches(actor: string, value: string | Record<string, unknown>): boolean;
  hasTag(actor: string, tag: string): boolean;
  mailbox(actor: string): readonly EventObject[];
  dropped(actor: string, eventType: string): boolean;
}
export interface OStep {
  readonly kind: 'local' | 'sync' | 'timer' | 'deliver' | 'drop';
  readonly event: EventObject;
  readonly actors: readonly string[];
}
export type OProperty =
  | { readonly name: string; readonly kind: 'invariant'; readonly check: (s: OView) => boolean; readonly witness?: (s: OView) => boolean }
  | {
      readonly name: string;
      readonly kind: 'action';
      readonly on?: readonly string[];
      readonly check: (p: OView, st: OStep, n: OView) => boolean;
      readonly witness?: (s: OView) => boolean;
    }
  | { readonly name: string; readonly kind: 'assertion'; readonly witness?: (s: OView) => boolean }
  | { readonly name: string; readonly kind: 'goal'; readonly reach: (s: OView) => boolean }
  | { readonly name: string; readonly kind: 'liveness' };

export interface SpecLike {
  readonly knobs?: Readonly<Record<string, { readonly default: OScalar }>>;
  readonly system: (knobs: OKnobs) => OSystem;
  readonly properties: readonly OProperty[];
  readonly deadlock?: boolean;
  /** Ordered timers: delay by timer id or event type, over the delay the raise carries. */
  readonly timerDelays?: Readonly<Record<string, number>>;
}

// ---------------------------------------------------------------- results

export interface PropResult {
  /** Safety properties: some reachable state (or step, for action properties) violates it. */
  violated: boolean;
  /** Goals: some reachable state satisfies it. */
  reached: boolean;
  /** BFS depth (number of steps) of the shortest violation / reaching path. */
  depth?: number;
  /** The labels of the steps of that shortest path (for reading and keySteps checks). */
  path?: string[];
}

export interface OracleResult {
  states: number;
  transitions: number;
  maxDepth: number;
  /** Every declared property except liveness, plus `deadlock` (unless disabled) and `mailbox-overflow`. */
  properties: Record<string, PropResult>;
  /** Per safety property with a witness. */
  witnesses: Record<string, PropResult>;
}

export class OracleModelError extends Error {}

// ---------------------------------------------------------------- global states

interface Inst {
  readonly snap: AnyMachineSnapshot;
  /** Pending timers: id -> event. */
  readonly timers: ReadonlyMap<string, EventObject>;
  /** Ordered timers only: id -> [arming stamp (a global step counter), delay]. */
  readonly armedAt?: ReadonlyMap<string, readonly [number, number]>;
}
interface GState {
  readonly insts: readonly Inst[];
  /** Per instance (declaration order): mailbox contents, oldest first (empty if no mailbox). */
  readonly boxes: readonly (readonly EventObject[])[];
  /** Per instance: sticky drop flags (event types). */
  readonly dropped: readonly ReadonlySet<string>[];
  /** R5: receiving instance of the first overflowing emit of the step that made this state. */
  readonly overflow: string | null;
  /** Ordered timers: the stamp of the step that made this state (the initial state: 0). */
  readonly clock?: number;
}

/** JSON with object keys sorted: equal plain data gives equal text. */
function canon(x: unknown): string {
  if (x === null || typeof x !== 'object') {
    if (x === undefined) return 'null';
    return JSON.stringify(x);
  }
  if (Array.isArray(x)) return '[' + x.map(canon).join(',') + ']';
  const o = x as Record<string, unknown>;
  return (
    '{' +
    Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => JSON.stringify(k) + ':' + canon(o[k]))
      .join(',') +
    '}'
  );
}

function historyById(snap: AnyMachineSnapshot): Record<string, string[]> {
  const h = (snap as unknown as { historyValue?: Record<string, { id: string }[]> }).historyValue ?? {};
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(h)) out[k] = h[k].map((n) => n.id).sort();
  return out;
}

function keyOf(g: GState): string {
  // Ordered timers: stamps enter the key as dense ranks over every pending timer (only the order matters).
  const stamps = [...new Set(g.insts.flatMap((x) => [...(x.armedAt?.values() ?? [])].map(([st]) => st)))].sort((a, b) => a - b);
  return canon({
    i: g.insts.map((x) => ({
      v: x.snap.value,
      c: x.snap.context,
      h: historyById(x.snap),
      s: x.snap.status,
      t: [...x.timers.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([id, e]) => {
        const at = x.armedAt?.get(id);
        return at ? [id, e, stamps.indexOf(at[0]), at[1]] : [id, e];
      }),
    })),
    m: g.boxes,
    d: g.dropped.map((s) => [...s].sort()),
    o: g.overflow,
  });
}

function product(domains: ODomains | undefined): Record<string, OScalar>[] {
  let combos: Record<string, OScalar>[] = [{}];
  if (!domains) return combos;
  // first declared parameter varies slowest
  for (const name of Object.keys(domains)) {
    const next: Record<string, OScalar>[] = [];
    for (const c of combos) for (const v of domains[name]) next.push({ ...c, [name]: v });
    combos = next;
  }
  return combos;
}

// ---------------------------------------------------------------- the enumerator

export interface OracleOptions {
  /**
   * How "the instance accepts the event" is decided. `identity` (default) is docs/semantics.md §1
   * to the letter: `transition()` returned a different snapshot object. Beware: XState 5.33.3 also
   * returns the same object for a transition that IS taken but changes nothing in the snapshot
   * (an emit-only or delayed-raise-only self-loop, `reenter` on a leaf without assign), so under
   * `identity` such a transition never fires and its message is never sent. `identityOrActions`
   * also counts as accepted a same-object result that returned actions. `can` asks XState's
   * `snapshot.can(event)` (a transition is selected whose target or actions are non-empty): the
   * rule the engine's adapter uses (src/adapter/xstate.ts), which differs from §1 as written.
   */
  readonly enabled?: 'identity' | 'identityOrActions' | 'can';
  /**
   * R5: after an emit overflows, `continue` (default) still routes the step's later messages into
   * other mailboxes; `stop` routes nothing more (what the engine does, src/compose/system.ts
   * applyEmits). Only the keys of overflow states (never expanded) differ, hence their number.
   */
  readonly afterOverflow?: 'continue' | 'stop';
  /** Refuse to go beyond this many states (the oracle is for small models). Default 200000. */
  readonly maxStates?: number;
  /**
   * `ordered`: a timer cannot fire while another pending timer armed no later (same or earlier
   * step) has a strictly shorter delay. Default `untimed`: any pending timer may fire.
   */
  readonly timers?: 'untimed' | 'ordered';
}

export function enumerate(spec: SpecLike, knobValues: OKnobs = {}, opts: OracleOptions = {}): OracleResult {
  const knobs: Record<string, OScalar> = {};
  for (const [k, d] of Object.entries(spec.knobs ?? {})) knobs[k] = d.default;
  Object.assign(knobs, knobValues);
  const sys = spec.system(knobs);
  const ids = Object.keys(sys.actors);
  const idx = new Map(ids.map((id, i) => [id, i]));
  const machineOf = (i: number) => sys.actors[ids[i]].machine;
  const maxStates = opts.maxStates ?? 200000;
  const ordered = opts.timers === 'ordered';
  /** Ordered timers: the stamp of the step being built. */
  let stampNow = 0;

  // ---- applying the actions a pure transition returned
  interface Pending {
    insts: Inst[];
    boxes: EventObject[][];
    dropped: Set<string>[];
    overflow: string | null;
  }
  const thaw = (g: GState): Pending & { clock?: number } => ({
    insts: [...g.insts],
    boxes: g.boxes.map((b) => [...b]),
    dropped: g.dropped.map((s) => new Set(s)),
    overflow: null,
    ...(ordered ? { clock: stampNow } : {}),
  });
  const freeze = (p: Pending): GState => p;

  /** Apply one instance's macrostep result: new snapshot, timers from its actions; returns emits. */
  function applyMacrostep(
    p: Pending,
    i: number,
    next: AnyMachineSnapshot,
    actions: readonly { type: string; params?: unknown }[],
    timersBefore: ReadonlyMap<string, EventObject>,
    armedBefore?: ReadonlyMap<string, readonly [number, number]>,
  ): EventObject[] {
    if (next.status === 'error') throw new OracleModelError(`instance ${ids[i]}: machine error ${String(next.error)}`);
    const timers = new Map(timersBefore);
    const armedAt = new Map(armedBefore ?? []);
    const emits: EventObject[] = [];
    for (const a of actions) {
      const params = (a.params ?? {}) as Record<string, unknown>;
      switch (a.type) {
        case 'xstate.raise': {
          if (typeof params.delay === 'number') {
            const ev = params.event as EventObject;
            const id = typeof params.id === 'string' ? params.id : ev.type; // R1
            timers.set(id, ev);
            armedAt.set(id, [stampNow, spec.timerDelays?.[id] ?? spec.timerDelays?.[ev.type] ?? params.delay]);
          }
          break; // an undelayed raise was already resolved inside the macrostep
        }
        case 'xstate.cancel':
          timers.delete(String(params.sendId));
          armedAt.delete(String(params.sendId));
          break;
        case 'xstate.emit':
          emits.push(params.event as EventObject);
          break;
        case 'xstate.log':
          break;
        default:
          throw new OracleModelError(`instance ${ids[i]}: action ${a.type} is not allowed`);
      }
    }
    if (next.status === 'done') {
      timers.clear(); // R2
      armedAt.clear();
    }
    p.insts[i] = ordered ? { snap: next, timers, armedAt } : { snap: next, timers };
    return emits;
  }

  function route(p: Pending, from: number, emits: readonly EventObject[]): void {
    for (const ev of emits) {
      const wires = (sys.wires ?? []).filter((w) => w.from === ids[from] && w.event === ev.type);
      if (wires.length === 0) throw new OracleModelError(`instance ${ids[from]} emits ${ev.type}, which no wire routes`);
      for (const w of wires) {
        let to: string;
        if ('to' in w) to = w.to;
        else {
          to = String((ev as Record<string, unknown>)[w.toField]);
          if (!w.targets.includes(to)) throw new OracleModelError(`wire ${ids[from]}.${ev.type}: target ${to} not in targets`);
        }
        const box = sys.mailboxes?.[to];
        const ti = idx.get(to);
        if (!box || ti === undefined) throw new OracleModelError(`no mailbox for ${to}`);
        if (p.overflow !== null && (opts.afterOverflow ?? 'stop') === 'stop') return;
        if (p.boxes[ti].length >= box.capacity) {
          if (p.overflow === null) p.overflow = to; // R5
          if ((opts.afterOverflow ?? 'stop') === 'stop') return;
        } else p.boxes[ti].push(ev);
      }
    }
  }

  // ---- initial state (R3)
  const init: Pending = {
    insts: [],
    boxes: ids.map(() => []),
    dropped: ids.map(() => new Set<string>()),
    overflow: null,
  };
  const initEmits: EventObject[][] = [];
  for (let i = 0; i < ids.length; i++) {
    const [snap, actions] = initialTransition(machineOf(i), sys.actors[ids[i]].input as never);
    init.insts.push({ snap, timers: new Map() });
    initEmits.push(applyMacrostep(init, i, snap, actions as never, new Map(), new Map()));
  }
  for (let i = 0; i < ids.length; i++) route(init, i, initEmits[i]);

  // ---- views
  function view(g: GState): OView {
    return {
      actors: ids,
      snapshot: (a) => g.insts[idx.get(a)!].snap,
      context: (a) => g.insts[idx.get(a)!].snap.context,
      matches: (a, v) => g.insts[idx.get(a)!].snap.matches(v as never),
      hasTag: (a, t) => g.insts[idx.get(a)!].snap.hasTag(t),
      mailbox: (a) => g.boxes[idx.get(a)!],
      dropped: (a, t) => g.dropped[idx.get(a)!].has(t),
    };
  }

  // ---- successors, in the order of §6
  interface Succ {
    step: OStep;
    next: GState;
  }
  const step1 = (i: number, snap: AnyMachineSnapshot, ev: EventObject) => transition(machineOf(i), snap, ev as never);
  const taken = (prev: AnyMachineSnapshot, r: readonly [AnyMachineSnapshot, readonly unknown[]], ev: EventObject) =>
    // A finished instance takes no events (a live actor ignores them; semantics §1).
    (opts.enabled ?? 'can') === 'can' ? prev.status === 'active' && prev.can(ev) : r[0] !== prev || (opts.enabled === 'identityOrActions' && r[1].length > 0);

  function successors(g: GState): Succ[] {
    const out: Succ[] = [];
    stampNow = (g.clock ?? 0) + 1;
    // 1. events in declaration order
    for (const [type, decl] of Object.entries(sys.events)) {
      if ('wired' in decl) continue;
      const combos = product(decl.params);
      const groups: string[][] = 'local' in decl ? decl.local.map((a) => [a]) : decl.sync.map((gr) => [...gr]);
      for (const group of groups) {
        const members = group.map((a) => {
          const i = idx.get(a);
          if (i === undefined) throw new OracleModelError(`event ${type}: unknown instance ${a}`);
          return i;
        });
        const ordered = [...members].sort((a, b) => a - b);
        for (const params of combos) {
          const ev = { type, ...params } as EventObject;
          const results = members.map((i) => step1(i, g.insts[i].snap, ev));
          if (!results.every((r, k) => taken(g.insts[members[k]].snap, r, ev))) continue;
          const p = thaw(g);
          const emitted = members.map((i, k) => applyMacrostep(p, i, results[k][0], results[k][1] as never, g.insts[i].timers, g.insts[i].armedAt));
          members.forEach((i, k) => route(p, i, emitted[k])); // R4
          out.push({
            step: { kind: 'local' in decl ? 'local' : 'sync', event: ev, actors: ordered.map((i) => ids[i]) },
            next: freeze(p),
          });
        }
      }
    }
    // 2. timers, by instance, then by timer id (R1)
    const pending = g.insts.flatMap((x) => [...(x.armedAt?.values() ?? [])]);
    for (let i = 0; i < ids.length; i++) {
      const tids = [...g.insts[i].timers.keys()].sort();
      for (const tid of tids) {
        if (ordered) {
          // Held back by any other pending timer armed no later with a strictly shorter delay.
          const mine = g.insts[i].armedAt!.get(tid)!;
          if (pending.some((o) => o !== mine && o[0] <= mine[0] && o[1] < mine[1])) continue;
        }
        const ev = g.insts[i].timers.get(tid)!;
        const rest = new Map(g.insts[i].timers);
        rest.delete(tid);
        const restArmed = new Map(g.insts[i].armedAt ?? []);
        restArmed.delete(tid);
        const p = thaw(g);
        const r = step1(i, g.insts[i].snap, ev);
        const [n, actions] = r;
        if (!taken(g.insts[i].snap, r, ev)) p.insts[i] = ordered ? { snap: g.insts[i].snap, timers: rest, armedAt: restArmed } : { snap: g.insts[i].snap, timers: rest };
        else route(p, i, applyMacrostep(p, i, n, actions as never, rest, restArmed));
        out.push({ step: { kind: 'timer', event: ev, actors: [ids[i]] }, next: freeze(p) });
      }
    }
    // 3. deliveries, by receiving instance
    for (let i = 0; i < ids.length; i++) {
      const box = g.boxes[i];
      for (let k = 0; k < box.length; k++) {
        const m = box[k];
        const r = step1(i, g.insts[i].snap, m);
        const [n, actions] = r;
        if (taken(g.insts[i].snap, r, m)) {
          const p = thaw(g);
          p.boxes[i].splice(k, 1);
          route(p, i, applyMacrostep(p, i, n, actions as never, g.insts[i].timers, g.insts[i].armedAt));
          out.push({ step: { kind: 'deliver', event: m, actors: [ids[i]] }, next: freeze(p) });
          break;
        }
        const policy = sys.mailboxes?.[ids[i]]?.policy?.[m.type] ?? 'block';
        if (policy === 'block') break;
        if (policy === 'drop') {
          const p = thaw(g);
          p.boxes[i].splice(k, 1);
          p.dropped[i].add(m.type);
          out.push({ step: { kind: 'drop', event: m, actors: [ids[i]] }, next: freeze(p) });
          break;
        }
        // defer: go on scanning
      }
    }
    return out;
  }

  // ---- properties
  const props: Record<string, PropResult> = {};
  const witnesses: Record<string, PropResult> = {};
  const blank = (): PropResult => ({ violated: false, reached: false });
  for (const pr of spec.properties) if (pr.kind !== 'liveness') props[pr.name] = blank();
  for (const pr of spec.properties)
    if ((pr.kind === 'invariant' || pr.kind === 'action' || pr.kind === 'assertion') && pr.witness) witnesses[pr.name] = blank();
  const checkDeadlock = spec.deadlock !== false;
  if (checkDeadlock) props['deadlock'] = blank();
  props['mailbox-overflow'] = blank();

  interface Rec {
    depth: number;
    parent: string | null;
    label: string | null;
  }
  const seen = new Map<string, Rec>();
  const pathTo = (key: string, extra?: string): string[] => {
    const labels: string[] = extra ? [extra] : [];
    let k: string | null = key;
    while (k !== null) {
      const r: Rec = seen.get(k)!;
      if (r.label !== null) labels.push(r.label);
      k = r.parent;
    }
    return labels.reverse();
  };
  const mark = (r: PropResult, depth: number, path: () => string[], field: 'violated' | 'reached') => {
    if (r[field] && r.depth !== undefined && r.depth <= depth) return;
    r[field] = true;
    r.depth = depth;
    r.path = path();
  };
  const label = (s: OStep) => `${s.kind} ${s.actors.join('+')}:${canon(s.event)}`;

  /** State properties of a newly found state; true if it violates a safety property. */
  function examine(key: string, g: GState, depth: number): boolean {
    const v = view(g);
    let bad = false;
    if (g.overflow !== null) {
      mark(props['mailbox-overflow'], depth, () => pathTo(key), 'violated');
      bad = true;
    }
    for (const pr of spec.properties) {
      if (pr.kind === 'invariant' && !pr.check(v)) {
        mark(props[pr.name], depth, () => pathTo(key), 'violated');
        bad = true;
      }
      if (pr.kind === 'goal' && pr.reach(v)) mark(props[pr.name], depth, () => pathTo(key), 'reached');
      if ((pr.kind === 'invariant' || pr.kind === 'action' || pr.kind === 'assertion') && pr.witness && pr.witness(v))
        mark(witnesses[pr.name], depth, () => pathTo(key), 'reached');
    }
    for (const inst of g.insts)
      for (const tag of inst.snap.tags as Set<string>) {
        if (!tag.startsWith('violation:')) continue;
        const name = tag.slice('violation:'.length); // R8
        props[name] ??= blank();
        mark(props[name], depth, () => pathTo(key), 'violated');
        bad = true;
      }
    return bad;
  }

  let transitions = 0;
  let maxDepth = 0;
  const g0 = freeze(init);
  const k0 = keyOf(g0);
  seen.set(k0, { depth: 0, parent: null, label: null });
  const queue: [string, GState][] = [];
  if (!examine(k0, g0, 0)) queue.push([k0, g0]);
  for (let head = 0; head < queue.length; head++) {
    const [key, g] = queue[head];
    const depth = seen.get(key)!.depth;
    const succ = successors(g);
    transitions += succ.length;
    if (succ.length === 0 && checkDeadlock) {
      const stuck = g.insts.some((x) => x.snap.status !== 'done' && !x.snap.hasTag('validEnd')) || g.boxes.some((b) => b.length > 0);
      if (stuck) mark(props['deadlock'], depth, () => pathTo(key), 'violated');
    }
    const pv = view(g);
    for (const { step, next } of succ) {
      // action properties: on the step (R6)
      for (const pr of spec.properties) {
        if (pr.kind !== 'action') continue;
        if (pr.on && !pr.on.includes(step.event.type)) continue;
        if (!pr.check(pv, step, view(next))) mark(props[pr.name], depth + 1, () => pathTo(key, label(step)), 'violated');
      }
      const nk = keyOf(next);
      if (seen.has(nk)) continue;
      seen.set(nk, { depth: depth + 1, parent: key, label: label(step) });
      if (seen.size > maxStates) throw new OracleModelError(`oracle: more than ${maxStates} states`);
      maxDepth = Math.max(maxDepth, depth + 1);
      if (!examine(nk, next, depth + 1)) queue.push([nk, next]);
    }
  }
  return { states: seen.size, transitions, maxDepth, properties: props, witnesses };
}
