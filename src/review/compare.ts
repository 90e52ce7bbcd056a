/**
 * The gate: compares each verdict with the variant's declared expectation. A cell is wrong when the
 * verdict differs, when a run was incomplete, when a counterexample misses its key steps, or when a
 * property expected to hold has an unreached witness (it would hold vacuously).
 */
import type { CheckResult, PropertyResult } from '../check.js';
import { expectationFor } from '../spec/validate.js';
import type { Expectation, VariantDecl } from '../spec/types.js';
import type { Trace } from '../trace/types.js';

export interface Cell {
  readonly property: string;
  readonly result: PropertyResult;
  readonly expected?: Expectation;
  /** Counted by the gate (liveness only when its expected verdict is definite, not open/unchecked). */
  readonly gated: boolean;
  readonly ok: boolean;
  readonly why?: string;
}

/** Does `pattern` (`EVENT` or `actor:EVENT`) match a step? */
function matchStep(pattern: string, s: Trace['steps'][number]): boolean {
  const i = pattern.indexOf(':');
  const actor = i >= 0 ? pattern.slice(0, i) : null;
  const type = i >= 0 ? pattern.slice(i + 1) : pattern;
  return s.event.type === type && (actor === null || s.actors.includes(actor));
}

/** The first key step not found, in order, in the trace; null when all are there. */
export function missingKeyStep(trace: Trace, keySteps: readonly string[]): string | null {
  let j = 0;
  for (const k of keySteps) {
    while (j < trace.steps.length && !matchStep(k, trace.steps[j])) j++;
    if (j >= trace.steps.length) return k;
    j++;
  }
  return null;
}

export function compareVariant(variant: VariantDecl, result: CheckResult): Cell[] {
  const cells: Cell[] = [];
  for (const r of Object.values(result.properties)) {
    if (r.witnessOf) {
      // A witness is gated by an explicit `witness:P` expectation (a variant where P is about a
      // situation that cannot arise, with the reason cited), else by P's: a P expected to hold
      // must have its witness reached, or it would hold vacuously.
      const own = variant.expect[r.name];
      if (own) {
        const ok = r.verdict === own.verdict;
        cells.push({ property: r.name, result: r, expected: own, gated: true, ok, why: ok ? undefined : `expected ${own.verdict}, got ${r.verdict}` });
        continue;
      }
      const e = expectationFor(variant, r.witnessOf);
      const gated = e?.verdict === 'holds';
      const ok = !gated || r.verdict === 'reached';
      cells.push({ property: r.name, result: r, gated, ok, why: ok ? undefined : `${r.witnessOf} would hold vacuously: its witness is ${r.verdict}` });
      continue;
    }
    const e = expectationFor(variant, r.name);
    // Liveness (docs/semantics.md §8): gated when the expectation is holds/violated (or anything
    // else definite); ungated when it is open or unchecked, or when the variant states none.
    if (r.kind === 'liveness' && (!e || e.verdict === 'open' || e.verdict === 'unchecked')) {
      cells.push({ property: r.name, result: r, expected: e, gated: false, ok: true });
      continue;
    }
    if (!e) {
      cells.push({ property: r.name, result: r, gated: true, ok: false, why: `no expected verdict for ${r.name}` });
      continue;
    }
    let why: string | undefined;
    // A fingerprint run cannot prove holds; `review --store fingerprint` says so in its exit code.
    const met = r.verdict === e.verdict || (r.verdict === 'probably-holds' && e.verdict === 'holds');
    if (!met) why = `expected ${e.verdict}, got ${r.verdict}`;
    else if (r.verdict === 'violated' && e.keySteps?.length && r.trace) {
      const miss = missingKeyStep(r.trace, e.keySteps);
      if (miss) why = `counterexample lacks key step '${miss}' (in order: ${e.keySteps.join(' → ')})`;
    }
    cells.push({ property: r.name, result: r, expected: e, gated: true, ok: !why, why });
  }
  return cells;
}
