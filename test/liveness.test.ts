/**
 * Liveness through checkSpec on textbook models with known answers (test/fixtures/liveness/):
 * semaphore mutex (violated without fairness and under weak fairness, holds under strong), Peterson
 * (starvation-free under weak fairness of both processes), Ben-Ari's fourth attempt (livelock:
 * violated under any fairness of the processes), a two-phase handshake (timer and delivery
 * fairness). Every lasso is checked against the trace alone: it is a path, it closes, the goal never
 * holds after the trigger, and its cycle is fair by a hand-written enabledness rule per model.
 */
import { describe, it, expect } from 'vitest';
import { checkSpec, type CheckResult } from '../src/check.js';
import { SpecError } from '../src/errors.js';
import type { FairnessDecl } from '../src/spec/types.js';
import type { GlobalSnapshot, Trace } from '../src/trace/types.js';
import { traceToText } from '../src/trace/text.js';
import { traceToItf } from '../src/trace/itf.js';
import { compareVariant } from '../src/review/compare.js';
import { defineSpec } from '../src/spec/types.js';
import { semaphoreSpec } from './fixtures/liveness/semaphore.js';
import { fourthAttemptSpec } from './fixtures/liveness/fourth-attempt.js';
import { handshakeSpec } from './fixtures/liveness/handshake.js';
import { petersonLiveSpec } from './fixtures/liveness/peterson-live.js';

const weak = (...actors: string[]): FairnessDecl => ({ kind: 'weak', actors });
const strong = (...actors: string[]): FairnessDecl => ({ kind: 'strong', actors });
const val = (g: GlobalSnapshot, a: string) => g.actors[a].value as string;
const key = (g: GlobalSnapshot) => JSON.stringify(g);

/**
 * Checks a lasso from the trace alone. `enabled(g)` lists the actors with an enabled step in g
 * (hand-written per model); `fair` maps actors to their fairness kind.
 */
function checkLasso(
  t: Trace,
  trigger: (g: GlobalSnapshot) => boolean,
  goal: (g: GlobalSnapshot) => boolean,
  enabled: (g: GlobalSnapshot) => string[],
  fair: Record<string, 'weak' | 'strong'>,
): void {
  expect(t.kind).toBe('lasso');
  expect(t.loop).toBeDefined();
  const loop = t.loop!;
  const last = t.states.length - 1;
  expect(t.steps.length).toBe(last);
  expect(loop).toBeLessThanOrEqual(last);
  expect(key(t.states[last])).toBe(key(t.states[loop]));
  // Each step changes only the actors it names.
  t.steps.forEach((s, i) => {
    for (const a of t.actorOrder) if (!s.actors.includes(a)) expect(key(t.states[i + 1].actors[a] as never)).toBe(key(t.states[i].actors[a] as never));
  });
  const from = t.states.findIndex((g, i) => trigger(g) && t.states.slice(i).every((x) => !goal(x)));
  expect(from).toBeGreaterThanOrEqual(0);
  expect(from).toBeLessThanOrEqual(loop);
  const cycleStates = loop === last ? [t.states[last]] : t.states.slice(loop, last);
  const taken = new Set(t.steps.slice(loop).flatMap((s) => s.actors));
  for (const [a, kind] of Object.entries(fair)) {
    if (taken.has(a)) continue;
    const en = cycleStates.map((g) => enabled(g).includes(a));
    if (kind === 'weak') expect(en.every(Boolean), `${a} is always enabled on the cycle and never moves`).toBe(false);
    else expect(en.some(Boolean), `${a} is enabled on the cycle and never moves (strong)`).toBe(false);
  }
}

// ---------------------------------------------------------------- semaphore mutex

const semEnabled = (g: GlobalSnapshot) =>
  ['P0', 'P1'].filter((p) => val(g, p) !== 'wait' || val(g, 'sem') === 'free');
const semFair = (f: 'weak' | 'strong' | null): Record<string, 'weak' | 'strong'> => (f ? { P0: f, P1: f } : {});

describe('semaphore mutex (Baier & Katoen §3.5.2): weak fairness is not enough, strong is', () => {
  const run = (f: FairnessDecl[]) => checkSpec(semaphoreSpec(f));

  it('no fairness: every liveness property is violated by stopping', async () => {
    const r = await run([]);
    expect(r.properties.mutex.verdict).toBe('holds');
    const starv = r.properties['P0-no-starvation'];
    expect(starv.verdict).toBe('violated');
    // Shortest: P0 requests, then nothing happens (stuttering in state 1).
    expect(starv.trace!.loop).toBe(1);
    expect(starv.trace!.steps.length).toBe(1);
    // Infinitely often / eventually: the initial state stutters.
    expect(r.properties['P0-infinitely-often'].trace!.loop).toBe(0);
    expect(r.properties['P0-eventually'].trace!.steps.length).toBe(0);
    for (const p of ['P0-no-starvation', 'P0-infinitely-often', 'P0-eventually'])
      checkLasso(r.properties[p].trace!, (g) => p !== 'P0-no-starvation' || val(g, 'P0') === 'wait', (g) => val(g, 'P0') === 'crit', semEnabled, semFair(null));
  });

  it('weak fairness of both processes: P0 still starves while P1 cycles through the semaphore', async () => {
    const r = await run([weak('P0', 'P1')]);
    expect(r.liveness!.fairnessSets).toEqual(['weak(P0)', 'weak(P1)']);
    for (const p of ['P0-no-starvation', 'P0-infinitely-often', 'P0-eventually']) {
      const t = r.properties[p].trace!;
      expect(r.properties[p].verdict).toBe('violated');
      checkLasso(t, (g) => p !== 'P0-no-starvation' || val(g, 'P0') === 'wait', (g) => val(g, 'P0') === 'crit', semEnabled, semFair('weak'));
      // Derived by hand: P0 requests (1 step), then P1 requests, acquires, releases (cycle of 3).
      expect(t.loop).toBe(1);
      expect(t.steps.map((s) => `${s.actors[0]}:${s.event.type}`)).toEqual(['P0:request', 'P1:request', 'P1:acquire', 'P1:release']);
    }
  });

  it('strong fairness of both processes: starvation-free', async () => {
    const r = await run([strong('P0', 'P1')]);
    for (const p of ['P0-no-starvation', 'P0-infinitely-often', 'P0-eventually']) expect(r.properties[p].verdict).toBe('holds');
  });

  it('strong fairness of P1 only: P0 may stop for ever', async () => {
    const r = await run([strong('P1')]);
    expect(r.properties['P0-no-starvation'].verdict).toBe('violated');
    checkLasso(r.properties['P0-no-starvation'].trace!, (g) => val(g, 'P0') === 'wait', (g) => val(g, 'P0') === 'crit', semEnabled, { P1: 'strong' });
  });

  it('shows the lasso in text and ITF', async () => {
    const r = await run([weak('P0', 'P1')]);
    const t = r.properties['P0-no-starvation'].trace!;
    expect(traceToText(t)).toContain('loops back to state 1');
    const itf = traceToItf(t) as { loop?: number; states: unknown[] };
    expect(itf.loop).toBe(1);
    expect(itf.states.length).toBe(5);
  });

  it('a bounded run never says holds', async () => {
    const r = await checkSpec(semaphoreSpec([strong('P0', 'P1')]), { maxStates: 4 });
    expect(r.complete).toBe(false);
    expect(r.properties['P0-no-starvation'].verdict).toBe('incomplete');
  });

  it('never reports a run that ends in a state violating a safety property', async () => {
    // Declare "P1 never holds the semaphore while P0 waits" as an invariant: the starvation cycle
    // passes such a state, which is not expanded, so no fair run avoids both the violation and
    // P0 entering: the liveness verdict is holds (over the runs that stay safe).
    const base = semaphoreSpec([weak('P0', 'P1')]);
    const spec = defineSpec({
      ...base,
      properties: [
        ...base.properties,
        { name: 'no-overtake', kind: 'invariant', doc: 'P1 is not critical while P0 waits', check: (s) => !(s.matches('P0', 'wait') && s.matches('P1', 'crit')) },
      ],
    });
    const r = await checkSpec(spec);
    expect(r.properties['no-overtake'].verdict).toBe('violated');
    expect(r.properties['P0-no-starvation'].verdict).toBe('holds');
  });

  it('rejects fairness naming an unknown actor', async () => {
    await expect(checkSpec(semaphoreSpec([weak('P9')]))).rejects.toThrow(SpecError);
  });
});

// ---------------------------------------------------------------- Peterson

describe('Peterson (Herlihy & Shavit Lemma 2.3.6): starvation-free under weak fairness', () => {
  it('holds under weak fairness of P0 and P1, with the same state count as the safety check', async () => {
    const live = await checkSpec(petersonLiveSpec([weak('P0', 'P1')]));
    expect(live.properties['P0-no-starvation'].verdict).toBe('holds');
    expect(live.properties.mutex.verdict).toBe('holds');
    const { default: peterson } = await import('../specs/peterson.js');
    const safe = await checkSpec(peterson);
    expect(live.stats.states).toBe(safe.stats.states);
  });

  it('violated without fairness, and when only P1 is fair', async () => {
    for (const f of [[], [weak('P1')]]) {
      const r = await checkSpec(petersonLiveSpec(f));
      const t = r.properties['P0-no-starvation'].trace!;
      expect(r.properties['P0-no-starvation'].verdict).toBe('violated');
      const waiting = (g: GlobalSnapshot) => ['giveTurn', 'waitFlag', 'waitTurn'].includes(val(g, 'P0'));
      // Every Peterson process always has an access to do: both are always enabled.
      checkLasso(t, waiting, (g) => val(g, 'P0') === 'cs', () => ['P0', 'P1'], f.length ? { P1: 'weak' } : {});
      // P0 never moves on the cycle.
      expect(t.steps.slice(t.loop).every((s) => !s.actors.includes('P0'))).toBe(true);
    }
  });
});

// ---------------------------------------------------------------- livelock

describe("Ben-Ari's fourth attempt: a livelock, violated under strong fairness", () => {
  it('both processes move for ever and neither enters', async () => {
    const r: CheckResult = await checkSpec(fourthAttemptSpec([strong('P', 'Q')]));
    expect(r.properties.mutex.verdict).toBe('holds');
    expect(r.properties.deadlock.verdict).toBe('holds');
    const trying = (g: GlobalSnapshot, p: string) => ['p2', 'p3', 'p4', 'p5'].includes(val(g, p));
    const crit = (g: GlobalSnapshot, p: string) => val(g, p) === 'cs';
    for (const p of ['P-no-starvation', 'someone-enters']) {
      expect(r.properties[p].verdict).toBe('violated');
      const t = r.properties[p].trace!;
      checkLasso(
        t,
        (g) => trying(g, 'P') && (p === 'P-no-starvation' || trying(g, 'Q')),
        (g) => crit(g, 'P') || (p === 'someone-enters' && crit(g, 'Q')),
        () => ['P', 'Q'],
        { P: 'strong', Q: 'strong' },
      );
    }
    // The livelock itself: on the cycle of someone-enters both processes move and nobody enters.
    const t = r.properties['someone-enters'].trace!;
    const cyc = t.steps.slice(t.loop);
    expect(cyc.some((s) => s.actors.includes('P')) && cyc.some((s) => s.actors.includes('Q'))).toBe(true);
    expect(t.states.slice(t.loop).every((g) => !crit(g, 'P') && !crit(g, 'Q'))).toBe(true);
  });
});

// ---------------------------------------------------------------- handshake: timers and deliveries

describe('two-phase handshake: delivery and timer fairness', () => {
  const acked = async (f: FairnessDecl[]) => (await checkSpec(handshakeSpec(f))).properties.acked;

  it('holds when both ends are weakly fair (their deliveries and timers are their steps)', async () => {
    expect((await acked([weak('sender', 'receiver')])).verdict).toBe('holds');
  });

  it('violated without fairness', async () => {
    expect((await acked([])).verdict).toBe('violated');
  });

  it('violated when timers are fair but the REQ delivery is not: REQ waits in the mailbox for ever', async () => {
    const r = await acked([weak('sender'), { kind: 'weak', timers: true }]);
    expect(r.verdict).toBe('violated');
    const t = r.trace!;
    const last = t.states[t.states.length - 1];
    expect(last.mailboxes.receiver.map((e) => e.type)).toEqual(['REQ']);
    expect(t.loop).toBe(t.states.length - 1); // stuttering: nothing fair is enabled
  });

  it('violated when REQ is fair but the work timer is not: the receiver sits busy for ever', async () => {
    const r = await acked([weak('sender'), { kind: 'weak', actors: ['receiver'], events: ['REQ'] }]);
    expect(r.verdict).toBe('violated');
    const t = r.trace!;
    expect(val(t.states[t.states.length - 1], 'receiver')).toBe('busy');
  });

  it('holds with REQ and the timer fair, by timers flag or by event prefix', async () => {
    expect((await acked([weak('sender'), { kind: 'weak', actors: ['receiver'], events: ['REQ'], timers: true }])).verdict).toBe('holds');
    expect((await acked([weak('sender'), { kind: 'weak', actors: ['receiver'], events: ['REQ', 'xstate.after*'], per: 'event' }])).verdict).toBe('holds');
  });
});

// ---------------------------------------------------------------- the gate

describe('review gate on liveness cells', () => {
  it('gates holds/violated expectations, not open/unchecked', async () => {
    const r = await checkSpec(semaphoreSpec([weak('P0', 'P1')]));
    const cell = (verdict: 'holds' | 'violated' | 'open' | 'unchecked') =>
      compareVariant({ knobs: {}, expect: { '*': { verdict: 'holds', cite: 'x' }, 'P0-no-starvation': { verdict, cite: 'x' } } }, r).find((c) => c.property === 'P0-no-starvation')!;
    expect(cell('holds')).toMatchObject({ gated: true, ok: false });
    expect(cell('violated')).toMatchObject({ gated: true, ok: true });
    expect(cell('open')).toMatchObject({ gated: false, ok: true });
    expect(cell('unchecked')).toMatchObject({ gated: false, ok: true });
    const keyed = compareVariant(
      { knobs: {}, expect: { '*': { verdict: 'holds', cite: 'x' }, 'P0-no-starvation': { verdict: 'violated', cite: 'x', keySteps: ['P0:request', 'P1:acquire'] } } },
      r,
    ).find((c) => c.property === 'P0-no-starvation')!;
    expect(keyed.ok).toBe(true);
  });
});
