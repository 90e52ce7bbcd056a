/** The review as a Markdown summary: one table per spec, then each mismatch. */
import type { VariantRun } from '../review/run.js';
import { raceText } from '../trace/racelayout.js';
import { lassoSummary } from '../trace/text.js';
import { showTransition, specCoverage } from './coverage.js';
import { runKnobs } from './knobs.js';

export function markdownReport(runs: readonly VariantRun[]): string {
  const out: string[] = ['# daxcheck review', ''];
  const specs = [...new Set(runs.map((r) => r.spec))];
  for (const spec of specs) {
    const rs = runs.filter((r) => r.spec === spec);
    const props = rs[0].cells.filter((c) => !c.property.startsWith('witness:')).map((c) => c.property);
    out.push(`## ${spec.name}: ${spec.title}`, '');
    out.push(`| variant | preset | knobs beyond it | states | ${props.join(' | ')} |`, `|---|---|---|---:|${props.map(() => '---').join('|')}|`);
    for (const r of rs) {
      const cells = props.map((p) => {
        const c = r.cells.find((x) => x.property === p)!;
        const v = c.result.verdict === 'violated' ? `**VIOLATED** (${c.result.traceLength})` : c.result.verdict;
        return c.ok ? v : `❌ ${v}`;
      });
      const k = runKnobs(r);
      out.push(`| ${r.variant} | ${k.preset ?? 'defaults'} | ${k.beyond.map((x) => `\`${x}\``).join(' ') || '-'} | ${r.result.stats.states} | ${cells.join(' | ')} |`);
    }
    out.push('');
    for (const r of rs) {
      for (const p of Object.values(r.result.properties)) {
        if (p.verdict !== 'violated' || !p.trace) continue;
        const lasso = p.trace.kind === 'lasso' && p.trace.loop !== undefined ? ` (liveness lasso: ${lassoSummary(p.trace)})` : '';
        out.push(`### ${r.variant} / ${p.name}${lasso}`, '', '```text', raceText(p.trace), '```', '');
      }
    }
    const cov = specCoverage(spec, runs);
    const dead = cov.machines.filter((m) => m.unreachedStates.length || m.unreachedTransitions.length);
    if (cov.machines.length) {
      out.push('### Model coverage', '');
      for (const m of cov.machines) {
        out.push(`- ${m.machine} (${m.actors.join(', ')}): ${m.statesTotal - m.unreachedStates.length}/${m.statesTotal} states, ${m.transitionsTotal - m.unreachedTransitions.length}/${m.transitionsTotal} transitions reached`);
        for (const s of m.unreachedStates) out.push(`  - state \`${s}\` never reached`);
        for (const t of m.unreachedTransitions) out.push(`  - transition \`${showTransition(t)}\` never taken`);
      }
      if (!dead.length) out.push('', 'Every state and transition of every machine is reached.');
      out.push('');
    }
  }
  const combos = runs.filter((r) => r.combination).length;
  if (combos) out.push(`${combos} knob combination(s) (review --knobs): verdicts only; they declare no expectations, so nothing is gated.`, '');
  const bad = runs.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => `- ${r.spec.name} / ${r.variant} / ${c.property}: ${c.why}`));
  if (bad.length) out.push(`## Differences from expectations\n\n${bad.join('\n')}`, '');
  else if (runs.some((r) => !r.combination)) out.push('Every verdict matches its expectation.', '');
  return out.join('\n');
}

/** The race table text (fit layout, 100 columns), with a lasso's cycle marked between the rows. */
export { raceText } from '../trace/racelayout.js';
