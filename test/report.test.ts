/**
 * The review gate and the report files: exit code on a changed expectation, the Markdown and JUnit
 * contents, the trace files under traces/, and model coverage (dead states and transitions).
 */
import { describe, it, expect } from 'vitest';
import { runCli } from './cli-helpers.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from 'xstate';
import { checkSpec } from '../src/check.js';
import { review } from '../src/review/run.js';
import { specCoverage } from '../src/report/coverage.js';
import { htmlReport } from '../src/report/html.js';
import { defineSpec } from '../src/spec/types.js';

describe('the review gate', () => {
  it('passes when every verdict matches, and writes the three report files and the traces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-review-'));
    const r = runCli(['review', 'test/fixtures/race-spec.ts', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^buggy +25 +1\/1 +VIOL\(6\) +holds +holds$/m);
    expect(r.out).toMatch(/all 2 variants of 1 spec\(s\) match their expected verdicts/);
    expect(readdirSync(dir).sort()).toEqual(['html', 'junit.xml', 'report.html', 'review.md', 'traces']);
    expect(readdirSync(join(dir, 'traces')).sort()).toEqual(
      ['dot', 'itf.json', 'mmd', 'race.txt', 'trace.json'].map((x) => `race.buggy.noFreeWhilePinned.${x}`).sort(),
    );
    const md = readFileSync(join(dir, 'review.md'), 'utf8');
    expect(md).toContain('| buggy | defaults | `checkFirst=true` | 25 | **VIOLATED** (6) | holds | holds |');
    expect(md).toMatch(/```text\nRace: noFreeWhilePinned \(spec race, variant buggy, 6 steps\)/);
    expect(md).toContain('Every verdict matches its expectation.');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="race" tests="9" failures="0"/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('id="cx-race-buggy-noFreeWhilePinned"');
    // Offline: the only scripts are siblings under html/ (Mermaid once, the statecharts, a file
    // per trace, loaded by the page); no stylesheet, image or frame from anywhere.
    const srcs = [...html.matchAll(/<script[^>]*\ssrc="([^"]*)"/g)].map((m) => m[1]);
    expect(srcs).toEqual(['html/charts/race.js', 'html/mermaid.min.js']);
    expect(html).toContain('data-src="html/traces/race.buggy.noFreeWhilePinned.js"');
    expect(/<(img|iframe)[^>]*\ssrc=/i.test(html)).toBe(false);
    expect(/<link[^>]*href=/i.test(html)).toBe(false);
    expect(readdirSync(join(dir, 'html', 'traces'))).toEqual(['race.buggy.noFreeWhilePinned.js']);
    expect(readFileSync(join(dir, 'html', 'mermaid.min.js'), 'utf8')).toBe(readFileSync('node_modules/mermaid/dist/mermaid.min.js', 'utf8'));
  });

  it('fails (exit 1) when an expectation changes, naming the spec, variant and property', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-review-'));
    const r = runCli(['review', 'test/fixtures/race-wrong-expect.ts', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('1 verdict(s) differ from their expectation:');
    expect(r.out).toContain('race-wrong-expect / fixed / noFreeWhilePinned: expected violated, got holds');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="race-wrong-expect" tests="9" failures="1"[^]*<failure message="expected violated, got holds"\/>/);
    expect(readFileSync(join(dir, 'review.md'), 'utf8')).toContain('- race-wrong-expect / fixed / noFreeWhilePinned: expected violated, got holds');
    expect(readFileSync(join(dir, 'report.html'), 'utf8').includes('race-wrong-expect / fixed / noFreeWhilePinned: expected violated, got holds')).toBe(true);
  });
});

// A machine with a state no run can reach (guard never true) and a transition never taken.
const lockM = setup({ types: { input: {} as { broken: boolean }, context: {} as { broken: boolean } }, guards: { isBroken: ({ context }) => context.broken } }).createMachine({
  id: 'lockM',
  context: ({ input }) => ({ broken: input.broken }),
  initial: 'unlocked',
  states: {
    unlocked: {
      tags: ['validEnd'],
      on: {
        lock: { target: 'locked', meta: { fn: 'mutex_lock' } },
        trylock: { guard: 'isBroken', target: 'poisoned', meta: { fn: 'mutex_trylock' } },
      },
    },
    locked: { on: { unlock: { target: 'unlocked', meta: { fn: 'mutex_unlock' } } } },
    poisoned: { on: { unlock: { target: 'unlocked', meta: { fn: 'mutex_unlock' } } } },
  },
});

const deadSpec = defineSpec({
  name: 'dead',
  title: 'a lock with a dead state',
  knobs: {},
  system: () => ({
    actors: { l: { machine: lockM, input: { broken: false }, thread: true } },
    events: { lock: { local: ['l'] }, trylock: { local: ['l'] }, unlock: { local: ['l'] } },
  }),
  properties: [],
  variants: { only: { knobs: {}, expect: { deadlock: { verdict: 'holds', cite: 'test' } } } },
});

describe('model coverage', () => {
  it('CheckResult.coverage lists the reached states and transitions of each actor', async () => {
    const r = await checkSpec(deadSpec);
    expect(r.coverage!.l.machine).toBe('lockM');
    expect(r.coverage!.l.states).toEqual(['lockM', 'lockM.locked', 'lockM.unlocked']);
    expect(r.coverage!.l.transitions.map((t) => `${t.from} ${t.event} ${t.to}`)).toEqual([
      'lockM.locked unlock lockM.unlocked',
      'lockM.unlocked lock lockM.locked',
    ]);
  });

  it('the report names the dead state and the transitions never taken', async () => {
    const runs = await review([deadSpec]);
    const cov = specCoverage(deadSpec, runs);
    expect(cov.machines).toHaveLength(1);
    const m = cov.machines[0];
    expect([m.statesTotal, m.transitionsTotal]).toEqual([3, 4]);
    expect(m.unreachedStates).toEqual(['lockM.poisoned']);
    expect(m.unreachedTransitions.map((t) => `${t.from} ${t.event} ${t.to}`)).toEqual([
      'lockM.unlocked trylock lockM.poisoned',
      'lockM.poisoned unlock lockM.unlocked',
    ]);
    const html = htmlReport(runs, { mermaidJs: '/* mermaid */' });
    expect(html).toContain('2/3 states, 2/4 transitions reached');
    expect(html).toContain('state <code>lockM.poisoned</code> never reached');
    expect(html).toContain('transition <code>lockM.unlocked --trylock--&#62; lockM.poisoned (mutex_trylock)</code> never taken');
  });

  it('the race fixture reaches every state and transition over its two variants', async () => {
    const { default: race } = await import('./fixtures/race-spec.js');
    const runs = await review([race]);
    const cov = specCoverage(race, runs);
    expect(cov.machines.map((m) => [m.machine, m.unreachedStates.length, m.unreachedTransitions.length])).toEqual([
      ['truncateCpu', 0, 0], ['gupCpu', 0, 0], ['daxPage', 0, 0], ['blockAllocator', 0, 0],
    ]);
    expect(existsSync('test/fixtures/race-spec.ts')).toBe(true);
  });
});
