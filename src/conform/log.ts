/**
 * Readers for kernel trace logs. Four line shapes, mixed freely in one file:
 * - the text of /sys/kernel/tracing/trace: `task-PID [CPU] flags TS: event: fields`
 *   (the irq-flags column is optional, a `(TGID)` column too, as `record-tgid` prints it);
 * - `trace-cmd report`: `task-PID [CPU] TS: event: fields` (no flags column);
 * - function-tracer lines, in either: `task-PID [CPU] .... TS: func <-caller`, or as
 *   trace-cmd prints them, `... TS: function: func <-- caller`;
 * - JSON lines: `{"ts": 1.5, "cpu": 0, "pid": 42, "task": "fsync", "event": "...", "fields": {...}}`.
 * Comment and header lines (`# tracer: nop`, `cpus=2`, `version = 6`, `CPU 1 is empty`) are known
 * and skipped; any other line is counted as unknown (fatal only when `strict`).
 * A tracepoint's fields stay raw text here (`text`); its TP_printk format parses them (formats.ts).
 */

export interface LogRecord {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly task: string;
  readonly pid: number;
  readonly cpu: number;
  readonly ts: number;
  /** Tracepoint name, or the traced function's name for a function-tracer line. */
  readonly event: string;
  readonly kind: 'tracepoint' | 'function' | 'json';
  /** Tracepoint: the TP_printk text. */
  readonly text?: string;
  /** Function tracer: the caller; JSON: the given fields. */
  readonly fields?: Readonly<Record<string, string | number | boolean>>;
}

export interface ParsedLog {
  readonly records: LogRecord[];
  /** Lines that are neither records nor known header lines. */
  readonly unknown: { line: number; text: string }[];
  /** Lines per shape, for the report. */
  readonly shapes: Record<string, number>;
}

export class LogError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

// task-PID, optional (TGID), [CPU], optional irq flags (4 or 5 chars of [.a-zA-Z0-9]), TS:
const HEAD = /^\s*(.*?)-(\d+)\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[(\d+)\]\s+(?:([.A-Za-z0-9]{4,5})\s+)?(\d+\.\d+):\s+(.*)$/;
const FUNC_SYS = /^([A-Za-z_][\w.]*)\s+<-\s*(\S+)\s*$/;
const FUNC_CMD = /^function:\s+([A-Za-z_][\w.]*)\s+<--?\s*(\S+)\s*$/;
const EVENT = /^([A-Za-z_]\w*):\s?(.*)$/;
const HEADER = [/^\s*$/, /^\s*#/, /^\s*cpus=\d+\s*$/, /^\s*version\s*=\s*\d+\s*$/, /^\s*CPU\s*\d+ is empty\s*$/i, /^\s*CPU:\d+ \[LOST \d+ EVENTS\]\s*$/];

function parseJsonLine(line: number, s: string): LogRecord {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(s);
  } catch (e) {
    throw new LogError(line, `not valid JSON: ${(e as Error).message}`);
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new LogError(line, 'a JSON line must be an object');
  if (typeof o.event !== 'string' || !o.event) throw new LogError(line, 'a JSON line needs "event" (a string)');
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid)) throw new LogError(line, `a JSON line needs "pid" (an integer), event '${o.event}'`);
  const fields = o.fields ?? {};
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new LogError(line, '"fields" must be an object');
  for (const [k, v] of Object.entries(fields)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) throw new LogError(line, `field '${k}' of '${o.event}' must be a string, number or boolean`);
  }
  return {
    line,
    task: typeof o.task === 'string' ? o.task : '',
    pid: o.pid,
    cpu: typeof o.cpu === 'number' ? o.cpu : 0,
    ts: typeof o.ts === 'number' ? o.ts : 0,
    event: o.event,
    kind: 'json',
    fields: fields as Record<string, string | number | boolean>,
  };
}

/** Parses a whole log. `strict`: an unknown line is an error (LogError with its line number). */
export function parseLog(text: string, opts: { strict?: boolean } = {}): ParsedLog {
  const records: LogRecord[] = [];
  const unknown: { line: number; text: string }[] = [];
  const shapes: Record<string, number> = {};
  const count = (k: string) => (shapes[k] = (shapes[k] ?? 0) + 1);
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trimStart().startsWith('{')) {
      records.push(parseJsonLine(line, raw.trim()));
      count('json');
      return;
    }
    if (HEADER.some((h) => h.test(raw))) return;
    const m = HEAD.exec(raw);
    if (m) {
      const [, task, pid, cpu, flags, ts, rest] = m;
      const base = { line, task, pid: Number(pid), cpu: Number(cpu), ts: Number(ts) };
      const f = FUNC_CMD.exec(rest) ?? FUNC_SYS.exec(rest);
      if (f) {
        records.push({ ...base, event: f[1], kind: 'function', fields: { caller: f[2] } });
        count('function');
        return;
      }
      const e = EVENT.exec(rest);
      if (e) {
        records.push({ ...base, event: e[1], kind: 'tracepoint', text: e[2].replace(/^\s+/, '') });
        count(flags ? 'trace' : 'trace-cmd report');
        return;
      }
    }
    if (opts.strict) throw new LogError(line, `not a trace line: ${JSON.stringify(raw.length > 80 ? raw.slice(0, 80) + '...' : raw)}`);
    unknown.push({ line, text: raw });
  });
  return { records, unknown, shapes };
}
