/**
 * `check --stop first`: the run ends at the first violated safety property, with that property's
 * shortest counterexample; every property not yet decided is incomplete; exit 1.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../src/check.js';
import peterson from '../specs/peterson.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const FIX = join(import.meta.dirname, 'fixtures', 'cli');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('check --stop first', () => {
  it('ends at the first violation, reports the others incomplete, exit 1', () => {
    const r = run('check', join(FIX, 'sum-counters.ts'), '--stop', 'first', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.stop).toBe('first-violation');
    expect(j.complete).toBe(false);
    expect(j.properties.small.verdict).toBe('violated');
    // Six increments are needed to reach a sum of 6, and BFS finds the shortest.
    expect(j.properties.small.traceLength).toBe(6);
    expect(j.properties.large.verdict).toBe('incomplete');
    // BFS stops within the states of sum <= 6: C(6+3, 3) = 84 of them (8,000,000 in all).
    expect(j.stats.states).toBeLessThanOrEqual(84);
    expect(j.stats.states).toBeGreaterThan(56); // every state of sum <= 5 was seen first: C(8, 3)
  });

  it('prints the counterexample and says why the rest is incomplete', () => {
    const r = run('check', join(FIX, 'sum-counters.ts'), '--stop', 'first');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATED\s+small \(trace 6 steps\)/);
    expect(r.out).toMatch(/incomplete\s+large/);
    expect(r.out).toMatch(/stopped at the first violation/);
  });

  it('rejects an unknown --stop value in one line', () => {
    const r = run('check', join(FIX, 'sum-counters.ts'), '--stop', 'never');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('the counterexample is the shortest, as with --stop all (Peterson, broken order: 7 accesses)', async () => {
    const all = await checkSpec(peterson, { knobs: { variant: 'broken' } });
    const first = await checkSpec(peterson, { knobs: { variant: 'broken' }, stop: 'first' });
    const viol = Object.values(all.properties).filter((p) => p.verdict === 'violated').map((p) => p.name);
    expect(viol.length).toBeGreaterThan(0);
    const hit = Object.values(first.properties).filter((p) => p.verdict === 'violated');
    expect(hit.length).toBeGreaterThan(0);
    for (const p of hit) expect(p.traceLength).toBe(all.properties[p.name].traceLength);
    expect(hit.some((p) => p.traceLength === 7)).toBe(true);
    expect(first.stats.states).toBeLessThan(all.stats.states);
  });
});
