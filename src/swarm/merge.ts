/**
 * Combines the results of a swarm's members: per violated property the shortest counterexample
 * any member found (ties: the lowest member), states covered per member, and the members that
 * failed or are missing. A swarm never says holds: its members are bounded and overlap.
 */
import type { Trace } from '../trace/types.js';
import { SWARM_FORMAT, type MemberResult } from './member.js';

export interface SwarmSummary {
  readonly spec: string;
  readonly variant?: string;
  readonly of: number;
  readonly members: readonly MemberResult[];
  readonly failed: readonly MemberResult[];
  readonly missing: readonly number[];
  /** Per violated property: the member whose trace is shortest, and that trace. */
  readonly violations: Record<string, { readonly member: number; readonly traceLength: number; readonly trace: Trace; readonly foundBy: readonly number[] }>;
  /** Sum of the states each member covered (members overlap: an upper bound of distinct states). */
  readonly statesSum: number;
}

/** Checks the shape of a member file; `where` names it in errors. */
export function parseMember(json: unknown, where: string): MemberResult {
  const m = json as MemberResult;
  if (!m || typeof m !== 'object' || m.format !== SWARM_FORMAT) throw new Error(`${where}: not a swarm member result (format ${SWARM_FORMAT})`);
  if (!Number.isInteger(m.member) || !Number.isInteger(m.of) || m.member < 0 || m.member >= m.of) throw new Error(`${where}: bad member index ${m.member} of ${m.of}`);
  return m;
}

export function mergeMembers(results: readonly MemberResult[]): SwarmSummary {
  if (!results.length) throw new Error('no member results to merge');
  // A failed member may not have got as far as its spec: it is compared on the swarm size only.
  const first = results.find((r) => r.status === 'ok') ?? results[0];
  for (const r of results) {
    if (r.of !== first.of || (r.status === 'ok' && (r.spec !== first.spec || r.variant !== first.variant))) {
      throw new Error(`member ${r.member} ran ${r.spec}${r.variant ? ' ' + r.variant : ''} of ${r.of}, member ${first.member} ${first.spec}${first.variant ? ' ' + first.variant : ''} of ${first.of}: not one swarm`);
    }
  }
  const byIndex = new Map<number, MemberResult>();
  for (const r of results) {
    if (byIndex.has(r.member)) throw new Error(`member ${r.member} appears twice`);
    byIndex.set(r.member, r);
  }
  const members = [...byIndex.values()].sort((a, b) => a.member - b.member);
  const missing = Array.from({ length: first.of }, (_, i) => i).filter((i) => !byIndex.has(i));
  const violations: Record<string, { member: number; traceLength: number; trace: Trace; foundBy: number[] }> = {};
  for (const m of members) {
    for (const [prop, v] of Object.entries(m.violations ?? {})) {
      const best = violations[prop];
      if (!best) violations[prop] = { member: m.member, traceLength: v.traceLength, trace: v.trace, foundBy: [m.member] };
      else {
        best.foundBy.push(m.member);
        if (v.traceLength < best.traceLength) Object.assign(best, { member: m.member, traceLength: v.traceLength, trace: v.trace });
      }
    }
  }
  return {
    spec: first.spec,
    variant: first.variant,
    of: first.of,
    members,
    failed: members.filter((m) => m.status !== 'ok'),
    missing,
    violations,
    statesSum: members.reduce((a, m) => a + (m.states ?? 0), 0),
  };
}
