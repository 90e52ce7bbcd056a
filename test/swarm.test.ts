/**
 * Swarm members under GNU parallel (as docs/swarm.md runs them): on the pins fixture the overflow
 * is the deepest state, so the single bounded breadth-first search misses it at the members'
 * bound, and the swarm of four members with that same bound finds it; merge names it (exit 1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'daxcheck.js');
const PINS = join(ROOT, 'test', 'fixtures', 'swarm', 'pins.ts');
const BOUND = '1000';

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('daxcheck swarm', () => {
  it('the single bounded search misses the overflow; the whole space has (pins+1)^cpus states', () => {
    const full = run(['check', PINS]);
    expect(full.code).toBe(1);
    expect(full.out).toContain(`${6 ** 5} states`);
    expect(full.out).toMatch(/VIOLATED\s+refcount-overflow \(trace 25 steps\)/);
    const bounded = run(['check', PINS, '--max-states', BOUND]);
    expect(bounded.code).toBe(3);
    expect(bounded.out).toMatch(/incomplete\s+refcount-overflow/);
  });

  it('four members under GNU parallel, each bounded the same, find it together; merge names it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-swarm-'));
    const p = spawnSync('/usr/bin/parallel', ['-j', '2', process.execPath, BIN, 'swarm', PINS, '--member', '{}', '--of', '4', '--max-states', BOUND, '--out', join(dir, 'member-%i.json'), ':::', '0', '1', '2', '3'], { encoding: 'utf8', timeout: 240_000 });
    expect(p.status, p.stderr).toBe(0);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
    expect(files).toHaveLength(4);
    for (const f of files) {
      const m = JSON.parse(readFileSync(f, 'utf8'));
      expect(m.status).toBe('ok');
      expect(m.stop).toBe('max-states');
      expect(m.states).toBeLessThan(Number(BOUND) + 10);
    }
    // Member 0 is the plain breadth-first search: it misses, like the single search above.
    expect(JSON.parse(readFileSync(join(dir, 'member-0.json'), 'utf8')).violations).toEqual({});
    const merged = run(['swarm', 'merge', ...files, '--trace-out', join(dir, 'trace.json')]);
    expect(merged.code).toBe(1);
    expect(merged.out).toMatch(/4 of 4 member result\(s\); 0 failed; missing: none/);
    expect(merged.out).toMatch(/VIOLATED\s+refcount-overflow \(shortest trace 25 steps/);
    const replay = run(['replay', join(dir, 'trace.json'), '--spec', PINS, '--quiet']);
    expect(replay.out).toMatch(/CONFIRMED/);
  });

  it('takes the member index from a Kubernetes Indexed Job or a Slurm array; same member, same result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-swarm-'));
    const a = run(['swarm', PINS, '--of', '4', '--max-states', '300', '--out', join(dir, 'k-%i.json')], { JOB_COMPLETION_INDEX: '3' });
    expect(a.code, a.err).toBe(0);
    const b = run(['swarm', PINS, '--max-states', '300', '--out', join(dir, 's-%i.json')], { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' });
    expect(b.code, b.err).toBe(0);
    const k = JSON.parse(readFileSync(join(dir, 'k-3.json'), 'utf8'));
    const s = JSON.parse(readFileSync(join(dir, 's-3.json'), 'utf8'));
    expect(k.member).toBe(3);
    expect(s).toEqual({ ...k, seconds: s.seconds });
    const none = run(['swarm', PINS, '--of', '4', '--max-states', '300', '--out', join(dir, 'x.json')], { JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '' });
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^daxcheck: swarm: no member index/);
  });

  it('merge without a violation exits 3, and lists failed and missing members', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-swarm-'));
    for (const i of ['0', '2']) expect(run(['swarm', PINS, '--member', i, '--of', '4', '--max-depth', '3', '--out', join(dir, `m-${i}.json`)]).code).toBe(0);
    const bad = run(['swarm', PINS, '--member', '1', '--of', '4', '--max-depth', '3', '--variant', 'nosuch', '--out', join(dir, 'm-1.json')]);
    expect(bad.code).toBe(2);
    const merged = run(['swarm', 'merge', join(dir, 'm-0.json'), join(dir, 'm-1.json'), join(dir, 'm-2.json')]);
    expect(merged.code).toBe(3);
    expect(merged.out).toMatch(/3 of 4 member result\(s\); 1 failed; missing: 3/);
    expect(merged.out).toMatch(/member 1 .*FAILED: .*nosuch/);
    expect(merged.out).not.toMatch(/^\s+holds\s/m);
    writeFileSync(join(dir, 'junk.json'), '{}');
    const junk = run(['swarm', 'merge', join(dir, 'junk.json')]);
    expect(junk.code).toBe(2);
    expect(junk.err).toMatch(/^daxcheck: swarm merge: .*junk.json: not a swarm member result/);
  });
});
