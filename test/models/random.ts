/**
 * Random small systems for test/random-systems.test.ts: a printable descriptor (plain data, what
 * fast-check generates and shrinks) and `buildSystem`, which turns it into XState machines and a
 * spec-shaped object (wrap with `defineSpec` for the engine).
 *
 * Features: local and sync events with and without a parameter x in {0,1} (sync events are a
 * rendezvous of every instance that handles them: 2 or 3 parties; handled by one instance only, the
 * event is declared local), guards on context (n in {0,1,2}) and on x, assign, emit routed by `to`
 * or `toField` wires into mailboxes of capacity 1-2 with block/drop/defer per message type,
 * delayed raise (id `tick`) and cancel, `after` timers (with guards), `always` (acyclic by
 * construction), a compound state with a shallow or deep history child, a final state, tags
 * `validEnd` and `violation:bad`, and properties of every kind.
 */
import fc from 'fast-check';
import { setup, assign, emit, raise, cancel } from 'xstate';
import type { AnyStateMachine, EventObject } from 'xstate';

export type ActDesc =
  | { k: 'none' }
  | { k: 'inc' }
  | { k: 'emit'; msg: 'M0' | 'M1'; to: number }
  | { k: 'raise' }
  | { k: 'cancel' };
export type GuardDesc = null | { on: 'n'; v: number; neg: boolean } | { on: 'x'; v: number };
export type EventName = 'L0' | 'L1' | 'S0' | 'S1' | 'M0' | 'M1' | 'TICK';
export interface TrDesc {
  from: number;
  event: EventName;
  target: number | null;
  guard: GuardDesc;
  act: ActDesc;
}
export interface MachDesc {
  atomic: number;
  /** A guaranteed transition per source state, to the next source state (cyclically). */
  ring: { event: EventName; act: ActDesc }[];
  compound: null | 'shallow' | 'deep';
  final: boolean;
  transitions: TrDesc[];
  always: { from: number; v: number; forward: boolean; target: number }[];
  after: { from: number; target: number; guardN: number | null; act: ActDesc }[];
  tags: { state: number; tag: 'validEnd' | 'violation:bad' }[];
}
export interface SysDesc {
  machines: MachDesc[];
  mailbox: { capacity: number; policy: ('block' | 'drop' | 'defer')[] }[];
  wireByField: boolean[];
  props: {
    inv: null | { a: number; state: number; b: number; v: number };
    act: null | { a: number; v: number; on: null | EventName };
    noDrop: null | { b: number; msg: 'M0' | 'M1' };
    goal: null | { a: number; state: number; b: number };
  };
}

// ------------------------------------------------------------------ generators

const act: fc.Arbitrary<ActDesc> = fc.oneof(
  fc.constant({ k: 'none' as const }),
  fc.record({ k: fc.constant('emit' as const), msg: fc.constantFrom('M0' as const, 'M1' as const), to: fc.nat(2) }),
  fc.constant({ k: 'inc' as const }),
  fc.record({ k: fc.constant('emit' as const), msg: fc.constantFrom('M0' as const, 'M1' as const), to: fc.nat(2) }),
  fc.constant({ k: 'raise' as const }),
  fc.constant({ k: 'cancel' as const }),
);
const guard: fc.Arbitrary<GuardDesc> = fc.oneof(
  fc.constant(null),
  fc.record({ on: fc.constant('n' as const), v: fc.nat(2), neg: fc.boolean() }),
  fc.record({ on: fc.constant('x' as const), v: fc.nat(1) }),
);
const tr: fc.Arbitrary<TrDesc> = fc.record({
  from: fc.nat(7),
  event: fc.constantFrom<EventName>('L0', 'L1', 'L0', 'S0', 'S1', 'S0', 'M0', 'M1', 'M0', 'TICK'),
  target: fc.option(fc.nat(7), { nil: null, freq: 4 }),
  guard,
  act,
});
const mach: fc.Arbitrary<MachDesc> = fc.record({
  atomic: fc.integer({ min: 2, max: 3 }),
  ring: fc.array(fc.record({ event: fc.constantFrom<EventName>('L0', 'L1', 'S0', 'S1', 'M0', 'M1', 'TICK'), act }), { minLength: 6, maxLength: 6 }),
  compound: fc.constantFrom(null, 'shallow' as const, 'deep' as const),
  final: fc.boolean(),
  transitions: fc.array(tr, { minLength: 3, maxLength: 8 }),
  always: fc.array(fc.record({ from: fc.nat(7), v: fc.nat(2), forward: fc.boolean(), target: fc.nat(7) }), { maxLength: 1 }),
  after: fc.array(fc.record({ from: fc.nat(7), target: fc.nat(7), guardN: fc.option(fc.nat(2), { nil: null }), act }), { maxLength: 1 }),
  tags: fc.array(fc.record({ state: fc.nat(7), tag: fc.constantFrom('validEnd' as const, 'validEnd' as const, 'violation:bad' as const) }), {
    maxLength: 1,
  }),
});
const policy = fc.constantFrom('block' as const, 'drop' as const, 'defer' as const);

export const sysDesc: fc.Arbitrary<SysDesc> = fc.record({
  machines: fc.array(mach, { minLength: 2, maxLength: 3 }),
  mailbox: fc.array(fc.record({ capacity: fc.integer({ min: 1, max: 2 }), policy: fc.array(policy, { minLength: 2, maxLength: 2 }) }), {
    minLength: 3,
    maxLength: 3,
  }),
  wireByField: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  props: fc.record({
    inv: fc.option(fc.record({ a: fc.nat(2), state: fc.nat(5), b: fc.nat(2), v: fc.integer({ min: 1, max: 2 }) }), { nil: null }),
    act: fc.option(
      fc.record({ a: fc.nat(2), v: fc.nat(2), on: fc.option(fc.constantFrom<EventName>('L0', 'L1', 'S0', 'S1', 'M0', 'M1'), { nil: null }) }),
      { nil: null },
    ),
    noDrop: fc.option(fc.record({ b: fc.nat(2), msg: fc.constantFrom('M0' as const, 'M1' as const) }), { nil: null }),
    goal: fc.option(fc.record({ a: fc.nat(2), state: fc.nat(5), b: fc.nat(2) }), { nil: null }),
  }),
});

// ------------------------------------------------------------------ building

function withoutSyncEmits(d: SysDesc): SysDesc {
  const f = <T extends { event: EventName; act: ActDesc }>(t: T): T =>
    t.event.startsWith('S') && t.act.k === 'emit' ? { ...t, act: { k: 'none' } } : t;
  return { ...d, machines: d.machines.map((m) => ({ ...m, ring: m.ring.map(f), transitions: m.transitions.map(f) })) };
}

function withoutDelayedRaise(d: SysDesc): SysDesc {
  const a = (x: ActDesc): ActDesc => (x.k === 'raise' || x.k === 'cancel' ? { k: 'none' } : x);
  const e = (x: EventName): EventName => (x === 'TICK' ? 'L1' : x);
  return {
    ...d,
    machines: d.machines.map((m) => ({
      ...m,
      ring: m.ring.map((r) => ({ event: e(r.event), act: a(r.act) })),
      transitions: m.transitions.map((t) => ({ ...t, event: e(t.event), act: a(t.act) })),
      after: m.after.map((t) => ({ ...t, act: a(t.act) })),
    })),
  };
}

type View = {
  actors: readonly string[];
  matches(a: string, v: string): boolean;
  context<T = any>(a: string): T;
  mailbox(a: string): readonly EventObject[];
  dropped(a: string, t: string): boolean;
};

/** Names of one machine's states: sources (may have transitions), targets (may be entered), top level. */
function names(m: MachDesc) {
  const atomic = [...Array(m.atomic).keys()].map((i) => `s${i}`);
  const sources = [...atomic, ...(m.compound ? ['c', 'c.c0', 'c.c1'] : [])];
  const targets = [...atomic, ...(m.compound ? ['c', 'c.c0', 'c.c1', 'c.h'] : []), ...(m.final ? ['f'] : [])];
  const top = [...atomic, ...(m.compound ? ['c'] : []), ...(m.final ? ['f'] : [])];
  return { atomic, sources, targets, top };
}

const PARAM_EVENTS = new Set(['L0', 'S0']);

export interface BuiltSystem {
  spec: {
    name: string;
    title: string;
    knobs: Record<string, never>;
    variants: Record<string, { knobs: Record<string, never>; expect: Record<string, { verdict: 'open'; cite: string }> }>;
    system: () => any;
    properties: any[];
  };
  /** The same system as readable text (machine configs without functions), for reports. */
  text: string;
}

/**
 * `delayedRaise: false` turns raise/cancel actions into no-ops (and TICK into L1): `after` timers
 * only. `syncEmits: false` turns emits on transitions of sync events (S0, S1) into no-ops.
 */
export function buildSystem(d: SysDesc, opts: { delayedRaise?: boolean; syncEmits?: boolean } = {}): BuiltSystem {
  if (opts.delayedRaise === false) d = withoutDelayedRaise(d);
  if (opts.syncEmits === false) d = withoutSyncEmits(d);
  const ids = d.machines.map((_, i) => `a${i}`);
  // who handles what (after normalisation)
  const handles: Map<string, Set<string>> = new Map();
  const raisers = new Set<number>();
  const norm = d.machines.map((m, k) => {
    const n = names(m);
    const ring: TrDesc[] = n.sources.map((_, i) => ({ from: i, event: m.ring[i].event, target: (i + 1) % n.sources.length, guard: null, act: m.ring[i].act }));
    const trs = [...ring, ...m.transitions].map((t) => ({ ...t, act: { ...t.act } as ActDesc }));
    for (const t of [...trs, ...m.after]) if (t.act.k === 'raise') raisers.add(k);
    return { m, n, trs };
  });
  norm.forEach(({ trs }, k) => {
    for (const t of trs) {
      if (t.event === 'TICK' && !raisers.has(k)) t.event = 'L1'; // nobody would own it
      if (!handles.has(t.event)) handles.set(t.event, new Set());
      handles.get(t.event)!.add(ids[k]);
    }
  });
  const handlersOf = (e: string) => ids.filter((id) => handles.get(e)?.has(id));
  // emits without a receiver become no-ops; the others name their receiver
  const fixAct = (a: ActDesc): ActDesc => {
    if (a.k !== 'emit') return a;
    const h = handlersOf(a.msg);
    return h.length === 0 ? { k: 'none' } : { ...a, to: a.to % h.length };
  };
  for (const x of norm) for (const t of x.trs) t.act = fixAct(t.act);
  const afters = norm.map(({ m }) => m.after.map((a) => ({ ...a, act: fixAct(a.act) })));

  const machines: AnyStateMachine[] = [];
  const configs: unknown[] = [];
  const emitsOf: Map<string, Set<string>>[] = [];
  norm.forEach(({ m, n, trs }, k) => {
    const mid = `m${k}`;
    const emitted = new Map<string, Set<string>>();
    emitsOf.push(emitted);
    const abs = (p: string) => `#${mid}.${p}`;
    const mkAct = (a: ActDesc): unknown[] => {
      switch (a.k) {
        case 'none':
          return [];
        case 'inc':
          return [assign({ n: ({ context }: { context: { n: number } }) => (context.n + 1) % 3 })];
        case 'emit': {
          const to = handlersOf(a.msg)[a.to];
          if (!emitted.has(a.msg)) emitted.set(a.msg, new Set());
          emitted.get(a.msg)!.add(to);
          return [emit({ type: a.msg, to })];
        }
        case 'raise':
          return [raise({ type: 'TICK' }, { delay: 50, id: 'tick' })];
        case 'cancel':
          return [cancel('tick')];
      }
    };
    const mkGuard = (g: GuardDesc, event: string) => {
      if (g === null) return undefined;
      if (g.on === 'x') {
        if (!PARAM_EVENTS.has(event)) return undefined;
        const v = g.v;
        return ({ event: e }: { event: { x?: number } }) => e.x === v;
      }
      const { v, neg } = g;
      return ({ context }: { context: { n: number } }) => (context.n === v) !== neg;
    };
    const desc = (a: ActDesc) => (a.k === 'emit' ? `emit ${a.msg}->${handlersOf(a.msg)[a.to]}` : a.k);
    // plain-text config (for reports) and the real config, built side by side
    const stateCfg: Record<string, any> = {};
    const text: Record<string, any> = {};
    const node = (path: string, cfg: Record<string, any>, txt: Record<string, any>) => {
      const parts = path.split('.');
      let c = cfg, t = txt;
      for (let i = 0; i < parts.length - 1; i++) {
        c = c[parts[i]].states;
        t = t[parts[i]].states;
      }
      return [(c[parts[parts.length - 1]] ??= {}), (t[parts[parts.length - 1]] ??= {})];
    };
    for (const s of n.atomic) [stateCfg[s], text[s]] = [{}, {}];
    if (m.compound) {
      stateCfg.c = { initial: 'c0', states: { c0: {}, c1: {}, h: { type: 'history', history: m.compound } } };
      text.c = { initial: 'c0', states: { c0: {}, c1: {}, h: { type: 'history', history: m.compound } } };
    }
    if (m.final) [stateCfg.f, text.f] = [{ type: 'final' }, { type: 'final' }];
    // transitions (first one per (source, event) order is kept: XState tries them in order)
    for (const t of trs) {
      const src = n.sources[t.from % n.sources.length];
      const [c, x] = node(src, stateCfg, text);
      const target = t.target === null ? undefined : abs(n.targets[t.target % n.targets.length]);
      const g = mkGuard(t.guard, t.event);
      ((c.on ??= {})[t.event] ??= []).push({ target, guard: g, actions: mkAct(t.act) });
      ((x.on ??= {})[t.event] ??= []).push({ target, guard: g ? t.guard : undefined, actions: desc(t.act) });
    }
    // always: at most one per source; forward to a later atomic state or the final one; else
    // targetless with inc under n === v (fires at most once per value: terminates)
    for (const a of m.always.slice(0, 1)) {
      const si = a.from % n.sources.length;
      const src = n.sources[si];
      const later = src.startsWith('s') ? n.atomic.slice(si + 1) : [];
      const fwd = [...later, ...(m.final ? ['f'] : [])];
      const [c, x] = node(src, stateCfg, text);
      const v = a.v;
      const gd = ({ context }: { context: { n: number } }) => context.n === v;
      if (a.forward && fwd.length > 0) {
        const target = abs(fwd[a.target % fwd.length]);
        c.always = { target, guard: gd };
        x.always = { target, guard: `n === ${v}` };
      } else {
        c.always = { guard: gd, actions: mkAct({ k: 'inc' }) };
        x.always = { guard: `n === ${v}`, actions: 'inc' };
      }
    }
    for (const a of afters[k].slice(0, 1)) {
      const src = n.sources[a.from % n.sources.length];
      const [c, x] = node(src, stateCfg, text);
      const target = abs(n.targets[a.target % n.targets.length]);
      const gn = a.guardN;
      c.after = { 100: { target, guard: gn === null ? undefined : ({ context }: { context: { n: number } }) => context.n === gn, actions: mkAct(a.act) } };
      x.after = { 100: { target, guard: gn === null ? undefined : `n === ${gn}`, actions: desc(a.act) } };
    }
    for (const tg of m.tags) {
      // violation tags never on the initial state (a 1-state system tests little)
      const s = tg.tag === 'validEnd' ? n.sources[tg.state % n.sources.length] : n.sources[1 + (tg.state % (n.sources.length - 1))];
      const [c, x] = node(s, stateCfg, text);
      (c.tags ??= []).push(tg.tag);
      (x.tags ??= []).push(tg.tag);
    }
    machines.push(setup({}).createMachine({ id: mid, initial: n.top[0], context: { n: 0 }, states: stateCfg } as never) as unknown as AnyStateMachine);
    configs.push({ id: mid, initial: n.top[0], context: { n: 0 }, states: text });
  });

  // events: local / sync (all handlers together, or local if only one) / wired
  const events: Record<string, unknown> = {};
  for (const e of ['L0', 'L1', 'S0', 'S1', 'M0', 'M1'] as const) {
    const h = handlersOf(e);
    if (h.length === 0) continue;
    const params = PARAM_EVENTS.has(e) ? { params: { x: [0, 1] } } : {};
    if (e.startsWith('L') || (e.startsWith('S') && h.length === 1)) events[e] = { local: h, ...params };
    else if (e.startsWith('S')) events[e] = { sync: [h], ...params };
    else events[e] = { wired: h };
  }
  // wires: one per (sender, message)
  const wires: unknown[] = [];
  const receivers = new Set<string>();
  emitsOf.forEach((emitted, k) => {
    for (const [msg, tos] of emitted) {
      const byField = d.wireByField[k * 2 + (msg === 'M0' ? 0 : 1)];
      if (byField || tos.size > 1) wires.push({ from: ids[k], event: msg, toField: 'to', targets: handlersOf(msg) });
      else wires.push({ from: ids[k], event: msg, to: [...tos][0] });
      for (const t of byField || tos.size > 1 ? handlersOf(msg) : tos) receivers.add(t);
    }
  });
  // every instance that handles a message gets a mailbox (wired events need one)
  for (const e of ['M0', 'M1']) for (const h of handlersOf(e)) receivers.add(h);
  const mailboxes: Record<string, unknown> = {};
  for (const r of ids.filter((i) => receivers.has(i))) {
    const mb = d.mailbox[ids.indexOf(r)];
    mailboxes[r] = { capacity: mb.capacity, policy: { M0: mb.policy[0], M1: mb.policy[1] } };
  }

  // properties
  const nInst = ids.length;
  const topOf = (k: number) => names(d.machines[k]).top;
  const properties: any[] = [{ name: 'exhaust', kind: 'invariant', doc: 'always true: forces a complete exploration', check: () => true }];
  const pd: Record<string, unknown> = {};
  if (d.props.inv) {
    const a = ids[d.props.inv.a % nInst];
    const st = topOf(d.props.inv.a % nInst)[d.props.inv.state % topOf(d.props.inv.a % nInst).length];
    const b = ids[d.props.inv.b % nInst];
    const v = d.props.inv.v;
    pd.inv = `!(${a} in ${st} && ${b}.n === ${v}), witness ${a} in ${st}`;
    properties.push({
      name: 'inv',
      kind: 'invariant',
      doc: String(pd.inv),
      check: (s: View) => !(s.matches(a, st) && s.context<{ n: number }>(b).n === v),
      witness: (s: View) => s.matches(a, st),
    });
  }
  if (d.props.act) {
    const a = ids[d.props.act.a % nInst];
    const v = d.props.act.v;
    // An `on` naming an event type the system does not declare is bad input (a silent holds): keep
    // only declared ones.
    const on = d.props.act.on !== null && d.props.act.on in events ? d.props.act.on : null;
    pd.act = `${a}.n never leaves ${v}${on ? ` on ${on}` : ''}`;
    properties.push({
      name: 'act',
      kind: 'action',
      doc: String(pd.act),
      ...(on ? { on: [on] } : {}),
      check: (p: View, _st: unknown, nx: View) => !(p.context<{ n: number }>(a).n === v && nx.context<{ n: number }>(a).n !== v),
    });
  }
  // Only where it can fail: the view refuses dropped() on a mailbox whose policy never drops msg.
  const drops = (b: string, msg: string) => (mailboxes[b] as { policy: Record<string, string> } | undefined)?.policy[msg] === 'drop';
  if (d.props.noDrop && drops(ids[d.props.noDrop.b % nInst], d.props.noDrop.msg)) {
    const b = ids[d.props.noDrop.b % nInst];
    const msg = d.props.noDrop.msg;
    pd.noDrop = `!dropped(${b}, ${msg})`;
    properties.push({ name: 'noDrop', kind: 'invariant', doc: String(pd.noDrop), check: (s: View) => !s.dropped(b, msg) });
  }
  if (d.props.goal) {
    const a = ids[d.props.goal.a % nInst];
    const st = topOf(d.props.goal.a % nInst)[d.props.goal.state % topOf(d.props.goal.a % nInst).length];
    const b = ids[d.props.goal.b % nInst];
    pd.goal = `${a} in ${st} && ${b}'s mailbox is empty`;
    properties.push({
      name: 'goal',
      kind: 'goal',
      doc: String(pd.goal),
      reach: (s: View) => s.matches(a, st) && (mailboxes[b] ? s.mailbox(b).length === 0 : true),
    });
  }
  const anyBad = d.machines.some((m) => m.tags.some((t) => t.tag === 'violation:bad'));
  if (anyBad) properties.push({ name: 'bad', kind: 'assertion', doc: 'no state tagged violation:bad' });

  const system = () => ({
    actors: Object.fromEntries(ids.map((id, k) => [id, { machine: machines[k] }])),
    events,
    wires,
    mailboxes,
  });
  const text = JSON.stringify({ machines: configs, events, wires, mailboxes, properties: pd, assertionBad: anyBad });
  const variants = { random: { knobs: {}, expect: { '*': { verdict: 'open' as const, cite: 'random test system: compared with the oracle' } } } };
  return { spec: { name: 'random', title: 'random system', knobs: {}, variants, system, properties }, text };
}
