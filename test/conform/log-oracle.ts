/**
 * The conformance oracle: a second, deliberately naive answer to "which is the first log line no
 * model path can print?". It imports NOTHING from `src/`: it steps the spec's machines with
 * xstate's pure `transition` (a step is taken when it returns a new snapshot), reads each taken
 * transition's `meta.fn` with `getTransitionData`, applies the map's rules itself (first `fn:` key,
 * then the event type; a rule's lone moving thread is its default thread), compares fields with
 * the map's own `toModel`, and binds PIDs to threads one to one. Records are plain objects (no log
 * text is parsed). Search: a relaxation over (state, lines explained, bindings) keeping the fewest
 * silent steps per node. Local and sync events, and emitted messages wired `from -> to` into FIFO
 * mailboxes (docs/semantics.md: an emit into a full mailbox sets the overflow flag, after which
 * nothing more is routed; a delivery step gives the receiver the head message if it takes it, else
 * the mailbox blocks), and untimed timers (an `after` arms a delayed raise; each armed timer may
 * fire at any time, as one step of its actor; leaving the state cancels it). No other mailbox
 * policies, no ordered timers. Slow on purpose.
 */
import { initialTransition, transition } from 'xstate';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

type Scalar = string | number | boolean;
export interface OSpec {
  system(knobs: Record<string, Scalar>): {
    actors: Record<string, { machine: AnyStateMachine; input?: unknown; thread?: boolean }>;
    events: Record<string, { local?: readonly string[]; sync?: readonly (readonly string[])[]; wired?: readonly string[]; params?: Record<string, readonly Scalar[]> }>;
    wires?: readonly { from: string; event: string; to?: string }[];
    mailboxes?: Record<string, { capacity: number; policy?: Record<string, string> }>;
  };
}
interface OObs { event: string; thread?: string; fields?: Record<string, Scalar | undefined> }
export interface OMap {
  observe: Record<string, (s: any) => OObs | readonly OObs[] | null>;
  fields?: Record<string, { from?: string; toModel: (raw: string | number | boolean) => Scalar | undefined }>;
}
/** One log line as the test built it: the event and its raw fields as printed. */
export interface ORecord { pid: number; event: string; raw: Record<string, string> }

type OTimer = { id: string; event: EventObject };
/** A global state: each actor's snapshot and armed timers, each mailbox's queue (by receiver), the overflow flag. */
interface OState { snaps: AnyMachineSnapshot[]; timers: OTimer[][]; boxes: Record<string, EventObject[]>; overflow: boolean }
interface OStep { next: OState; prints: { event: string; thread?: string; fields: [string, Scalar][] }[] }

/** The armed timers after a macrostep: delayed raises arm (re-arm) by id, cancels disarm; a finished machine has none. */
function armed(snap: AnyMachineSnapshot, before: OTimer[], actions: readonly unknown[]): OTimer[] {
  let ts = before.slice();
  for (const a of actions as { type: string; params?: any }[]) {
    if (a.type === 'xstate.raise' && a.params?.delay !== undefined) {
      const id = String(a.params.id ?? a.params.event.type);
      ts = [...ts.filter((t) => t.id !== id), { id, event: a.params.event }];
    } else if (a.type === 'xstate.cancel') ts = ts.filter((t) => t.id !== a.params.sendId);
  }
  if (snap.status === 'done') return [];
  return ts.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The messages a macrostep emitted (`emit` comes back as an action, not run). */
function emitted(actions: readonly unknown[]): EventObject[] {
  return (actions as { type: string; params?: { event?: EventObject } }[]).filter((a) => a.type === 'xstate.emit').map((a) => a.params!.event!);
}

function combos(params: Record<string, readonly Scalar[]> | undefined): Record<string, Scalar>[] {
  let out: Record<string, Scalar>[] = [{}];
  for (const [k, dom] of Object.entries(params ?? {})) out = out.flatMap((c) => dom.map((v) => ({ ...c, [k]: v })));
  return out;
}

export class LogOracle {
  private readonly ids: string[];
  private readonly sys: ReturnType<OSpec['system']>;
  private readonly init: OState;
  private readonly stepsMemo = new Map<string, OStep[]>();

  constructor(spec: OSpec, knobs: Record<string, Scalar>, private readonly map: OMap) {
    this.sys = spec.system(knobs);
    for (const w of this.sys.wires ?? []) if (w.to === undefined) throw new Error('the oracle handles wires to one receiver only');
    for (const mb of Object.values(this.sys.mailboxes ?? {})) if (Object.values(mb.policy ?? {}).some((p) => p !== 'block')) throw new Error('the oracle handles blocking mailboxes only');
    this.ids = Object.keys(this.sys.actors);
    const snaps = this.ids.map((id) => {
      const [snap, actions] = initialTransition(this.sys.actors[id].machine, this.sys.actors[id].input as never);
      if (emitted(actions).length) throw new Error('the oracle does not route messages emitted on start');
      return [snap as AnyMachineSnapshot, armed(snap as AnyMachineSnapshot, [], actions)] as const;
    });
    this.init = { snaps: snaps.map((x) => x[0]), timers: snaps.map((x) => x[1]), boxes: Object.fromEntries(Object.keys(this.sys.mailboxes ?? {}).map((a) => [a, []])), overflow: false };
  }

  private key(st: OState): string {
    return JSON.stringify([st.snaps.map((s) => [s.value, s.context, s.status]), st.timers.map((ts) => ts.map((t) => t.id)), st.boxes, st.overflow]);
  }

  /** Routes the messages `from` emitted into their mailboxes (in place). */
  private route(st: OState, from: string, events: EventObject[]): void {
    for (const e of events) {
      if (st.overflow) return;
      const w = (this.sys.wires ?? []).find((x) => x.from === from && x.event === e.type);
      if (!w) throw new Error(`actor '${from}' emits '${e.type}', which no wire routes`);
      const q = st.boxes[w.to!];
      if (q.length >= this.sys.mailboxes![w.to!].capacity) st.overflow = true;
      else st.boxes[w.to!] = [...q, e];
    }
  }

  private prints(parties: string[], ev: EventObject, before: AnyMachineSnapshot[], after: AnyMachineSnapshot[]): OStep['prints'] {
    const fns: string[] = [];
    for (const a of parties) {
      const i = this.ids.indexOf(a);
      const ts = this.sys.actors[a].machine.getTransitionData(before[i] as never, ev) as unknown as { meta?: { fn?: string } }[];
      for (const t of ts) if (t.meta?.fn) fns.push(t.meta.fn);
    }
    const key = fns.map((f) => `fn:${f}`).find((k) => this.map.observe[k]) ?? (this.map.observe[ev.type] ? ev.type : undefined);
    if (!key) return [];
    const threads = parties.filter((a) => this.sys.actors[a].thread);
    const ctx = (snaps: AnyMachineSnapshot[]) => (a: string) => snaps[this.ids.indexOf(a)].context;
    const out = this.map.observe[key]({ event: ev, actors: parties, threads, before: ctx(before), after: ctx(after) });
    if (!out) return [];
    const list = (Array.isArray(out) ? out : [out]) as OObs[];
    return list.map((o) => ({
      event: o.event,
      thread: o.thread ?? (threads.length === 1 ? threads[0] : undefined),
      fields: Object.entries(o.fields ?? {}).filter((e): e is [string, Scalar] => e[1] !== undefined),
    }));
  }

  private steps(st: OState): OStep[] {
    const k = this.key(st);
    const hit = this.stepsMemo.get(k);
    if (hit) return hit;
    const out: OStep[] = [];
    /** The parties of `g` take `ev` together, or null; their emits are routed in party order. */
    const take = (g: string[], ev: EventObject, boxes = st.boxes, timer?: string): OState | null => {
      const next: OState = { snaps: st.snaps.slice(), timers: st.timers.slice(), boxes: { ...boxes }, overflow: st.overflow };
      const sent: [string, EventObject[]][] = [];
      for (const a of g) {
        const i = this.ids.indexOf(a);
        if (st.snaps[i].status !== 'active') return null;
        const [n, actions] = transition(this.sys.actors[a].machine, st.snaps[i] as never, ev as never);
        // a timer whose event no transition takes is consumed all the same
        if (n === st.snaps[i] && timer === undefined) return null;
        next.snaps[i] = n as AnyMachineSnapshot;
        next.timers[i] = armed(n as AnyMachineSnapshot, st.timers[i].filter((t) => t.id !== timer), actions);
        sent.push([a, emitted(actions)]);
      }
      for (const [a, evs] of sent) this.route(next, a, evs);
      return next;
    };
    for (const [type, d] of Object.entries(this.sys.events)) {
      if (d.wired) continue;
      const groups = d.local ? d.local.map((a) => [a]) : (d.sync ?? []).map((g) => [...g]);
      for (const g of groups) {
        for (const c of combos(d.params)) {
          const ev = { type, ...c } as EventObject;
          const next = take(g, ev);
          if (next) out.push({ next, prints: this.prints(g, ev, st.snaps, next.snaps) });
        }
      }
    }
    // deliveries: the head message of each mailbox, if its receiver takes it
    for (const [to, q] of Object.entries(st.boxes)) {
      if (q.length === 0) continue;
      const next = take([to], q[0], { ...st.boxes, [to]: q.slice(1) });
      if (!next) continue;
      out.push({ next, prints: this.prints([to], q[0], st.snaps, next.snaps) });
    }
    // timers: each armed timer of each actor fires
    this.ids.forEach((a, i) => {
      for (const t of st.timers[i]) {
        const next = take([a], t.event, st.boxes, t.id);
        if (next) out.push({ next, prints: this.prints([a], t.event, st.snaps, next.snaps) });
      }
    });
    this.stepsMemo.set(k, out);
    return out;
  }

  private fieldOk(rec: ORecord, name: string, want: Scalar): boolean {
    const fm = this.map.fields?.[name];
    const raw = rec.raw[fm?.from ?? name];
    if (raw === undefined) return false;
    if (fm) return fm.toModel(raw) === want;
    if (typeof want === 'number') return (/^0x/i.test(raw) ? parseInt(raw, 16) : Number(raw)) === want;
    return raw === String(want);
  }

  /** The number of lines some path prints before it can go no further (= records.length: conforms). */
  explained(records: readonly ORecord[], maxSilent: number): number {
    type N = { st: OState; pos: number; bind: [number, string][]; silent: number };
    const best = new Map<string, number>();
    const todo: N[] = [{ st: this.init, pos: 0, bind: [], silent: 0 }];
    let furthest = 0;
    while (todo.length) {
      const n = todo.pop()!;
      const k = `${this.key(n.st)}#${n.pos}#${JSON.stringify(n.bind)}`;
      if ((best.get(k) ?? Infinity) <= n.silent) continue;
      best.set(k, n.silent);
      furthest = Math.max(furthest, n.pos);
      if (n.pos === records.length) return n.pos;
      for (const s of this.steps(n.st)) {
        if (s.prints.length === 0) {
          if (n.silent < maxSilent) todo.push({ st: s.next, pos: n.pos, bind: n.bind, silent: n.silent + 1 });
          continue;
        }
        let bind: [number, string][] | null = n.bind;
        const m = Math.min(s.prints.length, records.length - n.pos);
        for (let j = 0; j < m && bind; j++) {
          const p = s.prints[j];
          const r = records[n.pos + j];
          if (p.event !== r.event || !p.fields.every(([f, v]) => this.fieldOk(r, f, v))) bind = null;
          else if (p.thread) {
            const same: [number, string] | undefined = bind.find(([pid]) => pid === r.pid);
            const taken: [number, string] | undefined = bind.find(([, a]) => a === p.thread);
            if (same) bind = same[1] === p.thread ? bind : null;
            else if (taken) bind = null;
            else bind = [...bind, [r.pid, p.thread] as [number, string]].sort((x, y) => x[0] - y[0]);
          }
        }
        if (bind) todo.push({ st: s.next, pos: n.pos + m, bind, silent: 0 });
      }
    }
    return furthest;
  }
}
