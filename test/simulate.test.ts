/**
 * `simulate`: seeded random walks through the composed system. Every buggy variant of the built-in
 * specs is found within 1,000 walks at seed 1, with a counterexample that replays through real
 * XState actors and is 1-minimal; the same seed gives the same answer; finding nothing is exit 3.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../src/check.js';
import { propertyList } from '../src/compose/properties.js';
import { replayTrace } from '../src/replay/replay.js';
import { Stepper } from '../src/simulate/path.js';
import { simulate } from '../src/simulate/simulate.js';
import { builtinSpecNames, loadSpec } from '../src/spec/load.js';
import { expectationFor } from '../src/spec/validate.js';
import type { Spec } from '../src/spec/types.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** The safety properties a variant expects violated (liveness is not walked). */
function expectedViolated(spec: Spec, variant: string): string[] {
  const sys = compose(spec, { variant });
  return propertyList(sys).filter((p) => p.kind === 'safety' && expectationFor(spec.variants[variant], p.name)?.verdict === 'violated').map((p) => p.name);
}

/** Step codes of a trace, recovered by running it again through the same composition. */
function isOneMinimal(spec: Spec, variant: string, property: string, codes: number[]): string | null {
  const st = new Stepper(compose(spec, { variant }));
  const prop = st.props.findIndex((p) => p.name === property);
  const full = st.run(codes);
  if (!full || !full.end.props.includes(prop) || full.codes.length !== codes.length) return 'the trace itself does not violate';
  for (let i = 0; i < codes.length; i++) {
    const r = st.run(codes.slice(0, i).concat(codes.slice(i + 1)));
    if (r && r.end.props.includes(prop)) return `dropping step ${i + 1} still violates ${property}`;
  }
  return null;
}

describe('simulate finds every buggy variant of the built-in specs', async () => {
  const specs = await Promise.all(builtinSpecNames().map((n) => loadSpec(n)));
  const cases = specs.flatMap((spec) => Object.keys(spec.variants).map((v) => ({ spec, v, want: expectedViolated(spec, v) }))).filter((c) => c.want.length);
  it('there are buggy variants to find', () => expect(cases.length).toBeGreaterThan(20));
  it.each(cases.map((c) => [`${c.spec.name} / ${c.v}`, c] as const))('%s', async (_n, { spec, v, want }) => {
    const r = await simulate(spec, { variant: v, runs: 1000, depth: 200, seed: 1 });
    expect(r.violation, `no violation in ${r.walks} walks`).toBeDefined();
    const viol = r.violation!;
    expect(want).toContain(viol.property);
    const rep = replayTrace(spec, copy(viol.trace));
    expect(rep.verdict).toBeDefined();
    expect(rep.confirmed, rep.verdict).toBe(true);
    const codes = [...viol.codes];
    expect(isOneMinimal(spec, v, viol.property, codes)).toBeNull();
  });
});

describe('simulate on the command line', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

  it('same seed, same walks, same answer; another seed may differ', () => {
    const a = run('simulate', 'peterson', '--variant', 'broken', '--json');
    const b = run('simulate', 'peterson', '--variant', 'broken', '--json');
    expect(a.status).toBe(1);
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    expect(ja.violation.property).toBe('mutex');
    expect(ja.violation.codes).toEqual(jb.violation.codes);
    expect(ja.violation.trace).toEqual(jb.violation.trace);
    expect(ja.walks).toBe(jb.walks);
  });

  it('finding nothing is incomplete, never holds: exit 3', () => {
    const r = run('simulate', 'peterson', '--variant', 'correct', '--runs', '50', '--depth', '30');
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/no violation found/);
    expect(r.stdout).toMatch(/incomplete/);
    expect(r.stdout).not.toMatch(/\bholds\b/);
  });

  it('writes the counterexample for replay; replay confirms it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-sim-'));
    const t = join(dir, 't.json');
    expect(run('simulate', 'peterson', '--variant', 'broken', '--trace-out', t, '--itf-out', join(dir, 't.itf.json')).status).toBe(1);
    const rep = run('replay', t, '--quiet');
    expect(rep.status, rep.stdout).toBe(0);
    expect(rep.stdout).toMatch(/CONFIRMED/);
  });
});
