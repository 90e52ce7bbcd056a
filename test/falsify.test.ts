/**
 * The falsifiability gate (issue 10 §3): review names the variant that kills each property, fails
 * when none does (unless the property is marked unfalsifiable) and when the kill's counterexample
 * lacks the property's key steps, and says the check was skipped when review is restricted.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { falsifiability } from '../src/review/falsify.js';
import { review } from '../src/review/run.js';
import { build } from './fixtures/falsify/base.js';

const KEY = ['get_page', 'put_page', 'put_page'];

describe('the falsifiability gate', () => {
  it('fails (exit 1) on a property no variant violates, in the text and in every report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-falsify-'));
    const r = runCli(['review', 'test/fixtures/falsify/unkillable.ts', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ refsNonNegative +never violated/);
    expect(r.out).toContain('1 property not shown able to fail:\n  falsify-unkillable / refsNonNegative: never violated');
    expect(readFileSync(join(dir, 'review.md'), 'utf8')).toContain('| refsNonNegative | ❌ never violated');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="falsify-unkillable" tests="\d+" failures="1"[^]*name="falsifiable refsNonNegative"><failure message="never violated/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<h3>Falsifiability</h3>');
  });

  it('passes when a named mutant kills the property with its key steps in order', () => {
    const r = runCli(['review', 'test/fixtures/falsify/killed.ts']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ refsNonNegative +killed by mutant posted:double-put \(3 steps\)/);
    expect(r.out).toContain('every property is shown able to fail');
  });

  it('fails when the killing counterexample lacks the key steps', () => {
    const r = runCli(['review', 'test/fixtures/falsify/wrong-reason.ts']);
    expect(r.code).toBe(1);
    expect(r.out).toContain("refsNonNegative: violated by mutant posted:double-put, but its counterexample lacks key step 'cpu:unmap_mapping_range'");
  });

  it('accepts a never-violated property marked unfalsifiable, showing the reason', async () => {
    const spec = build('falsify-marked', { mutant: false, keySteps: KEY, unfalsifiable: 'bookkeeping of the model' });
    const [f] = falsifiability(await review([spec]));
    expect(f.properties).toEqual([{ property: 'refsNonNegative', status: 'unfalsifiable', reason: 'bookkeeping of the model', ok: true }]);
  });

  it('prefers a mutant over a plain variant that also violates the property', async () => {
    const base = build('falsify-prefer', { mutant: true, keySteps: KEY });
    // A plain (non-mutant) variant declared first that violates the property as well.
    const spec = { ...base, variants: { plain: { knobs: { doublePut: true }, expect: base.variants['posted:double-put'].expect }, ...base.variants } };
    const [f] = falsifiability(await review([spec]));
    expect(f.properties[0]).toMatchObject({ status: 'killed', by: 'posted:double-put', mutant: true, ok: true });
    const plainOnly = { ...spec, variants: { plain: spec.variants.plain, posted: base.variants.posted } };
    const [g] = falsifiability(await review([plainOnly]));
    expect(g.properties[0]).toMatchObject({ status: 'killed', by: 'plain', mutant: false, ok: true });
  });

  it('skips (does not fail) when review is restricted to one variant or to knob combinations', () => {
    const one = runCli(['review', 'test/fixtures/falsify/wrong-reason.ts', '--variant', 'posted']);
    expect(one.code).toBe(0);
    expect(one.out).toContain('falsify-wrong-reason: check skipped (only 1 of 2 variants ran');
    const knobs = runCli(['review', 'test/fixtures/falsify/unkillable.ts', '--knobs', 'doublePut']);
    expect(knobs.code).toBe(0);
    expect(knobs.out).toContain('falsify-unkillable: check skipped (review --knobs runs knob combinations');
  });
});
