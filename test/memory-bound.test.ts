/**
 * Runs never die silently (issue 12): an unbounded model with no bound given ends as incomplete,
 * exit 3, with its statistics, before V8's heap cap aborts it (node runs with a small
 * --max-old-space-size so the test stays short); --max-memory bounds resident memory; 0 means no
 * limit for every bound; an internal error is one line with the spec, the phase and a stack file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const FIX = join(import.meta.dirname, 'fixtures');
const GROW = join(FIX, 'robust', 'grow.ts');

function run(node: string[], ...args: string[]) {
  const r = spawnSync(process.execPath, [...node, BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

describe('the memory bound', () => {
  it('an unbounded model, no bound given, under a small V8 heap: incomplete with statistics, exit 3', () => {
    const r = run(['--max-old-space-size=96'], 'check', GROW);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^bounds: states none, depth none, time none, memory \d+ MB \(75% of available\), V8 heap \d+ MB$/m);
    expect(r.out).toMatch(/\d+ states, \d+ transitions, depth \d+.*; INCOMPLETE \(memory\)/);
    expect(r.out).toMatch(/stopped: V8 heap \d+ MB reached \d+ MB, 85% of node's heap cap/);
    expect(r.out).toMatch(/incomplete\s+nonNegative/);
    expect(r.out).not.toMatch(/holds/);
    expect(r.err).not.toMatch(/internal error|heap out of memory/i);
    // A counter from 0: the states are 0..n, each one step deeper than the last.
    const m = r.out.match(/(\d+) states, (\d+) transitions, depth (\d+)/)!;
    expect(Number(m[1])).toBeGreaterThan(1000);
    expect(Number(m[3])).toBe(Number(m[1]) - 1);
  });

  it('--max-memory bounds resident memory: the run stops at the first check, incomplete, exit 3', () => {
    const r = run([], 'check', GROW, '--max-memory', '1');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^bounds: .*memory 1 MB, /m);
    expect(r.out).toMatch(/INCOMPLETE \(memory\)/);
    expect(r.out).toMatch(/stopped: resident memory \d+ MB reached the bound of 1 MB \(--max-memory\)/);
  });

  it('review survives an unbounded model too: the row is incomplete, not a crash', () => {
    const r = run(['--max-old-space-size=96'], 'review', GROW);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1); // incomplete differs from the expected holds
    expect(r.out).toMatch(/base\s+\d+\+/);
    expect(r.out).toMatch(/grow \/ base stopped: V8 heap/);
  });
});

describe('0 means no limit, for every bound', () => {
  for (const flag of ['--max-states', '--max-depth', '--timeout', '--max-memory']) {
    it(`${flag} 0: the run is complete`, () => {
      const r = run([], 'check', join(FIX, 'cli', 'toggles.ts'), '--set', 'both=false', flag, '0');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/2 states, .*; complete/);
      expect(r.out).toMatch(/holds\s+notBoth/);
    });
  }
  it('the header says none for each', () => {
    const r = run([], 'check', join(FIX, 'cli', 'toggles.ts'), '--max-states', '0', '--max-depth', '0', '--timeout', '0', '--max-memory', '0');
    expect(r.out).toMatch(/^bounds: states none, depth none, time none, memory none, V8 heap \d+ MB$/m);
  });
  it('under --json the header goes to stderr and stdout stays one JSON document', () => {
    const r = run([], 'check', join(FIX, 'cli', 'toggles.ts'), '--json', '--max-states', '0');
    expect(JSON.parse(r.out).stats.states).toBe(4);
    expect(r.err).toMatch(/^bounds: states none, /);
  });
  it('a bound given is in the header', () => {
    const r = run([], 'check', join(FIX, 'cli', 'toggles.ts'), '--max-states', '3', '--max-depth', '7', '--timeout', '60', '--max-memory', '5000');
    expect(r.out).toMatch(/^bounds: states 3, depth 7, time 60 s, memory 5000 MB, V8 heap \d+ MB$/m);
  });
});

describe('an internal error', () => {
  it('prints one line with the spec and the phase, and writes the stack to the file it names; exit 2', () => {
    const r = run([], 'check', join(FIX, 'robust', 'crash.ts'));
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    const m = lines[0].match(/^daxcheck: internal error \(spec 'crash', phase explore\): a stand-in for a bug in daxcheck; stack written to (\S+)$/);
    expect(m).not.toBeNull();
    expect(existsSync(m![1])).toBe(true);
    const stack = readFileSync(m![1], 'utf8');
    expect(stack).toMatch(/TypeError: a stand-in for a bug in daxcheck\n\s+at /);
    expect(stack).toMatch(/argv: \["check",/);
  });
});
