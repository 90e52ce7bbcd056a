/**
 * The full review's HTML report (every built-in spec, as `npm run review -- --out DIR` writes it):
 * its HTML files (report.html and everything under html/) total under 10 MB, it opens offline from
 * file:// in headless Chromium, and the sequence diagram of its longest counterexample renders in
 * parts of at most 12 steps with no text smaller than 11 px (font size times the SVG's scale on
 * screen). Saves out/sequence.png, a screenshot of that diagram's first part.
 *
 * The review takes about 30 s on an idle machine (several minutes on a loaded one); it runs once.
 * Chromium is a system package (/usr/bin/chromium): when it is missing this test fails.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { anchor } from '../src/report/html.js';
import type { Trace } from '../src/trace/types.js';
import { withPage } from './chromium.js';
const MB = 2 ** 20;

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'daxcheck-full-review-'));
  const r = spawnSync(process.execPath, ['bin/daxcheck.js', 'review', '--out', dir], { encoding: 'utf8', timeout: 1_200_000 });
  // The gate's verdict is review.test.ts's business; here the report must exist.
  expect(r.stderr).not.toMatch(/internal error/);
  expect([0, 1]).toContain(r.status);
}, 1_300_000);

describe('the full review as HTML', () => {
  it('totals under 10 MB (report.html and html/), Mermaid once', () => {
    const page = sizeOf(join(dir, 'report.html'));
    const siblings = sizeOf(join(dir, 'html'));
    const traces = readdirSync(join(dir, 'traces')).filter((f) => f.endsWith('.trace.json')).length;
    console.log(`full review: ${traces} counterexamples; report.html ${(page / MB).toFixed(2)} MB + html/ ${(siblings / MB).toFixed(2)} MB = ${((page + siblings) / MB).toFixed(2)} MB`);
    expect(traces).toBeGreaterThan(100);
    expect(page + siblings).toBeLessThan(10 * MB);
    expect(readdirSync(join(dir, 'html')).filter((f) => f.endsWith('.js'))).toEqual(['mermaid.min.js']);
    // Mermaid is a sibling script, not inlined in the page.
    expect(page).toBeLessThan(2 * MB);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<script src="html/mermaid.min.js"></script>');
  });

  it('opens offline; the longest trace renders in parts with text at least 11 px', async () => {
    const files = readdirSync(join(dir, 'traces')).filter((f) => f.endsWith('.trace.json'));
    let longest: Trace | undefined;
    for (const f of files) {
      const t = JSON.parse(readFileSync(join(dir, 'traces', f), 'utf8')) as Trace;
      if (!longest || t.steps.length > longest.steps.length) longest = t;
    }
    const t = longest!;
    expect(t.steps.length).toBeGreaterThan(12);
    const parts = Math.ceil(t.steps.length / 12);
    const id = anchor(t.spec, t.variant!, t.property);
    const url = 'file://' + resolve(dir, 'report.html');
    await withPage(`${url}#${id}`, async (page, { errors, requests }) => {
      expect(await page.getAttribute('body', 'data-render')).toBe('lazy');
      const article = page.locator(`#${id}`);
      const seq = article.locator('pre.mermaid.sequence > svg');
      await expect.poll(() => seq.count(), { timeout: 120_000 }).toBe(parts);
      expect(errors).toEqual([]);
      expect(requests[0].split('#')[0]).toBe(url);
      expect(requests.every((r) => r.startsWith('file://' + resolve(dir) + '/'))).toBe(true);
      // Rendered size of every text in the sequence diagrams: font size times the scale on screen.
      const sizes = await seq.evaluateAll((svgs) => svgs.flatMap((svg) => Array.from(svg.querySelectorAll('text')).filter((x) => (x.textContent ?? '').trim()).map((x) => {
        const ctm = (x as SVGGraphicsElement).getScreenCTM()!;
        return parseFloat(getComputedStyle(x).fontSize) * Math.hypot(ctm.a, ctm.b);
      })));
      expect(sizes.length).toBeGreaterThan(t.steps.length);
      console.log(`longest trace ${t.spec}/${t.variant}/${t.property}: ${t.steps.length} steps in ${parts} parts; rendered text ${Math.min(...sizes).toFixed(1)}..${Math.max(...sizes).toFixed(1)} px`);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
      mkdirSync('out', { recursive: true });
      // A clip of the page, not an element screenshot: neighbouring violations keep loading and
      // moving the layout, so an element never counts as stable.
      await seq.first().evaluate((e) => e.scrollIntoView());
      const box = (await seq.first().boundingBox())!;
      const x = Math.max(0, box.x);
      const y = Math.max(0, box.y);
      await page.screenshot({ path: 'out/sequence.png', timeout: 120_000, clip: { x, y, width: Math.min(box.width, 1400 - x), height: Math.min(box.height, 1000 - y) } });
      expect(statSync('out/sequence.png').size).toBeGreaterThan(10_000);
    });
  }, 300_000);
});
