/** Shared by the conformance tests: a search per (spec, knobs), and a trace's prints as log records. */
import { compose } from '../../src/check.js';
import { rawFields, renderLine, type LogFormat } from '../../src/conform/observe.js';
import { tracePrints, threadIdentity } from '../../src/conform/export.js';
import { parseLog } from '../../src/conform/log.js';
import type { ConformanceMap } from '../../src/conform/map.js';
import { mapLines } from '../../src/conform/observe.js';
import { ConformanceSearch, type ConformResult } from '../../src/conform/search.js';
import type { Scalar, Spec } from '../../src/spec/types.js';
import type { Trace } from '../../src/trace/types.js';
import type { ORecord } from './log-oracle.js';

const searches = new Map<string, ConformanceSearch>();
/** One search (and its memo) per spec and knob setting. */
export function searchFor(spec: Spec, map: ConformanceMap, knobs: Readonly<Record<string, Scalar>>): ConformanceSearch {
  const key = `${spec.name}/${map.name}/${JSON.stringify(knobs)}`;
  let s = searches.get(key);
  if (!s) searches.set(key, (s = new ConformanceSearch(compose(spec, { knobs: { ...knobs } }), map)));
  return s;
}

export function conformLog(spec: Spec, map: ConformanceMap, knobs: Readonly<Record<string, Scalar>>, text: string, maxSilent = 40): ConformResult {
  const { lines } = mapLines(map, parseLog(text).records);
  return searchFor(spec, map, knobs).run(lines, { maxSilent, spec: spec.name });
}

export interface Rec extends ORecord {
  task: string;
  cpu: number;
}

/** The records a trace prints through a map (PIDs as `trace export` assigns them). */
export function traceRecords(map: ConformanceMap, t: Trace): Rec[] {
  return tracePrints(map, t).map(({ print }) => {
    const who = threadIdentity(t, print.thread);
    return { pid: who.pid, task: who.task, cpu: who.cpu, event: print.event, raw: rawFields(map, print) };
  });
}

/** Records as a log in `format`: one line each, no header (line k = record k-1). */
export function renderRecords(map: ConformanceMap, recs: readonly Rec[], format: LogFormat): string {
  return recs.map((r, i) => {
    if (format === 'json') return JSON.stringify({ ts: 1 + i / 1e6, cpu: r.cpu, pid: r.pid, task: r.task, event: r.event, fields: r.raw });
    // rawFields already holds every raw field: render through a print whose fields are those raw texts
    const fake: ConformanceMap = { ...map, fields: {}, defaults: r.raw };
    return renderLine(fake, { event: r.event, fields: {} }, { task: r.task, pid: r.pid, cpu: r.cpu }, 1 + i / 1e6, format);
  }).join('\n') + '\n';
}
