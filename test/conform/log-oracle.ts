/**
 * The conformance oracle: a second, deliberately naive answer to "which is the first log line no
 * model path can print?". It imports NOTHING from `src/`: it steps the spec's machines with
 * xstate's pure `transition` (a step is taken when it returns a new snapshot), reads each taken
 * transition's `meta.fn` with `getTransitionData`, applies the map's rules itself (first `fn:` key,
 * then the event type; a rule's lone moving thread is its default thread), compares fields with
 * the map's own `toModel`, and binds PIDs to threads one to one. Records are plain objects (no log
 * text is parsed). Search: a relaxation over (state, lines explained, bindings) keeping the fewest
 * silent steps per node. Local and sync events only (no mailboxes, no timers): the fsync and fault
 * specs. Slow on purpose.
 */
import { initialTransition, transition } from 'xstate';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

type Scalar = string | number | boolean;
export interface OSpec {
  system(knobs: Record<string, Scalar>): {
    actors: Record<string, { machine: AnyStateMachine; input?: unknown; thread?: boolean }>;
    events: Record<string, { local?: readonly string[]; sync?: readonly (readonly string[])[]; wired?: readonly string[]; params?: Record<string, readonly Scalar[]> }>;
    wires?: readonly unknown[];
  };
}
interface OObs { event: string; thread?: string; fields?: Record<string, Scalar | undefined> }
export interface OMap {
  observe: Record<string, (s: any) => OObs | readonly OObs[] | null>;
  fields?: Record<string, { from?: string; toModel: (raw: string | number | boolean) => Scalar | undefined }>;
}
/** One log line as the test built it: the event and its raw fields as printed. */
export interface ORecord { pid: number; event: string; raw: Record<string, string> }

interface OStep { next: AnyMachineSnapshot[]; prints: { event: string; thread?: string; fields: [string, Scalar][] }[] }

function combos(params: Record<string, readonly Scalar[]> | undefined): Record<string, Scalar>[] {
  let out: Record<string, Scalar>[] = [{}];
  for (const [k, dom] of Object.entries(params ?? {})) out = out.flatMap((c) => dom.map((v) => ({ ...c, [k]: v })));
  return out;
}

export class LogOracle {
  private readonly ids: string[];
  private readonly sys: ReturnType<OSpec['system']>;
  private readonly init: AnyMachineSnapshot[];
  private readonly stepsMemo = new Map<string, OStep[]>();

  constructor(spec: OSpec, knobs: Record<string, Scalar>, private readonly map: OMap) {
    this.sys = spec.system(knobs);
    if (this.sys.wires?.length) throw new Error('the oracle handles local and sync events only');
    this.ids = Object.keys(this.sys.actors);
    this.init = this.ids.map((id) => {
      const [snap] = initialTransition(this.sys.actors[id].machine, this.sys.actors[id].input as never);
      return snap as AnyMachineSnapshot;
    });
  }

  private key(st: AnyMachineSnapshot[]): string {
    return JSON.stringify(st.map((s) => [s.value, s.context, s.status]));
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

  private steps(st: AnyMachineSnapshot[]): OStep[] {
    const k = this.key(st);
    const hit = this.stepsMemo.get(k);
    if (hit) return hit;
    const out: OStep[] = [];
    for (const [type, d] of Object.entries(this.sys.events)) {
      if (d.wired) continue;
      const groups = d.local ? d.local.map((a) => [a]) : (d.sync ?? []).map((g) => [...g]);
      for (const g of groups) {
        for (const c of combos(d.params)) {
          const ev = { type, ...c } as EventObject;
          const next = st.slice();
          let ok = true;
          for (const a of g) {
            const i = this.ids.indexOf(a);
            const [n] = transition(this.sys.actors[a].machine, st[i] as never, ev as never);
            if (n === st[i]) { ok = false; break; }
            next[i] = n as AnyMachineSnapshot;
          }
          if (ok) out.push({ next, prints: this.prints(g, ev, st, next) });
        }
      }
    }
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
    type N = { st: AnyMachineSnapshot[]; pos: number; bind: [number, string][]; silent: number };
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
