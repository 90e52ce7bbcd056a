/**
 * Verdicts are deterministic: the same review twice writes the same report, counterexamples
 * included (JUnit XML aside: it records timings).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');

/** The exit code, and stdout without the timings. */
function reviewInto(dir: string): [number | null, string] {
  const r = spawnSync(process.execPath, [BIN, 'review', 'peterson', 'dax-fault-punch', 'gup-pgmap', '--out', dir], { encoding: 'utf8', timeout: 120_000 });
  // 1 is the gate (a verdict or a property not shown able to fail), not a crash (2) or a bound (3):
  // whether these specs pass it is for their own tests; here both runs must say the same.
  expect([0, 1], r.stderr).toContain(r.status);
  // The bounds header states the machine's available memory (the default memory bound), which no
  // two runs share: it is about the machine, not the verdicts.
  return [r.status, r.stdout.replace(dir, 'DIR').replace(/^bounds: .*$/m, 'bounds: (machine)')];
}

function files(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir, join(sub, e.name)) : [join(sub, e.name)])).sort();
}

describe('determinism', () => {
  it('two runs of review write identical reports and traces', () => {
    const a = mkdtempSync(join(tmpdir(), 'daxcheck-det-a-'));
    const b = mkdtempSync(join(tmpdir(), 'daxcheck-det-b-'));
    expect(reviewInto(a)).toEqual(reviewInto(b));
    const fa = files(a).filter((f) => f !== 'junit.xml');
    expect(fa).toEqual(files(b).filter((f) => f !== 'junit.xml'));
    expect(fa.filter((f) => f.startsWith('traces')).length).toBeGreaterThan(5);
    for (const f of fa) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
  });
});
