/** Terminal formatting of check results and the review table. */
import type { CheckResult } from '../check.js';
import type { Verdict } from '../spec/types.js';
import type { VariantRun } from '../review/run.js';

export function verdictWord(v: Verdict): string {
  return v === 'violated' ? 'VIOLATED' : v === 'probably-holds' ? 'probably holds' : v;
}

export function formatStats(r: CheckResult): string {
  const s = r.stats;
  const how = r.complete ? 'complete' : r.stop === 'all-decided' ? 'stopped: every property decided' : `INCOMPLETE (${r.stop})`;
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
