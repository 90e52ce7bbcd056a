/**
 * Outputs are checked before any work (issue 12): every unusable --out / --*-out path fails with one
 * line and exit 2, and nothing was explored (no bounds header, no statistics, no table). The specs
 * are slow on purpose (counters: 8 million states), so a check that came after exploring would show.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputDir, checkOutputFile } from '../src/cli/paths.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const SLOW = join(import.meta.dirname, 'fixtures', 'cli', 'counters.ts');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function refused(r: ReturnType<typeof run>, flag: string, why: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^daxcheck: ${flag} '`));
  expect(lines[0]).toMatch(why);
  // Nothing explored: the run header comes after the output checks, the statistics after exploring.
  expect(r.out).toBe('');
}

const dir = mkdtempSync(join(tmpdir(), 'daxcheck-out-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'x');
const fifo = join(dir, 'fifo');
spawnSync('mkfifo', [fifo]);
const toProc = join(dir, 'to-proc');
symlinkSync('/proc/self', toProc);
const reportWithDirInWay = join(dir, 'report');
mkdirSync(join(reportWithDirInWay, 'review.md'), { recursive: true });

const badFiles: [string, RegExp][] = [
  ['/proc/x', /is under \/proc/],
  ['/sys/x', /is under \/sys/],
  [join(toProc, 'x'), /is under \/proc/],
  [join(dir, 'missing', 't.json'), /folder '.*missing' does not exist/],
  [join(aFile, 't.json'), /'.*a-file' is not a folder/],
  [dir, /is a folder; give a file name/],
  [fifo, /is a FIFO or socket/],
];

const badDirs: [string, RegExp][] = [
  ['/proc/x', /is under \/proc/],
  ['/sys/x', /is under \/sys/],
  ['/proc', /is under \/proc/],
  [aFile, /exists and is not a folder/],
  [join(aFile, 'sub'), /'.*a-file' is not a folder/],
];

describe('the checks themselves (src/cli/paths.ts)', () => {
  for (const [path, why] of badFiles) {
    it(`file ${path.replace(dir, '<tmp>')}`, () => expect(() => checkOutputFile('--x-out', path)).toThrow(why));
  }
  for (const [path, why] of badDirs) {
    it(`folder ${path.replace(dir, '<tmp>')}`, () => expect(() => checkOutputDir('--out', path)).toThrow(why));
  }
  it('a report file that would be a folder', () => {
    expect(() => checkOutputDir('--out', reportWithDirInWay, { files: ['review.md'] })).toThrow(/'review.md' inside it exists and is not a regular file/);
  });
  it('usable paths pass: a new file, an existing file, /dev/null, stdout, a new or existing folder', () => {
    for (const f of [join(dir, 'new.json'), aFile, '/dev/null', '/dev/stdout']) expect(() => checkOutputFile('--x-out', f)).not.toThrow();
    for (const d of [join(dir, 'new', 'deeper'), dir]) expect(() => checkOutputDir('--out', d)).not.toThrow();
  });
});

describe('check: an unusable output file fails before exploring, exit 2', () => {
  for (const flag of ['--trace-out', '--itf-out', '--mermaid-out', '--dot-out', '--race-out']) {
    it(`${flag} /proc/x`, () => refused(run('check', SLOW, flag, '/proc/x'), flag, /is under \/proc/));
  }
  it('--trace-out into a missing folder', () => refused(run('check', SLOW, '--trace-out', join(dir, 'missing', 't.json')), '--trace-out', /does not exist/));
  it('--itf-out a FIFO (a write would hang)', () => refused(run('check', SLOW, '--itf-out', fifo), '--itf-out', /is a FIFO or socket/));
  it('a usable path passes the check (and is written)', () => {
    const r = run('check', join(import.meta.dirname, 'fixtures', 'cli', 'toggles.ts'), '--trace-out', join(dir, 'ok.json'), '--race-out', '/dev/null');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATED\s+notBoth/);
    expect(existsSync(join(dir, 'ok.json'))).toBe(true);
  });
});

describe('review --out and draw --out: an unusable folder fails before any work, exit 2', () => {
  for (const [path, why] of [['/proc/x', /is under \/proc/], ['/sys/x', /is under \/sys/], [aFile, /exists and is not a folder/]] as const) {
    it(`review --out ${path.replace(dir, '<tmp>')}`, () => refused(run('review', SLOW, '--out', path), '--out', why));
    it(`draw --out ${path.replace(dir, '<tmp>')}`, () => refused(run('draw', SLOW, '--out', path), '--out', why));
  }
  it('review --out: a report file that would be a folder', () => {
    refused(run('review', SLOW, '--out', reportWithDirInWay), '--out', /'review.md' inside it exists and is not a regular file/);
  });
});

describe('conform and trace export: output files checked before any work, exit 2', () => {
  it('conform --trace-out /proc/x and --race-out into a missing folder', () => {
    refused(run('conform', SLOW, '--log', '/dev/null', '--trace-out', '/proc/x'), '--trace-out', /is under \/proc/);
    refused(run('conform', SLOW, '--log', '/dev/null', '--race-out', join(dir, 'missing', 'r.txt')), '--race-out', /does not exist/);
  });
  it('trace export --out /sys/x', () => refused(run('trace', 'export', join(dir, 'no-trace.json'), '--out', '/sys/x'), '--out', /is under \/sys/));
});
