/**
 * A slip in a property must never give a silent holds (issue 12): a state path, tag or actor the
 * machine lacks, a check that forgot `return`, a non-boolean answer, and the raw snapshot all stop
 * the run with exit 2 and one line naming the spec, the property, the actor and the path. The
 * control: written right, the same property is violated in 4 steps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const SLIPS = join(import.meta.dirname, 'fixtures', 'robust', 'slips.ts');

function check(slip: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'check', SLIPS, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, SLIP: slip } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function oneLine(err: string): string {
  const lines = err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('property slips: exit 2 naming spec, property, actor and path; never a silent holds', () => {
  it('control: the property written right is violated in 4 steps', () => {
    const r = check('none');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATED\s+mutex \(trace 4 steps\)/);
  });

  const cases: [string, RegExp][] = [
    ['state', /^daxcheck: spec 'slips': property 'mutex' asks matches\('cpu0', "critical"\): actor 'cpu0' has no state 'critical' \(machine 'cpu' has idle, want, crit\)$/],
    ['object', /property 'mutex' asks matches\('cpu0', \{"crit":"inside"\}\): actor 'cpu0' has no state 'crit.inside'/],
    ['tag', /property 'mutex' asks hasTag\('cpu0', "critical"\): actor 'cpu0' has no tag "critical" \(machine 'cpu' tags validEnd, inCrit\)/],
    ['actor', /property 'mutex' names unknown actor "cpu2" \(actors: cpu0, cpu1\)/],
    ['noreturn', /^daxcheck: spec 'slips': property 'mutex' returned undefined \(a missing return\?\) instead of a boolean, in state \{cpu0="idle" cpu1="idle"\}$/],
    ['nonbool', /property 'mutex' returned number 0 instead of a boolean, in state \{cpu0="idle" cpu1="idle"\}/],
    ['witness', /witness of property 'mutex' asks hasTag\('cpu0', "in_crit"\): actor 'cpu0' has no tag "in_crit"/],
    ['action', /property 'mutex' asks matches\('cpu1', "critical"\): actor 'cpu1' has no state 'critical'/],
    ['goal', /property 'mutex' asks matches\('cpu1', "critical"\)/],
    ['liveness', /liveness property 'mutex' \(p\) asks matches\('cpu0', "done"\): actor 'cpu0' has no state 'done'/],
    ['snapshot', /property 'mutex' calls snapshot\("cpu0"\), which the view does not offer: use matches, hasTag, context or machine/],
  ];
  for (const [slip, msg] of cases) {
    it(`${slip}: caught before exploring (on the initial state or its steps)`, () => {
      const r = check(slip);
      expect(r.code).toBe(2);
      expect(oneLine(r.err)).toMatch(msg);
      expect(r.out).not.toMatch(/states,/);
    });
  }

  it('a bad path reached only in later states is caught on first use, during exploration', () => {
    const r = check('deep');
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(/property 'mutex' asks matches\('cpu1', "critical"\): actor 'cpu1' has no state 'critical'/);
    expect(r.out).not.toMatch(/holds/);
  });

  it('review stops on the slip before exploring any variant', () => {
    const r = spawnSync(process.execPath, [BIN, 'review', SLIPS], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, SLIP: 'state' } });
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/property 'mutex' asks matches\('cpu0', "critical"\)/);
    expect(r.stdout).not.toMatch(/nolock/);
  });
});

describe('preflight: the load-time pass over the initial state', () => {
  async function slipsSpec(slip: string) {
    process.env.SLIP = slip;
    vi.resetModules();
    return (await import('./fixtures/robust/slips.js')).default;
  }

  it('catches each slip a property meets on the initial state or its steps, before exploring', async () => {
    const { preflightSpec } = await import('../src/check.js');
    for (const slip of ['state', 'object', 'tag', 'actor', 'noreturn', 'nonbool', 'witness', 'action', 'goal', 'liveness', 'snapshot']) {
      const spec = await slipsSpec(slip);
      expect(() => preflightSpec(spec), slip).toThrow(/'mutex'/);
    }
  });

  it('passes a right property, and one whose slip lies deeper (first use catches that one)', async () => {
    const { checkSpec, preflightSpec } = await import('../src/check.js');
    const right = await slipsSpec('none');
    expect(() => preflightSpec(right)).not.toThrow();
    const deep = await slipsSpec('deep');
    expect(() => preflightSpec(deep)).not.toThrow();
    await expect(checkSpec(deep)).rejects.toThrow(/actor 'cpu1' has no state 'critical'/);
  });
});

describe('replay: a non-boolean answer confirms nothing', () => {
  it('a trace of the right property does not replay as confirmed against a check that forgot return', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-slip-'));
    const file = join(dir, 't.json');
    expect(check('none', '--trace-out', file).code).toBe(1);
    const replay = (slip: string) => spawnSync(process.execPath, [BIN, 'replay', file, '--spec', SLIPS, '--quiet'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, SLIP: slip } });
    const good = replay('none');
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/CONFIRMED/);
    const bad = replay('noreturn');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/DIVERGES at step \d+: final state: mutex returned undefined instead of a boolean/);
  });
});
