/**
 * Regressions for the findings of the code review (each once let a violation slip or crashed).
 */
import { describe, expect, it } from 'vitest';
import { assign, emit, raise, setup } from 'xstate';
import { checkSpec } from '../src/check.js';
import { defineSpec, type PropertyDecl, type SystemDecl } from '../src/spec/types.js';

const HOLDS = { '*': { verdict: 'holds', cite: 'test' } } as const;
const spec = (system: () => SystemDecl, properties: PropertyDecl[] = [], name = 't') =>
  defineSpec({ name, title: name, knobs: {}, system, properties, variants: { v: { knobs: {}, expect: HOLDS } } });

describe('soundness', () => {
  it('two timers with one id but different events are two states (the second one fires too)', async () => {
    const m = setup({ types: { events: {} as { type: 'ARM'; v: number } | { type: 'FIRE'; v: number } } }).createMachine({
      initial: 'idle',
      states: {
        idle: { on: { ARM: { target: 'armed', actions: raise(({ event }) => ({ type: 'FIRE' as const, v: (event as { v: number }).v }), { delay: 10, id: 't' }) } } },
        armed: { on: { FIRE: [{ guard: ({ event }) => event.v === 1, target: 'bad' }, { target: 'idle' }] } },
        bad: { tags: ['violation:NoBad'] },
      },
    });
    // FIRE comes only from the timer; a computed raise is invisible statically, so it is declared.
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: m } }, events: { ARM: { local: ['m'], params: { v: [0, 1] } }, FIRE: { wired: ['m'] } } }), [{ name: 'NoBad', kind: 'assertion', doc: '' }]));
    expect(r.properties.NoBad.verdict).toBe('violated');
    expect(r.properties.NoBad.trace!.steps.map((s) => s.kind)).toEqual(['local', 'timer']);
  });

  it('an instance that has finished takes no more events, even with a root-level handler', async () => {
    const m = setup({}).createMachine({
      context: { ended: false, pokedAfterEnd: false },
      on: { POKE: { actions: assign({ pokedAfterEnd: ({ context }) => context.ended }) } },
      initial: 'a',
      states: { a: { on: { END: { target: 'done', actions: assign({ ended: true }) } } }, done: { type: 'final' } },
    });
    const r = await checkSpec(spec(() => ({ actors: { m: { machine: m } }, events: { POKE: { local: ['m'] }, END: { local: ['m'] } } }), [
      { name: 'pokedAfterEnd', kind: 'goal', doc: '', reach: (s) => s.context('m').pokedAfterEnd },
    ]));
    expect(r.complete).toBe(true);
    expect(r.properties.pokedAfterEnd.verdict).toBe('unreached');
  });
});

describe('bad input that used to pass silently', () => {
  const toggle = setup({}).createMachine({ initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } } });
  const sys = () => ({ actors: { t: { machine: toggle } }, events: { FLIP: { local: ['t'] } } });

  it('a property of an unknown kind', async () => {
    await expect(checkSpec(spec(sys, [{ name: 'P', kind: 'invarient', doc: '', check: () => false } as unknown as PropertyDecl]))).rejects.toThrow(/property 'P' has kind 'invarient'/);
  });

  it('an action property on an event type that does not exist', async () => {
    await expect(checkSpec(spec(sys, [{ name: 'Q', kind: 'action', on: ['flip'], doc: '', check: () => false }]))).rejects.toThrow(/action property 'Q' is on 'flip', which is not a declared event type/);
  });

  it('keySteps that are not a list of strings', async () => {
    const s = defineSpec({ name: 'k', title: 'k', knobs: {}, system: sys, properties: [], variants: { v: { knobs: {}, expect: { '*': { verdict: 'holds', cite: 'x', keySteps: 'FLIP' as unknown as string[] } } } } });
    await expect(checkSpec(s)).rejects.toThrow(/keySteps must be a list/);
  });

  it('an expectation for a witness that does not exist, or for deadlock when it is not checked', async () => {
    const base = { name: 'w', title: 'w', knobs: {}, system: sys, properties: [{ name: 'P', kind: 'invariant' as const, doc: '', check: () => true }] };
    await expect(checkSpec(defineSpec({ ...base, variants: { v: { knobs: {}, expect: { '*': { verdict: 'holds', cite: 'x' }, 'witness:P': { verdict: 'unreached', cite: 'x' } } } } }))).rejects.toThrow(/no property P with a witness/);
    await expect(checkSpec(defineSpec({ ...base, deadlock: false, variants: { v: { knobs: {}, expect: { '*': { verdict: 'holds', cite: 'x' }, deadlock: { verdict: 'holds', cite: 'x' } } } } }))).rejects.toThrow(/does not check deadlock/);
  });

  it('system() returning null, a parameter named type, a huge parameter product', async () => {
    await expect(checkSpec(spec(() => null as unknown as SystemDecl))).rejects.toThrow(/system\(\) must return an object with actors/);
    await expect(checkSpec(spec(() => ({ ...sys(), events: { FLIP: { local: ['t'], params: { type: ['x'] } } } })))).rejects.toThrow(/parameter named 'type'/);
    const big = [...Array(1000).keys()];
    await expect(checkSpec(spec(() => ({ ...sys(), events: { FLIP: { local: ['t'], params: { a: big, b: big } } } })))).rejects.toThrow(/more than 100000 parameter combinations/);
  });
});

describe('enumeration order', () => {
  it('deliveries follow the receivers\' declaration order, not the mailboxes\' key order', async () => {
    const tx = setup({}).createMachine({ initial: 'a', states: { a: { on: { GO: { target: 'b', actions: [emit({ type: 'M1' }), emit({ type: 'M2' })] } } }, b: { type: 'final' } } });
    const rx = (t: string) => setup({}).createMachine({ initial: 'w', states: { w: { on: { [t]: 'got' } }, got: { type: 'final' } } });
    const r = await checkSpec(spec(() => ({
      actors: { tx: { machine: tx }, r1: { machine: rx('M1') }, r2: { machine: rx('M2') } },
      events: { GO: { local: ['tx'] }, M1: { wired: ['r1'] }, M2: { wired: ['r2'] } },
      wires: [{ from: 'tx', event: 'M1', to: 'r1' }, { from: 'tx', event: 'M2', to: 'r2' }],
      mailboxes: { r2: { capacity: 1 }, r1: { capacity: 1 } },
    }), [{ name: 'neverBoth', kind: 'invariant', doc: '', check: (s) => !(s.matches('r1', 'got') && s.matches('r2', 'got')) }]));
    expect(r.properties.neverBoth.trace!.steps.map((s) => `${s.actors[0]}:${s.event.type}`)).toEqual(['tx:GO', 'r1:M1', 'r2:M2']);
  });
});
