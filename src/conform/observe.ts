/**
 * Applying a conformance map: what a model step prints (observe), whether a log line is that
 * print (matches), and the line a print renders to (render). Shared by `conform` and `trace export`.
 */
import { SpecError } from '../errors.js';
import type { Scalar } from '../spec/types.js';
import type { Trace } from '../trace/types.js';
import { hex, parseFields, parseNumber, renderFields } from './formats.js';
import { LogError, type LogRecord } from './log.js';
import type { ConformanceMap, Observation, StepInfo } from './map.js';

/** An observation with its thread resolved (undefined: the step moved no thread). */
export interface Print {
  readonly event: string;
  readonly thread?: string;
  readonly fields: Readonly<Record<string, Scalar>>;
}

/** The prints of one step: the first rule among `fn:` keys of its transitions, then its event type. */
export function observe(map: ConformanceMap, s: StepInfo): Print[] {
  let key: string | undefined;
  for (const f of s.fns) if (map.observe[`fn:${f.fn}`]) { key = `fn:${f.fn}`; break; }
  if (!key && map.observe[s.event.type]) key = s.event.type;
  if (!key) return [];
  let out: Observation | readonly Observation[] | null;
  try {
    out = map.observe[key](s);
  } catch (e) {
    throw new SpecError(`map '${map.name}': rule '${key}' threw on ${s.actors.join('+')}:${s.event.type}: ${(e as Error)?.message ?? e}`);
  }
  if (!out) return [];
  const list = Array.isArray(out) ? (out as readonly Observation[]) : [out as Observation];
  return list.map((o) => {
    if (!map.events.includes(o.event)) throw new SpecError(`map '${map.name}': rule '${key}' prints '${o.event}', which is not in the map's events`);
    const thread = o.thread ?? (s.threads.length === 1 ? s.threads[0] : undefined);
    if (o.thread !== undefined && !s.threads.includes(o.thread)) {
      throw new SpecError(`map '${map.name}': rule '${key}' names thread '${o.thread}', which is not a moving thread of ${s.actors.join('+')}:${s.event.type}`);
    }
    const fields = Object.fromEntries(Object.entries(o.fields ?? {}).filter(([, v]) => v !== undefined)) as Record<string, Scalar>;
    return { event: o.event, thread, fields };
  });
}

/** A log line the map reads: its canonical event and its raw fields. */
export interface Line {
  readonly rec: LogRecord;
  readonly event: string;
  readonly raw: Readonly<Record<string, string | number | boolean>>;
}

/** The lines of a log that a map reads, in order; a tracepoint whose text misfits its format is bad input. */
export function mapLines(map: ConformanceMap, records: readonly LogRecord[]): { lines: Line[]; skipped: number; otherFiles: number } {
  const lines: Line[] = [];
  let skipped = 0;
  let otherFiles = 0;
  let file: string | undefined;
  for (const rec of records) {
    const event = map.aliases?.[rec.event] ?? rec.event;
    const mine = map.events.includes(event) && (rec.kind === 'json' || (rec.kind === 'function') === (map.source === 'function'));
    if (!mine) {
      skipped++;
      continue;
    }
    let raw: Record<string, string | number | boolean>;
    if (rec.kind === 'tracepoint') {
      const f = map.formats?.[event];
      if (!f) throw new SpecError(`map '${map.name}' has no TP_printk format for '${event}'`);
      const parsed = parseFields(f, rec.text ?? '');
      if (!parsed) throw new LogError(rec.line, `${rec.event}: the fields do not fit its TP_printk format "${f.format}"`);
      raw = parsed;
    } else raw = { ...(rec.fields ?? {}) };
    if (map.skipCalls?.[event]?.includes(String(raw.caller))) {
      skipped++;
      continue;
    }
    if (map.file?.length) {
      const f = map.file.map((k) => String(raw[k] ?? '')).join(':');
      file ??= f;
      if (f !== file) {
        otherFiles++;
        continue;
      }
    }
    lines.push({ rec, event, raw });
  }
  return { lines, skipped, otherFiles };
}

/** The model value a line's field stands for (undefined: absent or meaningless). */
export function modelValue(map: ConformanceMap, line: Line, name: string, like: Scalar): Scalar | undefined {
  const fm = map.fields?.[name];
  const raw = line.raw[fm?.from ?? name];
  if (raw === undefined) return undefined;
  if (fm) return fm.toModel(raw);
  if (typeof like === 'number') {
    const n = parseNumber(raw);
    return Number.isNaN(n) ? undefined : n;
  }
  if (typeof like === 'boolean') return raw === true || raw === 'true' || raw === 1 || raw === '1';
  return String(raw);
}

/** Whether a line is this print, apart from its PID (the caller checks the thread binding). */
export function sameLine(map: ConformanceMap, p: Print, line: Line): boolean {
  if (p.event !== line.event) return false;
  for (const [k, v] of Object.entries(p.fields)) if (modelValue(map, line, k, v) !== v) return false;
  return true;
}

/** A print in words, its fields as the kernel prints them, for divergence reports. */
export function showPrint(map: ConformanceMap, p: Print): string {
  const fs = Object.entries(p.fields).map(([k, v]) => {
    const fm = map.fields?.[k];
    if (!fm) return `${k}=${typeof v === 'number' ? hex(v) : String(v)}`;
    const r = fm.toLog(v);
    const raw = fm.from ?? k;
    return `${raw}=${typeof r === 'string' ? r : r[raw]}`;
  }).join(' ');
  return `${p.thread ?? '(no thread)'}: ${p.event}${fs ? ' ' + fs : ''}`;
}

// ---- rendering --------------------------------------------------------------------------------

export type LogFormat = 'ftrace' | 'trace-cmd' | 'json';

export interface Identity {
  readonly task: string;
  readonly pid: number;
  readonly cpu: number;
}

/** The raw fields of a print: the map's defaults, then each model field rendered. */
export function rawFields(map: ConformanceMap, p: Print): Record<string, string> {
  const raw: Record<string, string> = { ...(map.defaults ?? {}) };
  for (const [k, v] of Object.entries(p.fields)) {
    const fm = map.fields?.[k];
    const r = fm ? fm.toLog(v) : typeof v === 'number' ? hex(v) : String(v);
    if (typeof r === 'string') raw[fm?.from ?? k] = r;
    else Object.assign(raw, r);
  }
  return raw;
}

/** One log line, in `format`, for a print by `who` at time `ts`. */
export function renderLine(map: ConformanceMap, p: Print, who: Identity, ts: number, format: LogFormat): string {
  const raw = rawFields(map, p);
  if (format === 'json') {
    return JSON.stringify({ ts: Number(ts.toFixed(6)), cpu: who.cpu, pid: who.pid, task: who.task, event: p.event, fields: raw });
  }
  const head = `${who.task.padStart(16)}-${String(who.pid).padEnd(5)} [${String(who.cpu).padStart(3, '0')}]${format === 'ftrace' ? ' ....' : ''} ${ts.toFixed(6).padStart(12)}: `;
  if (map.source === 'function') return `${head}${format === 'ftrace' ? `${p.event} <-${raw.caller ?? '?'}` : `function: ${p.event} <-- ${raw.caller ?? '?'}`}`;
  const f = map.formats?.[p.event];
  if (!f) throw new SpecError(`map '${map.name}' has no TP_printk format for '${p.event}'`);
  try {
    return `${head}${p.event}: ${renderFields(f, raw)}`;
  } catch (e) {
    throw new SpecError(`map '${map.name}': ${(e as Error).message.replace(/^internal: /, '')} (give it in the rule or in defaults)`);
  }
}

// ---- steps of a saved trace --------------------------------------------------------------------

/** The StepInfo of step i (0-based) of a saved trace: contexts from its states, fns from its steps. */
export function traceStepInfo(t: Trace, i: number): StepInfo {
  const s = t.steps[i];
  const before = t.states[i].actors;
  const after = t.states[i + 1].actors;
  return {
    kind: s.kind,
    event: s.event as StepInfo['event'],
    actors: s.actors,
    threads: s.actors.filter((a) => t.threads.includes(a)),
    fns: s.functions.filter((f) => f.fn).map((f) => ({ actor: f.actor, fn: f.fn! })),
    before: (a: string) => before[a]?.context as never,
    after: (a: string) => after[a]?.context as never,
  };
}
