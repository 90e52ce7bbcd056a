/**
 * Headless Chromium for the HTML report tests (playwright-core, /usr/bin/chromium, a system package
 * installed by `apt-get install -y chromium`; when it is missing the tests fail, they do not skip).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PageLog {
  /** Console errors and uncaught page errors. */
  readonly errors: string[];
  /** Every URL the page requested, in order. */
  readonly requests: string[];
}

/** Opens `url` in a fresh profile (1400 x 1000), runs `use`, and closes the browser. */
export async function withPage(url: string, use: (page: Page, log: PageLog) => Promise<void>): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with 'apt-get install -y chromium' (the HTML report tests need a browser)`);
  const profile = mkdtempSync(join(tmpdir(), 'daxcheck-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 } });
  try {
    const page = await ctx.newPage();
    const log: PageLog = { errors: [], requests: [] };
    page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
    page.on('pageerror', (e) => log.errors.push(String(e)));
    page.on('request', (r) => log.requests.push(r.url()));
    await page.goto(url);
    await page.waitForFunction(() => document.body.getAttribute('data-render') !== 'pending', null, { timeout: 120_000 });
    await use(page, log);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
