/**
 * A run's knobs as a reviewer reads them: the preset (the posting) it starts from and only the
 * knobs that differ from it, not every knob of the spec (map-direct has more than forty).
 */
import type { VariantRun } from '../review/run.js';
import type { KnobValues, Spec } from '../spec/types.js';
import { knobsBeyondPreset } from '../spec/validate.js';

export interface KnobsShown {
  /** The preset the run starts from, or undefined for the knob defaults. */
  readonly preset?: string;
  /** `knob=value` for every knob that differs from the preset (or the defaults). */
  readonly beyond: readonly string[];
}

/** `variant` is a declared variant's name (for a knob combination, the variant it is run on, if any). */
export function knobsShown(spec: Spec, variant: string | undefined, knobs: KnobValues): KnobsShown {
  const decl = variant ? spec.variants[variant] : undefined;
  const beyond = Object.entries(knobsBeyondPreset(spec, decl, knobs)).map(([k, v]) => `${k}=${v}`);
  return { preset: decl?.preset, beyond };
}

/** `preset v7 + a=1 b=2`, `preset v7`, `defaults + a=1`, `defaults`. */
export function knobsLine(k: KnobsShown): string {
  return `${k.preset ? `preset ${k.preset}` : 'defaults'}${k.beyond.length ? ` + ${k.beyond.join(' ')}` : ''}`;
}

/** A review row's knobs: a declared variant over its preset; a knob combination over its base variant. */
export function runKnobs(run: VariantRun): KnobsShown {
  return knobsShown(run.spec, run.combination ? run.base : run.variant, run.result.knobs);
}
