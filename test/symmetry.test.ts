/**
 * Symmetry reduction (docs/symmetry.md): the states stored are exactly the orbits (counted by an
 * independent brute force, test/oracle/lease-orbits.ts), verdicts are those of the full space,
 * counterexamples are real paths that replay (also when only a renaming of the explored state
 * violates), and what cannot be reduced soundly is refused with a one-line error.
 */
import { describe, expect, it } from 'vitest';
import lease, { leaseSymmetric, server } from '../bench/models/lease.js';
import { checkSpec } from '../src/check.js';
import { replayTrace } from '../src/replay/replay.js';
import { defineSpec, type Spec, type SystemDecl } from '../src/spec/types.js';
import { leaseOrbits } from './oracle/lease-orbits.js';
import { runCli } from './cli-helpers.js';
import { mkdtempSync } from 'node:fs';
import { assign, setup } from 'xstate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** The symmetric lease with its system declaration changed, and these properties and variants. */
function variantOf(name: string, change: (d: SystemDecl) => SystemDecl, props = leaseSymmetric.properties): Spec {
  return defineSpec({
    ...leaseSymmetric,
    name,
    system: (k) => change(leaseSymmetric.system(k)),
    properties: props,
    variants: { default: { knobs: {}, expect: { '*': { verdict: 'holds', cite: 'test' } } } },
  });
}

describe('symmetry: one state per orbit, exactly', () => {
  for (const n of [2, 3, 4]) {
    it(`lease, ${n} clients: states, orbits and orbit transitions equal the brute force's`, async () => {
      const oracle = leaseOrbits(n);
      const full = await checkSpec(leaseSymmetric, { knobs: { clients: n }, symmetry: false });
      const sym = await checkSpec(leaseSymmetric, { knobs: { clients: n } });
      expect(full.stats.states).toBe(oracle.states);
      expect(sym.complete).toBe(true);
      expect(sym.stats.states).toBe(oracle.orbits);
      expect(sym.stats.transitions).toBe(oracle.orbitTransitions);
      expect(sym.symmetry?.permutations).toBe([1, 1, 2, 6, 24][n]);
      expect(full.symmetry).toBeUndefined();
    });
  }

  it('two sets, {c0, c1} and {c2, c3} (4 renamings): the orbits of that group, as the brute force counts them', async () => {
    const twoSets = variantOf('two-sets', (d) => ({ ...d, symmetry: [{ ...d.symmetry![0], instances: ['c0', 'c1'] }, { instances: ['c2', 'c3'] }] }));
    const oracle = leaseOrbits(4, [[0, 1], [2, 3]]);
    const r = await checkSpec(twoSets, { knobs: { clients: 4 } });
    expect(r.symmetry?.permutations).toBe(4);
    expect(r.stats.states).toBe(oracle.orbits);
    expect(r.stats.transitions).toBe(oracle.orbitTransitions);
  });

  it('with the fingerprint store and depth-first: the same classes', async () => {
    expect((await checkSpec(leaseSymmetric, { store: 'fingerprint' })).stats.states).toBe(leaseOrbits(3).orbits);
    expect((await checkSpec(leaseSymmetric, { order: 'dfs' })).stats.states).toBe(leaseOrbits(3).orbits);
  });
});

/**
 * Hand-countable: n processes pin one page through a rendezvous whose parameter `by` names the
 * process. All states: the page free, or held by one of the n: n + 1 states, 2n transitions (n pins
 * from free, one unpin back from each). Up to renaming the processes: 2 classes, n + 1 transitions.
 */
function pins(n: number, refs = true): Spec {
  const proc = setup({ types: { context: {} as { id: string }, input: {} as { id: string }, events: {} as { type: 'PIN' | 'UNPIN'; by: string } } }).createMachine({
    id: 'proc',
    context: ({ input }) => ({ id: input.id }),
    initial: 'idle',
    states: {
      idle: { on: { PIN: { guard: ({ context, event }) => event.by === context.id, target: 'pinned' } } },
      pinned: { on: { UNPIN: { guard: ({ context, event }) => event.by === context.id, target: 'idle' } } },
    },
  });
  const page = setup({ types: { context: {} as { owner: string | null }, events: {} as { type: 'PIN' | 'UNPIN'; by: string } } }).createMachine({
    id: 'page',
    context: { owner: null },
    initial: 'free',
    states: {
      free: { on: { PIN: { target: 'held', actions: assign({ owner: ({ event }) => event.by }) } } },
      held: { on: { UNPIN: { guard: ({ context, event }) => event.by === context.owner, target: 'free', actions: assign({ owner: null }) } } },
    },
  });
  const ids = [...Array(n).keys()].map((i) => `p${i}`);
  return defineSpec({
    name: 'pins', title: 'n processes pin a page', knobs: {}, deadlock: false,
    system: () => ({
      actors: { ...Object.fromEntries(ids.map((id) => [id, { machine: proc, input: { id } }])), page: { machine: page } },
      events: {
        PIN: { sync: ids.map((id) => [id, 'page']), params: { by: ids } },
        UNPIN: { sync: ids.map((id) => [id, 'page']), params: { by: ids } },
      },
      symmetry: [{ instances: ids, refs: { context: { proc: ['id'], page: ['owner'] }, ...(refs ? { events: { PIN: ['by'], UNPIN: ['by'] } } : {}) } }],
    }),
    properties: [{ name: 'onePin', kind: 'invariant', symmetric: true, doc: 'at most one process has the page pinned', check: (s) => ids.filter((id) => s.matches(id, 'pinned')).length <= 1 }],
    variants: { default: { knobs: {}, expect: { '*': { verdict: 'holds', cite: 'test' } } } },
  });
}

describe('symmetry: event parameters that name an instance', () => {
  for (const n of [2, 3, 4]) {
    it(`${n} processes pinning a page: ${n + 1} states, 2 classes, by hand`, async () => {
      const full = await checkSpec(pins(n), { symmetry: false });
      const sym = await checkSpec(pins(n), {});
      expect([full.stats.states, full.stats.transitions]).toEqual([n + 1, 2 * n]);
      expect([sym.stats.states, sym.stats.transitions]).toEqual([2, n + 1]);
      expect([full.complete, sym.complete, sym.properties.onePin.verdict]).toEqual([true, true, 'holds']);
    });
  }

  it('a parameter naming an instance, not declared: refused', async () => {
    await expect(checkSpec(pins(2, false), {})).rejects.toThrow(/^spec 'pins': symmetry: event 'PIN' field 'by' holds instance name 'p\d' but is not declared in the symmetry refs$/);
  });
});

describe('symmetry: the same verdicts as the full space, and real counterexamples', () => {
  for (const variant of ['default', 'ack-stale']) {
    it(`lease ${variant}, 3 clients: every verdict and trace length as with --no-symmetry`, async () => {
      const sym = await checkSpec(leaseSymmetric, { variant });
      const full = await checkSpec(leaseSymmetric, { variant, symmetry: false });
      const shape = (r: typeof sym) => Object.fromEntries(Object.values(r.properties).map((p) => [p.name, [p.verdict, p.traceLength]]));
      expect(shape(sym)).toEqual(shape(full));
      expect(sym.stats.states).toBeLessThan(full.stats.states);
    });
  }

  it('the buggy clients\' mutex counterexample replays with the fingerprint store too', async () => {
    const p = (await checkSpec(leaseSymmetric, { variant: 'ack-stale', store: 'fingerprint' })).properties.mutex;
    expect(p.traceLength).toBe(18);
    expect(replayTrace(leaseSymmetric, copy(p.trace!)).confirmed).toBe(true);
  });

  it('the buggy clients\' mutex counterexample (found on a representative) replays through XState', async () => {
    const p = (await checkSpec(leaseSymmetric, { variant: 'ack-stale' })).properties.mutex;
    expect(p.verdict).toBe('violated');
    expect(p.traceLength).toBe(18);
    expect(p.trace!.steps.flatMap((s) => s.functions.map((f) => f.fn))).toContain('acks a stale break (bug)');
    const r = replayTrace(leaseSymmetric, copy(p.trace!));
    expect(r.divergence).toBeUndefined();
    expect(r.confirmed).toBe(true);
  });

  it('a property naming one client (not symmetric) is violated on a renaming: the trace ends there and replays', async () => {
    // Representatives put idle clients first: c0 holds in none reachable in 3 steps, only in renamings.
    const c0 = variantOf('lease-c0', (d) => d, [
      { name: 'c0NeverHolds', kind: 'invariant', doc: 'client c0 never holds the lease', check: (s) => !s.hasTag('c0', 'holding') },
    ]);
    const sym = await checkSpec(c0, {});
    const full = await checkSpec(c0, { symmetry: false });
    const p = sym.properties.c0NeverHolds;
    expect(p.verdict).toBe('violated');
    expect(p.traceLength).toBe(3);
    expect(full.properties.c0NeverHolds.traceLength).toBe(3);
    const last = p.trace!.states[p.trace!.states.length - 1];
    expect(last.actors.c0.value).toBe('holding');
    expect(p.trace!.steps.every((s) => s.actors.every((a) => a === 'c0' || a === 'server'))).toBe(true);
    expect(replayTrace(c0, copy(p.trace!)).confirmed).toBe(true);
  });

  it('a symmetric action property: violated on a step from a representative, the trace ends with that step and replays', async () => {
    const spec = variantOf('first-grant', (d) => d, [
      { name: 'noGrant', kind: 'action', on: ['GRANT'], symmetric: true, doc: 'no client is ever granted', check: (_p, step) => step.kind !== 'deliver' },
    ]);
    const sym = (await checkSpec(spec, {})).properties.noGrant;
    const full = (await checkSpec(spec, { symmetry: false })).properties.noGrant;
    expect(sym.verdict).toBe('violated');
    expect(sym.traceLength).toBe(full.traceLength);
    expect(sym.trace!.steps.at(-1)!.event.type).toBe('GRANT');
    expect(replayTrace(spec, copy(sym.trace!)).confirmed).toBe(true);
  });

  it('a goal naming one client is reached through a renaming (witness of mutex: c0 holds)', async () => {
    const r = await checkSpec(leaseSymmetric, { witnessTraces: true });
    const w = r.properties['witness:mutex'];
    expect(w.verdict).toBe('reached');
    expect(replayTrace(leaseSymmetric, copy(w.trace!)).confirmed).toBe(true);
  });
});

describe('symmetry: what is refused, in one line naming the culprit', () => {
  const refused = async (spec: Spec, re: RegExp) => {
    await expect(checkSpec(spec, {})).rejects.toThrow(re);
    // --no-symmetry runs it.
    expect((await checkSpec(spec, { symmetry: false })).complete).toBe(true);
  };

  it('an instance name in a context field not declared as a reference', () =>
    refused(
      variantOf('hidden-ref', (d) => ({ ...d, symmetry: [{ ...d.symmetry![0], refs: { ...d.symmetry![0].refs, context: { client: ['id'], server: ['waiter'] } } }] })),
      /^spec 'hidden-ref': symmetry: the context of 'server' \(machine 'server'\) field 'holder' holds instance name 'c\d' but is not declared in the symmetry refs$/,
    ));

  it('instances whose inputs differ beyond a renaming', () =>
    refused(
      variantOf('odd-input', (d) => ({ ...d, actors: { ...d.actors, c1: { ...d.actors.c1, input: { id: 'c1', ackStale: true } } } })),
      /^spec 'odd-input': symmetry: actor 'c\d' does not start as its renaming does/,
    ));

  it('an unknown instance', () =>
    refused(variantOf('unknown', (d) => ({ ...d, symmetry: [{ instances: ['c0', 'c9'] }] })), /^spec 'unknown': symmetry names unknown actor 'c9'$/));

  it('an action property not declared symmetric', () =>
    refused(
      variantOf('action', (d) => d, [{ name: 'grants', kind: 'action', doc: 'x', check: () => true }]),
      /^spec 'action': action property 'grants' must be declared symmetric: true under symmetry/,
    ));

  it('a machine that looks at a name (the holder c1 can never release): found by the audit of the steps', async () => {
    const picky = server.provide({ guards: { fromHolder: ({ context, event }) => event.from === context.holder && event.from !== 'c1' } });
    const spec = variantOf('picky', (d) => ({ ...d, actors: { ...d.actors, server: { ...d.actors.server, machine: picky } } }));
    await expect(checkSpec(spec, {})).rejects.toThrow(/^spec 'picky': the declared symmetry does not hold: renaming c\d->c\d.* changes the steps of state \{/);
    expect((await checkSpec(spec, { symmetry: false })).complete).toBe(true);
  });

  it('an invariant declared symmetric whose answer a renaming changes', async () => {
    const wrong = variantOf('wrong-claim', (d) => d, [
      { name: 'c0NeverHolds', kind: 'invariant', doc: 'names c0', symmetric: true, check: (s) => !s.hasTag('c0', 'holding') },
    ]);
    await expect(checkSpec(wrong, {})).rejects.toThrow(/^spec 'wrong-claim': property 'c0NeverHolds' is declared symmetric but renaming c\d->c\d.* changes its answer in state \{c0=/);
    expect((await checkSpec(wrong, { symmetry: false })).properties.c0NeverHolds.verdict).toBe('violated');
  });

  it('a liveness property: refused by the CLI (exit 2, one line); --no-symmetry checks it', () => {
    const r = runCli(['check', 'test/fixtures/symmetry/lease-live.ts']);
    expect(r.code).toBe(2);
    expect(r.out.trim().split('\n').slice(1)).toEqual([
      "daxcheck: spec 'lease-live': liveness property 'granted' cannot be checked under symmetry reduction (docs/symmetry.md): run with --no-symmetry",
    ]);
    const full = runCli(['check', 'test/fixtures/symmetry/lease-live.ts', '--no-symmetry']);
    expect(full.code).toBe(1);
    expect(full.out).toMatch(/VIOLATED\s+granted/);
  });
});

describe('symmetry on the command line', () => {
  it('on when declared, with the classes said; --no-symmetry counts every state', () => {
    const on = runCli(['check', 'test/fixtures/symmetry/lease-sym.ts']);
    expect(on.code).toBe(0);
    expect(on.out).toMatch(/^ {2}225 states, 695 transitions/m);
    expect(on.out).toMatch(/symmetry: one state per class of states equal up to renaming \{c0, c1, c2\} \(6 permutations/);
    const off = runCli(['check', 'test/fixtures/symmetry/lease-sym.ts', '--no-symmetry']);
    expect(off.code).toBe(0);
    expect(off.out).toMatch(/^ {2}1300 states, 3966 transitions/m);
    expect(off.out).not.toMatch(/symmetry:/);
  });

  it('daxcheck replay confirms the buggy clients\' counterexample written by check --trace-out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-sym-'));
    const file = join(dir, 'mutex.json');
    const c = runCli(['check', 'test/fixtures/symmetry/lease-sym.ts', '--variant', 'ack-stale', '--stop', 'first', '--trace-out', file]);
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/VIOLATED\s+mutex \(trace 18 steps\)/);
    const r = runCli(['replay', file, '--spec', 'test/fixtures/symmetry/lease-sym.ts', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/CONFIRMED/);
  });

  it('the plain bench lease declares none: unchanged', async () => {
    expect((await checkSpec(lease, {})).stats.states).toBe(1300);
  });
});
