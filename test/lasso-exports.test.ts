/**
 * Liveness lassos (Trace.kind 'lasso', Trace.loop) through every exporter, the reports, replay and
 * `check`. Two lassos of the semaphore mutex (test/fixtures/liveness/semaphore.ts, Baier & Katoen
 * §3.5.2), for P0-no-starvation (a waiting P0 eventually enters):
 * - no fairness: P0 requests and the run stops there (a run may stutter, docs/semantics.md §8):
 *   1 step, loop = 1 = the last index, no cycle step;
 * - weak fairness of P0 and P1: P0 requests (prefix), then P1 requests, acquires and releases the
 *   semaphore for ever (acquire is never continuously enabled for P0): 4 steps, loop = 1.
 * Both are derived by hand from the model (shortest prefix; the cycle P1 takes is the only one
 * that keeps P0 waiting with the semaphore free at the loop state), and checked here as such.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../src/check.js';
import { htmlReport, htmlSiblings } from '../src/report/html.js';
import { markdownReport, raceText } from '../src/report/markdown.js';
import { replayTrace } from '../src/replay/replay.js';
import { review, type VariantRun } from '../src/review/run.js';
import { traceToDot } from '../src/trace/dot.js';
import { traceToItf } from '../src/trace/itf.js';
import { traceToText } from '../src/trace/text.js';
import type { Trace } from '../src/trace/types.js';
import { semaphoreSpec } from './fixtures/liveness/semaphore.js';

const PROP = 'P0-no-starvation';
const none = semaphoreSpec([]);
const weak = semaphoreSpec([{ kind: 'weak', actors: ['P0', 'P1'] }]);
let stutter: Trace;
let cycle: Trace;
let weakRuns: VariantRun[];
let noneRuns: VariantRun[];
beforeAll(async () => {
  stutter = (await checkSpec(none)).properties[PROP].trace!;
  cycle = (await checkSpec(weak)).properties[PROP].trace!;
  weakRuns = await review([weak]);
  noneRuns = await review([none]);
});

const copy = (x: Trace): any => JSON.parse(JSON.stringify(x));
const ev = (t: Trace) => t.steps.map((s) => `${s.actors.join('+')}:${s.event.type}`);

describe('the two lassos', () => {
  it('are the hand-derived ones', () => {
    expect(stutter.kind).toBe('lasso');
    expect(ev(stutter)).toEqual(['P0:request']);
    expect(stutter.loop).toBe(1);
    expect(stutter.states).toHaveLength(2);
    expect(cycle.kind).toBe('lasso');
    expect(ev(cycle)).toEqual(['P0:request', 'P1:request', 'P1+sem:acquire', 'P1+sem:release']);
    expect(cycle.loop).toBe(1);
    expect(JSON.stringify(cycle.states[4])).toBe(JSON.stringify(cycle.states[1]));
  });
});

describe('text', () => {
  it('a cycle: marks where it starts, before step loop+1, and says where it loops back', () => {
    const lines = traceToText(cycle).split('\n');
    expect(lines[0]).toBe('Liveness counterexample (lasso): P0-no-starvation violated (spec semaphore-mutex, 4 steps)');
    const step = (n: number) => lines.findIndex((l) => l.startsWith(`  ${String(n).padStart(3)}. `));
    const mark = lines.findIndex((l) => l.includes('cycle starts here'));
    expect(mark).toBe(step(2) - 1);
    expect(step(1)).toBe(mark - 1);
    expect(lines[mark]).toContain('steps 2..4 repeat for ever');
    expect(lines[step(4) + 1]).toMatch(/^ {2}\(loops back to state 1: /);
    expect(traceToText(cycle)).not.toContain('for ever:');
  });

  it('a stutter: no cycle marker, "stays in state k for ever"', () => {
    const text = traceToText(stutter);
    expect(text).not.toContain('cycle starts here');
    expect(text).not.toContain('loops back');
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.startsWith('    1. P0: request'));
    expect(lines[i + 1]).toMatch(/^ {2}\(stays in state 1 for ever: the state after step 1/);
  });
});

describe('ITF', () => {
  it('says lasso, with loop, and one state per trace state', () => {
    for (const t of [stutter, cycle]) {
      const itf = traceToItf(t) as { '#meta': Record<string, unknown>; states: Record<string, unknown>[]; loop?: number };
      expect(itf['#meta'].status).toBe('lasso');
      expect(itf.loop).toBe(t.loop);
      expect(itf.states).toHaveLength(t.states.length);
      // The last ITF state is states[loop] again (the step into it closes the cycle).
      const strip = (s: Record<string, unknown>) => JSON.stringify({ P0: s.P0, P1: s.P1, sem: s.sem });
      expect(strip(itf.states[itf.states.length - 1])).toBe(strip(itf.states[t.loop!]));
    }
    expect((traceToItf(cycle) as any)['#meta'].description).toMatch(/loops back to state 1\)$/);
    expect((traceToItf(stutter) as any)['#meta'].description).toMatch(/stays in state 1 for ever\)$/);
  });
});

describe('race table text (Markdown report, traces/*.race.txt, check --race-out)', () => {
  it('a cycle: the marker row sits between the rows of steps loop and loop+1', () => {
    const lines = raceText(cycle).split('\n');
    const row = (n: number) => lines.findIndex((l) => new RegExp(`^ ${n} `).test(l));
    const mark = lines.findIndex((l) => l.includes('── cycle starts here (state 1)'));
    expect(mark).toBeGreaterThan(0);
    expect(row(1)).toBe(mark - 1);
    expect(row(2)).toBe(mark + 1);
    expect(lines.filter((l) => l.includes('──'))).toHaveLength(1);
  });

  it('a stutter: the marker row follows the last step', () => {
    const lines = raceText(stutter).split('\n');
    const last = lines.findIndex((l) => /^ 1 /.test(l));
    expect(lines[last + 1].trim()).toBe('── stays in state 1 for ever ──');
  });
});

describe('DOT', () => {
  it('draws the closing step as a dashed edge back to the loop state', () => {
    expect(traceToDot(cycle)).toContain('s4 -> s1 [style=dashed, label="loop"];');
    expect(traceToDot(stutter)).toContain('s1 -> s1 [style=dashed, label="loop"];');
  });
});

describe('Markdown report', () => {
  it('shows the lasso under its heading with the cycle marked', () => {
    const md = markdownReport(weakRuns);
    expect(md).toContain('### only / P0-no-starvation (liveness lasso: 1-step prefix, then a 3-step cycle that loops back to state 1)');
    const block = md.slice(md.indexOf('### only / P0-no-starvation'));
    const body = block.slice(block.indexOf('```text'), block.indexOf('```', block.indexOf('```text') + 3));
    const lines = body.split('\n');
    const mark = lines.findIndex((l) => l.includes('cycle starts here'));
    expect(lines[mark - 1]).toMatch(/^ 1 +request\(\)/);
    expect(lines[mark + 1]).toMatch(/^ 2 /);
    expect(markdownReport(noneRuns)).toContain('### only / P0-no-starvation (liveness lasso: 1 step(s), then stays in state 1 for ever)');
  });
});

describe('HTML report', () => {
  /** The rows of the race table in the article of a property: the step number, or the marker. */
  /** A violation's details: the file (html/traces/STEM.js) the page names for it. */
  function detailOf(runs: typeof weakRuns, variant: string, prop: string): string {
    const html = htmlReport(runs, { mermaidJs: '' });
    const id = `cx-semaphore-mutex-${variant}-${prop}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const art = html.slice(html.indexOf(`id="${id}"`));
    const js = htmlSiblings(runs, { mermaidJs: '' })[/data-src="([^"]*)"/.exec(art)![1]];
    return JSON.parse(js.slice(js.indexOf(', ') + 2, js.lastIndexOf(');'))) as string;
  }

  function raceRows(runs: typeof weakRuns, variant: string, prop: string): string[] {
    const detail = detailOf(runs, variant, prop);
    const table = detail.slice(detail.indexOf('<table class="race">'), detail.indexOf('</table>'));
    return [...table.matchAll(/<tr(?: class="([^"]*)")?><td[^>]*>([^<]*)<\/td>/g)].map((m) => (m[1] === 'cycle' ? `[${m[2]}]` : m[2]));
  }

  it('marks the cycle in the race table and names the lasso in the heading', () => {
    const html = htmlReport(weakRuns, { mermaidJs: '' });
    expect(raceRows(weakRuns, 'only', PROP)).toEqual(['1', '[── cycle starts here (state 1); steps 2..4 repeat for ever ──]', '2', '3', '4']);
    expect(html).toContain('P0-no-starvation: liveness VIOLATED: lasso of 4 steps (1-step prefix, then a 3-step cycle that loops back to state 1)');
    // The marker row spans every column: #, P0, P1, other actors.
    expect(detailOf(weakRuns, 'only', PROP)).toMatch(/<tr class="cycle"><td colspan="4">/);
  });

  it('a stutter: the marker row after the last step', () => {
    expect(raceRows(noneRuns, 'only', PROP)).toEqual(['1', '[── stays in state 1 for ever ──]']);
  });
});

describe('replay of a lasso', () => {
  it('accepts both lassos: every step replays and the last state equals states[loop]', () => {
    for (const [spec, t] of [[none, stutter], [weak, cycle]] as const) {
      const r = replayTrace(spec, copy(t));
      expect(r.divergence).toBeUndefined();
      expect(r.confirmed).toBe(true);
      expect(r.stepsOk).toBe(t.steps.length);
      expect(r.verdict).toMatch(/P0-no-starvation: p holds in state 1 and q never holds after it/);
    }
  });

  it('rejects a tampered loop index: the cycle does not close', () => {
    const bad = copy(cycle);
    bad.loop = 2; // state 2 has P1 waiting; the last state has P1 in noncrit
    const r = replayTrace(weak, bad);
    expect(r.confirmed).toBe(false);
    expect(r.stepsOk).toBe(4);
    expect(r.divergence!.reason).toBe("final state: the cycle does not close: against state 2, actor 'P1' is in noncrit, the trace says wait");
    const s = copy(stutter);
    s.loop = 0;
    expect(replayTrace(none, s).divergence!.reason).toMatch(/the cycle does not close: against state 0, actor 'P0' is in wait, the trace says noncrit/);
    for (const loop of [5, -1, 1.5, undefined]) {
      const x = copy(cycle);
      x.loop = loop;
      expect(replayTrace(weak, x).divergence!.reason).toBe('final state: the lasso has no valid loop index');
    }
  });

  it('rejects a closed cycle on which the goal holds (P0 enters on the cycle)', () => {
    // Hand-built: P0 requests (prefix), then acquires, releases and requests again, back to
    // state 1. Every step replays and the cycle closes, but P0 is critical on it: no violation.
    const loc = (value: string) => ({ value, context: {}, status: 'active', timers: [] });
    const g = (p0: string, p1: string, sem: string) => ({ actors: { P0: loc(p0), P1: loc(p1), sem: loc(sem) }, mailboxes: {}, dropped: [] });
    const step = (type: string, actors: string[]) => ({ kind: actors.length > 1 ? 'sync' : 'local', event: { type }, actors, after: {}, functions: [] });
    const t = {
      ...copy(cycle),
      steps: [step('request', ['P0']), step('acquire', ['P0', 'sem']), step('release', ['P0', 'sem']), step('request', ['P0'])],
      states: [g('noncrit', 'noncrit', 'free'), g('wait', 'noncrit', 'free'), g('crit', 'noncrit', 'held'), g('noncrit', 'noncrit', 'free'), g('wait', 'noncrit', 'free')],
      loop: 1,
    };
    const r = replayTrace(weak, t);
    expect(r.stepsOk).toBe(4);
    expect(r.confirmed).toBe(false);
    expect(r.verdict).toBe('P0-no-starvation: every p state is followed by a q state on the lasso');
  });
});

describe('daxcheck check prints liveness results and the lasso (CLI, dist/)', () => {
  const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
  const FIX = join(import.meta.dirname, 'fixtures', 'cli', 'semaphore-weak.ts');

  it('one line per liveness property with its lasso shape, the fairness, the lasso text; exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-lasso-'));
    const r = spawnSync(process.execPath, [BIN, 'check', FIX, '--wide', '--verbose', '--trace-out', join(dir, 't.json')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ {2}VIOLATED +P0-no-starvation {2}\[liveness; lasso: 1-step prefix, then a 3-step cycle that loops back to state 1\]$/m);
    expect(r.stdout).toMatch(/^ {2}VIOLATED +P0-eventually {2}\[liveness; lasso: /m);
    expect(r.stdout).toMatch(/^ {2}holds +mutex$/m);
    expect(r.stdout).toMatch(/^ {2}liveness: fairness weak\(P0\), weak\(P1\); graph \d+ edges/m);
    expect(r.stdout).toContain('Liveness counterexample (lasso): P0-no-starvation violated (spec semaphore-mutex, 4 steps)');
    expect(r.stdout).toContain('---- cycle starts here, at state 1 (after step 1); steps 2..4 repeat for ever ----');
    // The written lasso replays through the CLI.
    const traces = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as Trace[];
    const mine = traces.find((t) => t.property === PROP)!;
    writeFileSync(join(dir, 'one.json'), JSON.stringify(mine));
    const rp = spawnSync(process.execPath, [BIN, 'replay', join(dir, 'one.json'), '--spec', FIX, '--quiet'], { encoding: 'utf8', timeout: 60_000 });
    expect(rp.status).toBe(0);
    expect(rp.stdout).toMatch(/^CONFIRMED: P0-no-starvation: p holds in state 1/m);
  });
});
