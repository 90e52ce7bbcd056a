/**
 * The README's worked example (the MD-R2 race) is generated, not pasted: this module runs the CLI
 * command the README shows and renders its race table the way the README prints it. The test
 * (test/readme.test.ts) compares it with the README; `npm run readme:sample` rewrites the README's
 * block between the markers after a change of the model or of the race-table layout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
export const README = join(ROOT, 'README.md');
export const BEGIN = '<!-- race:begin -->';
export const END = '<!-- race:end -->';
/** The command the README shows (run from the repository root) and the race file it prints. */
export const COMMAND = ['check', 'map-direct', '--variant', 'v7+fixes', '--race-out', 'race.txt'];
export const RACE_FILE = 'race.S1w.txt';
/** Table rows wider than this are cut in the README (the full table is in the race file). */
const WIDTH = 170;

/** The block between the markers: the command and the race file, its final state's actor dump elided. */
export function readmeSample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'daxcheck-readme-'));
  try {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'daxcheck.js'), ...COMMAND], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 1) throw new Error(`daxcheck ${COMMAND.join(' ')} exited ${r.status} (expected 1: a violation): ${r.stderr}`);
    const lines = readFileSync(join(dir, RACE_FILE), 'utf8').split('\n').map((l) => l.trimEnd());
    // the final state's actor dump is elided: everything from `final state:` to the verdict
    const fin = lines.findIndex((l) => l.startsWith('final state:'));
    const verdict = lines.findIndex((l, i) => i > fin && l.startsWith('VIOLATED'));
    const kept = fin < 0 || verdict < 0 ? lines : [...lines.slice(0, fin + 1), '  ...', '', ...lines.slice(verdict)];
    while (kept.length > 0 && kept.at(-1) === '') kept.pop();
    const table = kept.map((l) => (l.length > WIDTH ? l.slice(0, WIDTH) : l));
    return ['```', `$ node bin/daxcheck.js ${COMMAND.join(' ')}`, `$ cat ${RACE_FILE}`, ...table, '```'].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The README's current block between the markers (null without markers). */
export function readmeBlock(text: string): string | null {
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END);
  return i < 0 || j < i ? null : text.slice(i + BEGIN.length, j).trim();
}

if (process.argv.includes('--write')) {
  const text = readFileSync(README, 'utf8');
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END);
  if (i < 0 || j < i) throw new Error(`README.md has no ${BEGIN} ... ${END} block`);
  writeFileSync(README, `${text.slice(0, i + BEGIN.length)}\n${readmeSample()}\n${text.slice(j)}`);
  console.log('README.md: race sample regenerated');
}
