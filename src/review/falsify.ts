/**
 * The falsifiability gate (docs/specs.md, "Mutants"): every safety and liveness property of a spec
 * is violated by some variant of it, preferably a named mutant, and for the right reason: the
 * property's `keySteps` appear, in order, in that counterexample. A property nothing violates has
 * not been shown able to fail; it fails the gate unless the spec says why it cannot
 * (`unfalsifiable`). Goals are not properties that fail, and are left out.
 */
import type { PropertyDecl, Spec } from '../spec/types.js';
import { missingKeyStep } from './compare.js';
import type { VariantRun } from './run.js';

export type KillStatus =
  /** Violated by `by`, with the key steps in order (or none declared: see `noKeySteps`). */
  | 'killed'
  /** Every variant that violates it has a counterexample without its key steps. */
  | 'wrong-reason'
  /** No variant violates it, and the spec gives no reason: fails the gate. */
  | 'never-violated'
  /** No variant violates it, and the spec says why none can (`unfalsifiable`). */
  | 'unfalsifiable';

export interface PropertyKill {
  readonly property: string;
  readonly status: KillStatus;
  /** The killing variant (for `wrong-reason`: the best candidate). */
  readonly by?: string;
  /** Whether `by` is a named mutant (`VariantDecl.mutant`). */
  readonly mutant?: boolean;
  /** Shortest counterexample length in `by`. */
  readonly traceLength?: number;
  /** For `wrong-reason`: the first key step missing. */
  readonly missing?: string;
  /** The property declares no keySteps: the kill's reason was not checked. */
  readonly noKeySteps?: boolean;
  /** The `unfalsifiable` reason. */
  readonly reason?: string;
  /** Gate verdict for this property. */
  readonly ok: boolean;
}

export interface SpecFalsifiability {
  readonly spec: string;
  /** Set when the check was skipped: not every declared variant ran (--variant, --knobs, Ctrl-C). */
  readonly skipped?: string;
  readonly properties: readonly PropertyKill[];
}

const falsifiable = (p: PropertyDecl) => p.kind !== 'goal';

/** Why the check cannot be made from these runs, or null when every declared variant ran. */
function skipReason(spec: Spec, rs: readonly VariantRun[]): string | null {
  if (rs.some((r) => r.combination)) return 'review --knobs runs knob combinations, not the declared variants';
  const ran = new Set(rs.map((r) => r.variant));
  const missing = Object.keys(spec.variants).filter((v) => !ran.has(v));
  if (missing.length) return `only ${ran.size} of ${Object.keys(spec.variants).length} variants ran (review --variant, or interrupted)`;
  return null;
}

function killOf(spec: Spec, p: PropertyDecl, rs: readonly VariantRun[]): PropertyKill {
  const keySteps = p.keySteps ?? [];
  const candidates = rs
    .map((r) => ({ r, res: r.result.properties[p.name] }))
    .filter(({ res }) => res?.verdict === 'violated')
    .map(({ r, res }) => ({
      variant: r.variant,
      mutant: !!spec.variants[r.variant]?.mutant,
      traceLength: res.traceLength,
      // Without a trace the key steps cannot be seen: a kill only when none are asked for.
      missing: keySteps.length ? (res.trace ? missingKeyStep(res.trace, keySteps) : keySteps[0]) : null,
    }));
  // Preference: a right-reason kill by a mutant, then by any variant; then (failing) the closest miss.
  const rank = (c: (typeof candidates)[number]) => (c.missing === null ? 0 : 2) + (c.mutant ? 0 : 1);
  const best = candidates.slice().sort((a, b) => rank(a) - rank(b))[0];
  if (best && best.missing === null) {
    return { property: p.name, status: 'killed', by: best.variant, mutant: best.mutant, traceLength: best.traceLength, noKeySteps: !keySteps.length || undefined, ok: true };
  }
  if (best) return { property: p.name, status: 'wrong-reason', by: best.variant, mutant: best.mutant, traceLength: best.traceLength, missing: best.missing!, ok: false };
  if (p.unfalsifiable) return { property: p.name, status: 'unfalsifiable', reason: p.unfalsifiable, ok: true };
  return { property: p.name, status: 'never-violated', ok: false };
}

/** Per spec of the review: the variant that kills each property, and whether the gate passes. */
export function falsifiability(runs: readonly VariantRun[]): SpecFalsifiability[] {
  const specs = [...new Set(runs.map((r) => r.spec))];
  return specs.map((spec) => {
    const rs = runs.filter((r) => r.spec === spec);
    const skipped = skipReason(spec, rs);
    if (skipped) return { spec: spec.name, skipped, properties: [] };
    return { spec: spec.name, properties: spec.properties.filter(falsifiable).map((p) => killOf(spec, p, rs)) };
  });
}

/** The properties that fail the gate, as `spec / property: why` lines. */
export function falsifiabilityFailures(fs: readonly SpecFalsifiability[]): string[] {
  return fs.flatMap((f) => f.properties.filter((k) => !k.ok).map((k) => `${f.spec} / ${k.property}: ${killText(k)}`));
}

/** One line for a property: who kills it, or why nothing does. */
export function killText(k: PropertyKill): string {
  switch (k.status) {
    case 'killed':
      return `killed by ${k.mutant ? 'mutant' : 'variant'} ${k.by} (${k.traceLength} steps)${k.noKeySteps ? '; no keySteps declared, reason not checked' : ''}`;
    case 'wrong-reason':
      return `violated by ${k.mutant ? 'mutant' : 'variant'} ${k.by}, but its counterexample lacks key step '${k.missing}': not a kill for the right reason`;
    case 'unfalsifiable':
      return `never violated; unfalsifiable: ${k.reason}`;
    case 'never-violated':
      return 'never violated: no variant shows it can fail (add a mutant, or mark it unfalsifiable with the reason)';
  }
}
