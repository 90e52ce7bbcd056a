/**
 * What daxcheck is doing now (the spec and the phase), kept so that an internal error can say where
 * it happened in one line (src/cli/crash.ts).
 */
let current: { spec?: string; phase: string } = { phase: 'start' };

/** Enters a phase; `spec` stays as it was when not given. */
export function enterPhase(phase: string, spec?: string): void {
  current = { spec: spec ?? current.spec, phase };
}

export function activity(): { readonly spec?: string; readonly phase: string } {
  return current;
}
