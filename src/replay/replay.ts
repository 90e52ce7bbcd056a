/**
 * Replays a saved counterexample through real XState actors (`createActor`), not through the
 * explorer's tables: each instance runs its machine with the spec's input for the trace's knobs,
 * events are sent with `actor.send`, delayed events fire through a manual clock, emitted messages
 * are caught with `actor.on('*')` and routed by the spec's wires into bounded mailboxes. After
 * every step the live actors must be exactly where the trace says (value, context, status, pending
 * timers, mailboxes, drop flags); at the end the property is evaluated again on a view of the live
 * actors. A divergence names the step.
 */
import { createActor, transition, type Actor, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';
import { canonical } from '../adapter/canonical.js';
import { resolveKnobs } from '../spec/validate.js';
import type { GlobalView, MailboxPolicy, PropertyDecl, Scalar, Spec, StepView, SystemDecl } from '../spec/types.js';
import type { GlobalSnapshot, Trace, TraceStep } from '../trace/types.js';

export interface ReplayResult {
  readonly confirmed: boolean;
  /** Steps that were replayed and matched the trace. */
  readonly stepsOk: number;
  /** When not confirmed: the step (0 = the initial state, n = after step n) and why. */
  readonly divergence?: { readonly step: number; readonly reason: string };
  /** What the final check found, in words. */
  readonly verdict: string;
  /** One line per step, for the CLI. */
  readonly log: readonly string[];
}

class Diverged extends Error {
  constructor(readonly step: number, reason: string) {
    super(reason);
  }
}

/** A clock whose timeouts fire only when the replay says so. */
class ManualClock {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  /** Called back on each setTimeout, to bind the handle to XState's scheduled event. */
  onSet: (handle: number) => void = () => {};
  setTimeout(fn: (...args: any[]) => void, _ms: number): number {
    const h = this.next++;
    this.pending.set(h, fn);
    this.onSet(h);
    return h;
  }
  clearTimeout(h: number): void {
    this.pending.delete(h);
  }
}

interface Scheduled {
  readonly source: unknown;
  readonly event: EventObject;
  readonly id: string;
}

interface Instance {
  readonly id: string;
  readonly machine: AnyStateMachine;
  readonly actor: Actor<AnyStateMachine>;
  readonly clock: ManualClock;
  /** XState's scheduled event object -> the clock handle that fires it. */
  readonly handles: WeakMap<object, number>;
  error?: unknown;
}

function scheduledOf(inst: Instance): Scheduled[] {
  const all = (inst.actor.system as unknown as { _snapshot: { _scheduledEvents: Record<string, Scheduled> } })._snapshot._scheduledEvents;
  return Object.values(all).filter((s) => s.source === inst.actor);
}

function paramCombos(params: Readonly<Record<string, readonly Scalar[]>> | undefined): Record<string, Scalar>[] {
  let combos: Record<string, Scalar>[] = [{}];
  for (const [name, dom] of Object.entries(params ?? {})) {
    const out: Record<string, Scalar>[] = [];
    for (const c of combos) for (const v of dom) out.push({ ...c, [name]: v });
    combos = out;
  }
  return combos;
}

/** Would the machine take `event` from `snap`? The engine's rule (docs/semantics.md §1): a new snapshot. */
function accepts(machine: AnyStateMachine, snap: AnyMachineSnapshot, event: EventObject): boolean {
  const [next] = transition(machine, snap as never, event as never);
  return next !== snap;
}

const show = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
const showEv = (e: EventObject) => {
  const ps = Object.entries(e).filter(([k]) => k !== 'type');
  return ps.length ? `${e.type}(${ps.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})` : e.type;
};

export class LiveSystem {
  readonly instances: Instance[];
  readonly byId = new Map<string, Instance>();
  readonly queues = new Map<string, EventObject[]>();
  readonly dropped = new Set<string>();
  readonly capacity = new Map<string, number>();
  readonly policy = new Map<string, ReadonlyMap<string, MailboxPolicy>>();
  /** Set when an emit met a full mailbox: the receiver. */
  overflow: string | null = null;
  /** A routing error during the current step. */
  problem: string | null = null;

  constructor(readonly decl: SystemDecl) {
    for (const [id, mb] of Object.entries(decl.mailboxes ?? {})) {
      this.queues.set(id, []);
      this.capacity.set(id, mb.capacity);
      this.policy.set(id, new Map(Object.entries(mb.policy ?? {})));
    }
    this.instances = Object.entries(decl.actors).map(([id, a]) => {
      const clock = new ManualClock();
      const actor = createActor(a.machine, { input: a.input, clock }) as Actor<AnyStateMachine>;
      const inst: Instance = { id, machine: a.machine, actor, clock, handles: new WeakMap() };
      clock.onSet = (h) => {
        for (const s of scheduledOf(inst)) if (!inst.handles.has(s as object)) inst.handles.set(s as object, h);
      };
      actor.on('*', (ev: EventObject) => this.route(id, ev));
      actor.subscribe({ error: (e) => { inst.error = e; } });
      this.byId.set(id, inst);
      return inst;
    });
    // Every instance starts in declaration order; what they emit on start is routed like any message.
    for (const inst of this.instances) inst.actor.start();
  }

  private route(from: string, ev: EventObject): void {
    if (this.overflow) return;
    const plain = JSON.parse(JSON.stringify(ev)) as EventObject;
    const w = (this.decl.wires ?? []).find((x) => x.from === from && x.event === ev.type);
    if (!w) {
      this.problem = `actor '${from}' emitted '${ev.type}', which no wire routes`;
      return;
    }
    const to = 'to' in w ? w.to : String((ev as Record<string, unknown>)[w.toField]);
    const q = this.queues.get(to);
    if (!q) {
      this.problem = `'${ev.type}' from '${from}' is routed to '${to}', which has no mailbox`;
      return;
    }
    if (q.length >= (this.capacity.get(to) ?? 0)) this.overflow = to;
    else q.push(plain);
  }

  snapshot(id: string): AnyMachineSnapshot {
    return this.inst(id).actor.getSnapshot() as AnyMachineSnapshot;
  }

  inst(id: string): Instance {
    const i = this.byId.get(id);
    if (!i) throw new Error(`unknown actor '${id}'`);
    return i;
  }

  timers(id: string): string[] {
    return scheduledOf(this.inst(id)).map((s) => s.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The delivery the mailbox of `id` would make now (docs/semantics.md §3), or null. */
  nextDelivery(id: string): { k: number; kind: 'deliver' | 'drop' } | null {
    const q = this.queues.get(id) ?? [];
    const inst = this.inst(id);
    for (let k = 0; k < q.length; k++) {
      if (accepts(inst.machine, this.snapshot(id), q[k])) return { k, kind: 'deliver' };
      const p = this.policy.get(id)?.get(q[k].type) ?? 'block';
      if (p === 'block') return null;
      if (p === 'drop') return { k, kind: 'drop' };
    }
    return null;
  }

  /** Is any step enabled (for the deadlock check)? */
  anyEnabled(): boolean {
    for (const [type, d] of Object.entries(this.decl.events)) {
      if ('wired' in d) continue;
      const groups = 'local' in d ? d.local.map((a) => [a]) : d.sync;
      for (const g of groups) {
        for (const c of paramCombos(d.params)) {
          const ev = { type, ...c } as EventObject;
          if (g.every((a) => accepts(this.inst(a).machine, this.snapshot(a), ev))) return true;
        }
      }
    }
    for (const inst of this.instances) if (scheduledOf(inst).length) return true;
    for (const id of this.queues.keys()) if (this.nextDelivery(id)) return true;
    return false;
  }

  validEnd(): boolean {
    for (const inst of this.instances) {
      const s = this.snapshot(inst.id);
      if (s.status !== 'done' && !s.hasTag('validEnd')) return false;
    }
    for (const q of this.queues.values()) if (q.length) return false;
    return true;
  }

  /** A frozen view of the live actors now (snapshots are immutable). */
  view(): GlobalView {
    const snaps = new Map(this.instances.map((i) => [i.id, this.snapshot(i.id)]));
    const queues = new Map([...this.queues].map(([k, q]) => [k, q.slice()]));
    const dropped = new Set(this.dropped);
    const get = (a: string) => {
      const s = snaps.get(a);
      if (!s) throw new Error(`a property names unknown actor '${a}'`);
      return s;
    };
    return {
      actors: this.instances.map((i) => i.id),
      snapshot: get,
      context: (a: string) => get(a).context,
      matches: (a: string, v: string | Record<string, unknown>) => get(a).matches(v as never),
      hasTag: (a: string, t: string) => get(a).hasTag(t),
      mailbox: (a: string) => queues.get(a) ?? [],
      dropped: (a: string, t: string) => dropped.has(`${a}:${t}`),
    };
  }

  stop(): void {
    for (const i of this.instances) i.actor.stop();
  }
}

/** Compares the live actors with one global state of the trace; the first difference, or null. */
function difference(live: LiveSystem, g: GlobalSnapshot): string | null {
  for (const [id, want] of Object.entries(g.actors)) {
    const inst = live.byId.get(id);
    if (!inst) return `the trace has actor '${id}', the spec has not`;
    if (inst.error) return `actor '${id}' failed: ${(inst.error as Error)?.message ?? String(inst.error)}`;
    const s = live.snapshot(id);
    if (canonical(s.value) !== canonical(want.value)) return `actor '${id}' is in ${show(s.value)}, the trace says ${show(want.value)}`;
    if (canonical(s.context ?? {}) !== canonical(want.context ?? {})) return `actor '${id}' has context ${JSON.stringify(s.context)}, the trace says ${JSON.stringify(want.context)}`;
    if (s.status !== want.status) return `actor '${id}' has status ${s.status}, the trace says ${want.status}`;
    const timers = live.timers(id);
    if (canonical(timers) !== canonical([...want.timers])) return `actor '${id}' has pending timers [${timers.join(', ')}], the trace says [${want.timers.join(', ')}]`;
  }
  for (const [id, q] of Object.entries(g.mailboxes)) {
    const mine = live.queues.get(id) ?? [];
    if (canonical(mine) !== canonical(q)) return `mailbox '${id}' holds [${mine.map(showEv).join(', ')}], the trace says [${q.map(showEv).join(', ')}]`;
  }
  const dropped = [...live.dropped].sort();
  if (canonical(dropped) !== canonical([...g.dropped].sort())) return `drop flags are [${dropped.join(', ')}], the trace says [${g.dropped.join(', ')}]`;
  return null;
}

function sendTo(live: LiveSystem, id: string, ev: EventObject, n: number): void {
  const inst = live.inst(id);
  const before = inst.actor.getSnapshot();
  inst.actor.send(ev);
  if (inst.error) throw new Diverged(n, `actor '${id}' failed on ${showEv(ev)}: ${(inst.error as Error)?.message ?? inst.error}`);
  if (inst.actor.getSnapshot() === before) throw new Diverged(n, `actor '${id}' does not accept ${showEv(ev)} in state ${show(before.value)}`);
}

function runStep(live: LiveSystem, s: TraceStep, n: number): void {
  live.problem = null;
  const ev = s.event as EventObject;
  switch (s.kind) {
    case 'local':
    case 'sync':
      for (const a of s.actors) sendTo(live, a, ev, n);
      break;
    case 'timer': {
      const inst = live.inst(s.actors[0]);
      const sch = scheduledOf(inst).find((x) => canonical(x.event) === canonical(ev));
      if (!sch) throw new Diverged(n, `actor '${inst.id}' has no pending timer for ${showEv(ev)}`);
      const h = inst.handles.get(sch as object);
      const fire = h === undefined ? undefined : inst.clock.pending.get(h);
      if (!fire) throw new Diverged(n, `internal: the timer ${sch.id} of '${inst.id}' has no clock handle`);
      inst.clock.pending.delete(h!);
      fire();
      if (inst.error) throw new Diverged(n, `actor '${inst.id}' failed on timer ${showEv(ev)}: ${(inst.error as Error)?.message ?? inst.error}`);
      break;
    }
    case 'deliver':
    case 'drop': {
      const id = s.actors[0];
      const q = live.queues.get(id);
      if (!q) throw new Diverged(n, `actor '${id}' has no mailbox`);
      const d = live.nextDelivery(id);
      if (!d) throw new Diverged(n, `mailbox '${id}' has nothing to ${s.kind} (holds [${q.map(showEv).join(', ')}])`);
      if (d.kind !== s.kind || canonical(q[d.k]) !== canonical(ev)) {
        throw new Diverged(n, `mailbox '${id}' would ${d.kind} ${showEv(q[d.k])}, the trace says ${s.kind} ${showEv(ev)}`);
      }
      q.splice(d.k, 1);
      if (d.kind === 'deliver') sendTo(live, id, ev, n);
      else live.dropped.add(`${id}:${ev.type}`);
      break;
    }
  }
  if (live.problem) throw new Diverged(n, live.problem);
}

/**
 * A liveness lasso: the cycle must close on the live actors (the last state equals states[loop]),
 * and the property must fail along it. Fairness of the cycle is the explorer's claim, not re-checked.
 */
function lassoCheck(decl: PropertyDecl | undefined, trace: Trace, live: LiveSystem, views: readonly GlobalView[]): { ok: boolean; why: string } {
  if (!decl || decl.kind !== 'liveness') return { ok: false, why: `property '${trace.property}' is not a liveness property of the spec` };
  if (trace.loop === undefined || !Number.isInteger(trace.loop) || trace.loop < 0 || trace.loop >= views.length) return { ok: false, why: 'the lasso has no valid loop index' };
  const d = difference(live, trace.states[trace.loop]);
  if (d) return { ok: false, why: `the cycle does not close: against state ${trace.loop}, ${d}` };
  const cycle = views.slice(trace.loop);
  const note = ' (the cycle closes on the live actors; its fairness is the explorer\'s claim, not re-checked here)';
  if (decl.form === 'eventually') {
    const i = views.findIndex((v) => decl.p(v));
    return i < 0 ? { ok: true, why: `${decl.name}: p never holds on the lasso${note}` } : { ok: false, why: `${decl.name}: p holds in state ${i}` };
  }
  if (decl.form === 'alwaysEventually') {
    const i = cycle.findIndex((v) => decl.p(v));
    return i < 0 ? { ok: true, why: `${decl.name}: p never holds on the cycle${note}` } : { ok: false, why: `${decl.name}: p holds in state ${trace.loop + i}, on the cycle` };
  }
  const q = decl.q;
  if (!q) return { ok: false, why: `${decl.name}: leadsTo without q` };
  for (let i = 0; i < views.length; i++) {
    if (!decl.p(views[i])) continue;
    const from = Math.min(i, trace.loop);
    if (!views.slice(from).some((v) => q(v))) return { ok: true, why: `${decl.name}: p holds in state ${i} and q never holds after it${note}` };
  }
  return { ok: false, why: `${decl.name}: every p state is followed by a q state on the lasso` };
}

/** Does the final state (or last step) show what the trace claims? */
function finalCheck(spec: Spec, trace: Trace, live: LiveSystem, prev: GlobalView, last: StepView | undefined, next: GlobalView, views: readonly GlobalView[]): { ok: boolean; why: string } {
  const name = trace.property;
  if (trace.kind === 'lasso') return lassoCheck(spec.properties.find((p) => p.name === name), trace, live, views);
  // A conformance path (daxcheck conform) claims only that its steps are a run of the model.
  if (name.startsWith('conform:')) return { ok: true, why: 'every step of the conformance path is a step of the live actors' };
  if (name === 'deadlock') {
    const enabled = live.anyEnabled();
    const end = live.validEnd();
    return { ok: !enabled && !end, why: enabled ? 'a step is still enabled, so this is no deadlock' : end ? 'every actor is at a valid end' : 'no step is enabled and not every actor is at a valid end: deadlock' };
  }
  if (name === 'mailbox-overflow') {
    return { ok: live.overflow !== null, why: live.overflow ? `the last step sent a message to the full mailbox of '${live.overflow}'` : 'no mailbox overflowed' };
  }
  const witnessOf = name.startsWith('witness:') ? name.slice('witness:'.length) : null;
  const decl: PropertyDecl | undefined = spec.properties.find((p) => p.name === (witnessOf ?? name));
  if (!decl) return { ok: false, why: `spec '${spec.name}' has no property '${name}'` };
  if (witnessOf) {
    const w = (decl as { witness?: (s: GlobalView) => boolean }).witness;
    if (!w) return { ok: false, why: `property '${witnessOf}' has no witness` };
    const ok = w(next);
    return { ok, why: ok ? `the witness of ${witnessOf} holds in the final state` : `the witness of ${witnessOf} does not hold in the final state` };
  }
  switch (decl.kind) {
    case 'invariant': {
      const holds = decl.check(next);
      return { ok: !holds, why: holds ? `${name} holds in the final state` : `${name} is false in the final state: ${decl.doc}` };
    }
    case 'assertion': {
      const tag = `violation:${name}`;
      const who = live.instances.filter((i) => next.hasTag(i.id, tag)).map((i) => i.id);
      return { ok: who.length > 0, why: who.length ? `${who.join(', ')} ${who.length > 1 ? 'are' : 'is'} in a state tagged ${tag}: ${decl.doc}` : `no actor is in a state tagged ${tag}` };
    }
    case 'action': {
      if (!last) return { ok: false, why: 'an action property needs a last step' };
      const holds = decl.check(prev, last, next);
      return { ok: !holds, why: holds ? `${name} holds on the last step` : `the last step violates ${name}: ${decl.doc}` };
    }
    case 'goal': {
      const ok = decl.reach(next);
      return { ok, why: ok ? `${name} is reached in the final state` : `${name} is not reached in the final state` };
    }
    default:
      return { ok: false, why: `property '${name}' (${decl.kind}) cannot be confirmed by replay` };
  }
}

export function replayTrace(spec: Spec, trace: Trace): ReplayResult {
  const log: string[] = [];
  const knobs = resolveKnobs(spec, trace.knobs as Record<string, Scalar>, 'trace knobs');
  const decl = spec.system(knobs);
  const live = new LiveSystem(decl);
  let stepsOk = 0;
  try {
    const missing = Object.keys(decl.actors).filter((a) => !trace.actorOrder.includes(a));
    if (missing.length) throw new Diverged(0, `the spec has actors the trace does not: ${missing.join(', ')}`);
    const d0 = difference(live, trace.states[0]);
    if (d0) throw new Diverged(0, `initial state: ${d0}`);
    log.push('   0. initial state matches');
    let prev = live.view();
    const views: GlobalView[] = [prev];
    for (let i = 0; i < trace.steps.length; i++) {
      const s = trace.steps[i];
      prev = live.view();
      runStep(live, s, i + 1);
      const d = difference(live, trace.states[i + 1]);
      if (d) throw new Diverged(i + 1, d);
      views.push(live.view());
      stepsOk++;
      const fns = [...new Set(s.functions.filter((f) => f.fn).map((f) => f.fn))].join(', ');
      log.push(`  ${String(i + 1).padStart(2)}. ${s.actors.join('+')}: ${s.kind === 'local' || s.kind === 'sync' ? '' : s.kind + ' '}${showEv(s.event as EventObject)}${fns ? `  (${fns})` : ''}: accepted, state as in the trace`);
    }
    const last = trace.steps[trace.steps.length - 1];
    const f = finalCheck(spec, trace, live, prev, last, live.view(), views);
    if (!f.ok) {
      return { confirmed: false, stepsOk, divergence: { step: trace.steps.length, reason: `final state: ${f.why}` }, verdict: f.why, log };
    }
    return { confirmed: true, stepsOk, verdict: f.why, log };
  } catch (e) {
    if (e instanceof Diverged) return { confirmed: false, stepsOk, divergence: { step: e.step, reason: e.message }, verdict: `diverges at step ${e.step}: ${e.message}`, log };
    throw e;
  } finally {
    live.stop();
  }
}

/** The traces in a `--trace-out` file: one trace or an array of them. */
export function parseTraceFile(text: string): Trace[] {
  const data = JSON.parse(text) as unknown;
  const list = Array.isArray(data) ? data : [data];
  for (const t of list) {
    const ok = t && typeof t === 'object' && typeof (t as Trace).spec === 'string' && Array.isArray((t as Trace).steps) && Array.isArray((t as Trace).states);
    if (!ok) throw new Error('not a daxcheck trace (written by check --trace-out): it needs spec, steps and states');
  }
  return list as Trace[];
}
