/** The review as a Markdown summary: one table per spec, then each mismatch. */
import type { VariantRun } from '../review/run.js';

export function markdownReport(runs: readonly VariantRun[]): string {
  const out: string[] = ['# daxcheck review', ''];
  const specs = [...new Set(runs.map((r) => r.spec))];
  for (const spec of specs) {
    const rs = runs.filter((r) => r.spec === spec);
    const props = rs[0].cells.filter((c) => !c.property.startsWith('witness:')).map((c) => c.property);
    out.push(`## ${spec.name}: ${spec.title}`, '');
    out.push(`| variant | states | ${props.join(' | ')} |`, `|---|---:|${props.map(() => '---').join('|')}|`);
    for (const r of rs) {
      const cells = props.map((p) => {
        const c = r.cells.find((x) => x.property === p)!;
        const v = c.result.verdict === 'violated' ? `**VIOLATED** (${c.result.traceLength})` : c.result.verdict;
        return c.ok ? v : `❌ ${v}`;
      });
      out.push(`| ${r.variant} | ${r.result.stats.states} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  const bad = runs.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => `- ${r.spec.name} / ${r.variant} / ${c.property}: ${c.why}`));
  out.push(bad.length ? `## Differences from expectations\n\n${bad.join('\n')}` : 'Every verdict matches its expectation.', '');
  return out.join('\n');
}
