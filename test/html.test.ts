/**
 * The HTML report opened in headless Chromium (playwright-core, /usr/bin/chromium): every diagram
 * renders to one <svg>, none is a Mermaid error diagram, the console has no error, and the page
 * loads nothing but itself and its sibling scripts under html/ (file://, no network). Saves a screenshot of the first counterexample to out/report.png (docs/img/report.png is a
 * committed copy of one).
 *
 * Chromium is a system package (`apt-get install -y chromium`, done by .ci/run): when it is missing
 * this test fails, it does not skip.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Trace } from '../src/trace/types.js';
import { withPage } from './chromium.js';

describe('HTML report in headless Chromium', () => {
  it('renders one <svg> per diagram with no console error and no network fetch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-html-'));
    let code = 0;
    try {
      execFileSync('node', ['bin/daxcheck.js', 'review', 'test/fixtures/race-spec.ts', 'specs/peterson.ts', '--out', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(0);
    // Diagrams expected, from the traces themselves: per violation one sequence diagram and one
    // statechart per actor that moves in it.
    const traces = ['race.buggy.noFreeWhilePinned', 'peterson.broken.mutex'].map(
      (f) => JSON.parse(readFileSync(join(dir, 'traces', `${f}.trace.json`), 'utf8')) as Trace,
    );
    const expected = traces.reduce((n, t) => n + 1 + new Set(t.steps.flatMap((s) => s.actors)).size, 0);
    expect(expected).toBe(11);

    const url = 'file://' + resolve(dir, 'report.html');
    await withPage(url, async (page, { errors, requests }) => {
      expect(errors).toEqual([]);
      expect(await page.getAttribute('body', 'data-render')).toBe('done');
      // Offline: the page and its sibling scripts (Mermaid, the statecharts, one file per trace), all file://.
      expect(requests[0]).toBe(url);
      expect(requests.every((r) => r.startsWith('file://' + resolve(dir) + '/'))).toBe(true);
      expect(requests.filter((r) => r.includes('/html/traces/'))).toHaveLength(2);
      expect(requests.filter((r) => r.endsWith('/html/mermaid.min.js'))).toHaveLength(1);
      const diagrams = page.locator('pre.mermaid');
      expect(await diagrams.count()).toBe(expected);
      const svgs = await diagrams.evaluateAll((els) => els.map((e) => e.querySelectorAll(':scope > svg').length));
      expect(svgs).toEqual(Array(expected).fill(1));
      expect(await page.locator('svg[aria-roledescription="error"]').count()).toBe(0);
      expect(await page.locator('pre.mermaid.sequence > svg[aria-roledescription="sequence"]').count()).toBe(2);
      // The race table of the fixture: a column per CPU, six steps.
      const first = page.locator('article.violation').first();
      expect(await first.locator('table.race th').allTextContents()).toEqual(['#', 'cpu0', 'cpu1', 'other actors']);
      expect(await first.locator('table.race tr').count()).toBe(7);
      // The final states of the trace are marked in the statecharts (a node with the final class).
      expect(await first.locator('pre.statechart svg g.final').count()).toBeGreaterThanOrEqual(4);
      mkdirSync('out', { recursive: true });
      await first.screenshot({ path: 'out/report.png' });
      expect(statSync('out/report.png').size).toBeGreaterThan(10_000);
    });
  });
});
