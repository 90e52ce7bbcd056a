/**
 * The counterexamples and witnesses `review` finds, collected once per spec for the conformance
 * tests: each variant is checked with witness paths, stopping at `maxStates` (breadth-first, so
 * every trace found is the one a full run finds). A trace that a variant's expectations call for
 * (violated or reached) but the bound missed fails the test: nothing is skipped silently.
 */
import { checkSpec } from '../../src/check.js';
import type { Spec } from '../../src/spec/types.js';
import type { Trace } from '../../src/trace/types.js';

export interface Collected {
  readonly variant: string;
  readonly traces: Trace[];
  /** Expected violated/reached properties that have no trace within the bound. */
  readonly missing: string[];
}

const cache = new Map<string, Promise<Collected[]>>();

/** Bounded first; a variant whose expected traces lie beyond `maxStates` is run again up to `retryStates`. */
export function collectTraces(spec: Spec, maxStates = 3000, retryStates = 14_000, only?: (variant: string, index: number) => boolean): Promise<Collected[]> {
  const key = `${spec.name}/${maxStates}/${only ? 'some' : 'all'}`;
  if (!cache.has(key)) {
    cache.set(key, (async () => {
      const out: Collected[] = [];
      for (const [i, [variant, decl]] of Object.entries(spec.variants).entries()) {
        if (only && !only(variant, i)) continue;
        let r = await checkSpec(spec, { variant, witnessTraces: true, maxStates });
        const want = (p: string, e: { verdict: string }) => p !== '*' && (e.verdict === 'violated' || e.verdict === 'reached') && r.properties[p]?.kind !== 'liveness';
        if (Object.entries(decl.expect).some(([p, e]) => want(p, e) && !r.properties[p]?.trace)) r = await checkSpec(spec, { variant, witnessTraces: true, maxStates: retryStates });
        const traces = Object.values(r.properties).filter((p) => p.trace && p.trace.kind !== 'lasso').map((p) => p.trace!);
        const missing = Object.entries(decl.expect)
          .filter(([p, e]) => want(p, e) && !r.properties[p]?.trace)
          .map(([p]) => p);
        out.push({ variant, traces, missing });
      }
      return out;
    })());
  }
  return cache.get(key)!;
}
