/** Runs every variant of every spec and compares each verdict with its expectation. */
import { checkSpec, type CheckResult } from '../check.js';
import type { Spec } from '../spec/types.js';
import { compareVariant, type Cell } from './compare.js';

export interface VariantRun {
  readonly spec: Spec;
  readonly variant: string;
  readonly result: CheckResult;
  readonly cells: readonly Cell[];
}

export interface ReviewOptions {
  onStart?: (spec: string, variant: string, index: number, total: number) => void;
  interrupted?: () => boolean;
}

/** Review bounds are states and depth only, so verdicts never depend on the machine's speed. */
export async function review(specs: readonly Spec[], opts: ReviewOptions = {}): Promise<VariantRun[]> {
  const jobs = specs.flatMap((spec) => Object.keys(spec.variants).map((variant) => ({ spec, variant })));
  const runs: VariantRun[] = [];
  for (let i = 0; i < jobs.length; i++) {
    const { spec, variant } = jobs[i];
    if (opts.interrupted?.()) break;
    opts.onStart?.(spec.name, variant, i, jobs.length);
    const result = await checkSpec(spec, {
      variant,
      maxStates: spec.bounds?.maxStates ?? 2_000_000,
      maxDepth: spec.bounds?.maxDepth,
      interrupted: opts.interrupted,
    });
    runs.push({ spec, variant, result, cells: compareVariant(spec.variants[variant], result) });
  }
  return runs;
}

export function failures(runs: readonly VariantRun[]): { run: VariantRun; cell: Cell }[] {
  return runs.flatMap((run) => run.cells.filter((c) => !c.ok).map((cell) => ({ run, cell })));
}
