/**
 * A counterexample as a CPU-column race table, in the style of kernel commit messages: one column
 * per thread actor (`Trace.threads`), each step on its own row under the CPU that took it, with the
 * kernel function its transition models; steps of non-thread actors (shared objects, mailboxes)
 * go in a side column.
 */
import { showEvent, showValue } from './text.js';
import type { StepFunction, Trace, TraceStep } from './types.js';

export interface RaceRow {
  /** 1-based step number. */
  readonly step: number;
  readonly kind: TraceStep['kind'];
  /** Text per thread column (absent when the thread did not move). */
  readonly cells: Readonly<Record<string, string>>;
  /** Notes for the side column: what non-thread actors did in this step. */
  readonly side: readonly string[];
  readonly violating: boolean;
}

export interface RaceTable {
  readonly title: string;
  /** Thread actors, one column each. */
  readonly columns: readonly string[];
  readonly rows: readonly RaceRow[];
  /** The final state, one line per actor (and mailbox), and the violated property in words. */
  readonly final: readonly string[];
  readonly verdict: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `fn()` for a kernel function name, the text as written otherwise. */
export function showFn(fn: string): string {
  return IDENT.test(fn) ? `${fn}()` : fn;
}

/** A short name for an event: `after 10` for XState's delayed events. */
export function shortEvent(e: { type: string } & Record<string, unknown>): string {
  const m = /^xstate\.after\.([^.]+)\./.exec(e.type);
  if (m) return `after ${m[1]}`;
  return showEvent(e);
}

function fnsOf(step: TraceStep, actor: string): StepFunction[] {
  return step.functions.filter((f) => f.actor === actor);
}

function fnsText(step: TraceStep, actor: string): string {
  return [...new Set(fnsOf(step, actor).filter((f) => f.fn).map((f) => showFn(f.fn!)))].join(', ');
}

function describeFor(step: TraceStep, actor: string): string {
  const fns = fnsOf(step, actor).filter((f) => f.fn).map((f) => showFn(f.fn!));
  const ev = shortEvent(step.event as never);
  const how = step.kind === 'timer' ? `timer ${ev}` : step.kind === 'deliver' ? `<- ${ev}` : step.kind === 'drop' ? `drops ${ev}` : ev;
  return fns.length ? `${[...new Set(fns)].join(', ')}  [${how}]` : `[${how}]`;
}

/** The thread columns: `Trace.threads`, or every actor that moved when the spec names no thread. */
export function raceColumns(t: Trace): string[] {
  if (t.threads.length) return [...t.threads];
  const moved = new Set(t.steps.flatMap((s) => s.actors));
  return t.actorOrder.filter((a) => moved.has(a));
}

export function raceTable(t: Trace): RaceTable {
  const columns = raceColumns(t);
  const isCol = new Set(columns);
  const rows: RaceRow[] = t.steps.map((s, i) => {
    const cells: Record<string, string> = {};
    const side: string[] = [];
    const inColumn = s.actors.some((a) => isCol.has(a));
    for (const a of s.actors) {
      if (isCol.has(a)) cells[a] = describeFor(s, a);
      else side.push(`${a}: ${inColumn ? fnsText(s, a) || '(moves)' : describeFor(s, a)}`);
    }
    return { step: i + 1, kind: s.kind, cells, side, violating: !!s.violating };
  });
  const last = t.states[t.states.length - 1];
  const final = t.actorOrder.map((a) => {
    const l = last.actors[a];
    const ctx = l.context && typeof l.context === 'object' && Object.keys(l.context as object).length ? ` ${JSON.stringify(l.context)}` : '';
    return `${a}: ${showValue(l.value)}${ctx}${l.timers.length ? ` timers=[${l.timers.join(',')}]` : ''}`;
  });
  for (const [m, q] of Object.entries(last.mailboxes)) if (q.length) final.push(`mailbox ${m}: [${q.map((e) => showEvent(e as never)).join(', ')}]`);
  if (last.dropped.length) final.push(`dropped: ${last.dropped.join(', ')}`);
  if (t.loop !== undefined) final.push(t.loop === t.states.length - 1 ? `(the run stays in this state for ever)` : `(the run loops back to the state after step ${t.loop} for ever)`);
  const verdict = t.kind === 'witness' ? `reached ${t.property}: ${t.propertyDoc}` : `VIOLATED ${t.property}: ${t.propertyDoc}`;
  const title = `${t.kind === 'witness' ? 'Witness' : 'Race'}: ${t.property} (spec ${t.spec}${t.variant ? `, variant ${t.variant}` : ''}, ${t.steps.length} steps)`;
  return { title, columns, rows, final, verdict };
}

const SIDE = 'other actors';

/** The race table as fixed-width text, ready for a commit message or a README. */
export function raceTableText(t: Trace): string {
  const rt = raceTable(t);
  const hasSide = rt.rows.some((r) => r.side.length);
  const heads = [...rt.columns, ...(hasSide ? [SIDE] : [])];
  const body = rt.rows.map((r) => [...rt.columns.map((c) => r.cells[c] ?? ''), ...(hasSide ? [r.side.join('; ')] : [])]);
  const num = String(rt.rows.length).length + 1;
  const widths = heads.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cols: string[], mark = ' ') => (mark + ' '.repeat(num)).slice(0, num + 1) + ' ' + cols.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd();
  const out = [rt.title, ''];
  out.push(line(heads));
  out.push(line(heads.map((h) => '-'.repeat(h.length))));
  body.forEach((b, i) => {
    const r = rt.rows[i];
    out.push(`${String(r.step).padStart(num)}${r.violating ? '!' : ' '} ${b.map((c, j) => c.padEnd(widths[j])).join('   ')}`.trimEnd());
  });
  out.push('', 'final state:', ...rt.final.map((f) => `  ${f}`), '', rt.verdict);
  return out.join('\n');
}
