/**
 * `review --knobs a,b` (issue 5 item 1): the product of the chosen knobs' values, one row per
 * combination named `a=x,b=y`, the other knobs at their defaults or at `--variant V`'s values;
 * verdicts only (no expectations, so no gate), exit 0 unless a run errors.
 *
 * Fixture test/fixtures/cli/knob-grid.ts: n toggles, invariant "at most cap on". The expected
 * figures are computed here from the combinatorics, not read from the checker: a state with more
 * than cap toggles on violates the invariant and is not expanded (docs/semantics.md §7), so the
 * reachable states are those with at most cap + 1 toggles on, sum_{i <= min(cap+1, n)} C(n, i);
 * the invariant fails exactly when cap < n, with a shortest trace of cap + 1 FLIPs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failures, knobCombinations, review } from '../src/review/run.js';
import grid from './fixtures/cli/knob-grid.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const FIX = join(import.meta.dirname, 'fixtures', 'cli', 'knob-grid.ts');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const choose = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);
const states = (n: number, cap: number) => Array.from({ length: Math.min(cap + 1, n) + 1 }, (_, i) => choose(n, i)).reduce((a, b) => a + b, 0);

describe('knobCombinations', () => {
  it('is the product of the values, first knob slowest, named a=x,b=y', () => {
    expect(knobCombinations(grid, ['n', 'cap']).map((c) => c.name)).toEqual(
      [1, 2, 3].flatMap((n) => [1, 2, 3].map((cap) => `n=${n},cap=${cap}`)),
    );
    expect(knobCombinations(grid, ['boom'])).toEqual([
      { name: 'boom=false', values: { boom: false } },
      { name: 'boom=true', values: { boom: true } },
    ]);
    expect(() => knobCombinations(grid, ['n', 'nope'])).toThrow(/unknown knob 'nope'/);
  });
});

describe('review with knobs (library)', () => {
  it('runs every combination with the other knobs at their defaults, verdicts only', async () => {
    const runs = await review([grid], { knobs: ['n', 'cap'] });
    expect(runs.map((r) => r.variant)).toEqual([1, 2, 3].flatMap((n) => [1, 2, 3].map((cap) => `n=${n},cap=${cap}`)));
    for (const r of runs) {
      const { n, cap } = r.combination as { n: number; cap: number };
      expect(r.result.knobs).toEqual({ n, cap, boom: false });
      expect(r.result.stats.states).toBe(states(n, cap));
      const p = r.result.properties.atMostCap;
      expect(p.verdict).toBe(cap < n ? 'violated' : 'holds');
      if (cap < n) {
        expect(p.traceLength).toBe(cap + 1);
        expect(p.trace!.variant).toBe(r.variant); // titles and traces/ file names carry the row
      }
      expect(r.cells.every((c) => !c.gated && c.ok && c.expected === undefined)).toBe(true);
    }
    expect(failures(runs)).toEqual([]);
  });

  it('takes the other knobs from --variant when given', async () => {
    const runs = await review([grid], { knobs: ['cap'], variant: 'big' });
    expect(runs.map((r) => [r.variant, r.result.knobs.n, r.result.stats.states, r.result.properties.atMostCap.verdict])).toEqual([
      ['cap=1', 3, states(3, 1), 'violated'],
      ['cap=2', 3, states(3, 2), 'violated'],
      ['cap=3', 3, states(3, 3), 'holds'],
    ]);
    expect(runs.every((r) => r.base === 'big')).toBe(true);
  });

  it('without --knobs, the declared variants are gated (big expects holds and gets violated)', async () => {
    const runs = await review([grid]);
    expect(failures(runs).map(({ run, cell }) => `${run.variant}/${cell.property}`)).toEqual(['big/atMostCap']);
    expect((await review([grid], { variant: 'small' })).map((r) => r.variant)).toEqual(['small']);
  });
});

describe('daxcheck review --knobs (CLI, dist/)', () => {
  it('prints one row per combination and exits 0 although some verdicts are violations', () => {
    const r = run('review', FIX, '--knobs', 'n,cap');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const n of [1, 2, 3]) {
      for (const cap of [1, 2, 3]) {
        const v = cap < n ? `VIOL\\(${cap + 1}\\)` : 'holds';
        expect(r.out).toMatch(new RegExp(`^n=${n},cap=${cap} +${states(n, cap)} +1/1 +${v} +holds$`, 'm'));
      }
    }
    expect(r.out.split('\n').filter((l) => l.startsWith('n=')).join('\n')).not.toContain('✗');
    expect(r.out).toMatch(/other knobs at their defaults; verdicts only, no expectations/);
    expect(r.out).toMatch(/9 knob combination\(s\) of 1 spec\(s\) run: verdicts only/);
    // The same spec's declared variants fail the gate: exit 0 above is the knob rows not being gated.
    const gated = run('review', FIX);
    expect(gated.code).toBe(1);
    expect(gated.out).toMatch(/knob-grid \/ big \/ atMostCap: expected holds, got violated/);
  });

  it('--variant gives the other knobs; --out writes a report with ungated (skipped) cells', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-knobs-'));
    const r = run('review', FIX, '--knobs', 'cap', '--variant', 'big', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/other knobs from variant big/);
    expect(r.out).toMatch(/^cap=1 +7 +1\/1 +VIOL\(2\) +holds$/m);
    expect(r.out).toMatch(/^cap=3 +8 +1\/1 +holds +holds$/m);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/tests="10" failures="0" skipped="10"/);
    expect(junit).toContain('name="cap=1 atMostCap" time=');
    expect(junit).toContain('violated: knob combination, no expectation');
    const md = readFileSync(join(dir, 'review.md'), 'utf8');
    expect(md).toContain('| cap=2 | defaults | `n=3` `cap=2` | 8 | **VIOLATED** (3) | holds |');
    expect(md).toContain('3 knob combination(s) (review --knobs): verdicts only');
    expect(md).not.toContain('Every verdict matches its expectation.');
    // One trace file set per violating row, named after the row.
    expect(readdirSync(join(dir, 'traces')).filter((f) => f.endsWith('.trace.json')).sort()).toEqual([
      'knob-grid.cap_1.atMostCap.trace.json',
      'knob-grid.cap_2.atMostCap.trace.json',
    ]);
  });

  it('exits 2 when a run errors, and on an unknown knob or an empty list', () => {
    const boom = run('review', FIX, '--knobs', 'boom');
    expect(boom.code).toBe(2);
    expect(boom.err).toMatch(/^daxcheck: .*boom knob set/);
    const unknown = run('review', FIX, '--knobs', 'n,nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err.trim()).toBe("daxcheck: spec 'knob-grid': --knobs: unknown knob 'nope' (knobs: n, cap, boom)");
    expect(run('review', FIX, '--knobs', ',').code).toBe(2);
    expect(run('review', FIX, '--knobs', 'cap', '--variant', 'nope').code).toBe(2);
  });
});
