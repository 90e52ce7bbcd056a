/**
 * Specs anywhere: a spec file in a folder outside the checkout, with no package.json, imports
 * `daxcheck` and `xstate` (the CLI's own copies) and loads as ESM (.ts, .mts or .js; export
 * default or a named export; top-level await). `daxcheck init` writes one that reviews clean.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');

function run(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A two-toggle spec body; `head` imports, `tail` exports. */
const body = (exportLine: string) => `
import { setup } from 'xstate';
import { defineSpec } from 'daxcheck';
const ready = await Promise.resolve(true); // top-level await: ESM only
const toggle = setup({}).createMachine({ initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: { tags: ['validEnd'] } } });
${exportLine} defineSpec({
  name: 'toggles-outside',
  title: 'two toggles, loaded from outside the checkout',
  knobs: {},
  deadlock: ready ? false : true,
  system: () => ({ actors: { a: { machine: toggle }, b: { machine: toggle } }, events: { FLIP: { local: ['a', 'b'] } } }),
  properties: [{ name: 'notBoth', kind: 'invariant', doc: 'not both on', check: (s: any) => !(s.matches('a', 'on') && s.matches('b', 'on')) }],
  variants: { base: { knobs: {}, expect: { notBoth: { verdict: 'violated', cite: 'by hand' } } } },
});
`;

describe('a spec outside the checkout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daxcheck-outside-'));

  it('init writes a spec and a README; review passes (exit 0)', () => {
    const r = run(dir, 'init', 'first');
    expect(r.code, r.err).toBe(0);
    const rev = run(dir, 'review', 'first/spec.ts');
    expect(rev.code, rev.out + rev.err).toBe(0);
    expect(rev.out).toMatch(/buggy\s+\d+\s+1\/1\s+VIOL\(2\)/);
    expect(rev.out).toMatch(/fixed\s+\d+\s+1\/1\s+holds/);
    // Never overwrites.
    const again = run(dir, 'init', 'first');
    expect(again.code).toBe(2);
    expect(again.err.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['default.ts', 'export default'],
    ['named.mts', 'export const spec ='],
    ['plain.js', 'export default'],
  ])('%s (%s) loads as ESM and checks', (file, exportLine) => {
    const src = file.endsWith('.js') ? body(exportLine).replace('(s: any)', '(s)') : body(exportLine);
    writeFileSync(join(dir, file), src);
    const r = run(dir, 'check', `./${file}`);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/VIOLATED\s+notBoth \(trace 2 steps\)/);
  });

  it('a file with no spec says so in one line', () => {
    writeFileSync(join(dir, 'empty.ts'), "import { setup } from 'xstate';\nexport const x = setup({});\n");
    const r = run(dir, 'check', './empty.ts');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/exports no spec/);
  });

  it('a syntax error is one line naming the file and position', () => {
    writeFileSync(join(dir, 'broken.ts'), 'export default {\n');
    const r = run(dir, 'check', './broken.ts');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/broken\.ts:\d+:\d+/);
  });
});
