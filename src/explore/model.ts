/**
 * What the explorer needs of a model, and nothing more: a fixed-width integer encoding, the initial
 * state, the enabled steps in a fixed order, and the properties to check. The explorer knows
 * nothing of XState, of specs or of DAX.
 */
export interface Model {
  /** Number of int32 words in a global state. */
  readonly width: number;
  initial(): Int32Array;
  /**
   * Calls `visit(step, next)` for every enabled step of `state`, in a fixed order. `step` is a
   * model-defined code the model can describe later; `next` is only valid during the call.
   */
  successors(state: Int32Array, visit: (step: number, next: Int32Array) => void): void;
  readonly checks: Checks;
  /**
   * Symmetry reduction (src/explore/symmetry.ts): the representative of a state's orbit, stored and
   * checked in its place. Absent: every state is its own representative.
   */
  readonly canonical?: (state: Int32Array) => Int32Array;
}

export type PropertyKind = 'safety' | 'goal';

export interface Checks {
  /** Property names, indexed by property id. */
  readonly names: readonly string[];
  readonly kinds: readonly PropertyKind[];
  /**
   * Reports the safety properties `state` violates and the goals it reaches. `keep`: a renaming of
   * the state violates, not every one may: record it, but still expand the state (symmetry).
   */
  state(state: Int32Array, hit: (prop: number, keep?: boolean) => void): void;
  /** Action properties, checked on every step when present. */
  readonly step?: (prev: Int32Array, step: number, next: Int32Array, hit: (prop: number) => void) => void;
  /** Property id of `deadlock`, or -1 when deadlocks are not checked. */
  readonly deadlock: number;
  /** True when a state with no enabled step is a valid end (not a deadlock). */
  validEnd(state: Int32Array): boolean;
}
