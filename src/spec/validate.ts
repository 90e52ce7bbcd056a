/**
 * Static checks of a spec object, and knob resolution. Everything here fails with a SpecError that
 * names the spec and the culprit.
 */
import { SpecError } from '../errors.js';
import type { Expectation, KnobValues, Scalar, Spec, VariantDecl } from './types.js';

const VERDICTS = new Set(['holds', 'violated', 'reached', 'unreached', 'unchecked', 'open']);

export function validateSpec(spec: Spec): void {
  const where = `spec '${spec.name ?? '?'}'`;
  if (typeof spec.name !== 'string' || !spec.name) throw new SpecError(`a spec has no name`);
  if (typeof spec.system !== 'function') throw new SpecError(`${where}: system must be a function of the knob values`);
  if (!Array.isArray(spec.properties)) throw new SpecError(`${where}: properties must be an array`);
  for (const [k, d] of Object.entries(spec.knobs ?? {})) {
    if (!Array.isArray(d.values) || d.values.length === 0) throw new SpecError(`${where}: knob '${k}' needs a non-empty finite list of values`);
    if (!d.values.includes(d.default)) throw new SpecError(`${where}: knob '${k}' default ${JSON.stringify(d.default)} is not one of its values`);
  }
  const KINDS = ['invariant', 'action', 'assertion', 'goal', 'liveness'];
  for (const p of spec.properties) {
    const what = `${where}: property '${p?.name ?? '?'}'`;
    if (!p || typeof p.name !== 'string' || !p.name) throw new SpecError(`${where}: a property has no name`);
    if (!KINDS.includes(p.kind)) throw new SpecError(`${what} has kind '${String(p.kind)}' (kinds: ${KINDS.join(', ')})`);
    const fn = p.kind === 'invariant' || p.kind === 'action' ? 'check' : p.kind === 'goal' ? 'reach' : p.kind === 'liveness' ? 'p' : null;
    if (fn && typeof (p as unknown as Record<string, unknown>)[fn] !== 'function') throw new SpecError(`${what} needs a function ${fn}()`);
    if (p.kind === 'liveness' && p.form === 'leadsTo' && typeof p.q !== 'function') throw new SpecError(`${what} (leadsTo) needs a function q()`);
    if (p.kind === 'action' && p.on !== undefined && (!Array.isArray(p.on) || p.on.some((t: unknown) => typeof t !== 'string'))) {
      throw new SpecError(`${what}: on must be a list of event types`);
    }
  }
  for (const p of spec.properties) {
    const what = `${where}: property '${p.name}'`;
    if (p.keySteps !== undefined && (!Array.isArray(p.keySteps) || p.keySteps.some((k: unknown) => typeof k !== 'string' || !k))) {
      throw new SpecError(`${what}: keySteps must be a list of 'EVENT' or 'actor:EVENT' strings`);
    }
    if (p.unfalsifiable !== undefined && (typeof p.unfalsifiable !== 'string' || !p.unfalsifiable.trim())) {
      throw new SpecError(`${what}: unfalsifiable must give the reason as a string`);
    }
    if (p.symmetric !== undefined && typeof p.symmetric !== 'boolean') throw new SpecError(`${what}: symmetric must be true or false`);
  }
  for (const [name, pr] of Object.entries(spec.presets ?? {})) {
    if (!pr || typeof pr !== 'object' || typeof pr.doc !== 'string' || typeof pr.cite !== 'string' || !pr.cite.trim()) {
      throw new SpecError(`${where}: preset '${name}' needs doc, cite and knobs`);
    }
    resolveKnobs(spec, pr.knobs ?? {}, `preset '${name}'`);
  }
  const props = new Set(spec.properties.map((p) => p.name));
  const variants = Object.entries(spec.variants ?? {});
  if (variants.length === 0) throw new SpecError(`${where}: declares no variants`);
  for (const [name, v] of variants) {
    if (!v || typeof v !== 'object') throw new SpecError(`${where}: variant '${name}' must be an object with knobs and expect`);
    if (v.preset !== undefined && !spec.presets?.[v.preset]) {
      throw new SpecError(`${where}: variant '${name}' names unknown preset '${String(v.preset)}' (presets: ${Object.keys(spec.presets ?? {}).join(', ') || 'none'})`);
    }
    if (v.mutant !== undefined && (typeof v.mutant?.fn !== 'string' || typeof v.mutant.change !== 'string' || typeof v.mutant.cite !== 'string' || !v.mutant.cite.trim())) {
      throw new SpecError(`${where}: variant '${name}': mutant needs fn, change and cite`);
    }
    resolveKnobs(spec, variantKnobs(spec, v), `variant '${name}'`);
    if (!v.expect || Object.keys(v.expect).length === 0) throw new SpecError(`${where}: variant '${name}' has no expectations`);
    for (const [p, e] of Object.entries(v.expect)) {
      const implicit = p === '*' || p === 'deadlock' || p === 'mailbox-overflow' || p.startsWith('witness:');
      if (!implicit && !props.has(p)) throw new SpecError(`${where}: variant '${name}' expects a verdict for unknown property '${p}'`);
      if (p === 'deadlock' && spec.deadlock === false) throw new SpecError(`${where}: variant '${name}' expects a deadlock verdict, but the spec does not check deadlock`);
      if (p.startsWith('witness:')) {
        const of = spec.properties.find((q) => q.name === p.slice('witness:'.length));
        if (!of || !('witness' in of) || typeof of.witness !== 'function') {
          throw new SpecError(`${where}: variant '${name}' expects '${p}', but no property ${p.slice('witness:'.length)} with a witness is declared`);
        }
      }
      checkExpectation(where, name, p, e);
    }
  }
}

function checkExpectation(where: string, variant: string, prop: string, e: Expectation): void {
  if (!e || !VERDICTS.has(e.verdict)) {
    throw new SpecError(`${where}: variant '${variant}', property '${prop}': verdict must be one of ${[...VERDICTS].join(', ')}`);
  }
  if (typeof e.cite !== 'string' || !e.cite.trim()) {
    throw new SpecError(`${where}: variant '${variant}', property '${prop}': every expected verdict cites its source`);
  }
  if (e.keySteps !== undefined && (!Array.isArray(e.keySteps) || e.keySteps.some((k) => typeof k !== 'string' || !k))) {
    throw new SpecError(`${where}: variant '${variant}', property '${prop}': keySteps must be a list of 'EVENT' or 'actor:EVENT' strings`);
  }
}

/** Knob values: defaults, then `overrides`; unknown knobs and values are errors. */
export function resolveKnobs(spec: Spec, overrides: Readonly<Record<string, Scalar>> = {}, ctx = 'knobs'): KnobValues {
  const out: Record<string, Scalar> = {};
  for (const [k, d] of Object.entries(spec.knobs ?? {})) out[k] = d.default;
  for (const [k, v] of Object.entries(overrides)) {
    const d = spec.knobs?.[k];
    if (!d) throw new SpecError(`spec '${spec.name}': ${ctx}: unknown knob '${k}' (knobs: ${Object.keys(spec.knobs ?? {}).join(', ') || 'none'})`);
    const match = d.values.find((x) => x === v || String(x) === String(v));
    if (match === undefined) {
      throw new SpecError(`spec '${spec.name}': ${ctx}: knob '${k}' has no value ${JSON.stringify(v)} (values: ${d.values.map(String).join(', ')})`);
    }
    out[k] = match;
  }
  return out;
}

/** A variant's own knob settings: its preset's, then its own (unresolved: defaults not filled in). */
export function variantKnobs(spec: Spec, v: VariantDecl): KnobValues {
  return { ...(v.preset ? spec.presets?.[v.preset]?.knobs ?? {} : {}), ...(v.knobs ?? {}) };
}

/** The knobs whose value in `knobs` differs from the variant's preset (or from the defaults). */
export function knobsBeyondPreset(spec: Spec, v: VariantDecl | undefined, knobs: KnobValues): Record<string, Scalar> {
  const base = resolveKnobs(spec, v?.preset ? spec.presets?.[v.preset]?.knobs ?? {} : {});
  return Object.fromEntries(Object.entries(knobs).filter(([k, x]) => base[k] !== x));
}

export function getVariant(spec: Spec, name: string): VariantDecl {
  const v = spec.variants?.[name];
  if (!v) throw new SpecError(`spec '${spec.name}': unknown variant '${name}' (variants: ${Object.keys(spec.variants ?? {}).join(', ')})`);
  return v;
}

/** The expectation for a property in a variant (explicit, else `*`), or undefined. */
export function expectationFor(v: VariantDecl, prop: string): Expectation | undefined {
  return v.expect[prop] ?? v.expect['*'];
}
