/** `--version`, and `--help` with honest defaults (issue 12): no `(default: {})`, every bound's default said. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'daxcheck.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('--version and --help', () => {
  it('--version prints the package version, exit 0', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    for (const flag of ['--version', '-V']) {
      const r = run(flag);
      expect(r.code).toBe(0);
      expect(r.out.trim()).toBe(version);
    }
  });

  it('help shows honest defaults, never an object printed as {}', () => {
    for (const cmd of ['check', 'review', 'draw']) {
      const r = run(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).not.toMatch(/default: \{\}|\[object Object\]/);
    }
    const check = run('check', '--help').out.replace(/\s+/g, ' ');
    expect(check).toMatch(/--max-states <n> .*default and 0: no limit/);
    expect(check).toMatch(/--max-depth <n> .*default and 0: no limit/);
    expect(check).toMatch(/--timeout <seconds> .*default and 0: no limit/);
    expect(check).toMatch(/--max-memory <mb> .*default 75% of the memory available at start \(now \d+ MB\), 0: no bound/);
    expect(check).toMatch(/--set <knob=value> .*default: the variant's or the spec's values/);
    expect(run('review', '--help').out.replace(/\s+/g, ' ')).toMatch(/--max-memory <mb>/);
  });

  it('a negative or fractional bound is refused with one line, exit 2', () => {
    for (const v of ['-1', '2.5', 'lots', '']) {
      const r = run('check', join(ROOT, 'test', 'fixtures', 'cli', 'toggles.ts'), '--max-depth', v);
      expect(r.code).toBe(2);
      expect(r.err.trim()).toBe(`daxcheck: --max-depth expects a whole number, got '${v}'`);
    }
  });
});
