/**
 * `daxcheck lint [spec...]`: atomicity on the explored graph of every variant (docs/semantics.md,
 * "Atomicity"). Exit 0 when every step is justified, 1 on a failure, 2 on bad input, 3 when an
 * exploration hit a bound (what was explored is still reported).
 */
import { loadAllBuiltin, loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/types.js';
import { traceToText } from '../trace/text.js';
import { lintSpec, type LintRun } from './run.js';
import type { Undeclared } from './atomicity.js';

export interface LintCliOptions {
  variant?: string;
  maxStates?: number;
  maxDepth?: number;
  quiet?: boolean;
  interrupted?: () => boolean;
  onStart?: (spec: string, variants: readonly string[]) => void;
}

/** Undeclared transitions per machine: count and the kernel functions. */
function undeclaredLines(us: readonly Undeclared[]): string[] {
  const by = new Map<string, Undeclared[]>();
  for (const u of us) by.set(u.machine, [...(by.get(u.machine) ?? []), u]);
  return [...by].map(([m, xs]) => `    ${m}: ${xs.length} transition(s) without meta.atomic (${[...new Set(xs.map((x) => x.fn ?? `${x.from} on ${x.event}`))].join(', ')})`);
}

export function formatLintRun(r: LintRun, quiet = false): string {
  const how = r.complete ? 'complete' : `INCOMPLETE (${r.stop})`;
  const out = [`${r.spec} / ${r.variants.join(', ')}: ${r.stats.states} states, ${r.stats.transitions} steps, ${how}; ${r.summary.multiActorSteps} multi-instance step(s) in ${r.summary.justifications.length} kind(s); ${r.failures.length} failure(s), ${r.undeclared.length} warning(s)`];
  for (const j of r.summary.justifications) out.push(`  ${j.ok ? ' ' : '✗'} ${j.event} by ${j.actors.join('+')}: ${j.justification} (${j.count} step${j.count === 1 ? '' : 's'})`);
  for (const f of r.failures) {
    out.push(`  FAIL ${f.kind}: ${f.message}`, `       step ${f.label} (${f.count} explored step${f.count === 1 ? '' : 's'} like it); shortest path:`);
    if (!quiet) out.push(traceToText(f.trace).split('\n').map((l) => '       ' + l).join('\n'));
  }
  if (r.undeclared.length) out.push(`  warning: ${r.undeclared.length} transition(s) taken without meta.atomic ('local', { lock } or { op }):`, ...undeclaredLines(r.undeclared));
  return out.join('\n');
}

export async function runLint(specArgs: string[], o: LintCliOptions): Promise<number> {
  const specs: Spec[] = specArgs.length ? await Promise.all(specArgs.map(loadSpec)) : await loadAllBuiltin();
  let failures = 0;
  let warnings = 0;
  let incomplete = 0;
  let runs = 0;
  for (const spec of specs) {
    const rs = await lintSpec(spec, { variant: o.variant, maxStates: o.maxStates, maxDepth: o.maxDepth, interrupted: o.interrupted, onStart: o.onStart });
    for (const r of rs) {
      console.log(formatLintRun(r, o.quiet));
      runs++;
      failures += r.failures.length;
      warnings += r.undeclared.length;
      if (!r.complete) incomplete++;
    }
  }
  const tail = `${runs} knob setting(s) of ${specs.length} spec(s) linted: ${failures} failure(s), ${warnings} warning(s) (transitions without meta.atomic)${incomplete ? `; ${incomplete} exploration(s) INCOMPLETE` : ''}`;
  console.log(`\n${tail}`);
  if (o.interrupted?.()) return 3;
  if (failures) return 1;
  return incomplete ? 3 : 0;
}
