/**
 * Race tables that fit (docs/reports.md, "Race tables in a terminal and in mail"): the fit layout at
 * several widths, the 72-column mail form, and `check`'s own output on a real counterexample of
 * map-direct: no line longer than the width, and every step's row keeps its kernel function and
 * its event name. The variant is picked from the spec (its first variant expected `violated` on a
 * safety property), not hard-coded, so renamed presets do not break the test.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSpec } from '../src/check.js';
import { raceText } from '../src/trace/racelayout.js';
import type { Trace, TraceStep } from '../src/trace/types.js';
import mapDirect from '../specs/map-direct.js';
import race from './fixtures/race-spec.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const e = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete e[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: e, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

/** The event name as a row shows it: the type, or `after N` for a timer. */
const eventName = (s: TraceStep) => /^xstate\.after\.([^.]+)\./.exec(s.event.type)?.[1] ?? s.event.type;

/**
 * The lines of each step's row in a race table (from its number to the next number, the lasso
 * marker or the end of the table), so a test can ask what a row shows however it wraps.
 */
function rowsOf(text: string, steps: number): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => l === 'event parameters, by step:' || l === 'final state:');
  const body = lines.slice(0, end);
  const out: string[] = [];
  for (let n = 1; n <= steps; n++) {
    const at = body.findIndex((l) => new RegExp(`^ *${n}!? `).test(l) && l.trimStart().startsWith(String(n)));
    if (at < 0) throw new Error(`no row for step ${n}`);
    let k = at + 1;
    while (k < body.length && body[k].trim() && !/^ *\d+!? /.test(body[k])) k++;
    out.push(body.slice(at, k).join('\n'));
  }
  return out;
}

/** Each row names, for every actor that took the step, its kernel function, and the step's event. */
function expectRowsComplete(text: string, t: Trace): void {
  const rows = rowsOf(text, t.steps.length);
  t.steps.forEach((s, i) => {
    const row = rows[i].replace(/\s+/g, ' ');
    expect(row, `step ${i + 1}`).toContain(eventName(s));
    for (const f of s.functions) if (f.fn) expect(row, `step ${i + 1}: ${f.actor}`).toContain(f.fn);
  });
}

let fixture: Trace;
let variant: string;
let traces: Trace[];
beforeAll(async () => {
  fixture = (await checkSpec(race, { variant: 'buggy' })).properties.noFreeWhilePinned.trace!;
  const safety = new Set(mapDirect.properties.filter((p) => p.kind !== 'liveness').map((p) => p.name));
  variant = Object.entries(mapDirect.variants).find(([, v]) => Object.entries(v.expect ?? {}).some(([p, e]) => safety.has(p) && e.verdict === 'violated'))![0];
  const r = await checkSpec(mapDirect, { variant });
  traces = Object.values(r.properties).filter((p) => p.verdict === 'violated' && p.trace).map((p) => p.trace!);
}, 120_000);

describe('fit layout', () => {
  it('fits 100, 72 and 40 columns on the fixture, every row with its functions and event', () => {
    for (const width of [100, 72, 40]) {
      const text = raceText(fixture, { width });
      expect(longest(text), `width ${width}`).toBeLessThanOrEqual(width);
      expectRowsComplete(text, fixture);
    }
    // At 100 columns: the thread columns and the other-actors column, a row per step on one line.
    const text = raceText(fixture);
    expect(text.split('\n')[2]).toMatch(/^ +cpu0 +cpu1 +other actors$/);
    expect(rowsOf(text, 6)[5].replace(/\s+/g, ' ')).toBe(' 6 allocator: xfs_bmap_del_extent_real() [<- FREE_BLOCK]');
  });

  it('moves event parameters to a legend keyed by step number', () => {
    const t = traces.find((x) => x.steps.some((s) => Object.keys(s.event).length > 1))!;
    const text = raceText(t);
    const legend = text.slice(text.indexOf('event parameters, by step:'));
    t.steps.forEach((s, i) => {
      const params = Object.entries(s.event).filter(([k]) => k !== 'type');
      if (!params.length) return;
      expect(rowsOf(text, t.steps.length)[i]).toContain(`[${s.event.type}(...)]`);
      expect(legend).toMatch(new RegExp(`^ +${i + 1}  ${s.event.type}\\(${params.map(([k]) => k).join('=[^,]*, ')}=`, 'm'));
    });
  });

  it(`fits every map-direct counterexample of the violated variant at 100 and 80 columns`, () => {
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) {
      for (const width of [100, 80]) {
        const text = raceText(t, { width });
        expect(longest(text), `${t.property} at ${width}`).toBeLessThanOrEqual(width);
        expectRowsComplete(text, t);
      }
      // The wide layout is today's one line per step: the longest step row is far wider.
      expect(longest(raceText(t, { layout: 'wide' }))).toBeGreaterThan(100);
    }
  });

  it('abbreviates other actors to actor: function', () => {
    const t = traces[0];
    const text = raceText(t);
    const rows = rowsOf(text, t.steps.length);
    // A step that moves a thread and an object: the object shows as `actor: fn`, no event.
    const i = t.steps.findIndex((s) => s.actors.some((a) => t.threads.includes(a)) && s.actors.some((a) => !t.threads.includes(a) && s.functions.some((f) => f.actor === a && f.fn)));
    const s = t.steps[i];
    const obj = s.actors.find((a) => !t.threads.includes(a))!;
    const fn = s.functions.find((f) => f.actor === obj && f.fn)!.fn!;
    expect(rows[i].replace(/\s+/g, ' ')).toContain(`${obj}: ${fn}`);
    expect(rows[i].replace(/\s+/g, ' ')).not.toContain(`${obj}: ${fn}()`);
  });
});

describe('mail layout (check --race-out)', () => {
  it('72 columns, threads as columns, other actors as indented notes', () => {
    for (const t of [fixture, ...traces]) {
      const text = raceText(t, { layout: 'mail' });
      expect(longest(text), t.property).toBeLessThanOrEqual(72);
      expectRowsComplete(text, t);
      expect(text).not.toContain('other actors');
    }
    const text = raceText(fixture, { layout: 'mail' });
    expect(text.split('\n')[2]).toMatch(/^ +cpu0 +cpu1$/);
    // Step 3: cpu1 pins the page; the page object is a note indented under cpu1's column.
    const lines = text.split('\n');
    const row = lines.findIndex((l) => /^ *3 /.test(l));
    const col = lines[2].indexOf('cpu1');
    expect(lines[row].indexOf('pin_user_pages_fast()')).toBe(col);
    expect(lines[row + 1].indexOf('page: try_grab_folio')).toBe(col + 2);
  });
});

describe('check output', () => {
  it('prints a summary first, then the shortest race; no line over 100 columns; --wide gives the old layout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-fit-'));
    const r = cli(['check', 'map-direct', '--variant', variant, '--race-out', join(dir, 'race.txt')], { COLUMNS: undefined });
    expect(r.code).toBe(1);
    // The run header (issue 12: the bounds, printed before exploring) comes first, then the summary.
    const lines = r.out.split('\n');
    expect(lines.shift()).toMatch(/^bounds: /);
    expect(longest(r.out)).toBeLessThanOrEqual(100);
    const decl = mapDirect.variants[variant];
    expect(lines[0]).toMatch(new RegExp(`^spec map-direct, variant ${variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${decl.preset ? `preset ${decl.preset}` : 'defaults'}`));
    expect(lines[1]).toMatch(/^ {2}\d+ states, \d+ transitions/);
    // One line per property verdict, each once; witnesses in one line.
    for (const p of mapDirect.properties) expect(lines.filter((l) => new RegExp(`^ {2}\\S+ +${p.name}( |$)`).test(l)), p.name).toHaveLength(1);
    expect(r.out).toMatch(/^ {2}witnesses +\d+\/\d+ reached/m);
    // The shortest counterexample's race table follows, fitted, with every row complete.
    const shortest = traces.reduce((a, b) => (b.steps.length < a.steps.length ? b : a));
    const at = r.out.indexOf(`Race: ${shortest.property} `);
    expect(at).toBeGreaterThan(r.out.indexOf('witnesses'));
    expectRowsComplete(r.out.slice(at), shortest);
    expect(r.out).not.toContain('Counterexample: ');
    // --race-out: one mail-form file per counterexample, 72 columns.
    const files = readdirSync(dir);
    expect(files.length).toBe(traces.length);
    for (const f of files) expect(longest(readFileSync(join(dir, f), 'utf8')), f).toBeLessThanOrEqual(72);
    // $COLUMNS narrows it; --verbose adds coverage and every trace, still fitted.
    const narrow = cli(['check', 'map-direct', '--variant', variant, '--verbose'], { COLUMNS: '80' });
    expect(longest(narrow.out)).toBeLessThanOrEqual(80);
    expect(narrow.out).toContain('model coverage:');
    expect(narrow.out.split('Counterexample: ').length - 1 + (narrow.out.split('Liveness counterexample').length - 1)).toBe(traces.length);
    const wide = cli(['check', 'map-direct', '--variant', variant, '--wide', '--race-out', join(dir, 'wide.txt')]);
    expect(longest(wide.out)).toBeGreaterThan(100);
    // --race-out with --wide: the one-line-per-step table, as before.
    for (const t of traces) expect(readFileSync(join(dir, `wide.${t.property}.txt`), 'utf8')).toBe(raceText(t, { layout: 'wide' }) + '\n');
    expect(wide.out).toMatch(/^ +1 {2}\S+\(\) {2}\[/m);
  }, 240_000);
});
