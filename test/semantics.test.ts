/**
 * One test per rule of docs/semantics.md, on tiny systems whose answers are counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { assign, emit, raise, setup, createMachine, sendTo, spawnChild, fromPromise } from 'xstate';
import { checkSpec, type CheckResult } from '../src/check.js';
import { SpecError, ModelError } from '../src/errors.js';
import { defineSpec, type SpecDecl, type SystemDecl, type PropertyDecl } from '../src/spec/types.js';

const HOLDS = { '*': { verdict: 'holds', cite: 'test' } } as const;

function spec(system: () => SystemDecl, properties: PropertyDecl[] = [], extra: Partial<SpecDecl> = {}) {
  return defineSpec({ name: 't', title: 't', knobs: {}, system, properties, variants: { v: { knobs: {}, expect: HOLDS } }, ...extra });
}

const toggle = setup({}).createMachine({ initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } } });
const oneShot = setup({}).createMachine({ initial: 'idle', states: { idle: { on: { GO: 'done' } }, done: { type: 'final' } } });

const steps = (r: CheckResult, p: string) => r.properties[p].trace!.steps.map((s) => `${s.actors.join('+')}:${s.event.type}`);

describe('§1 actor instances', () => {
  it('rejects invoke, spawnChild, sendTo and custom actions, naming actor and state', async () => {
    const child = fromPromise(async () => 1);
    const withInvoke = createMachine({ initial: 'a', states: { a: { invoke: { src: child } } } });
    const withSpawn = setup({ actors: { child } }).createMachine({ initial: 'a', states: { a: { entry: spawnChild('child') } } });
    const withSendTo = createMachine({ initial: 'a', states: { a: { on: { X: { actions: sendTo('other', { type: 'Y' }) } } } } });
    const withCustom = setup({ actions: { poke: () => {} } }).createMachine({ initial: 'a', states: { a: { on: { X: { actions: 'poke' } } } } });
    const cases: [unknown, RegExp][] = [
      [withInvoke, /actor 'm', state '.*a' uses invoke/],
      [withSpawn, /actor 'm', state '.*a' uses spawnChild/],
      [withSendTo, /actor 'm', state '.*a' uses sendTo/],
      [withCustom, /actor 'm', state '.*a' uses a custom \(function\) action/],
    ];
    for (const [machine, msg] of cases) {
      const s = spec(() => ({ actors: { m: { machine: machine as never } }, events: { X: { local: ['m'] } } }));
      await expect(checkSpec(s)).rejects.toThrow(msg);
    }
  });

  it('a machine that throws is a model error, not a verdict', async () => {
    const m = setup({ guards: { bad: () => { throw new Error('boom'); } } }).createMachine({ initial: 'a', states: { a: { on: { X: { guard: 'bad', target: 'a' } } } } });
    const s = spec(() => ({ actors: { m: { machine: m } }, events: { X: { local: ['m'] } } }));
    await expect(checkSpec(s)).rejects.toThrow(ModelError);
    await expect(checkSpec(s)).rejects.toThrow(/actor 'm' .*threw on 'X'.*boom/);
  });

  it('a context that is not plain data is bad input naming the actor', async () => {
    const m = setup({}).createMachine({ initial: 'a', context: { n: 0 }, states: { a: { on: { X: { actions: assign({ n: () => new Date() as never }) } } } } });
    const s = spec(() => ({ actors: { m: { machine: m } }, events: { X: { local: ['m'] } } }));
    await expect(checkSpec(s)).rejects.toThrow(/actor 'm'.*context.n is an instance of Date/);
  });
});

describe('§2 event owners', () => {
  it('local: two instances of one machine move independently (2 x 2 states)', async () => {
    const r = await checkSpec(spec(() => ({ actors: { a: { machine: toggle }, b: { machine: toggle } }, events: { FLIP: { local: ['a', 'b'] } } })));
    expect(r.stats.states).toBe(4);
    expect(r.stats.transitions).toBe(8);
  });

  it('sync: a rendezvous fires only when every party accepts, and all move together', async () => {
    // a and b flip together: only (off,off) and (on,on) are reachable.
    const r = await checkSpec(spec(() => ({ actors: { a: { machine: toggle }, b: { machine: toggle } }, events: { FLIP: { sync: [['a', 'b']] } } })));
    expect(r.stats.states).toBe(2);
    // b done after one GO; a can GO only with b: one step, then a deadlock-free end (both final).
    const r2 = await checkSpec(spec(() => ({ actors: { a: { machine: oneShot }, b: { machine: oneShot } }, events: { GO: { sync: [['a', 'b']] } } })));
    expect(r2.stats.states).toBe(2);
    expect(r2.properties.deadlock.verdict).toBe('holds');
  });

  it('parameters: every combination, first parameter slowest, in declaration order', async () => {
    const m = setup({}).createMachine({ initial: 'a', context: { got: '' }, states: { a: { on: { SET: { target: 'b', actions: assign({ got: ({ event }) => `${event.x}${event.y}` }) } } }, b: { type: 'final' } } });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: m } }, events: { SET: { local: ['m'], params: { x: [2, 1], y: ['q', 'p'] } } } }), [
      { name: 'never', kind: 'invariant', doc: 'never leaves a', check: (s) => s.matches('m', 'a') },
    ]));
    expect(r.stats.states).toBe(5);
    // BFS finds the first combination first: x=2, y='q'.
    expect(r.properties.never.trace!.steps[0].event).toEqual({ type: 'SET', x: 2, y: 'q' });
  });

  it('an event handled but owned by no one, or declared for a machine that never handles it, is bad input', async () => {
    await expect(checkSpec(spec(() => ({ actors: { a: { machine: toggle } }, events: {} })))).rejects.toThrow(/event 'FLIP' of actor 'a' has no owner/);
    await expect(checkSpec(spec(() => ({ actors: { a: { machine: toggle } }, events: { FLIP: { local: ['a'] }, NOPE: { local: ['a'] } } })))).rejects.toThrow(/event 'NOPE' is declared for actor 'a', whose machine never handles it/);
    await expect(checkSpec(spec(() => ({ actors: { a: { machine: toggle } }, events: { FLIP: { local: ['zz'] } } })))).rejects.toThrow(/unknown actor 'zz'/);
  });

  it('a parameter domain that is not a finite list of scalars is bad input', async () => {
    const s = spec(() => ({ actors: { a: { machine: toggle } }, events: { FLIP: { local: ['a'], params: { n: [1, Infinity] } } } }));
    await expect(checkSpec(s)).rejects.toThrow(/parameter 'n' of event 'FLIP' has a value that is not a finite scalar/);
    const s2 = spec(() => ({ actors: { a: { machine: toggle } }, events: { FLIP: { local: ['a'], params: { n: [] } } } }));
    await expect(checkSpec(s2)).rejects.toThrow(/needs a non-empty finite array/);
  });
});

// A sender that emits `n` PINGs (one per SEND step) and a receiver that accepts PING only when open.
const sender = setup({}).createMachine({ initial: 's', context: { left: 2 }, states: { s: { always: { guard: ({ context }) => context.left === 0, target: 'end' }, on: { SEND: { actions: [assign({ left: ({ context }) => context.left - 1 }), emit({ type: 'PING' })] } } }, end: { type: 'final' } } });
const receiver = setup({}).createMachine({ initial: 'open', context: { got: 0 }, states: {
  open: { tags: ['validEnd'], on: { PING: { actions: assign({ got: ({ context }) => context.got + 1 }) }, CLOSE: 'closed' } },
  closed: { tags: ['validEnd'], on: { OPEN: 'open', PING: { guard: () => false, target: 'closed' } } },
} });
const mailSystem = (capacity: number, policy?: 'block' | 'drop' | 'defer'): SystemDecl => ({
  actors: { tx: { machine: sender }, rx: { machine: receiver } },
  events: { SEND: { local: ['tx'] }, CLOSE: { local: ['rx'] }, OPEN: { local: ['rx'] }, PING: { wired: ['rx'] } },
  wires: [{ from: 'tx', event: 'PING', to: 'rx' }],
  mailboxes: { rx: { capacity, policy: policy ? { PING: policy } : undefined } },
});

describe('§3 messages', () => {
  it('emit goes to the mailbox; delivery is a step of its own', async () => {
    const r = await checkSpec(spec(() => mailSystem(2), [
      { name: 'noDelivery', kind: 'invariant', doc: 'rx never gets a PING', check: (s) => s.context('rx').got === 0 },
    ]));
    expect(steps(r, 'noDelivery')).toEqual(['tx:SEND', 'rx:PING']);
    expect(r.properties.noDelivery.trace!.steps[1].kind).toBe('deliver');
  });

  it('overflow of a full mailbox is the violation mailbox-overflow', async () => {
    const r = await checkSpec(spec(() => mailSystem(1)));
    expect(r.properties['mailbox-overflow'].verdict).toBe('violated');
    expect(steps(r, 'mailbox-overflow')).toEqual(['tx:SEND', 'tx:SEND']);
  });

  it('block: a message the receiver does not accept blocks the mailbox (a deadlock if nothing else moves)', async () => {
    const closedForever = setup({}).createMachine({ initial: 'closed', states: { closed: { tags: ['validEnd'], on: { PING: { guard: () => false, target: 'closed' } } } } });
    const r = await checkSpec(spec(() => ({ ...mailSystem(2), actors: { tx: { machine: sender }, rx: { machine: closedForever } }, events: { SEND: { local: ['tx'] }, PING: { wired: ['rx'] } } })));
    expect(r.properties.deadlock.verdict).toBe('violated');
    expect(r.properties.deadlock.trace!.states.at(-1)!.mailboxes.rx.length).toBeGreaterThan(0);
  });

  it('drop: the message is removed and a sticky flag records it', async () => {
    const r = await checkSpec(spec(() => mailSystem(2, 'drop'), [
      { name: 'noDrop', kind: 'invariant', doc: 'no PING is dropped', check: (s) => !s.dropped('rx', 'PING') },
    ]));
    expect(steps(r, 'noDrop')).toEqual(['tx:SEND', 'rx:CLOSE', 'rx:PING']);
    expect(r.properties.noDrop.trace!.steps[2].kind).toBe('drop');
    expect(r.properties.noDrop.trace!.states.at(-1)!.dropped).toEqual(['rx:PING']);
  });

  it('asking a mailbox the spec lacks, or a drop its policy never makes, is a slip: an error, not a silent holds', async () => {
    const ask = (check: (s: any) => boolean) => checkSpec(spec(() => mailSystem(2, 'drop'), [{ name: 'p', kind: 'invariant', doc: 'p', check }]));
    await expect(ask((s) => s.mailbox('tx').length === 0)).rejects.toThrow(/property 'p' asks mailbox\('tx'\): actor 'tx' has no mailbox \(actors with a mailbox: rx\)/);
    await expect(ask((s) => !s.dropped('tx', 'PING'))).rejects.toThrow(/asks dropped\('tx', "PING"\): actor 'tx' has no mailbox/);
    await expect(ask((s) => !s.dropped('rx', 'PONG'))).rejects.toThrow(/asks dropped\('rx', "PONG"\): the mailbox of 'rx' never drops that type \(policy 'drop': PING\)/);
    const block = checkSpec(spec(() => mailSystem(2), [{ name: 'p', kind: 'invariant', doc: 'p', check: (s) => !s.dropped('rx', 'PING') }]));
    await expect(block).rejects.toThrow(/never drops that type \(policy 'drop': none\)/);
    // The control: asked right, the same questions run.
    const ok = await ask((s) => s.mailbox('rx').length <= 2 && (s.dropped('rx', 'PING') || true));
    expect(ok.properties.p.verdict).toBe('holds');
  });

  it('defer: the receiver takes the first message it accepts and keeps the rest in order', async () => {
    const picky = setup({}).createMachine({ initial: 'wantB', context: { log: [] as string[] }, states: {
      wantB: { on: { B: { target: 'wantA', actions: assign({ log: ({ context }) => [...context.log, 'B'] }) } } },
      wantA: { on: { A: { target: 'done', actions: assign({ log: ({ context }) => [...context.log, 'A'] }) } } },
      done: { type: 'final' },
    } });
    const src = setup({}).createMachine({ initial: 'x', states: { x: { on: { GO: { target: 'y', actions: [emit({ type: 'A' }), emit({ type: 'B' })] } } }, y: { type: 'final' } } });
    const r = await checkSpec(spec(() => ({
      actors: { src: { machine: src }, dst: { machine: picky } },
      events: { GO: { local: ['src'] }, A: { wired: ['dst'] }, B: { wired: ['dst'] } },
      wires: [{ from: 'src', event: 'A', to: 'dst' }, { from: 'src', event: 'B', to: 'dst' }],
      mailboxes: { dst: { capacity: 2, policy: { A: 'defer' } } },
    }), [{ name: 'notDone', kind: 'invariant', doc: 'dst never finishes', check: (s) => !s.matches('dst', 'done') }]));
    expect(steps(r, 'notDone')).toEqual(['src:GO', 'dst:B', 'dst:A']);
    expect(r.properties.deadlock.verdict).toBe('holds');
  });

  it('an emitted event that no wire routes is bad input', async () => {
    await expect(checkSpec(spec(() => ({ ...mailSystem(2), wires: [] })))).rejects.toThrow(/actor 'tx' emits 'PING', which no wire routes/);
  });

  it('toField routes by a field over a finite set of targets', async () => {
    const pinger = setup({ types: { emitted: {} as { type: 'PING'; to: string } } }).createMachine({ initial: 'a', states: { a: { on: { GO: { target: 'b', actions: emit({ type: 'PING', to: 'r2' }) } } }, b: { type: 'final' } } });
    const r = await checkSpec(spec(() => ({
      actors: { p: { machine: pinger }, r1: { machine: receiver }, r2: { machine: receiver } },
      events: { GO: { local: ['p'] }, CLOSE: { local: ['r1', 'r2'] }, OPEN: { local: ['r1', 'r2'] }, PING: { wired: ['r1', 'r2'] } },
      wires: [{ from: 'p', event: 'PING', toField: 'to', targets: ['r1', 'r2'] }],
      mailboxes: { r1: { capacity: 1 }, r2: { capacity: 1 } },
    }), [{ name: 'r2never', kind: 'invariant', doc: '', check: (s) => s.context('r2').got === 0 }]));
    expect(steps(r, 'r2never')).toEqual(['p:GO', 'r2:PING']);
  });
});

describe('§4 time', () => {
  it('an after-timer is a pending timer that may fire; leaving the state cancels it', async () => {
    const timed = setup({}).createMachine({ initial: 'wait', states: {
      wait: { after: { 45000: 'timedOut' }, on: { ACK: 'acked' } },
      timedOut: { type: 'final' }, acked: { type: 'final' },
    } });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: timed } }, events: { ACK: { local: ['m'] } } }), [
      { name: 'noTimeout', kind: 'invariant', doc: '', check: (s) => !s.matches('m', 'timedOut') },
    ]));
    // wait (timer pending), timedOut, acked (timer cancelled): 3 states.
    expect(r.stats.states).toBe(3);
    expect(r.properties.noTimeout.trace!.steps[0].kind).toBe('timer');
    expect(r.properties.noTimeout.trace!.initial.actors.m.timers).toHaveLength(1);
    const acked = r.properties.noTimeout.trace!;
    expect(acked.states.at(-1)!.actors.m.timers).toHaveLength(0);
  });
});

describe('§5 canonical global state', () => {
  it('history is part of the state: equal value and context, different history, are two states', async () => {
    const h = setup({}).createMachine({ initial: 'on', states: {
      on: { initial: 'x', states: { x: { on: { SW: 'y' } }, y: { on: { SW: 'x' } }, hist: { type: 'history' } }, on: { OFF: 'off' } },
      off: { on: { ON: 'on.hist' } },
    } });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: h } }, events: { SW: { local: ['m'] }, OFF: { local: ['m'] }, ON: { local: ['m'] } } })));
    // (value, history): on.x/∅, on.y/∅ before any OFF; off/x, off/y; after ON the history stays
    // and SW changes the value under it: on.x/x, on.y/x, on.y/y, on.x/y. 8 in all.
    expect(r.stats.states).toBe(8);
  });

  it('key order in context does not make two states', async () => {
    const m = setup({}).createMachine({ initial: 'a', context: { p: 0, q: 0 } as Record<string, number>, states: { a: { on: {
      X: { actions: assign(() => ({ p: 1, q: 1 })) },
      Y: { actions: assign(() => ({ q: 1, p: 1 })) },
    } } } });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: m } }, events: { X: { local: ['m'] }, Y: { local: ['m'] } } })));
    expect(r.stats.states).toBe(2);
  });
});

describe('§7 properties', () => {
  it('deadlock: not at a final state or a validEnd tag, and nothing can move', async () => {
    const stuck = setup({}).createMachine({ initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: stuck } }, events: { GO: { local: ['m'] } } })));
    expect(r.properties.deadlock.verdict).toBe('violated');
    expect(r.properties.deadlock.traceLength).toBe(1);
    const fine = setup({}).createMachine({ initial: 'a', states: { a: { on: { GO: 'b' } }, b: { tags: ['validEnd'] } } });
    const r2 = await checkSpec(spec(() => ({ actors: { m: { machine: fine } }, events: { GO: { local: ['m'] } } })));
    expect(r2.properties.deadlock.verdict).toBe('holds');
  });

  it('assertion: entering a state tagged violation:<name> violates it, and the state is not expanded', async () => {
    const m = setup({}).createMachine({ initial: 'a', states: { a: { on: { GO: 'bug' } }, bug: { tags: ['violation:BUG_ON'], on: { GO: 'after' } }, after: {} } });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: m } }, events: { GO: { local: ['m'] } } }), [{ name: 'BUG_ON', kind: 'assertion', doc: 'i_mapdcount_dec BUG_ON' }]));
    expect(r.properties.BUG_ON.verdict).toBe('violated');
    expect(r.stats.states).toBe(2);
    // An undeclared violation tag is bad input.
    await expect(checkSpec(spec(() => ({ actors: { m: { machine: m } }, events: { GO: { local: ['m'] } } })))).rejects.toThrow(/tagged 'violation:BUG_ON', but the spec declares no assertion 'BUG_ON'/);
  });

  it('action properties see (prev, step, next), filtered by event type', async () => {
    const r = await checkSpec(spec(() => ({ actors: { a: { machine: toggle }, b: { machine: toggle } }, events: { FLIP: { local: ['a', 'b'] } } }), [
      { name: 'bNeverFlipsOn', kind: 'action', on: ['FLIP'], doc: '', check: (p, st, n) => !(st.actors.includes('b') && !p.matches('b', 'on') && n.matches('b', 'on')) },
    ]));
    expect(steps(r, 'bNeverFlipsOn')).toEqual(['b:FLIP']);
    expect(r.properties.bNeverFlipsOn.trace!.steps[0].violating).toBe(true);
  });

  it('goals: reached or unreached; a witness keeps a safety property from holding vacuously', async () => {
    const r = await checkSpec(spec(() => ({ actors: { a: { machine: oneShot } }, events: { GO: { local: ['a'] } } }), [
      // A witness no state satisfies (a state path the machine lacks is a spec error: test/property-slips).
      { name: 'safe', kind: 'invariant', doc: '', check: () => true, witness: (s) => s.matches('a', 'idle') && s.matches('a', 'done') },
      { name: 'done', kind: 'goal', doc: '', reach: (s) => s.matches('a', 'done') },
    ]));
    expect(r.properties.safe.verdict).toBe('holds');
    expect(r.properties['witness:safe'].verdict).toBe('unreached');
    expect(r.properties.done.verdict).toBe('reached');
  });

  it('raise and always stay inside one macrostep', async () => {
    const m = setup({}).createMachine({ initial: 'a', states: {
      a: { on: { GO: { target: 'b', actions: raise({ type: 'NEXT' }) } } },
      b: { on: { NEXT: 'c' } }, c: { always: 'd' }, d: { type: 'final' },
    } });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: m } }, events: { GO: { local: ['m'] }, NEXT: { local: ['m'] } } })));
    expect(r.stats.states).toBe(2);
  });
});

describe('bounds, incompleteness and determinism', () => {
  const counter = setup({}).createMachine({ initial: 'a', context: { n: 0 }, states: { a: { on: { INC: { guard: ({ context }) => context.n < 50, actions: assign({ n: ({ context }) => context.n + 1 }) } } } } });
  const s = spec(() => ({ actors: { c: { machine: counter } }, events: { INC: { local: ['c'] } } }), [
    { name: 'small', kind: 'invariant', doc: '', check: (v) => v.context('c').n <= 50 },
  ]);

  it('a bound on states or depth makes the run incomplete, never holds', async () => {
    const full = await checkSpec(s);
    expect(full.complete).toBe(true);
    expect(full.stats.states).toBe(51);
    expect(full.properties.small.verdict).toBe('holds');
    for (const opts of [{ maxStates: 10 }, { maxDepth: 5 }]) {
      const r = await checkSpec(s, opts);
      expect(r.complete).toBe(false);
      expect(r.properties.small.verdict).toBe('incomplete');
    }
  });

  it('the same spec gives the same counts and the same counterexample on every run', async () => {
    const phil = (n: number) => spec(() => ({
      actors: Object.fromEntries([...Array(n).keys()].flatMap((i) => [[`t${i}`, { machine: toggle }]])),
      events: { FLIP: { local: [...Array(n).keys()].map((i) => `t${i}`) } },
    }), [{ name: 'notAll', kind: 'invariant', doc: '', check: (v) => !v.actors.every((a) => v.matches(a, 'on')) }]);
    const a = await checkSpec(phil(4));
    const b = await checkSpec(phil(4));
    expect(a.stats.states).toBe(b.stats.states);
    expect(a.stats.transitions).toBe(b.stats.transitions);
    expect(steps(a, 'notAll')).toEqual(steps(b, 'notAll'));
    expect(steps(a, 'notAll')).toEqual(['t0:FLIP', 't1:FLIP', 't2:FLIP', 't3:FLIP']);
  });

  it('DFS explores the same states as BFS', async () => {
    const sys = () => ({ actors: { a: { machine: toggle }, b: { machine: toggle }, c: { machine: toggle } }, events: { FLIP: { local: ['a', 'b', 'c'] } } });
    const bfs = await checkSpec(spec(sys));
    const dfs = await checkSpec(spec(sys), { order: 'dfs' });
    expect(dfs.stats.states).toBe(8);
    expect(bfs.stats.states).toBe(8);
    expect(dfs.stats.transitions).toBe(bfs.stats.transitions);
  });
});

describe('bad input in specs', () => {
  it('unknown knob, knob value, variant', async () => {
    const s = defineSpec({ name: 'kn', title: '', knobs: { mode: { values: ['a', 'b'], default: 'a', doc: '' } }, system: () => ({ actors: { t: { machine: toggle } }, events: { FLIP: { local: ['t'] } } }), properties: [], variants: { v: { knobs: {}, expect: HOLDS } } });
    await expect(checkSpec(s, { knobs: { nope: 1 } })).rejects.toThrow(/spec 'kn': knobs: unknown knob 'nope'/);
    await expect(checkSpec(s, { knobs: { mode: 'c' } })).rejects.toThrow(/knob 'mode' has no value "c"/);
    await expect(checkSpec(s, { variant: 'zz' })).rejects.toThrow(/unknown variant 'zz'/);
  });

  it('an expectation for an unknown property, or without a citation', async () => {
    const base = { name: 'ex', title: '', knobs: {}, system: () => ({ actors: { t: { machine: toggle } }, events: { FLIP: { local: ['t'] } } }), properties: [] };
    await expect(checkSpec(defineSpec({ ...base, variants: { v: { knobs: {}, expect: { S99: { verdict: 'holds', cite: 'x' } } } } }))).rejects.toThrow(/unknown property 'S99'/);
    await expect(checkSpec(defineSpec({ ...base, variants: { v: { knobs: {}, expect: { '*': { verdict: 'holds', cite: '' } } } } }))).rejects.toThrow(/every expected verdict cites its source/);
  });

  it('errors are SpecError or ModelError, never a bare crash', async () => {
    await expect(checkSpec(spec(() => { throw new Error('oops'); }))).rejects.toBeInstanceOf(SpecError);
  });
});
