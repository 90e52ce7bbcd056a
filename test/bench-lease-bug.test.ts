/**
 * The bench's buggy lease model (clients ack a stale BREAK), both sides: the fixed clients hold
 * (1,300 states at 3 clients, the count Rumur and SPIN give in bench/models/lease.ts); the buggy
 * ones violate mutex after 18 steps (hand-derived in the variant's citation), found by BFS with
 * --stop first and by simulation (which walks find it, and within how many, below).
 */
import { describe, expect, it } from 'vitest';
import lease from '../bench/models/lease.js';
import { checkSpec } from '../src/check.js';
import { replayTrace } from '../src/replay/replay.js';
import { simulate } from '../src/simulate/simulate.js';

describe('bench lease, buggy clients', () => {
  it('fixed clients: mutex holds', async () => {
    const r = await checkSpec(lease, { variant: 'default' });
    expect(r.complete).toBe(true);
    expect(r.stats.states).toBe(1300);
    expect(r.properties.mutex.verdict).toBe('holds');
  });

  it('clients that ack a stale break: mutex violated after 18 steps, the stale ack in the trace', async () => {
    const r = await checkSpec(lease, { variant: 'ack-stale', stop: 'first' });
    expect(r.stop).toBe('first-violation');
    const p = r.properties.mutex;
    expect(p.verdict).toBe('violated');
    expect(p.traceLength).toBe(18);
    const fns = p.trace!.steps.flatMap((s) => s.functions.map((f) => f.fn));
    expect(fns).toContain('acks a stale break (bug)');
    expect(replayTrace(lease, JSON.parse(JSON.stringify(p.trace))).confirmed).toBe(true);
  });

  // 5 clients, the bench size. One uniform walk in about 6,000 finds the bug (sampled: 16 of 100,000
  // walks at seed 7; docs/simulate.md), so 1,000 uniform walks at seed 1 miss it; swarm walks,
  // which let one client run far ahead of the others, find it in walk 22.
  it('uniform walks at seed 1 miss it within 1,000 walks and find it by 10,000; swarm walks within 1,000', async () => {
    const opts = { variant: 'ack-stale', knobs: { clients: 5 }, depth: 200, seed: 1 };
    const miss = await simulate(lease, { ...opts, runs: 1000 });
    expect([miss.mode, miss.walks, miss.violation]).toEqual(['uniform', 1000, undefined]);
    const uniform = await simulate(lease, { ...opts, runs: 10_000 });
    expect(uniform.violation?.property).toBe('mutex');
    expect(uniform.violation!.walk).toBeGreaterThan(1000);
    expect(uniform.violation!.trace.steps.length).toBeGreaterThanOrEqual(18);
    const swarm = await simulate(lease, { ...opts, runs: 1000, swarm: true });
    expect(swarm.violation?.property).toBe('mutex');
    expect(swarm.violation!.walkKind).not.toBe('uniform');
    expect(swarm.violation!.trace.steps.length).toBeGreaterThanOrEqual(18);
    for (const v of [uniform.violation!, swarm.violation!]) expect(replayTrace(lease, JSON.parse(JSON.stringify(v.trace))).confirmed).toBe(true);
  });
});
