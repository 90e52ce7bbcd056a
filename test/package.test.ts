/**
 * The installable package: `npm pack` (runtime dependencies bundled, Mermaid's browser bundle
 * vendored) installs offline into a temporary prefix with `npm install -g --offline`, and the
 * installed `daxcheck` runs `init` and `review` on a spec outside any checkout, and writes an HTML
 * report with the vendored Mermaid. One test, everything in it. `npm test` has built dist/ already,
 * so the pack skips the prepack build and runs only its other steps (hard links, vendoring).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

describe('npm pack + npm install -g --offline', () => {
  it('installs a working daxcheck that reviews a spec outside the checkout', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'daxcheck-pkg-'));
    execFileSync(process.execPath, ['scripts/break-hardlinks.mjs'], { cwd: ROOT });
    execFileSync(process.execPath, ['scripts/vendor-mermaid.mjs'], { cwd: ROOT });
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, stdio: 'pipe' });
    const tgz = readdirSync(tmp).find((f) => /^daxcheck-\d+\.\d+\.\d+\.tgz$/.test(f));
    expect(tgz).toBeDefined();
    const prefix = join(tmp, 'prefix');
    const inst = spawnSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(tmp, tgz!)], { encoding: 'utf8', timeout: 600_000 });
    expect(inst.status, inst.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'daxcheck');
    const work = join(tmp, 'work');
    const run = (...args: string[]) => spawnSync(bin, args, { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    const init = run('init', work);
    expect(init.status, init.stderr).toBe(0);
    const rev = run('review', join(work, 'spec.ts'));
    expect(rev.status, rev.stdout + rev.stderr).toBe(0);
    expect(rev.stdout).toMatch(/all 2 variants of 1 spec\(s\) match/);
    // The HTML report's Mermaid comes from the package's vendored copy: mermaid is not installed.
    const installed = join(prefix, 'lib', 'node_modules', 'daxcheck');
    expect(existsSync(join(installed, 'package.json'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules', 'mermaid'))).toBe(false);
    const out = join(tmp, 'report');
    const html = run('review', join(work, 'spec.ts'), '--out', out);
    expect(html.status, html.stdout + html.stderr).toBe(0);
    expect(readFileSync(join(out, 'html', 'mermaid.min.js'), 'utf8')).toBe(readFileSync(join(installed, 'dist', 'vendor', 'mermaid.min.js'), 'utf8'));
    // A spec of its own, `import { defineSpec } from 'daxcheck'` and `export default`.
    writeFileSync(join(work, 'mine.ts'), `
import { setup } from 'xstate';
import { defineSpec } from 'daxcheck';
const bit = setup({}).createMachine({ initial: 'clear', states: { clear: { on: { set: 'set' } }, set: { tags: ['validEnd'] } } });
export default defineSpec({
  name: 'mine', title: 'one bit', knobs: {}, deadlock: false,
  system: () => ({ actors: { b: { machine: bit } }, events: { set: { local: ['b'] } } }),
  properties: [{ name: 'stays-clear', kind: 'invariant', doc: 'never set', check: (s) => s.matches('b', 'clear') }],
  variants: { only: { knobs: {}, expect: { 'stays-clear': { verdict: 'violated', cite: 'one step sets it' } } } },
});
`);
    const mine = run('review', join(work, 'mine.ts'));
    expect(mine.status, mine.stdout + mine.stderr).toBe(0);
    expect(mine.stdout).toMatch(/only\s+2\s+0\/0\s+VIOL\(1\)/);
  }, 900_000);
});
