/**
 * What `check` prints (docs/reports.md, "check output"): a summary first (the variant, its preset
 * and the knobs that differ from it, counts, one line per property verdict), then the shortest
 * counterexample as a race table; with `--verbose` the model coverage and every trace in full.
 * Every line fits the terminal width unless `--wide`.
 */
import type { CheckResult, PropertyResult } from '../check.js';
import { showTransition, specCoverage } from '../report/coverage.js';
import type { Spec } from '../spec/types.js';
import { knobsLine, knobsShown } from '../report/knobs.js';
import { FIT_WIDTH, raceText } from '../trace/racelayout.js';
import { lassoSummary, traceToText } from '../trace/text.js';
import { wrapLines } from '../trace/wrap.js';
import { verdictWord } from './format.js';
import { OMISSION_FORMULA } from '../explore/fingerprint-store.js';

export interface CheckPrintOptions {
  /** Line width; Infinity with `--wide`. */
  readonly width: number;
  readonly verbose?: boolean;
}

/**
 * The width to fit: none with `--wide`; else `$COLUMNS` when it is a number (shells set it but do
 * not export it: `COLUMNS=120 daxcheck ...` or `export COLUMNS`), else the terminal's width when
 * stdout is one, else 100 (a pipe or a file: mail and review width).
 */
export function outputWidth(wide: boolean | undefined, env = process.env, out: { isTTY?: boolean; columns?: number } = process.stdout): number {
  if (wide) return Infinity;
  const cols = Number(env.COLUMNS);
  if (Number.isInteger(cols) && cols >= 20) return cols;
  if (out.isTTY && out.columns && out.columns >= 20) return out.columns;
  return FIT_WIDTH;
}

/** `spec S, variant V: preset P + a=1`: the preset and the knobs that differ from it. */
export function variantLine(spec: Spec, r: CheckResult): string {
  return `spec ${r.spec}${r.variant ? `, variant ${r.variant}` : ''}${r.timers ? ' (timers ordered)' : ''}: ${knobsLine(knobsShown(spec, r.variant, r.knobs))}`;
}

function verdictLine(p: PropertyResult): string {
  let len = p.traceLength !== undefined && p.kind === 'safety' ? ` (trace ${p.traceLength} steps)` : '';
  // Liveness (docs/semantics.md §8): the verdict, and for a violation the shape of its lasso.
  if (p.kind === 'liveness') len = `  [liveness${p.trace?.loop !== undefined ? `; lasso: ${lassoSummary(p.trace)}` : ''}]`;
  return `  ${verdictWord(p.verdict).padEnd(10)} ${p.name}${len}`;
}

/** The counts, and whether the run was complete, then the time and memory. */
function statsLines(r: CheckResult): string[] {
  const s = r.stats;
  const how = r.complete ? 'complete' : r.stop === 'all-decided' ? 'stopped: every property decided' : r.stop === 'first-violation' ? 'stopped at the first violation (--stop first): the other properties are incomplete' : `INCOMPLETE (${r.stop})`;
  const lines = [`  ${s.states} states, ${s.transitions} transitions, depth ${s.maxDepth}; ${how}`, `  ${s.seconds.toFixed(2)} s (${Math.round(s.statesPerSecond)} states/s), peak RSS ${(s.peakRssBytes / 2 ** 20).toFixed(0)} MB`];
  if (r.symmetry) lines.push(`  symmetry: one state per class of states equal up to renaming ${r.symmetry.sets.map((x) => `{${x.join(', ')}}`).join(' x ')} (${r.symmetry.permutations} permutations; --no-symmetry: every state)`);
  // A memory stop says which limit, at what size (src/explore/memory.ts).
  if (r.stopNote) lines.push(`  stopped: ${r.stopNote}`);
  return lines;
}

/** The violation with the shortest trace (the first in property order on a tie). */
export function shortestViolation(r: CheckResult): PropertyResult | undefined {
  const vs = Object.values(r.properties).filter((p) => p.verdict === 'violated' && p.trace);
  return vs.reduce<PropertyResult | undefined>((best, p) => (!best || p.trace!.steps.length < best.trace!.steps.length ? p : best), undefined);
}

export function formatCheck(spec: Spec, r: CheckResult, o: CheckPrintOptions): string {
  const out: string[] = [variantLine(spec, r), ...statsLines(r)];
  const props = Object.values(r.properties);
  const witnesses = props.filter((p) => p.witnessOf !== undefined || p.name.startsWith('witness:'));
  for (const p of props) if (o.verbose || !witnesses.includes(p) || p.verdict !== 'reached') out.push(verdictLine(p));
  if (!o.verbose && witnesses.length) {
    const reached = witnesses.filter((p) => p.verdict === 'reached').length;
    out.push(`  ${'witnesses'.padEnd(10)} ${reached}/${witnesses.length} reached${reached < witnesses.length ? ' (the others listed above)' : ''}`);
  }
  if (r.liveness) {
    const l = r.liveness;
    const sets = l.fairnessSets.join(', ');
    const fair = !sets ? 'none (a run may stop anywhere)' : o.verbose || sets.length <= 60 ? sets : `${l.fairnessSets.length} sets (--verbose lists them)`;
    out.push(`  liveness: fairness ${fair}; graph ${l.edges} edges, ${l.graphSeconds.toFixed(2)} s + check ${l.checkSeconds.toFixed(2)} s`);
  } else if (props.some((p) => p.kind === 'liveness')) {
    out.push(`  liveness: not checked (${r.fingerprint ? 'a fingerprint store keeps no states to build the graph from' : 'the exploration was not complete'})`);
  }
  if (r.fingerprint) out.push(...fingerprintNote(r.fingerprint.omissionProbability, r.stats.states, r.fingerprint.generated));
  const traces = props.filter((p) => p.trace).map((p) => p.trace!);
  const first = shortestViolation(r);
  if (first && !o.verbose) {
    const others = traces.length - 1;
    out.push('', `Shortest counterexample: ${first.name}, ${first.trace!.steps.length} steps${others ? `; --verbose prints all ${others + 1} traces` : ''}.`, '');
    out.push(raceText(first.trace!, { layout: Number.isFinite(o.width) ? 'fit' : 'wide', width: o.width }));
  }
  if (o.verbose) {
    out.push('', ...coverageLines(spec, r));
    for (const t of traces) out.push('', traceToText(t));
  }
  return wrapLines(out.join('\n'), o.width);
}

/** What a fingerprint run can and cannot claim, with its estimate (src/explore/fingerprint-store.ts). */
export function fingerprintNote(p: number, n: number, t: number): string[] {
  return [
    '  fingerprint store: probably holds at best, never holds (prove it without --store fingerprint);',
    `  omission probability ~ ${OMISSION_FORMULA} = ${n} * ${t - n} / 2^64 = ${p.toExponential(2)}`,
    '  (TLC\'s optimistic estimate: n distinct states, t states generated)',
  ];
}

/** Per machine: how much of it the run reached, and what it never reached. */
function coverageLines(spec: Spec, r: CheckResult): string[] {
  if (!r.coverage) return ['model coverage: not recorded'];
  const cov = specCoverage(spec, [{ spec, variant: r.variant ?? 'defaults', result: r, cells: [] }]);
  const out = ['model coverage:'];
  for (const m of cov.machines) {
    out.push(`  ${m.machine} (${m.actors.join(', ')}): ${m.statesTotal - m.unreachedStates.length}/${m.statesTotal} states, ${m.transitionsTotal - m.unreachedTransitions.length}/${m.transitionsTotal} transitions reached`);
    for (const s of m.unreachedStates) out.push(`    state ${s} never reached`);
    for (const t of m.unreachedTransitions) out.push(`    transition ${showTransition(t)} never taken`);
  }
  return out;
}
