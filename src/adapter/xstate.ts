/**
 * The one module that knows XState. It steps a machine with the public pure API
 * (`initialTransition`, `transition`), turns the actions XState returns into what the composition
 * needs (emitted messages, timers scheduled and cancelled), and rejects what cannot work under pure
 * transitions (invoke, spawn, sendTo, custom actions). Everything else in daxcheck sees plain data.
 */
import {
  initialTransition,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
} from 'xstate';
import { canonical, notPlainData } from './canonical.js';
import { ModelError, SpecError } from '../errors.js';

/** A pending delayed event: its id, its event, and the delay it was raised with (ms, as XState resolved it). */
export interface Timer {
  readonly id: string;
  readonly event: EventObject;
  readonly delay: number;
}

/** A local state of one instance: the XState snapshot plus its pending timers (sorted ids). */
export interface Local {
  readonly snapshot: AnyMachineSnapshot;
  /** Pending delayed events, sorted by id. */
  readonly timers: readonly Timer[];
}

/** The result of one macrostep of one instance. */
export interface LocalStep {
  readonly next: Local;
  readonly emitted: readonly EventObject[];
  /** Ids of the timers this macrostep (re)armed that are still pending after it (ordered timers). */
  readonly armed?: readonly string[];
}

const ALLOWED_RUNTIME = new Set(['xstate.emit', 'xstate.raise', 'xstate.cancel', 'xstate.log']);
const ALLOWED_STATIC = new Set([
  'xstate.assign', 'xstate.raise', 'xstate.emit', 'xstate.cancel', 'xstate.log', 'xstate.enqueueActions',
]);
const FORBIDDEN_NAMES: Record<string, string> = {
  'xstate.sendTo': 'sendTo',
  'xstate.sendParent': 'sendParent',
  'xstate.forwardTo': 'forwardTo',
  'xstate.spawnChild': 'spawnChild',
  'xstate.stopChild': 'stopChild',
};

interface StateNodeLike {
  id: string;
  path: string[];
  tags?: string[];
  states: Record<string, StateNodeLike>;
  entry: unknown[];
  exit: unknown[];
  invoke: unknown[];
  transitions: Map<string, { actions: unknown[]; eventType: string }[]>;
  always?: { actions: unknown[] }[];
}

function allNodes(machine: AnyStateMachine): StateNodeLike[] {
  const out: StateNodeLike[] = [];
  const walk = (n: StateNodeLike) => {
    out.push(n);
    for (const c of Object.values(n.states ?? {})) walk(c);
  };
  walk(machine.root as unknown as StateNodeLike);
  return out;
}

/** What a property may name of a machine: its id, the path of every state node, every tag. */
interface MachineNames {
  readonly id: string;
  /** State node paths, keys joined by NUL (a key may itself contain a dot). */
  readonly paths: ReadonlySet<string>;
  /** Display form of the paths (`a.b`), in document order. */
  readonly shown: readonly string[];
  readonly tags: ReadonlySet<string>;
  /** `matches` arguments already found valid (strings only): the hot path skips the parse. */
  readonly good: Set<string>;
}

const namesCache = new WeakMap<AnyStateMachine, MachineNames>();

function machineNames(machine: AnyStateMachine): MachineNames {
  let n = namesCache.get(machine);
  if (!n) {
    const nodes = allNodes(machine).filter((x) => x.path.length > 0);
    n = {
      id: machine.id,
      paths: new Set(nodes.map((x) => x.path.join('\u0000'))),
      shown: nodes.map((x) => x.path.join('.')),
      tags: new Set(nodes.flatMap((x) => x.tags ?? [])),
      good: new Set(),
    };
    namesCache.set(machine, n);
  }
  return n;
}

/** XState's reading of a dotted state id (`a.b`, with `\\.` escaping a dot), as `toStatePath` does. */
function statePath(id: string): string[] {
  const out: string[] = [];
  let seg = '';
  for (let i = 0; i < id.length; i++) {
    if (id[i] === '\\') seg += id[++i] ?? '';
    else if (id[i] === '.') {
      out.push(seg);
      seg = '';
    } else seg += id[i];
  }
  out.push(seg);
  return out;
}

/** The state paths a `matches` argument names (string or object form), or an error text. */
function namedPaths(value: unknown, prefix: string[], out: string[][]): string | null {
  if (typeof value === 'string') {
    out.push(prefix.concat(statePath(value)));
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${JSON.stringify(value) ?? String(value)} is not a state value (a path 'a.b' or an object {a: 'b'})`;
  const keys = Object.keys(value);
  if (keys.length === 0 && prefix.length === 0) return '{} names no state';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    const path = prefix.concat(k); // keys are compared whole: XState splits only string values
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) out.push(path);
    else {
      const bad = namedPaths(v, path, out);
      if (bad) return bad;
    }
  }
  return null;
}

/**
 * For one machine: why `matches(value)` cannot mean what its author meant, or null. A value naming
 * a state node the machine does not have would simply be false in every state.
 */
export function stateChecker(machine: AnyStateMachine): (value: unknown) => string | null {
  const n = machineNames(machine);
  return (value) => {
    if (typeof value === 'string' && n.good.has(value)) return null;
    const paths: string[][] = [];
    const bad = namedPaths(value, [], paths);
    if (bad) return bad;
    for (const p of paths) {
      if (!n.paths.has(p.join('\u0000'))) return `has no state '${p.join('.')}' (machine '${n.id}' has ${n.shown.join(', ') || 'no states'})`;
    }
    if (typeof value === 'string') n.good.add(value);
    return null;
  };
}

/** For one machine: why `hasTag(tag)` cannot be true in any state, or null. */
export function tagChecker(machine: AnyStateMachine): (tag: unknown) => string | null {
  const n = machineNames(machine);
  return (tag) => (typeof tag === 'string' && n.tags.has(tag) ? null : `has no tag ${JSON.stringify(tag) ?? String(tag)} (machine '${n.id}' tags ${[...n.tags].join(', ') || 'nothing'})`);
}

/** The machine's id (its `id`, or XState's default). */
export function machineId(machine: AnyStateMachine): string {
  return machine.id;
}

/** Why an action cannot run under pure transitions, or null when it can. */
function forbiddenAction(machine: AnyStateMachine, action: unknown): string | null {
  let a: unknown = action;
  if (typeof a === 'string') {
    const impl = (machine.implementations.actions as Record<string, unknown>)[a];
    if (impl === undefined) return `action '${a}' has no implementation`;
    a = impl;
  } else if (a && typeof a === 'object' && typeof (a as { type?: unknown }).type === 'string') {
    const name = (a as { type: string }).type;
    const impl = (machine.implementations.actions as Record<string, unknown>)[name];
    if (impl !== undefined) a = impl;
    else if (!name.startsWith('xstate.')) return `action '${name}' has no implementation`;
    else a = { type: name };
  }
  const type = (a as { type?: unknown })?.type;
  if (typeof type === 'string' && type.startsWith('xstate.')) {
    if (FORBIDDEN_NAMES[type]) return `uses ${FORBIDDEN_NAMES[type]}`;
    return ALLOWED_STATIC.has(type) ? null : `uses ${type}`;
  }
  return 'uses a custom (function) action, which pure transitions never run';
}

/**
 * Rejects machines that cannot be explored faithfully: `invoke`, `spawnChild`, `sendTo` and custom
 * actions. Names the actor and the state node.
 */
export function checkMachine(actor: string, machine: AnyStateMachine): void {
  for (const node of allNodes(machine)) {
    const where = `actor '${actor}', state '${node.id}'`;
    if (node.invoke?.length) throw new SpecError(`${where} uses invoke, which is not supported: model the child as an instance of its own`);
    const lists: unknown[][] = [node.entry ?? [], node.exit ?? []];
    for (const ts of node.transitions?.values() ?? []) for (const t of ts) lists.push(t.actions ?? []);
    for (const t of node.always ?? []) lists.push(t.actions ?? []);
    for (const list of lists) {
      for (const a of list) {
        const why = forbiddenAction(machine, a);
        if (why) throw new SpecError(`${where} ${why}`);
      }
    }
  }
}

/** Every event type a machine has a transition for (wildcards and XState's own events left out). */
export function handledEvents(machine: AnyStateMachine): Set<string> {
  const out = new Set<string>();
  for (const node of allNodes(machine)) {
    for (const type of node.transitions?.keys() ?? []) {
      if (!type.startsWith('xstate.') && type !== '*') out.add(type);
    }
  }
  return out;
}

/**
 * The event types a machine raises to itself (with or without a delay): they are its own and need
 * no owner. A raise whose event is computed by a function cannot be seen here; its type must then
 * be declared like any other.
 */
export function selfRaisedEvents(machine: AnyStateMachine): Set<string> {
  const own = new Set<string>();
  const note = (a: unknown) => {
    const r = a as { type?: string; event?: unknown };
    if (r && r.type === 'xstate.raise' && r.event && typeof r.event === 'object') own.add((r.event as EventObject).type);
  };
  for (const node of allNodes(machine)) {
    for (const a of [...(node.entry ?? []), ...(node.exit ?? [])]) note(a);
    for (const ts of node.transitions?.values() ?? []) for (const t of ts) for (const a of t.actions ?? []) note(a);
    for (const t of node.always ?? []) for (const a of t.actions ?? []) note(a);
  }
  return own;
}

/** The canonical key of a local state: value, context, history (by node id), status, timers. */
export function localKey(l: Local): string {
  const s = l.snapshot;
  const hist: Record<string, string[]> = {};
  const hv = (s.historyValue ?? {}) as Record<string, { id: string }[]>;
  for (const k of Object.keys(hv)) hist[k] = hv[k].map((n) => n.id).sort();
  // A timer is its id and the event it carries: the same id raised with different events are two states.
  return canonical([s.value, s.context, hist, s.status, l.timers.map((t) => [t.id, t.event, t.delay])]);
}

function describe(s: AnyMachineSnapshot): string {
  return JSON.stringify(s.value);
}

function applyActions(
  actor: string,
  where: string,
  snapshot: AnyMachineSnapshot,
  timers: readonly Timer[],
  actions: readonly { type: string; params?: any }[],
): LocalStep {
  let pending = timers.slice();
  const emitted: EventObject[] = [];
  const armed: string[] = [];
  for (const a of actions) {
    if (!ALLOWED_RUNTIME.has(a.type)) {
      const what = FORBIDDEN_NAMES[a.type] ?? (a.type.startsWith('xstate.') ? a.type : `custom action '${a.type}'`);
      throw new SpecError(`actor '${actor}' ${where} runs ${what}, which pure transitions cannot execute`);
    }
    if (a.type === 'xstate.emit') {
      const ev = a.params.event as EventObject;
      const bad = notPlainData(ev, 'event');
      if (bad) throw new ModelError(`actor '${actor}' ${where} emits '${ev.type}' whose ${bad}`);
      emitted.push(ev);
    } else if (a.type === 'xstate.raise' && a.params?.delay !== undefined) {
      const id = String(a.params.id ?? a.params.event.type);
      const delay = Number(a.params.delay);
      if (!Number.isFinite(delay) || delay < 0) throw new ModelError(`actor '${actor}' ${where} raises '${a.params.event.type}' with delay ${String(a.params.delay)}: a delay must be a finite number of ms`);
      pending = pending.filter((t) => t.id !== id);
      pending.push({ id, event: a.params.event, delay });
      armed.push(id);
    } else if (a.type === 'xstate.cancel') {
      pending = pending.filter((t) => t.id !== a.params.sendId);
    }
  }
  // A machine that has reached its final state takes no more events: its timers are gone.
  if (snapshot.status === 'done') pending = [];
  pending.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  if (snapshot.status === 'error') {
    throw new ModelError(`actor '${actor}' ${where} threw: ${errorText(snapshot.error)}`);
  }
  if (Object.keys(snapshot.children ?? {}).length) {
    throw new SpecError(`actor '${actor}' ${where} spawned a child actor, which is not supported`);
  }
  const bad = notPlainData(snapshot.context, 'context');
  if (bad) throw new ModelError(`actor '${actor}' ${where}: ${bad} (context must be plain data)`);
  return { next: { snapshot, timers: pending }, emitted, armed: armed.filter((id, i) => armed.indexOf(id) === i && pending.some((t) => t.id === id)) };
}

function errorText(e: unknown): string {
  // One line: XState nests the cause on a second line.
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ': ');
}

/** The initial local state of an instance, and what it emits on start. */
export function initialLocal(actor: string, machine: AnyStateMachine, input: unknown): LocalStep {
  let r;
  try {
    r = initialTransition(machine, input);
  } catch (e) {
    throw new ModelError(`actor '${actor}' threw while starting: ${errorText(e)}`);
  }
  const [snap, actions] = r;
  return applyActions(actor, 'on start', snap, [], actions as any);
}

/** One macrostep of an instance on `event`, or null when the event is not enabled. */
export function stepLocal(actor: string, machine: AnyStateMachine, local: Local, event: EventObject, timerId?: string): LocalStep | null {
  let r;
  try {
    // Enabled exactly when XState's own `can` says so: some transition is selected whose target
    // or actions are not empty. Not `next !== prev`: XState returns the very same snapshot for a
    // taken self-transition that changes nothing, and such a step (a DMA that rewrites the same
    // block, say) still matters to action properties, deadlock and fairness.
    // A finished (or failed) instance takes no more events, as a live actor ignores them; XState's
    // pure `can` would still say yes for a root-level handler.
    if (local.snapshot.status !== 'active' || !local.snapshot.can(event)) return null;
    r = transition(machine, local.snapshot, event);
  } catch (e) {
    throw new ModelError(`actor '${actor}' in state ${describe(local.snapshot)} threw on '${event.type}': ${errorText(e)}`);
  }
  const [next, actions] = r;
  const timers = timerId === undefined ? local.timers : local.timers.filter((t) => t.id !== timerId);
  return applyActions(actor, `in state ${describe(local.snapshot)} on '${event.type}'`, next, timers, actions as any);
}

/** Whether `event` is enabled at a local state, without running the macrostep. */
export function enabledLocal(actor: string, local: Local, event: EventObject): boolean {
  try {
    return local.snapshot.status === 'active' && local.snapshot.can(event);
  } catch (e) {
    throw new ModelError(`actor '${actor}' in state ${describe(local.snapshot)} threw on '${event.type}': ${errorText(e)}`);
  }
}

/** The transitions an event takes from a snapshot: source, target and `meta` (for traces). */
export function takenTransitions(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject) {
  const ts = machine.getTransitionData(snapshot as any, event) as unknown as {
    meta?: { fn?: string; cite?: string; atomic?: unknown };
    source: { id: string };
    target?: { id: string }[];
  }[];
  return ts.map((t) => ({
    fn: t.meta?.fn,
    cite: t.meta?.cite,
    /** `meta.atomic` (machines/meta.ts): 'local', { lock }, { op }, or undefined. */
    atomic: t.meta?.atomic,
    from: t.source.id,
    to: t.target?.length ? t.target.map((n) => n.id).join(',') : t.source.id,
  }));
}

/**
 * The same local state with another context and other pending timers (symmetry renames the
 * instance names in them): the snapshot is copied, its configuration and history kept.
 */
export function withContext(l: Local, context: unknown, timers: readonly Timer[]): Local {
  return { snapshot: { ...l.snapshot, context } as AnyMachineSnapshot, timers };
}

export function isDone(l: Local): boolean {
  return l.snapshot.status === 'done';
}

export function tags(l: Local): readonly string[] {
  return [...(l.snapshot.tags ?? [])];
}

type NodeLike = { id: string; type: string; parent?: NodeLike; initial?: { target?: NodeLike[] }; states?: Record<string, NodeLike> };

/** Ids of the state nodes active in a local state. */
export function activeNodeIds(l: Local): string[] {
  return ((l.snapshot as unknown as { _nodes?: { id: string }[] })._nodes ?? []).map((n) => n.id);
}

/**
 * Ids of the nodes entered when node `id` (null: the root) is entered: its ancestors and, for a
 * compound or parallel node, its initial children, recursively.
 */
export function enteredNodeIds(machine: AnyStateMachine, id: string | null): string[] {
  let start: NodeLike | undefined;
  try {
    start = (id === null ? machine.root : machine.getStateNodeById(id)) as unknown as NodeLike;
  } catch {
    return [];
  }
  const out = new Set<string>();
  const enter = (n: NodeLike) => {
    for (let p: NodeLike | undefined = n; p; p = p.parent) out.add(p.id);
    if (n.type === 'parallel') for (const c of Object.values(n.states ?? {})) enter(c);
    else for (const c of n.initial?.target ?? []) if (!out.has(c.id)) enter(c);
  };
  enter(start);
  return [...out];
}
