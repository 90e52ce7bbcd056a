/**
 * Runs every variant of every spec and compares each verdict with its expectation; or, with
 * `knobs`, runs the product of the chosen knobs' values (verdicts only: such a combination
 * declares no expectation, so the gate does not apply to it).
 */
import { checkSpec, preflightSpec, type CheckResult } from '../check.js';
import { MemoryGuard } from '../explore/memory.js';
import { SpecError } from '../errors.js';
import { getVariant, variantKnobs } from '../spec/validate.js';
import type { Scalar, Spec } from '../spec/types.js';
import { compareVariant, type Cell } from './compare.js';

export interface VariantRun {
  readonly spec: Spec;
  /** The declared variant, or for a knob combination its name `a=x,b=y`. */
  readonly variant: string;
  readonly result: CheckResult;
  readonly cells: readonly Cell[];
  /** Set on a knob-combination row (`review --knobs`): the chosen knobs' values. Never gated. */
  readonly combination?: Readonly<Record<string, Scalar>>;
  /** For a knob-combination row run on top of a declared variant (`--variant`): its name. */
  readonly base?: string;
  /** `review --timers both`: the same variant under ordered timers (not gated; compared). */
  readonly ordered?: CheckResult;
}

export interface ReviewOptions {
  onStart?: (spec: string, variant: string, index: number, total: number) => void;
  interrupted?: () => boolean;
  /**
   * Run the product of these knobs' values instead of the declared variants; the other knobs at
   * their defaults, or at the values of `variant` when given.
   */
  knobs?: readonly string[];
  /** With `knobs`: the declared variant the other knobs come from. Without: run only this variant. */
  variant?: string;
  /** The memory bound of every run (default: a share of the available memory). */
  memory?: MemoryGuard;
  /** 'first': each run ends at its first violation (the other properties incomplete). Default 'all'. */
  stop?: 'first' | 'all';
  /** `fingerprint`: every run over a fingerprint store (expected holds is met by probably holds). */
  store?: 'exact' | 'fingerprint';
  /**
   * Timer semantics (docs/semantics.md §4): `untimed` (default), `ordered`, or `both`: the table
   * and gate stay untimed, and each variant also runs ordered (`VariantRun.ordered`).
   */
  timers?: 'untimed' | 'ordered' | 'both';
}

/** The product of the chosen knobs' values, first knob slowest; each with its row name `a=x,b=y`. */
export function knobCombinations(spec: Spec, knobs: readonly string[]): { name: string; values: Record<string, Scalar> }[] {
  let out: { name: string; values: Record<string, Scalar> }[] = [{ name: '', values: {} }];
  for (const k of knobs) {
    const d = spec.knobs?.[k];
    if (!d) throw new SpecError(`spec '${spec.name}': --knobs: unknown knob '${k}' (knobs: ${Object.keys(spec.knobs ?? {}).join(', ') || 'none'})`);
    out = out.flatMap((c) => d.values.map((v) => ({ name: c.name ? `${c.name},${k}=${String(v)}` : `${k}=${String(v)}`, values: { ...c.values, [k]: v } })));
  }
  return out;
}

/** The cells of a knob-combination row: every verdict shown, none gated, none wrong. */
export function ungatedCells(result: CheckResult): Cell[] {
  return Object.values(result.properties).map((r) => ({ property: r.name, result: r, gated: false, ok: true }));
}

interface Job {
  readonly spec: Spec;
  readonly variant: string;
  readonly combination?: Record<string, Scalar>;
}

/** Labels the traces of a knob-combination run with the row name (titles, file names in traces/). */
function named(r: CheckResult, row: string): CheckResult {
  const properties = Object.fromEntries(Object.entries(r.properties).map(([k, p]) => [k, p.trace ? { ...p, trace: { ...p.trace, variant: row } } : p]));
  return { ...r, properties };
}

/** Review bounds are states and depth only, so verdicts never depend on the machine's speed. */
export async function review(specs: readonly Spec[], opts: ReviewOptions = {}): Promise<VariantRun[]> {
  const chosen = opts.knobs?.length ? [...new Set(opts.knobs)] : undefined;
  const jobs: Job[] = specs.flatMap((spec): Job[] => {
    if (chosen) {
      if (opts.variant) getVariant(spec, opts.variant);
      return knobCombinations(spec, chosen).map((c) => ({ spec, variant: c.name, combination: c.values }));
    }
    if (opts.variant) {
      getVariant(spec, opts.variant);
      return [{ spec, variant: opts.variant }];
    }
    return Object.keys(spec.variants).map((variant) => ({ spec, variant }));
  });
  // The base variant's knobs under the combination; the trace records every knob value.
  const knobsOf = (job: Job) => ({ ...(opts.variant ? variantKnobs(job.spec, getVariant(job.spec, opts.variant)) : {}), ...job.combination });
  // Every property of every job on its initial state first: a slip in a spec fails in a second,
  // not after the variants before it have been explored.
  const timers = opts.timers === 'ordered' ? 'ordered' as const : 'untimed' as const;
  for (const job of jobs) preflightSpec(job.spec, job.combination ? { knobs: knobsOf(job), timers } : { variant: job.variant, timers });
  const memory = opts.memory ?? new MemoryGuard();
  const runs: VariantRun[] = [];
  for (let i = 0; i < jobs.length; i++) {
    const { spec, variant, combination } = jobs[i];
    if (opts.interrupted?.()) break;
    opts.onStart?.(spec.name, variant, i, jobs.length);
    const bounds = { maxStates: spec.bounds?.maxStates ?? 2_000_000, maxDepth: spec.bounds?.maxDepth, interrupted: opts.interrupted, timers, memory, stop: opts.stop, store: opts.store };
    const alsoOrdered = async (o: { knobs?: Record<string, Scalar>; variant?: string }) =>
      opts.timers === 'both' ? { ordered: await checkSpec(spec, { ...o, ...bounds, timers: 'ordered' }) } : {};
    if (combination) {
      const knobs = knobsOf(jobs[i]);
      const result = named(await checkSpec(spec, { knobs, ...bounds, atomicity: true }), variant);
      runs.push({ spec, variant, result, cells: ungatedCells(result), combination, base: opts.variant, ...(await alsoOrdered({ knobs })) });
      continue;
    }
    const result = await checkSpec(spec, { variant, ...bounds, atomicity: true });
    runs.push({ spec, variant, result, cells: compareVariant(spec.variants[variant], result), ...(await alsoOrdered({ variant })) });
  }
  return runs;
}

/** `review --timers both`: per variant, the properties whose verdict differs under ordered timers. */
export function timerDependence(runs: readonly VariantRun[]): { run: VariantRun; property: string; untimed: string; ordered: string }[] {
  return runs.flatMap((run) => {
    const o = run.ordered;
    if (!o) return [];
    return Object.values(run.result.properties)
      .filter((p) => o.properties[p.name] && o.properties[p.name].verdict !== p.verdict)
      .map((p) => ({ run, property: p.name, untimed: p.verdict, ordered: o.properties[p.name].verdict }));
  });
}

export function failures(runs: readonly VariantRun[]): { run: VariantRun; cell: Cell }[] {
  return runs.flatMap((run) => run.cells.filter((c) => !c.ok).map((cell) => ({ run, cell })));
}
