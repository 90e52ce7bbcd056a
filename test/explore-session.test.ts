/**
 * The explore session without a browser (issue 14): the step marks agree with the checker on both
 * sides (a variant with no violation marks nothing; every property the checker finds violated is
 * reachable from the initial state), a saved counterexample maps onto enabled steps and ends where
 * the checker says, paths that leave the enabled steps stop with a message, and a trace of other
 * knobs is refused with one line.
 */
import { describe, expect, it } from 'vitest';
import { checkSpec, compose } from '../src/check.js';
import type { Spec } from '../src/spec/types.js';
import { ExploreSession } from '../src/web/session.js';
import peterson from '../specs/peterson.js';
import race from './fixtures/race-spec.js';

async function session(spec: Spec, variant: string): Promise<ExploreSession> {
  const s = new ExploreSession(compose(spec, { variant }), variant);
  await s.reach.run();
  return s;
}

describe('explore session', () => {
  for (const [spec, variant] of [[peterson, 'correct'], [peterson, 'broken'], [race, 'fixed'], [race, 'buggy']] as const) {
    it(`${spec.name} ${variant}: reachable violations from the initial state agree with check`, async () => {
      const s = await session(spec, variant);
      const r = await checkSpec(spec, { variant });
      expect(s.reach.state.kind).toBe('complete');
      // The explore graph expands violating states too, so it has at least the checker's states.
      expect(s.reach.state.kind === 'complete' && s.reach.state.states).toBeGreaterThanOrEqual(r.stats.states);
      const violated = Object.values(r.properties).filter((p) => p.kind === 'safety' && p.verdict === 'violated').map((p) => p.name);
      const v = s.view([], 0);
      const reachable = v.properties.filter((p) => p.reachable).map((p) => p.name);
      // Every first violation the checker finds is reachable; with none, nothing is.
      for (const p of violated) expect(reachable).toContain(p);
      if (!violated.length) expect(reachable).toEqual([]);
      // A step is marked exactly when its target leads to a violation: some step does iff any does.
      const marked = v.enabled.filter((e) => e.reachable!.length || e.violates.length);
      expect(marked.length > 0).toBe(violated.length > 0);
    });
  }

  it('follows a counterexample of the checker to its violation, with every step marked', async () => {
    const r = await checkSpec(peterson, { variant: 'broken' });
    const t = r.properties.mutex.trace!;
    const s = await session(peterson, 'broken');
    const info = s.openTrace(JSON.parse(JSON.stringify(t)));
    expect(info.codes.length).toBe(t.steps.length);
    for (let i = 0; i < info.codes.length; i++) {
      const v = s.view(info.codes, i);
      const step = v.enabled.find((e) => e.code === info.codes[i])!;
      expect(step.event).toEqual(t.steps[i].event);
      expect(step.reachable).toContain('mutex');
    }
    const end = s.view(info.codes, info.codes.length);
    expect(end.properties.find((p) => p.name === 'mutex')!.value).toBe('violated');
    expect(end.table.rows.length).toBe(t.steps.length);
    // The actors end where the trace says.
    const last = t.states[t.states.length - 1];
    for (const a of end.actors) expect(a.value).toBe(typeof last.actors[a.id].value === 'string' ? last.actors[a.id].value : expect.any(String));
  });

  it('stops a path at a step that is not enabled, and refuses a trace of other knobs', async () => {
    const s = new ExploreSession(compose(peterson, { variant: 'correct' }), 'correct');
    const v = s.view([999_999], 1);
    expect(v.line).toEqual([]);
    expect(v.at).toBe(0);
    expect(v.error).toMatch(/step 1 of the path .* is not enabled/);
    const r = await checkSpec(peterson, { variant: 'broken' });
    expect(() => s.openTrace(r.properties.mutex.trace!)).toThrow(/other knobs: variant=broken \(here correct\)/);
  });
});
