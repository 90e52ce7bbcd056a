/**
 * The race table as text, in three layouts (docs/reports.md, "Race tables in a terminal and in mail"):
 *
 * - `fit` (terminal, Markdown report): at most `width` columns (default 100). One column per thread
 *   plus an `other actors` column; each row keeps its kernel function and event name, event
 *   parameters go to a legend under the table keyed by step number (`[xfs_ilock(...)]` in the row),
 *   other actors are abbreviated to `actor: function`, and cells wrap inside their column.
 * - `mail` (`check --race-out`, `traces/*.race.txt`): the CPU0/CPU1 form of kernel commit messages,
 *   72 columns, threads as columns and other actors as indented notes under the step.
 * - `wide`: one line per step, every cell in full (the layout before the others; `--wide`).
 *
 * When the thread columns cannot fit the width even wrapped, `fit` falls back to notes and then to
 * one line per step (`actor: function [event]`), so no line is ever longer than the width.
 */
import { raceColumns, raceTable, raceTableText, showFn } from './racetable.js';
import { lassoMarker, showEvent } from './text.js';
import type { Trace, TraceStep } from './types.js';
import { wrap } from './wrap.js';

export type RaceLayout = 'fit' | 'mail' | 'wide';
export const FIT_WIDTH = 100;
export const MAIL_WIDTH = 72;

export interface RaceTextOptions {
  readonly layout?: RaceLayout;
  /** Maximum line length (fit: default 100; mail: default 72; ignored by wide). */
  readonly width?: number;
}

const GAP = '   ';
/** Narrowest a column may shrink to before the layout gives up columns. */
const MIN_COL = 14;
const MAX_WORD = 32;

/** A cell wrapped to `w`: items (`a: f; b: g`) move to the next line whole when they fit there. */
function wrapCell(text: string, w: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const item of text.split('; ')) {
    if (line && `${line}; ${item}`.length <= w) { line = `${line}; ${item}`; continue; }
    if (line) out.push(line.length < w ? `${line};` : line);
    const lines = wrap(`${out.length ? '  ' : ''}${item}`, w, '  ');
    out.push(...lines.slice(0, -1));
    line = lines[lines.length - 1];
  }
  if (line) out.push(line);
  return out;
}

export interface RaceRow {
  readonly step: number;
  readonly violating: boolean;
  /** Per thread that moved: `fn() [event]`. */
  readonly cells: Readonly<Record<string, string>>;
  /** A step no thread took: its first actor in full, `actor: fn() [event]`. */
  readonly lead?: string;
  /** The other actors of the step, abbreviated: `actor: fn`. */
  readonly notes: readonly string[];
  /** The event with its parameters, when it has any (for the legend). */
  readonly params?: string;
}

function fns(s: TraceStep, actor: string, call: boolean): string {
  return [...new Set(s.functions.filter((f) => f.actor === actor && f.fn).map((f) => (call ? showFn(f.fn!) : f.fn!)))].join(', ');
}

/** The event, marked by step kind; without its parameters (`xfs_ilock(...)`) unless `params`. */
function eventName(s: TraceStep, params: boolean): string {
  const e = s.event as { type: string } & Record<string, unknown>;
  const m = /^xstate\.after\.([^.]+)\./.exec(e.type);
  const name = m ? `after ${m[1]}` : params ? showEvent(e) : `${e.type}${Object.keys(e).some((k) => k !== 'type') ? '(...)' : ''}`;
  return s.kind === 'timer' ? `timer ${name}` : s.kind === 'deliver' ? `<- ${name}` : s.kind === 'drop' ? `drops ${name}` : name;
}

/**
 * The rows of a race table: per step the thread cells (`fn() [event]`) and the other actors
 * abbreviated (`actor: fn`); the event's parameters in `params`, or in the cells with `params`.
 */
export function raceRows(t: Trace, columns: readonly string[] = raceColumns(t), o: { params?: boolean } = {}): RaceRow[] {
  const isCol = new Set(columns);
  return t.steps.map((s, i) => {
    const ev = `[${eventName(s, !!o.params)}]`;
    const full = (a: string) => [fns(s, a, true), ev].filter(Boolean).join(' ');
    const cells: Record<string, string> = {};
    for (const a of s.actors) if (isCol.has(a)) cells[a] = full(a);
    const others = s.actors.filter((a) => !isCol.has(a));
    const lead = Object.keys(cells).length || !others.length ? undefined : `${others[0]}: ${full(others[0])}`;
    const notes = others.slice(lead ? 1 : 0).map((a) => `${a}: ${fns(s, a, false) || '(moves)'}`);
    const e = s.event as { type: string } & Record<string, unknown>;
    const params = /^xstate\.after\./.test(e.type) || !Object.keys(e).some((k) => k !== 'type') ? undefined : showEvent(e);
    return { step: i + 1, violating: !!s.violating, cells, lead, notes, params };
  });
}

/**
 * Column widths that fit `avail` with the fewest wrapped lines: every split of the width is tried
 * when there are few (two or three columns), else the widest column shrinks first. Undefined when
 * even the narrowest columns do not fit.
 */
function fitWidths(heads: readonly string[], body: readonly string[][], avail: number, even = false): number[] | undefined {
  // even (the mail layout): no thread column wider than an even share, as CPU0/CPU1 diagrams are drawn.
  const share = even ? Math.floor(avail / heads.length) : Infinity;
  const natural = heads.map((h, i) => Math.max(h.length, ...body.map((b) => Math.min(b[i].length, i < heads.length - 1 ? share : Infinity))));
  // A column never cuts a word it could hold whole (up to MAX_WORD): `[__break_lease(...)]` stays one piece.
  const word = natural.map((_, i) => Math.max(0, ...body.map((b) => Math.max(0, ...b[i].split(' ').map((x) => x.length)))));
  const min = natural.map((w, i) => Math.max(heads[i].length, Math.min(w, Math.max(MIN_COL, Math.min(word[i] + 2, MAX_WORD)))));
  if (natural.reduce((a, b) => a + b, 0) <= avail) return natural;
  if (min.reduce((a, b) => a + b, 0) > avail) return undefined;
  const height = (ws: readonly number[]) => body.reduce((n, b) => n + Math.max(1, ...b.map((c, i) => (c ? wrapCell(c, ws[i]).length : 1))), 0);
  const ranges = natural.slice(0, -1).map((w, i) => w - min[i] + 1);
  if (ranges.reduce((a, b) => a * b, 1) <= 4000) {
    let best: number[] | undefined;
    let bestH = Infinity;
    const pick = (i: number, ws: number[], used: number) => {
      if (i === natural.length - 1) {
        const last = Math.min(natural[i], avail - used);
        if (last < min[i]) return;
        const cand = [...ws, last];
        const h = height(cand);
        if (h < bestH) [best, bestH] = [cand, h];
        return;
      }
      for (let w = natural[i]; w >= min[i]; w--) pick(i + 1, [...ws, w], used + w);
    };
    pick(0, [], 0);
    return best;
  }
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > avail) {
    let k = -1;
    widths.forEach((w, i) => { if (w > min[i] && (k < 0 || w > widths[k])) k = i; });
    widths[k]--;
    total--;
  }
  return widths;
}

interface Grid {
  readonly lines: string[];
  /** Index into `lines` of each row's first line. */
  readonly rowStart: number[];
}

/** Threads as columns; other actors in a last column (`side`) or as notes under the step. */
function columnsLayout(rs: readonly RaceRow[], columns: readonly string[], side: boolean, width: number): Grid | undefined {
  const hasSide = side && rs.some((r) => r.lead || r.notes.length);
  const heads = [...columns, ...(hasSide ? ['other actors'] : [])];
  const sideText = (r: RaceRow) => [r.lead, ...r.notes].filter(Boolean).join('; ');
  const body = rs.map((r) => [...columns.map((c) => r.cells[c] ?? ''), ...(hasSide ? [sideText(r)] : [])]);
  const num = String(rs.length).length;
  const pre = num + 3;
  const widths = fitWidths(heads, body, width - pre - GAP.length * (heads.length - 1), !side);
  if (!widths) return undefined;
  const starts = widths.map((_, i) => pre + widths.slice(0, i).reduce((a, w) => a + w + GAP.length, 0));
  const line = (first: string, cols: string[]) => (first.padEnd(pre) + cols.map((c, i) => c.padEnd(widths[i])).join(GAP)).trimEnd();
  const lines = [line('', heads), line('', heads.map((h) => '-'.repeat(h.length)))];
  const rowStart: number[] = [];
  rs.forEach((r, i) => {
    rowStart.push(lines.length);
    const mark = `${String(r.step).padStart(num + 1)}${r.violating ? '!' : ''}`;
    if (!hasSide && r.lead) {
      // A step no thread took, in the notes layout: the actor that took it across the whole width.
      lines.push(...wrap(mark.padEnd(pre) + r.lead, width, ' '.repeat(pre + 4)));
    } else {
      const wrapped = body[i].map((c, j) => (c ? wrapCell(c, widths[j]) : []));
      const n = Math.max(1, ...wrapped.map((w) => w.length));
      for (let k = 0; k < n; k++) lines.push(line(k ? '' : mark, wrapped.map((w) => w[k] ?? '')));
    }
    if (hasSide || !r.notes.length) return;
    // Notes: indented under the thread that took the step (the first column for a step no thread took).
    const col = columns.findIndex((c) => r.cells[c] !== undefined);
    const at = Math.min(starts[Math.max(0, col)] + 2, width - 30);
    for (const l of wrap(' '.repeat(at) + r.notes.join('; '), width, ' '.repeat(at + 2))) lines.push(l);
  });
  return { lines, rowStart };
}

/** The last resort for a narrow width or many threads: one line per step, `actor: fn() [event]`. */
function listLayout(rs: readonly RaceRow[], width: number): Grid {
  const num = String(rs.length).length;
  const lines: string[] = [];
  const rowStart: number[] = [];
  for (const r of rs) {
    rowStart.push(lines.length);
    const text = [...Object.entries(r.cells).map(([a, c]) => `${a}: ${c}`), ...(r.lead ? [r.lead] : []), ...r.notes].join('; ');
    const mark = `${String(r.step).padStart(num + 1)}${r.violating ? '!' : ''}`.padEnd(num + 3);
    lines.push(...wrap(mark + text, width, ' '.repeat(num + 5)));
  }
  return { lines, rowStart };
}

/** The race table as text in the chosen layout (default `fit`, 100 columns). */
export function raceText(t: Trace, o: RaceTextOptions = {}): string {
  const layout = o.layout ?? 'fit';
  if (layout === 'wide') return wideText(t);
  const width = Math.max(20, o.width ?? (layout === 'mail' ? MAIL_WIDTH : FIT_WIDTH));
  const columns = raceColumns(t);
  const rs = raceRows(t, columns);
  const grid = (layout === 'fit' ? columnsLayout(rs, columns, true, width) : undefined) ?? columnsLayout(rs, columns, false, width) ?? listLayout(rs, width);
  const body = [...grid.lines];
  const m = lassoMarker(t);
  if (m) {
    const at = m.before < rs.length ? grid.rowStart[m.before] : body.length;
    body.splice(at, 0, ...wrap(`     ${m.text}`, width, '     '));
  }
  const title = `${t.kind === 'witness' ? 'Witness' : 'Race'}: ${t.property} (spec ${t.spec}${t.variant ? `, variant ${t.variant}` : ''}, ${t.steps.length} steps)`;
  const out = [...wrap(title, width, '  '), '', ...body];
  const legend = rs.filter((r) => r.params);
  if (legend.length) {
    const num = String(rs.length).length;
    out.push('', 'event parameters, by step:');
    for (const r of legend) out.push(...wrap(`  ${String(r.step).padStart(num)}  ${r.params}`, width, ' '.repeat(num + 6)));
  }
  const { final, verdict } = raceTable(t);
  out.push('', 'final state:', ...final.flatMap((f) => wrap(`  ${f}`, width, '      ')), '', ...wrap(verdict, width, '  '));
  return out.join('\n');
}

/** Today's one-line-per-step table, with a lasso's cycle marked between the rows. */
function wideText(t: Trace): string {
  const text = raceTableText(t);
  const m = lassoMarker(t);
  if (!m) return text;
  // raceTableText: title, blank, header, rule, then one line per step.
  const lines = text.split('\n');
  lines.splice(4 + m.before, 0, `     ${m.text}`);
  return lines.join('\n');
}
