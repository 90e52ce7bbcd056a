/**
 * Steps through the composed system one chosen step at a time (no state store): what random walks
 * and their shrinking share. The same memoised composition and the same property checks as the
 * explorer, so a walk and an exhaustive run mean the same thing by a step and by a violation.
 */
import { buildChecks, propertyList, type CheckedProperty } from '../compose/properties.js';
import type { ComposedSystem } from '../compose/system.js';
import type { Checks } from '../explore/model.js';

/** What a path ran into: the safety properties violated at its end, and whether by its last step. */
export interface PathEnd {
  /** Property ids violated (sorted); empty when none. */
  readonly props: readonly number[];
  /** Property ids an action check rejected on the last step. */
  readonly byStep: readonly number[];
}

export class Stepper {
  readonly props: CheckedProperty[];
  readonly checks: Checks;
  private readonly codes: number[] = [];
  private readonly nexts: Int32Array[] = [];

  constructor(readonly sys: ComposedSystem) {
    this.props = propertyList(sys);
    this.checks = buildChecks(sys, this.props);
  }

  initial(): Int32Array {
    return this.sys.initial();
  }

  /** The enabled steps of `v` in enumeration order: parallel arrays of codes and successors. */
  enabled(v: Int32Array): { codes: readonly number[]; nexts: readonly Int32Array[] } {
    const codes = this.codes;
    const nexts = this.nexts;
    codes.length = 0;
    nexts.length = 0;
    this.sys.successors(v, (code, next) => {
      codes.push(code);
      nexts.push(next.slice());
    });
    return { codes, nexts };
  }

  /** The successor of `v` by step `code`, or null when that step is not enabled in `v`. */
  stepBy(v: Int32Array, code: number): Int32Array | null {
    let out: Int32Array | null = null;
    this.sys.successors(v, (c, next) => {
      if (out === null && c === code) out = next.slice();
    });
    return out;
  }

  /** Safety properties violated in state `v`; with `dead`, `v` has no enabled step (deadlock check). */
  stateHits(v: Int32Array, dead: boolean): number[] {
    const out: number[] = [];
    this.checks.state(v, (p) => {
      if (this.checks.kinds[p] === 'safety' && !out.includes(p)) out.push(p);
    });
    if (dead && this.checks.deadlock >= 0 && !this.checks.validEnd(v) && !out.includes(this.checks.deadlock)) out.push(this.checks.deadlock);
    return out.sort((a, b) => a - b);
  }

  /** Action properties the step `prev --code--> next` violates. */
  stepHits(prev: Int32Array, code: number, next: Int32Array): number[] {
    const out: number[] = [];
    this.checks.step?.(prev, code, next, (p) => {
      if (!out.includes(p)) out.push(p);
    });
    return out.sort((a, b) => a - b);
  }

  /**
   * Runs `codes` from the initial state and stops at the first state (or step) that violates any
   * safety property, as the explorer would. Null when a step is not enabled where the path takes
   * it (the path is not a run of the system).
   */
  run(codes: readonly number[]): { vecs: Int32Array[]; codes: number[]; end: PathEnd } | null {
    let v = this.initial();
    const vecs = [v];
    const taken: number[] = [];
    const dead = (x: Int32Array) => this.enabled(x).codes.length === 0;
    let hits = this.stateHits(v, codes.length === 0 && dead(v));
    if (hits.length) return { vecs, codes: taken, end: { props: hits, byStep: [] } };
    for (let i = 0; i < codes.length; i++) {
      const next = this.stepBy(v, codes[i]);
      if (next === null) return null;
      const byStep = this.stepHits(v, codes[i], next);
      taken.push(codes[i]);
      vecs.push(next);
      v = next;
      hits = this.stateHits(v, i === codes.length - 1 && dead(v));
      if (byStep.length || hits.length) return { vecs, codes: taken, end: { props: [...new Set([...byStep, ...hits])].sort((a, b) => a - b), byStep } };
    }
    return { vecs, codes: taken, end: { props: [], byStep: [] } };
  }
}
