/**
 * A counterexample as every exporter (text, ITF, Mermaid, DOT, race table) and `replay` see it.
 * Plain data: it is what `--trace-out` writes as JSON and what `replay` reads back.
 */
import type { EventObject } from 'xstate';
import type { KnobValues, StepView } from '../spec/types.js';

/** One instance's local state: XState state value, context, and its pending timers. */
export interface LocalState {
  readonly value: unknown;
  readonly context: unknown;
  readonly status: string;
  readonly timers: readonly string[];
}

export interface GlobalSnapshot {
  readonly actors: Readonly<Record<string, LocalState>>;
  readonly mailboxes: Readonly<Record<string, readonly EventObject[]>>;
  /** `actor:EVENT` for every sticky drop flag that is set. */
  readonly dropped: readonly string[];
}

/** The kernel function a step models, from the transition's `meta`. */
export interface StepFunction {
  readonly actor: string;
  readonly fn?: string;
  readonly cite?: string;
  /** Source and target state of the transition taken, for diagrams and coverage. */
  readonly from: string;
  readonly to: string;
}

export interface TraceStep extends StepView {
  /** After the step: the local states of the actors that moved. */
  readonly after: Readonly<Record<string, LocalState>>;
  readonly functions: readonly StepFunction[];
  /** Set on the steps of a property's action check: the step itself violates it. */
  readonly violating?: boolean;
}

export interface Trace {
  readonly spec: string;
  readonly variant?: string;
  readonly knobs: KnobValues;
  readonly property: string;
  readonly propertyDoc: string;
  /** `violation` for a safety counterexample, `witness` for a path reaching a goal. */
  readonly kind: 'violation' | 'witness' | 'lasso';
  readonly actorOrder: readonly string[];
  /** Actors that are threads of control (race-table columns). */
  readonly threads: readonly string[];
  readonly initial: GlobalSnapshot;
  readonly steps: readonly TraceStep[];
  /** The global state after each step (states[0] = initial). */
  readonly states: readonly GlobalSnapshot[];
  /** For a lasso: index into `states` where the cycle starts again. */
  readonly loop?: number;
}
