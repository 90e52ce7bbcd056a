/** The trace export options of `check`: --mermaid-out, --dot-out, --race-out. */
import { writeFileSync } from 'node:fs';
import { traceToDot } from '../trace/dot.js';
import { traceToMermaid } from '../trace/mermaid.js';
import { raceText } from './markdown.js';
import type { Trace } from '../trace/types.js';

/** One trace: the file itself; several: `name.<property>.ext` beside it. */
function fileFor(file: string, t: Trace, many: boolean): string {
  if (!many) return file;
  const p = t.property.replace(/[^A-Za-z0-9_-]/g, '_');
  const i = file.lastIndexOf('.');
  return i > file.lastIndexOf('/') ? `${file.slice(0, i)}.${p}${file.slice(i)}` : `${file}.${p}`;
}

export function writeCheckExports(traces: readonly Trace[], o: { mermaidOut?: string; dotOut?: string; raceOut?: string }): void {
  const many = traces.length > 1;
  const outs: [string | undefined, (t: Trace) => string][] = [
    [o.mermaidOut, traceToMermaid],
    [o.dotOut, traceToDot],
    [o.raceOut, (t) => raceText(t) + '\n'],
  ];
  for (const [file, render] of outs) {
    if (!file) continue;
    for (const t of traces) writeFileSync(fileFor(file, t, many), render(t));
  }
}
