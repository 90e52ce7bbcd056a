/**
 * The review table fits the output width (issue 16's leftover): a spec with more property columns
 * than fit prints as bands of the same rows, each starting with variant, states and witness; long
 * property names take several header lines. `--wide` keeps one table per spec. The expected columns
 * are read from the `--wide` run, so the test checks the split, not a copy of the checker's verdicts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');

function review(env: Record<string, string>, ...args: string[]): string[] {
  const r = spawnSync(process.execPath, [BIN, 'review', 'map-direct-baselines', ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  expect(r.status).toBe(0);
  return r.stdout.split('\n');
}

/** The table's lines: from the spec's title to the blank line before the legend. */
function tableOf(lines: string[]): string[] {
  const start = lines.findIndex((l) => l.startsWith('map-direct-baselines:'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('holds / VIOL(n)'));
  return lines.slice(start, end);
}

/** Per variant row name, the cells in order, gathered over every band. */
function cellsByVariant(table: string[]): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  let inRows = false;
  for (const l of table) {
    if (/^-+ /.test(l)) { inRows = true; continue; }
    if (!l.trim() || l.startsWith('propert')) { inRows = false; continue; }
    if (!inRows) continue;
    const [variant, states, witness, ...cells] = l.trim().split(/ {2,}/);
    const had = rows.get(variant);
    if (had) had.push(...cells);
    else rows.set(variant, [states, witness, ...cells]);
  }
  return rows;
}

describe('review table width', () => {
  it('splits the properties into bands that fit $COLUMNS, with the same rows and cells as --wide', () => {
    const wide = tableOf(review({}, '--wide'));
    const narrow = tableOf(review({ COLUMNS: '80' }));
    expect(Math.max(...wide.map((l) => l.length))).toBeGreaterThan(80);
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(80);
    const bands = narrow.filter((l) => /^propert(y|ies) .* \(\d+ of \d+\)$/.test(l));
    expect(bands.length).toBeGreaterThan(1);
    expect(bands.at(-1)).toMatch(new RegExp(`\\(${bands.length} of ${bands.length}\\)$`));
    expect(cellsByVariant(narrow)).toEqual(cellsByVariant(wide));
    // A long name (mailbox-overflow) wraps after its '-' in the narrow table, not in the wide one.
    expect(narrow.some((l) => /\bmailbox-(?!overflow)/.test(l))).toBe(true);
    expect(wide.some((l) => /\bmailbox-overflow\b/.test(l))).toBe(true);
  });
});
