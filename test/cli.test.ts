/**
 * The CLI as a contract: exit codes, one-line errors without stack traces, --json, trace files,
 * bounds and Ctrl-C. Runs the tsc-built dist/ (npm test builds it first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const FIX = join(import.meta.dirname, 'fixtures', 'cli');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectOneLineError(err: string, pattern: RegExp) {
  const lines = err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^daxcheck: /);
  expect(lines[0]).toMatch(pattern);
  expect(err).not.toMatch(/\n\s+at /);
}

describe('daxcheck check', () => {
  it('exit 1 on a violation, with the counterexample', () => {
    const r = run('check', join(FIX, 'toggles.ts'), '--verbose');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATED\s+notBoth \(trace 2 steps\)/);
    expect(r.out).toMatch(/1\. a: FLIP/);
  });

  it('exit 0 when everything holds; --set picks knob values', () => {
    const r = run('check', join(FIX, 'toggles.ts'), '--set', 'both=false');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/holds\s+notBoth/);
  });

  it('--json prints the result; --trace-out and --itf-out write the trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-'));
    const r = run('check', join(FIX, 'toggles.ts'), '--variant', 'two', '--json', '--trace-out', join(dir, 't.json'), '--itf-out', join(dir, 't.itf.json'));
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.stats.states).toBe(4);
    expect(j.properties.notBoth.verdict).toBe('violated');
    const t = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'));
    expect(t.steps.map((s: { event: { type: string } }) => s.event.type)).toEqual(['FLIP', 'FLIP']);
    const itf = JSON.parse(readFileSync(join(dir, 't.itf.json'), 'utf8'));
    expect(itf['#meta'].format).toBe('ITF');
    expect(itf.vars).toEqual(['a', 'b']);
    expect(itf.states).toHaveLength(3);
    expect(itf.states[2]['mbt::actionTaken']).toBe('b:FLIP');
    expect(itf.states[2].b.value).toBe('on');
  });

  it('exit 3 when a bound cuts the run short: incomplete, never holds', () => {
    const r = run('check', join(FIX, 'counters.ts'), '--max-states', '1000');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/incomplete\s+bounded/);
    expect(r.out).toMatch(/INCOMPLETE \(max-states\)/);
  });

  it('Ctrl-C ends a run with the statistics so far and exit 3', async () => {
    const child = spawn(process.execPath, [BIN, 'check', join(FIX, 'counters.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(3);
    expect(out).toMatch(/INCOMPLETE \(interrupted\)/);
    expect(out).toMatch(/\d+ states/);
  });
});

describe('bad input: one clear line naming the culprit, exit 2', () => {
  it('unknown spec', () => {
    const r = run('check', 'no-such-spec');
    expect(r.code).toBe(2);
    expectOneLineError(r.err, /unknown spec 'no-such-spec'/);
  });
  it('unknown knob and knob value', () => {
    let r = run('check', join(FIX, 'toggles.ts'), '--set', 'nope=1');
    expect(r.code).toBe(2);
    expectOneLineError(r.err, /spec 'toggles'.*unknown knob 'nope'/);
    r = run('check', join(FIX, 'toggles.ts'), '--set', 'both=maybe');
    expect(r.code).toBe(2);
    expectOneLineError(r.err, /knob 'both' has no value "maybe"/);
  });
  it('unknown variant', () => {
    const r = run('check', join(FIX, 'toggles.ts'), '--variant', 'three');
    expect(r.code).toBe(2);
    expectOneLineError(r.err, /unknown variant 'three'/);
  });
  it('a machine that throws', () => {
    const r = run('check', join(FIX, 'throws.ts'));
    expect(r.code).toBe(2);
    expectOneLineError(r.err, /actor 'm' in state "a" threw on 'GO'.*guard exploded/);
  });
  it('a bad option value', () => {
    const r = run('check', join(FIX, 'toggles.ts'), '--max-states', 'lots');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--max-states expects a whole number/);
  });
});

describe('daxcheck review', () => {
  it('exit 0 when every verdict matches; exit 1 naming the one that differs', () => {
    const ok = run('review', join(FIX, 'toggles.ts'));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/two\s+4\s+1\/1\s+VIOL\(2\)/);
    const bad = run('review', join(FIX, 'toggles-wrong.ts'));
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/toggles-wrong \/ two \/ notBoth: expected holds, got violated/);
    expect(run('review', join(FIX, 'throws.ts')).code).toBe(2);
  });
});
