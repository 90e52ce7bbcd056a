/**
 * What every transition's `meta` says, for reviewers and for `daxcheck lint` (docs/semantics.md,
 * "Atomicity"). Plain data: machines import this, never the explorer.
 */

/**
 * Why a step is one step:
 * - `'local'`: it reads and writes only its own actor's state;
 * - `{ lock }`: a lock the spec models (spec `locks`), held by the stepping actor before the step;
 * - `{ op }`: one atomic instruction of the cited code (`test_and_set_bit`, `atomic_dec_and_test`,
 *   `cmpxchg`), or the lock primitive itself for the step that takes or drops a lock (`down_write`).
 */
export type Atomicity = 'local' | { readonly lock: string } | { readonly op: string };

export interface StepMeta {
  /** The kernel function the step models. */
  readonly fn: string;
  /** Patch, message or digest line it comes from. */
  readonly cite: string;
  readonly atomic?: Atomicity;
}

/** `meta` for a transition: the kernel function, its citation, and why the step is atomic. */
export function m(fn: string, cite: string, atomic?: Atomicity): StepMeta {
  return atomic === undefined ? { fn, cite } : { fn, cite, atomic };
}
