/**
 * Shared helpers of the model tests (pgmap/GUP/fsync, MAP_DIRECT): run every variant of a spec and compare
 * each verdict with its declared expectation (liveness included when the expectation is definite),
 * the key steps of every expected violation with the shortest trace, and the witness of every
 * property expected to hold.
 */
import { expect, it } from 'vitest';
import { checkSpec, type CheckResult } from '../src/check.js';
import { compareVariant } from '../src/review/compare.js';
import { variantKnobs } from '../src/spec/validate.js';
import type { Spec } from '../src/spec/types.js';
import { enumerate, type SpecLike } from './oracle/enumerator.js';

const cache = new Map<string, Promise<CheckResult>>();
/** checkSpec once per (spec, variant) for the whole test file. */
export function run(spec: Spec, variant: string): Promise<CheckResult> {
  const key = `${spec.name}/${variant}`;
  if (!cache.has(key)) cache.set(key, checkSpec(spec, { variant, maxStates: 100_000 }));
  return cache.get(key)!;
}

/**
 * One `it` per variant: complete, within the 50k-state budget, and every cell of the review gate
 * (verdicts, key steps in order, witnesses of the properties expected to hold) as declared.
 */
export function variantsReproduce(spec: Spec): void {
  for (const [variant, decl] of Object.entries(spec.variants)) {
    it(`${spec.name} / ${variant}: verdicts, key steps and witnesses as declared`, async () => {
      const r = await run(spec, variant);
      expect(r.complete).toBe(true);
      expect(r.stats.states).toBeLessThan(50_000);
      expect(compareVariant(decl, r).filter((c) => !c.ok).map((c) => `${c.property}: ${c.why}`)).toEqual([]);
    });
  }
}

/** Buggy/fixed pairs: [spec, scenario, property, buggy variant, fixed variant]. */
export type Pair = readonly [Spec, string, string, string, string];

/** One `it` per pair: the property is violated in the buggy variant and holds in the fixed one. */
export function twoSided(pairs: readonly Pair[]): void {
  for (const [spec, scenario, prop, buggy, fixed] of pairs) {
    it(`${scenario}: ${prop} violated by ${buggy}, holds in ${fixed}`, async () => {
      expect(await verdict(spec, buggy, prop)).toBe('violated');
      expect(await verdict(spec, fixed, prop)).toBe('holds');
    });
  }
}

/** The engine's state count and safety verdicts (with shortest depths) equal the reference enumerator's. */
export function agreesWithOracle(cases: readonly (readonly [Spec, string])[]): void {
  for (const [spec, variant] of cases) {
    it(`${spec.name} / ${variant}`, async () => {
      const o = enumerate(spec as unknown as SpecLike, variantKnobs(spec, spec.variants[variant]));
      const r = await run(spec, variant);
      expect(r.stats.states).toBe(o.states);
      for (const [name, p] of Object.entries(o.properties)) {
        const e = r.properties[name];
        if (!e || e.kind !== 'safety') continue;
        expect({ name, violated: e.verdict === 'violated', depth: e.traceLength }).toEqual({ name, violated: p.violated, depth: p.violated ? p.depth : undefined });
      }
    });
  }
}

/** The verdict of one property in one variant. */
export async function verdict(spec: Spec, variant: string, prop: string): Promise<string> {
  return (await run(spec, variant)).properties[prop].verdict;
}
