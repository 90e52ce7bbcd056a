/**
 * One swarm member: a bounded search whose order comes from its index. Member 0 is the plain
 * breadth-first search (so a swarm never does worse than the single bounded search); odd members
 * run depth-first, even members breadth-first, both with each state's successors permuted by the
 * member's seed. Members use the exact store: their searches are bounded, so there is no hash
 * collision to diversify; what differs between members is the order, hence the states covered.
 */
import { checkSpec, type CheckResult } from '../check.js';
import type { Spec } from '../spec/types.js';
import type { Trace } from '../trace/types.js';

export const SWARM_FORMAT = 'daxcheck-swarm-member/1';

export interface MemberPlan {
  readonly member: number;
  readonly of: number;
  readonly order: 'bfs' | 'dfs';
  /** Seed of the successor permutation; absent for member 0 (enumeration order). */
  readonly seed?: number;
}

export interface MemberResult extends MemberPlan {
  readonly format: typeof SWARM_FORMAT;
  readonly status: 'ok' | 'failed';
  /** For a failed member: the one-line error. */
  readonly error?: string;
  readonly spec: string;
  readonly variant?: string;
  readonly bounds: { readonly maxStates?: number; readonly maxDepth?: number };
  readonly states?: number;
  readonly transitions?: number;
  readonly maxDepth?: number;
  readonly seconds?: number;
  /** Why the member stopped: a bound (max-states, max-depth), or exhausted / all-decided. */
  readonly stop?: CheckResult['stop'];
  /** Violated safety properties, with the member's counterexample (not necessarily shortest). */
  readonly violations?: Record<string, { readonly traceLength: number; readonly trace: Trace }>;
}

export function memberPlan(member: number, of: number): MemberPlan {
  if (member === 0) return { member, of, order: 'bfs' };
  // Distinct odd seeds per member (golden-ratio increments), never 0.
  const seed = (Math.imul(member, 0x9e3779b9) | 1) >>> 0;
  return { member, of, order: member % 2 === 1 ? 'dfs' : 'bfs', seed };
}

export interface MemberBounds {
  variant?: string;
  maxStates?: number;
  maxDepth?: number;
  interrupted?: () => boolean;
}

export async function runMember(spec: Spec, plan: MemberPlan, o: MemberBounds): Promise<MemberResult> {
  const r = await checkSpec(spec, {
    variant: o.variant,
    maxStates: o.maxStates,
    maxDepth: o.maxDepth,
    order: plan.order,
    shuffleSeed: plan.seed,
    interrupted: o.interrupted,
  });
  const violations: Record<string, { traceLength: number; trace: Trace }> = {};
  for (const p of Object.values(r.properties)) {
    if (p.kind === 'safety' && p.verdict === 'violated' && p.trace) violations[p.name] = { traceLength: p.trace.steps.length, trace: p.trace };
  }
  return {
    format: SWARM_FORMAT,
    ...plan,
    status: 'ok',
    spec: spec.name,
    variant: o.variant,
    bounds: { maxStates: o.maxStates, maxDepth: o.maxDepth },
    states: r.stats.states,
    transitions: r.stats.transitions,
    maxDepth: r.stats.maxDepth,
    seconds: r.stats.seconds,
    stop: r.stop,
    violations,
  };
}
