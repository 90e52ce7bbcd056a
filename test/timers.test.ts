/**
 * Ordered timers (issue 11 §5, docs/semantics.md §4): a timer cannot fire while another pending
 * timer armed no later has a strictly shorter delay. A run option (`--timers ordered`), untimed by
 * default; checked against hand counts and against the reference enumerator.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSpec } from '../src/check.js';
import { defineSpec } from '../src/spec/types.js';
import { enumerate, type SpecLike } from './oracle/enumerator.js';
import watchdog from './fixtures/timers/watchdog.js';
import workers from './fixtures/timers/workers.js';

const P = 'noKillBeforeInvalidate';
const WATCHDOG = 'xstate.after.45000.leaseHolder.breaking';
const steps = (r: Awaited<ReturnType<typeof checkSpec>>) => r.properties[P].trace!.steps.map((s) => `${s.actors.join('+')}:${s.event.type}`);

describe('ordered timers', () => {
  it('the watchdog armed with the shorter work timer cannot expire first (hand-counted)', async () => {
    const untimed = await checkSpec(watchdog, { variant: 'same-step' });
    expect(untimed.properties[P].verdict).toBe('violated');
    expect(steps(untimed)).toEqual(['holder+work:lm_break', `holder:${WATCHDOG}`]);
    const ordered = await checkSpec(watchdog, { variant: 'same-step', timers: 'ordered' });
    expect(ordered.timers).toBe('ordered');
    expect(ordered.complete).toBe(true);
    expect(ordered.properties[P].verdict).toBe('holds');
    expect(ordered.properties[`witness:${P}`].verdict).toBe('reached');
    // Untimed: initial, (breaking, queued), (killed, queued) [violating], (breaking, ran),
    // (killed, ran), (released, done) = 6. Ordered drops (killed, queued): 5.
    expect(untimed.stats.states).toBe(6);
    expect(ordered.stats.states).toBe(5);
  });

  it('a timer armed in a later step does not hold back one armed earlier', async () => {
    const ordered = await checkSpec(watchdog, { variant: 'queue-later', timers: 'ordered' });
    expect(ordered.properties[P].verdict).toBe('violated');
    expect(steps(ordered)).toEqual(['holder+work:lm_break', `holder:${WATCHDOG}`]);
    // initial, (breaking, toQueue), (killed, toQueue), (breaking, queued), (killed, queued),
    // (breaking, ran), (killed, ran), (released, done): the order removes nothing here.
    expect(ordered.stats.states).toBe(8);
  });

  it('a delay class in the spec replaces the machine delay', async () => {
    const shortWatchdog = defineSpec({ ...watchdog, timerDelays: { [WATCHDOG]: 5 } });
    const r = await checkSpec(shortWatchdog, { variant: 'same-step', timers: 'ordered' });
    expect(r.properties[P].verdict).toBe('violated');
    const bad = defineSpec({ ...watchdog, timerDelays: { [WATCHDOG]: -1 } });
    await expect(checkSpec(bad, { variant: 'same-step' })).rejects.toThrow("spec 'watchdog': timerDelays 'xstate.after.45000.leaseHolder.breaking' must be a finite number >= 0");
  });

  it('agrees with the reference enumerator under both semantics', async () => {
    for (const variant of ['same-step', 'queue-later']) {
      for (const timers of ['untimed', 'ordered'] as const) {
        const knobs = watchdog.variants[variant].knobs;
        const o = enumerate(watchdog as unknown as SpecLike, knobs, { timers });
        const r = await checkSpec(watchdog, { variant, timers });
        expect([r.stats.states, r.stats.transitions], `${variant} ${timers}`).toEqual([o.states, o.transitions]);
        expect(r.properties[P].verdict === 'violated', `${variant} ${timers}`).toBe(o.properties[P].violated);
        if (o.properties[P].violated) expect(r.properties[P].traceLength).toBe(o.properties[P].depth);
      }
    }
  });

  it('the arming order enters the state: n re-armed work items give sum k! C(n,k) states, not 2^n', async () => {
    // Each step arms at most one timer, so the pending ones are strictly ordered: a state is an
    // arrangement of a subset of the n items (OEIS A000522: 2, 5, 16, 65, 326).
    const arrangements = (n: number) => { let sum = 0, f = 1; for (let k = 0; k <= n; k++) { sum += f; f *= n - k; } return sum; };
    for (const n of [1, 2, 3, 4, 5]) {
      const u = await checkSpec(workers, { knobs: { n } });
      const o = await checkSpec(workers, { knobs: { n }, timers: 'ordered' });
      expect([u.stats.states, o.stats.states], `n=${n}`).toEqual([2 ** n, arrangements(n)]);
      if (n <= 4) {
        const or = enumerate(workers as unknown as SpecLike, { n }, { timers: 'ordered' });
        expect([o.stats.states, o.stats.transitions], `oracle n=${n}`).toEqual([or.states, or.transitions]);
      }
    }
  });

  it('review --timers both shows the verdicts that depend on the order; the gate stays untimed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-timers-'));
    const r = runCli(['review', 'test/fixtures/timers/watchdog.ts', '--timers', 'both', '--out', dir]);
    expect(readFileSync(join(dir, 'review.md'), 'utf8')).toContain('- watchdog / same-step / noKillBeforeInvalidate: violated → holds');
    expect(r.code).toBe(0);
    expect(r.out).toContain('timers: 1 verdict(s) depend on timer order (untimed -> ordered; the table and the gate are untimed):\n  watchdog / same-step / noKillBeforeInvalidate: violated -> holds');
    const c = runCli(['check', 'test/fixtures/timers/watchdog.ts', '--variant', 'same-step', '--timers', 'ordered']);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/timers ordered/);
    expect(runCli(['check', 'test/fixtures/timers/watchdog.ts', '--timers', 'fast']).code).toBe(2);
  });
});
