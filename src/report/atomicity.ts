/**
 * The review report's atomicity section: per spec, every kind of multi-instance step the explored
 * variants took (event and moving instances) and what justifies it (`meta.atomic`: a lock or an
 * atomic op), with counts of explored steps. `daxcheck lint` is the gate; this is the record.
 */
import type { VariantRun } from '../review/run.js';
import type { Spec } from '../spec/types.js';

export interface AtomicityRow {
  readonly event: string;
  readonly actors: string;
  readonly justification: string;
  readonly ok: boolean;
  /** Explored steps, summed over the variants. */
  readonly steps: number;
  readonly variants: readonly string[];
}

export function specAtomicity(spec: Spec, runs: readonly VariantRun[]): AtomicityRow[] {
  const rows = new Map<string, { event: string; actors: string; justification: string; ok: boolean; steps: number; variants: string[] }>();
  for (const r of runs) {
    if (r.spec !== spec || !r.result.atomicity) continue;
    for (const j of r.result.atomicity.justifications) {
      const actors = j.actors.join('+');
      const key = `${j.event}\u0000${actors}\u0000${j.justification}\u0000${j.ok}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { event: j.event, actors, justification: j.justification, ok: j.ok, steps: 0, variants: [] }));
      row.steps += j.count;
      row.variants.push(r.variant);
    }
  }
  return [...rows.values()].sort((a, b) => (a.event + a.actors + a.justification < b.event + b.actors + b.justification ? -1 : 1));
}

/** `3 of 12 kinds unjustified` and the like, for the terminal summary. */
export function atomicityLine(spec: Spec, runs: readonly VariantRun[]): string {
  const rows = specAtomicity(spec, runs);
  const bad = rows.filter((r) => !r.ok).length;
  return `${spec.name}: ${rows.length} kind(s) of multi-instance step${bad ? `, ${bad} not justified (daxcheck lint shows each with its trace)` : ', each justified by a lock or an atomic op'}`;
}
