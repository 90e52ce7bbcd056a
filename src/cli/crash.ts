/**
 * An internal error (a bug in daxcheck, not in the spec): one line naming the spec and the phase,
 * and the stack in a file whose path the line gives, so that a report can carry it.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activity } from '../activity.js';

/** Writes the stack file and returns the one line to print. */
export function crashLine(e: unknown): string {
  const { spec, phase } = activity();
  const where = `${spec ? `spec '${spec}', ` : ''}phase ${phase}`;
  const first = ((e as Error)?.message ?? String(e)).split('\n')[0].slice(0, 200);
  const file = join(tmpdir(), `daxcheck-crash-${process.pid}-${Date.now()}.txt`);
  const text = [`daxcheck internal error (${where})`, `argv: ${JSON.stringify(process.argv.slice(2))}`, `node ${process.version}`, '', (e as Error)?.stack ?? String(e), ''].join('\n');
  try {
    writeFileSync(file, text);
    return `internal error (${where}): ${first}; stack written to ${file}`;
  } catch {
    return `internal error (${where}): ${first} (the stack could not be written to ${file})`;
  }
}
