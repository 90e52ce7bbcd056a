/** Terminal formatting of check results and the review table. */
import type { CheckResult } from '../check.js';
import type { Verdict } from '../spec/types.js';
import { timerDependence, type VariantRun } from '../review/run.js';
import { killText, type SpecFalsifiability } from '../review/falsify.js';
import { deadTotals, type DeadMachine } from '../report/dead.js';
import { showTransition } from '../report/coverage.js';

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
  return c.ok ? s : `✗${s}`;
}

export function formatReview(runs: readonly VariantRun[]): string {
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
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    out.push(`\n${name}: ${rs[0].spec.title}`);
    const combos = rs.filter((r) => r.combination);
    if (combos.length) {
      const chosen = Object.keys(combos[0].combination!);
      out.push(`knob combinations of ${chosen.join(', ')}; other knobs ${combos[0].base ? `from variant ${combos[0].base}` : 'at their defaults'}; verdicts only, no expectations`);
    }
    out.push(line(header));
    out.push(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) out.push(line(r));
  }
  out.push('\nholds / VIOL(n): violated, shortest trace n steps (a liveness lasso: n steps with its cycle) / reached, unreached (goals) / (v): liveness not gated (expected v: open or unchecked) / ✗: differs from the expected verdict');
  if (runs.some((r) => r.combination)) out.push('a=x,b=y: a knob combination (review --knobs): it declares no expectations, so its verdicts are shown and not gated');
  return out.join('\n');
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
