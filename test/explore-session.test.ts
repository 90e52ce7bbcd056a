/**
 * The explore session without a browser (issue 14): the step marks agree with the checker on both
 * sides (a variant with no violation marks nothing; every property the checker finds violated is
 * reachable from the initial state), a saved counterexample maps onto enabled steps and ends where
 * the checker says, paths that leave the enabled steps stop with a message, and a trace of other
 * knobs is refused with one line. And `explore --property` from the command line: the URL it prints
 * opens that property's counterexample, and Ctrl-C stops the server with exit code 0.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
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

  it('explore --property prints a URL that opens the counterexample; Ctrl-C stops it', async () => {
    const child = spawn('node', ['bin/daxcheck.js', 'explore', 'specs/peterson.ts', '--variant', 'broken', '--property', 'mutex'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      for (let i = 0; i < 600 && !/open http/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/)#line=([\d.]+)&at=0&trace=(\d+)/.exec(out);
      expect(m, out).not.toBeNull();
      const line = m![2].split('.');
      const r = await checkSpec(peterson, { variant: 'broken' });
      expect(line.length).toBe(r.properties.mutex.trace!.steps.length);
      const v = await (await fetch(`${m![1]}api/view?line=${m![2]}&at=${line.length}`)).json();
      expect(v.properties.find((p: { name: string }) => p.name === 'mutex').value).toBe('violated');
      expect(v.traces[Number(m![3])].property).toBe('mutex');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/daxcheck explore: stopped/);
  });
});
