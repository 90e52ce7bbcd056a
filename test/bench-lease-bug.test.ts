/**
 * The bench's buggy lease model (clients ack a stale BREAK), both sides: the fixed clients hold
 * (1,300 states at 3 clients, the count Rumur and SPIN give in bench/models/lease.ts); the buggy
 * ones violate mutex after 18 steps (hand-derived in the variant's citation), found by BFS with
 * --stop first and by simulation.
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

  it('simulate finds it within 1,000 walks of 40 steps at seed 1 (5 clients, the bench size)', async () => {
    const r = await simulate(lease, { variant: 'ack-stale', knobs: { clients: 5 }, runs: 1000, depth: 40, seed: 1 });
    expect(r.violation?.property).toBe('mutex');
    expect(r.violation!.trace.steps.length).toBeGreaterThanOrEqual(18);
  });
});
