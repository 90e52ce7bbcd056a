/** The review as JUnit XML: a testsuite per spec, a testcase per (variant, property). */
import type { VariantRun } from '../review/run.js';
import { falsifiability, killText } from '../review/falsify.js';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function junitReport(runs: readonly VariantRun[]): string {
  const specs = [...new Set(runs.map((r) => r.spec))];
  const suites = specs.map((spec) => {
    const rs = runs.filter((r) => r.spec === spec);
    const cases = rs.flatMap((r) => r.cells.map((c) => {
      const name = esc(`${r.variant} ${c.property}`);
      const time = (r.result.stats.seconds / Math.max(1, r.cells.length)).toFixed(4);
      if (!c.gated) return `    <testcase classname="${esc(spec.name)}" name="${name}" time="${time}"><skipped message="${esc(`${c.result.verdict}: ${r.combination ? 'knob combination, no expectation' : 'not gated'}`)}"/></testcase>`;
      if (c.ok) return `    <testcase classname="${esc(spec.name)}" name="${name}" time="${time}"/>`;
      return `    <testcase classname="${esc(spec.name)}" name="${name}" time="${time}"><failure message="${esc(c.why ?? '')}"/></testcase>`;
    }));
    // The falsifiability gate: a testcase per property, `falsifiable <property>`.
    const kills = falsifiability(rs)[0];
    for (const k of kills.properties) {
      const name = esc(`falsifiable ${k.property}`);
      cases.push(k.ok
        ? `    <testcase classname="${esc(spec.name)}" name="${name}"><system-out>${esc(killText(k))}</system-out></testcase>`
        : `    <testcase classname="${esc(spec.name)}" name="${name}"><failure message="${esc(killText(k))}"/></testcase>`);
    }
    if (kills.skipped) cases.push(`    <testcase classname="${esc(spec.name)}" name="falsifiable"><skipped message="${esc(kills.skipped)}"/></testcase>`);
    const failures = rs.reduce((n, r) => n + r.cells.filter((c) => !c.ok).length, 0) + kills.properties.filter((k) => !k.ok).length;
    const skipped = rs.reduce((n, r) => n + r.cells.filter((c) => !c.gated).length, 0) + (kills.skipped ? 1 : 0);
    return `  <testsuite name="${esc(spec.name)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="daxcheck review">\n${suites.join('\n')}\n</testsuites>\n`;
}
