/**
 * Running the tools for the benches: each command in a process of its own, timed the same way for
 * every tool by `/usr/bin/time -v` (wall time, CPU time, peak RSS); and the plain-text tables.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TIME = '/usr/bin/time';

export interface Exec {
  code: number;
  stdout: string;
  stderr: string;
  wallSeconds?: number;
  cpuSeconds?: number;
  peakRssBytes?: number;
}

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

export const HAVE_TIME = have(TIME);

/** Runs a command to completion (no timing), for builds. */
export function sh(cmd: string, args: string[], cwd: string): Exec {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** `h:mm:ss` or `m:ss.ss` from /usr/bin/time -v. */
function clock(s: string): number {
  return s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

/** Runs a command under `/usr/bin/time -v`, the same way for every tool. */
export function timed(cmd: string, args: string[], cwd: string, scratch: string): Exec {
  if (!HAVE_TIME) {
    // Measured anyway, but not the same way: said loudly in the report.
    const t0 = process.hrtime.bigint();
    const r = sh(cmd, args, cwd);
    return { ...r, wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  }
  const out = path.join(scratch, 'time.txt');
  const r = sh(TIME, ['-v', '-o', out, cmd, ...args], cwd);
  const t = readFileSync(out, 'utf8');
  const num = (re: RegExp) => {
    const m = re.exec(t);
    return m ? Number(m[1]) : undefined;
  };
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(t)?.[1];
  const user = num(/User time \(seconds\): ([\d.]+)/);
  const sys = num(/System time \(seconds\): ([\d.]+)/);
  const rss = num(/Maximum resident set size \(kbytes\): (\d+)/);
  return {
    ...r,
    wallSeconds: wall !== undefined ? clock(wall) : undefined,
    cpuSeconds: user !== undefined && sys !== undefined ? user + sys : undefined,
    peakRssBytes: rss !== undefined ? rss * 1024 : undefined,
  };
}

export function lastLines(s: string, n = 6): string {
  return s.trim().split('\n').slice(-n).join(' | ');
}

export function pad(cells: string[], widths: number[], right: boolean[]): string {
  return cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
}

export function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [pad(header, widths, right), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => pad(r, widths, right))].join('\n');
}

