/**
 * Shared helpers of the pgmap/GUP/fsync tests (issue 4): run every variant of a spec and compare
 * each verdict with its declared expectation (liveness included when the expectation is definite),
 * the key steps of every expected violation with the shortest trace, and the witness of every
 * property expected to hold.
 */
import { expect, it } from 'vitest';
import { checkSpec, type CheckResult } from '../src/check.js';
import { missingKeyStep } from '../src/review/compare.js';
import { expectationFor } from '../src/spec/validate.js';
import type { Spec } from '../src/spec/types.js';

const cache = new Map<string, Promise<CheckResult>>();
/** checkSpec once per (spec, variant) for the whole test file. */
export function run(spec: Spec, variant: string): Promise<CheckResult> {
  const key = `${spec.name}/${variant}`;
  if (!cache.has(key)) cache.set(key, checkSpec(spec, { variant, maxStates: 100_000 }));
  return cache.get(key)!;
}

/** One `it` per variant: verdicts, key steps, witnesses, and the 50k-state budget. */
export function variantsReproduce(spec: Spec): void {
  for (const [variant, decl] of Object.entries(spec.variants)) {
    it(`${spec.name} / ${variant}: verdicts, key steps and witnesses as declared`, async () => {
      const r = await run(spec, variant);
      expect(r.complete).toBe(true);
      expect(r.stats.states).toBeLessThan(50_000);
      for (const p of Object.values(r.properties)) {
        if (p.witnessOf) {
          // an explicit `witness:P` expectation (a situation the variant rules out, with its reason) gates it; else P's
          const own = decl.expect[p.name];
          if (own) expect({ witness: p.name, verdict: p.verdict }).toEqual({ witness: p.name, verdict: own.verdict });
          else if (expectationFor(decl, p.witnessOf)?.verdict === 'holds') expect({ witness: p.name, verdict: p.verdict }).toEqual({ witness: p.name, verdict: 'reached' });
          continue;
        }
        const want = expectationFor(decl, p.name);
        expect(want, `expectation for ${p.name}`).toBeDefined();
        if (p.kind === 'liveness' && (want!.verdict === 'open' || want!.verdict === 'unchecked')) continue;
        expect({ prop: p.name, verdict: p.verdict }).toEqual({ prop: p.name, verdict: want!.verdict });
        if (want!.verdict === 'violated' && want!.keySteps?.length) {
          expect(p.trace, p.name).toBeDefined();
          expect(missingKeyStep(p.trace!, want!.keySteps), `${p.name}: ${want!.keySteps.join(' > ')}`).toBeNull();
        }
      }
    });
  }
}

/** The verdict of one property in one variant. */
export async function verdict(spec: Spec, variant: string, prop: string): Promise<string> {
  return (await run(spec, variant)).properties[prop].verdict;
}
