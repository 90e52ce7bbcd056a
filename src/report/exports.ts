/** The trace export options of `check`: --mermaid-out, --dot-out, --race-out. */
import { writeFileSync } from 'node:fs';
import { traceToDot } from '../trace/dot.js';
import { traceToMermaid } from '../trace/mermaid.js';
import { raceText } from '../trace/racelayout.js';
import type { Trace } from '../trace/types.js';

/** One trace: the file itself; several: `name.<property>.ext` beside it. */
function fileFor(file: string, t: Trace, many: boolean): string {
  if (!many) return file;
  const p = t.property.replace(/[^A-Za-z0-9_-]/g, '_');
  const i = file.lastIndexOf('.');
  return i > file.lastIndexOf('/') ? `${file.slice(0, i)}.${p}${file.slice(i)}` : `${file}.${p}`;
}

/** `--race-out` writes the 72-column mail form, or with `--wide` one line per step in full. */
export function writeCheckExports(traces: readonly Trace[], o: { mermaidOut?: string; dotOut?: string; raceOut?: string; wide?: boolean }): void {
  const many = traces.length > 1;
  const outs: [string | undefined, (t: Trace) => string][] = [
    [o.mermaidOut, traceToMermaid],
    [o.dotOut, traceToDot],
    [o.raceOut, (t) => raceText(t, { layout: o.wide ? 'wide' : 'mail' }) + '\n'],
  ];
  for (const [file, render] of outs) {
    if (!file) continue;
    for (const t of traces) writeFileSync(fileFor(file, t, many), render(t));
  }
}
