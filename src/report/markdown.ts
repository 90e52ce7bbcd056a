/** The review as a Markdown summary: one table per spec, then each mismatch. */
import type { VariantRun } from '../review/run.js';
import { raceText } from '../trace/racelayout.js';
import { lassoSummary } from '../trace/text.js';
import { showTransition, specCoverage } from './coverage.js';
import { runKnobs } from './knobs.js';
import { timerDependence } from '../review/run.js';
import { deadModelling, deadTotals } from './dead.js';
import { specAtomicity } from './atomicity.js';
import { falsifiability, falsifiabilityFailures, killText } from '../review/falsify.js';

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
    const kills = falsifiability(rs)[0];
    out.push('### Falsifiability', '');
    if (kills.skipped) out.push(`Check skipped: ${kills.skipped}.`, '');
    else {
      out.push('| property | kill |', '|---|---|');
      for (const k of kills.properties) out.push(`| ${k.property} | ${k.ok ? '' : '❌ '}${killText(k)} |`);
      out.push('');
    }
    const atom = specAtomicity(spec, rs);
    if (atom.length) {
      out.push('### Atomicity of multi-instance steps', '', '| event | instances | justification (meta.atomic) | explored steps | variants |', '|---|---|---|---:|---|');
      for (const a of atom) out.push(`| ${a.event} | ${a.actors} | ${a.ok ? '' : '❌ '}${a.justification} | ${a.steps} | ${a.variants.length === rs.length ? 'all' : a.variants.join(', ')} |`);
      out.push('');
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
  const dead = deadModelling(runs);
  if (dead.length) {
    const t = deadTotals(dead);
    out.push('## Dead modelling', '', `Across every reviewed spec (machines matched by id): ${t.deadStates}/${t.states} states and ${t.deadTransitions}/${t.transitions} transitions that no variant reaches. Informational, not gated.`, '');
    for (const d of dead) {
      out.push(`- ${d.machine} (${d.specs.join(', ')}): ${d.deadStates.length} of ${d.statesTotal} states, ${d.deadTransitions.length} of ${d.transitionsTotal} transitions dead`);
      for (const s of d.deadStates) out.push(`  - state \`${s}\``);
      for (const x of d.deadTransitions) out.push(`  - transition \`${showTransition(x)}\``);
    }
    out.push('');
  }
  if (runs.some((r) => r.ordered)) {
    const ds = timerDependence(runs);
    out.push('## Timer order (review --timers both)', '', ds.length
      ? `Verdicts that change under ordered timers (docs/semantics.md §4); the tables and the gate are untimed:\n\n${ds.map((d) => `- ${d.run.spec.name} / ${d.run.variant} / ${d.property}: ${d.untimed} → ${d.ordered}`).join('\n')}`
      : `No verdict depends on timer order (${runs.filter((r) => r.ordered).length} variants run untimed and ordered).`, '');
  }
  const combos = runs.filter((r) => r.combination).length;
  if (combos) out.push(`${combos} knob combination(s) (review --knobs): verdicts only; they declare no expectations, so nothing is gated.`, '');
  const bad = runs.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => `- ${r.spec.name} / ${r.variant} / ${c.property}: ${c.why}`));
  if (bad.length) out.push(`## Differences from expectations\n\n${bad.join('\n')}`, '');
  else if (runs.some((r) => !r.combination)) out.push('Every verdict matches its expectation.', '');
  const unkilled = falsifiabilityFailures(falsifiability(runs));
  if (unkilled.length) out.push(`## Properties not shown able to fail\n\n${unkilled.map((l) => `- ${l}`).join('\n')}`, '');
  return out.join('\n');
}

/** The race table text (fit layout, 100 columns), with a lasso's cycle marked between the rows. */
export { raceText } from '../trace/racelayout.js';
