/** Terminal formatting of check results and the review table. */
import type { CheckResult } from '../check.js';
import type { Verdict } from '../spec/types.js';
import { timerDependence, type VariantRun } from '../review/run.js';
import { killText, type SpecFalsifiability } from '../review/falsify.js';
import { deadTotals, type DeadMachine } from '../report/dead.js';
import { showTransition } from '../report/coverage.js';
import { wrap } from '../trace/wrap.js';

export function verdictWord(v: Verdict): string {
  return v === 'violated' ? 'VIOLATED' : v === 'probably-holds' ? 'probably holds' : v;
}

export function formatStats(r: CheckResult): string {
  const s = r.stats;
  const how = r.complete ? 'complete' : r.stop === 'all-decided' ? 'stopped: every property decided' : r.stop === 'first-violation' ? 'stopped at the first violation (--stop first): the other properties are incomplete' : `INCOMPLETE (${r.stop})`;
  return `  ${s.states} states, ${s.transitions} transitions, depth ${s.maxDepth}, ${s.seconds.toFixed(2)} s (${Math.round(s.statesPerSecond)} states/s), peak RSS ${(s.peakRssBytes / 2 ** 20).toFixed(0)} MB; ${how}`;
}

/** A short cell: holds / VIOL(n) / reached / inc / uncheck, with ✗ when it differs from expectation. */
function cell(run: VariantRun, prop: string): string {
  const c = run.cells.find((x) => x.property === prop);
  if (!c) return '';
  const r = c.result;
  let s: string;
  switch (r.verdict) {
    case 'violated': s = `VIOL(${r.traceLength})`; break;
    case 'incomplete': s = 'incompl'; break;
    case 'unchecked': s = c.expected?.verdict === 'open' ? 'open?' : `(${c.expected?.verdict ?? '?'})`; break;
    default: s = r.verdict;
  }
  // A liveness verdict found but not gated (expectation open or unchecked) is shown in parentheses.
  if (!c.gated && r.kind === 'liveness' && r.verdict !== 'unchecked') s = `(${s})`;
  return c.ok ? s : `✗${s}`;
}

/** The review table per spec, its property columns split into bands that fit `width` (Infinity: one band). */
export function formatReview(runs: readonly VariantRun[], width = Infinity): string {
  const out: string[] = [];
  const bySpec = new Map<string, VariantRun[]>();
  for (const r of runs) bySpec.set(r.spec.name, [...(bySpec.get(r.spec.name) ?? []), r]);
  for (const [name, rs] of bySpec) {
    const props = rs[0].cells.filter((c) => !c.property.startsWith('witness:')).map((c) => c.property);
    const header = ['variant', 'states', 'witness', ...props];
    const rows = rs.map((r) => {
      const w = r.cells.filter((c) => c.property.startsWith('witness:'));
      const wr = w.filter((c) => c.result.verdict === 'reached').length;
      const wbad = w.some((c) => !c.ok);
      return [r.variant, String(r.result.stats.states) + (r.result.complete || r.result.stop === 'all-decided' ? '' : '+'), `${wbad ? '✗' : ''}${wr}/${w.length}`, ...props.map((p) => cell(r, p))];
    });
    // A long property name takes several header lines (broken after '-') rather than a wide column.
    const widths = header.map((h, i) => {
      const cells = Math.max(0, ...rows.map((r) => r[i].length));
      return i < FIXED || !Number.isFinite(width) ? Math.max(h.length, cells) : Math.max(cells, Math.min(h.length, HEADER_WIDTH));
    });
    const headerLines = header.map((h, i) => headerPieces(h, widths[i]));
    out.push('', ...wrap(`${name}: ${rs[0].spec.title}`, width, '    '));
    const combos = rs.filter((r) => r.combination);
    if (combos.length) {
      const chosen = Object.keys(combos[0].combination!);
      out.push(`knob combinations of ${chosen.join(', ')}; other knobs ${combos[0].base ? `from variant ${combos[0].base}` : 'at their defaults'}; verdicts only, no expectations`);
    }
    const bands = propertyBands(widths, width);
    bands.forEach((cols, b) => {
      const line = (row: string[]) => cols.map((i) => row[i].padEnd(widths[i])).join('  ').trimEnd();
      const first = header[cols[FIXED]], last = header[cols[cols.length - 1]];
      if (bands.length > 1) out.push(`${b ? '\n' : ''}${first === last ? `property ${first}` : `properties ${first} to ${last}`} (${b + 1} of ${bands.length})`);
      const depth = Math.max(...cols.map((i) => headerLines[i].length));
      for (let k = 0; k < depth; k++) out.push(line(headerLines.map((l) => l[k] ?? '')));
      out.push(cols.map((i) => '-'.repeat(widths[i])).join('  '));
      for (const r of rows) out.push(line(r));
    });
  }
  out.push('', ...wrap('holds / VIOL(n): violated, shortest trace n steps (a liveness lasso: n steps with its cycle) / reached, unreached (goals) / (v): liveness not gated, its expectation open or unchecked (v: the verdict found, or the expectation when not run) / ✗: differs from the expected verdict', width));
  if (runs.some((r) => r.combination)) out.push(...wrap('a=x,b=y: a knob combination (review --knobs): it declares no expectations, so its verdicts are shown and not gated', width));
  return out.join('\n');
}

/** Columns variant, states and witness start every band. */
const FIXED = 3;
/** Property names longer than this (and than the column's cells) take several header lines. */
const HEADER_WIDTH = 12;

/** `name` in pieces of at most `width` columns, broken after a '-' where it can be. */
function headerPieces(name: string, width: number): string[] {
  const out: string[] = [];
  let rest = name;
  while (rest.length > width) {
    const cut = rest.lastIndexOf('-', width - 1);
    const at = cut > 0 ? cut + 1 : width;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}

/**
 * Splits the property columns into bands that each fit `width` after the fixed columns, so a wide
 * spec prints as several tables of the same rows instead of lines that wrap in the terminal. A
 * property column wider than what is left still gets a band of its own.
 */
function propertyBands(widths: readonly number[], width: number): number[][] {
  const fixed = [...Array(FIXED).keys()];
  const used = (cols: number[]) => cols.reduce((n, i) => n + widths[i], 0) + 2 * (cols.length - 1);
  const bands: number[][] = [];
  let band = [...fixed];
  for (let i = FIXED; i < widths.length; i++) {
    if (band.length > FIXED && used([...band, i]) > width) {
      bands.push(band);
      band = [...fixed];
    }
    band.push(i);
  }
  bands.push(band);
  return bands;
}

/** Per spec: the variant that kills each property, or why none does (docs/specs.md, "Mutants"). */
export function formatFalsifiability(fs: readonly SpecFalsifiability[]): string {
  const out: string[] = ['\nfalsifiability: the variant that kills each property (a mutant preferred)'];
  for (const f of fs) {
    if (f.skipped) {
      out.push(`${f.spec}: check skipped (${f.skipped})`);
      continue;
    }
    out.push(`${f.spec}:`);
    const w = Math.max(0, ...f.properties.map((k) => k.property.length));
    for (const k of f.properties) out.push(`  ${k.ok ? ' ' : '✗'} ${k.property.padEnd(w)}  ${killText(k)}`);
  }
  return out.join('\n');
}

/** Dead modelling in the terminal: counts, and the first few per machine (the reports list all). */
export function formatDead(ds: readonly DeadMachine[], few = 3): string {
  const t = deadTotals(ds);
  const out = [`\ndead modelling (informational): ${t.deadStates}/${t.states} states and ${t.deadTransitions}/${t.transitions} transitions of ${t.machines} machine(s) reached by no variant of any reviewed spec`];
  for (const d of ds) {
    const n = d.deadStates.length + d.deadTransitions.length;
    if (!n) continue;
    const items = [...d.deadStates.map((s) => `state ${s}`), ...d.deadTransitions.map((x) => `transition ${showTransition(x)}`)];
    out.push(`  ${d.machine} (${d.specs.join(', ')}): ${d.deadStates.length} state(s), ${d.deadTransitions.length} transition(s): ${items.slice(0, few).join('; ')}${n > few ? `; … ${n - few} more in the report (--out)` : ''}`);
  }
  return out.join('\n');
}

/** `review --timers both`: the verdicts that depend on timer order (docs/semantics.md §4). */
export function formatTimerDependence(runs: readonly VariantRun[]): string {
  const ds = timerDependence(runs);
  const n = runs.filter((r) => r.ordered).length;
  if (!ds.length) return `\ntimers: no verdict depends on timer order (${n} variant(s) run untimed and ordered)`;
  const out = [`\ntimers: ${ds.length} verdict(s) depend on timer order (untimed -> ordered; the table and the gate are untimed):`];
  for (const d of ds) out.push(`  ${d.run.spec.name} / ${d.run.variant} / ${d.property}: ${d.untimed} -> ${d.ordered}`);
  return out.join('\n');
}
