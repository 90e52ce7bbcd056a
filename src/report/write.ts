/**
 * Writes the review report files into a folder: Markdown summary, JUnit XML, the HTML page
 * (`report.html` and its scripts under `html/`), and every counterexample in each export format
 * under `traces/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VariantRun } from '../review/run.js';
import { traceToDot } from '../trace/dot.js';
import { traceToItf } from '../trace/itf.js';
import { traceToMermaid } from '../trace/mermaid.js';
import type { Trace } from '../trace/types.js';
import { htmlReport, htmlSiblings } from './html.js';
import { traceStem } from './stem.js';
import { markdownReport } from './markdown.js';
import { raceText } from '../trace/racelayout.js';
import { junitReport } from './junit.js';

export { traceStem };

/** Writes one trace in every format: .trace.json (for replay), .itf.json, .mmd, .dot, .race.txt (mail form). */
export function writeTraceExports(dir: string, t: Trace): string[] {
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, traceStem(t));
  const files: [string, string][] = [
    [`${stem}.trace.json`, JSON.stringify(t, null, 2)],
    [`${stem}.itf.json`, JSON.stringify(traceToItf(t), null, 2)],
    [`${stem}.mmd`, traceToMermaid(t)],
    [`${stem}.dot`, traceToDot(t)],
    [`${stem}.race.txt`, raceText(t, { layout: 'mail' }) + '\n'],
  ];
  for (const [f, text] of files) writeFileSync(f, text);
  return files.map(([f]) => f);
}

export function writeReport(dir: string, runs: readonly VariantRun[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'review.md'), markdownReport(runs));
  writeFileSync(join(dir, 'junit.xml'), junitReport(runs));
  writeFileSync(join(dir, 'report.html'), htmlReport(runs));
  for (const [file, text] of Object.entries(htmlSiblings(runs))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  for (const r of runs) {
    for (const p of Object.values(r.result.properties)) {
      if (p.verdict === 'violated' && p.trace) writeTraceExports(join(dir, 'traces'), p.trace);
    }
  }
}
