/**
 * One `daxcheck explore` run: a composed system, walked by paths of step codes (the codes the
 * composition's `successors` enumerates). Everything the page shows of a path is computed here, as
 * plain data: the global state actor by actor, the properties in that state, the enabled steps
 * labelled as the race table labels them, and the path itself as a race table.
 */
import type { EventObject } from 'xstate';
import { activeNodeIds } from '../adapter/xstate.js';
import { canonical } from '../adapter/canonical.js';
import { buildChecks, DEADLOCK, OVERFLOW, propertyList, type CheckedProperty } from '../compose/properties.js';
import type { ComposedSystem } from '../compose/system.js';
import { machineToMermaid, sid } from '../draw/statechart.js';
import { SpecError } from '../errors.js';
import { buildPathTrace, globalSnapshot, traceStep, type TraceContext } from '../trace/build.js';
import { raceRows } from '../trace/racelayout.js';
import { raceColumns, raceTable, shortEvent } from '../trace/racetable.js';
import { showEvent, showValue } from '../trace/text.js';
import type { Trace, TraceStep } from '../trace/types.js';
import { Reachability, type ReachStatus } from './reach.js';

export interface StepLabel {
  readonly code: number;
  readonly kind: TraceStep['kind'];
  readonly event: EventObject;
  /** The instances that move, in declaration order. */
  readonly actors: readonly string[];
  /** The thread columns the step moves, with the race table's text for each. */
  readonly cells: Readonly<Record<string, string>>;
  /** What non-thread actors do in it (the race table's side column). */
  readonly side: readonly string[];
}

export interface EnabledStep extends StepLabel {
  /** Safety properties the step itself violates (an action property, or its target state). */
  readonly violates: readonly string[];
  /** Safety properties a violation of which is reachable from the step's target; null: not known. */
  readonly reachable: readonly string[] | null;
}

export interface ActorView {
  readonly id: string;
  readonly machine: string;
  readonly thread: boolean;
  readonly value: string;
  /** Mermaid ids (`sid`) of the active state nodes, ancestors included. */
  readonly nodes: readonly string[];
  readonly context: readonly (readonly [string, string])[];
  readonly timers: readonly string[];
  /** Messages waiting, oldest first; null when the actor has no mailbox. */
  readonly mailbox: readonly string[] | null;
  readonly dropped: readonly string[];
}

export interface PropertyView {
  readonly name: string;
  /** invariant | action | assertion | goal | liveness | deadlock | overflow */
  readonly kind: string;
  readonly doc: string;
  /** violated | holds | reached | unreached | n/a */
  readonly value: string;
  readonly note?: string;
  /** A violation is reachable from this state: true, false, or null (not known, or not safety). */
  readonly reachable: boolean | null;
}

export interface TraceInfo {
  readonly id: number;
  readonly title: string;
  readonly property: string;
  readonly kind: Trace['kind'];
  readonly codes: readonly number[];
}

export interface View {
  readonly spec: string;
  readonly variant?: string;
  readonly knobs: string;
  /** The longest valid prefix of the requested line, and the position in it. */
  readonly line: readonly number[];
  readonly at: number;
  readonly error?: string;
  /** The whole line as a race table (rows after `at` are ahead of the current state). */
  readonly table: { readonly columns: readonly string[]; readonly rows: readonly PathRow[] };
  readonly actors: readonly ActorView[];
  readonly properties: readonly PropertyView[];
  readonly enabled: readonly EnabledStep[];
  readonly reach: ReachStatus;
  readonly traces: readonly TraceInfo[];
  /** Milliseconds the server took for this view. */
  readonly millis: number;
}

/** A row of the path's race table, as the HTML report draws it. */
export interface PathRow {
  readonly step: number;
  readonly violating: boolean;
  readonly cells: Readonly<Record<string, string>>;
  readonly side: readonly string[];
}

/** The race table's rows (the HTML report's form: parameters in the cells), other actors as one list. */
function rowsOf(t: Trace, columns: readonly string[]): PathRow[] {
  return raceRows(t, columns, { params: true }).map((r) => ({ step: r.step, violating: r.violating, cells: r.cells, side: [r.lead, ...r.notes].filter((x): x is string => !!x) }));
}

export interface Chart {
  readonly actor: string;
  readonly machine: string;
  readonly mermaid: string;
}

const MAX_CACHE = 100_000;

export class ExploreSession {
  readonly reach: Reachability;
  private readonly props: readonly CheckedProperty[];
  private readonly traces: (TraceInfo & { readonly key: string })[] = [];
  /** Global state vectors by path (`3.17.5`), '' the initial state. */
  private readonly cache = new Map<string, Int32Array>();

  constructor(readonly sys: ComposedSystem, readonly variant?: string) {
    this.reach = new Reachability(sys);
    this.props = propertyList(sys).filter((p) => !p.witnessOf);
    this.cache.set('', sys.initial());
  }

  get knobsText(): string {
    return Object.entries(this.sys.knobs).map(([k, v]) => `${k}=${v}`).join(' ');
  }

  /** Every enabled step of `v` with the state it leads to (copied). */
  successors(v: Int32Array): { code: number; next: Int32Array }[] {
    const out: { code: number; next: Int32Array }[] = [];
    this.sys.successors(v, (code, next) => out.push({ code, next: next.slice() }));
    return out;
  }

  /** The states along `line` (states[0] initial), stopping at the first step not enabled. */
  walk(line: readonly number[]): { states: Int32Array[]; error?: string } {
    const states = [this.cache.get('')!];
    let key = '';
    for (let i = 0; i < line.length; i++) {
      key = i === 0 ? String(line[0]) : `${key}.${line[i]}`;
      let v = this.cache.get(key);
      if (!v) {
        v = this.successors(states[i]).find((s) => s.code === line[i])?.next;
        if (!v) return { states, error: `step ${i + 1} of the path (code ${line[i]}) is not enabled in the state after step ${i}: the path stops there` };
        if (this.cache.size > MAX_CACHE) this.cache.clear(), this.cache.set('', states[0]);
        this.cache.set(key, v);
      }
      states.push(v);
    }
    return { states };
  }

  /** The statechart of every actor, undecorated: the page marks the active nodes itself. */
  charts(): Chart[] {
    return this.sys.actors.map((t) => ({ actor: t.id, machine: t.machine.id, mermaid: machineToMermaid(t.machine) }));
  }

  private context(kind: Trace['kind'] = 'witness', property = '(explore)', doc = ''): TraceContext {
    return { spec: this.sys.spec.name, variant: this.variant, property, propertyDoc: doc, kind };
  }

  /** A Trace of the steps `codes` from `states[0]`; a step that violates a safety property is marked. */
  private trace(states: readonly Int32Array[], codes: readonly number[]): Trace {
    const t = buildPathTrace(this.sys, states, codes, this.context());
    const steps = t.steps.map((s, i) => (this.violations(states[i], codes[i], states[i + 1]).length ? { ...s, violating: true } : s));
    return { ...t, steps };
  }

  /** The safety properties the step `code` from `v` to `next` violates (on the step or in `next`). */
  private violations(v: Int32Array, code: number, next: Int32Array): string[] {
    const checks = buildChecks(this.sys, this.props);
    const out = new Set<string>();
    const hit = (p: number) => { if (checks.kinds[p] === 'safety') out.add(checks.names[p]); };
    checks.step?.(v, code, next, hit);
    checks.state(next, hit);
    return [...out];
  }

  view(requested: readonly number[], requestedAt: number): View {
    const t0 = performance.now();
    const { states, error } = this.walk(requested);
    const line = requested.slice(0, states.length - 1);
    const at = Math.max(0, Math.min(Number.isInteger(requestedAt) ? requestedAt : line.length, line.length));
    const cur = states[at];
    const path = this.trace(states, line);
    const columns = raceColumns(path);
    const enabled = this.enabled(cur);
    return {
      spec: this.sys.spec.name,
      variant: this.variant,
      knobs: this.knobsText,
      line,
      at,
      ...(error ? { error } : {}),
      table: { columns, rows: rowsOf(path, columns) },
      actors: this.actors(cur),
      properties: this.properties(at ? states[at - 1] : null, at ? line[at - 1] : -1, cur, enabled.length),
      enabled,
      reach: this.reach.state,
      traces: this.traces.map(withoutKey),
      millis: performance.now() - t0,
    };
  }

  private actors(v: Int32Array): ActorView[] {
    const dropped = this.sys.droppedAll(v);
    return this.sys.actors.map((t, a) => {
      const l = this.sys.local(a, v[a]);
      const ctx = l.snapshot.context;
      return {
        id: t.id,
        machine: t.machine.id,
        thread: t.thread,
        value: showValue(l.snapshot.value),
        nodes: activeNodeIds(l).map(sid),
        context: ctx && typeof ctx === 'object' ? Object.entries(ctx as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)] as const) : [],
        timers: l.timers.map((tm) => timerText(tm.id, tm.event)),
        mailbox: this.sys.mailboxOf[a] >= 0 ? this.sys.mailboxContents(v, a).map((e: EventObject) => showEvent(e as never)) : null,
        dropped: dropped.filter((d) => d.startsWith(`${t.id}:`)).map((d) => d.slice(t.id.length + 1)),
      };
    });
  }

  /** The enabled steps of `v`, labelled by the race table, each with what its target leads to. */
  private enabled(v: Int32Array): EnabledStep[] {
    const succ = this.successors(v);
    const steps = succ.map((s) => traceStep(this.sys, v, s.code, s.next));
    // One race table whose rows are the alternatives from `v` (not a path: the rows are all it reads).
    const alternatives = { ...buildPathTrace(this.sys, [v], [], this.context()), steps };
    const rows = rowsOf(alternatives, raceColumns(alternatives));
    return succ.map((s, i) => ({
      code: s.code, kind: steps[i].kind, event: steps[i].event, actors: steps[i].actors, cells: rows[i].cells, side: rows[i].side,
      violates: this.violations(v, s.code, s.next), reachable: this.reach.violationsFrom(s.next),
    }));
  }

  private properties(prev: Int32Array | null, code: number, cur: Int32Array, nEnabled: number): PropertyView[] {
    const checks = buildChecks(this.sys, this.props);
    const hits = new Set<string>();
    checks.state(cur, (p) => hits.add(checks.names[p]));
    if (prev) checks.step?.(prev, code, cur, (p) => hits.add(checks.names[p]));
    if (nEnabled === 0 && !this.sys.validEnd(cur)) hits.add(DEADLOCK);
    const reachable = this.reach.violationsFrom(cur);
    const out: PropertyView[] = this.props.map((p) => {
      const kind = p.decl?.kind ?? (p.name === DEADLOCK ? 'deadlock' : p.name === OVERFLOW ? 'overflow' : p.kind);
      const r = p.kind === 'safety' && reachable ? reachable.includes(p.name) : null;
      if (p.kind === 'goal') return { name: p.name, kind, doc: p.doc, value: hits.has(p.name) ? 'reached' : 'unreached', note: 'in this state', reachable: null };
      if (kind === 'action') {
        if (!prev) return { name: p.name, kind, doc: p.doc, value: 'n/a', note: 'judged on a step: no step taken yet', reachable: r };
        return { name: p.name, kind, doc: p.doc, value: hits.has(p.name) ? 'violated' : 'holds', note: 'on the last step', reachable: r };
      }
      return { name: p.name, kind, doc: p.doc, value: hits.has(p.name) ? 'violated' : 'holds', note: 'in this state', reachable: r };
    });
    for (const p of this.sys.spec.properties.filter((x) => x.kind === 'liveness')) {
      out.push({ name: p.name, kind: 'liveness', doc: p.doc, value: 'n/a', note: 'a property of whole runs: daxcheck check judges it', reachable: null });
    }
    return out;
  }

  /**
   * Maps a saved trace onto step codes of this session: each step is the enabled step with the
   * trace's kind, event and actors (and, should several match, the trace's next state).
   */
  openTrace(t: Trace): TraceInfo {
    const sys = this.sys;
    if (t.spec !== sys.spec.name) throw new SpecError(`the trace is of spec '${t.spec}', but this explore run is of spec '${sys.spec.name}'`);
    if (canonical(t.knobs) !== canonical(sys.knobs)) {
      const diff = Object.keys({ ...sys.knobs, ...t.knobs }).filter((k) => canonical(t.knobs[k]) !== canonical(sys.knobs[k])).map((k) => `${k}=${t.knobs[k]} (here ${sys.knobs[k]})`);
      throw new SpecError(`the trace of ${t.spec}${t.variant ? ` / ${t.variant}` : ''} was checked with other knobs: ${diff.join(', ')}; explore with --variant ${t.variant ?? '...'} or --trace`);
    }
    const key = canonical({ p: t.property, s: t.steps.map((s) => [s.kind, s.event, s.actors]) });
    const known = this.traces.find((x) => x.key === key);
    if (known) return withoutKey(known);
    let v = sys.initial();
    const codes: number[] = [];
    t.steps.forEach((step, i) => {
      const want = canonical([step.kind, step.event, step.actors]);
      const cands = this.successors(v).filter((s) => {
        const d = sys.describe(v, s.code);
        return canonical([d.kind, d.event, d.actors]) === want;
      });
      const after = t.states?.[i + 1] ? canonical(JSON.parse(JSON.stringify(t.states[i + 1]))) : null;
      const pick = cands.length > 1 && after ? cands.find((s) => canonical(JSON.parse(JSON.stringify(globalSnapshot(sys, s.next)))) === after) : cands[0];
      if (!pick) throw new SpecError(`the trace of ${t.spec} / ${t.property} diverges from this model at step ${i + 1} (${step.actors.join('+')}: ${showEvent(step.event as never)} is not enabled)`);
      codes.push(pick.code);
      v = pick.next;
    });
    const title = raceTable(t).title;
    const info = { id: this.traces.length, title, property: t.property, kind: t.kind, codes, key };
    this.traces.push(info);
    return withoutKey(info);
  }
}

/** `after 45000 (from ok.work.pending)`: XState's delayed-event id names the state that scheduled it. */
function timerText(id: string, event: EventObject): string {
  const m = /^xstate\.after\.[^.]+\.[^.]+\.(.+)$/.exec(id);
  return m ? `${shortEvent(event as never)} (from ${m[1]})` : `${id}: ${shortEvent(event as never)}`;
}

function withoutKey(t: TraceInfo & { readonly key: string }): TraceInfo {
  const { key: _, ...out } = t;
  return out;
}
