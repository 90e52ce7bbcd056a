/**
 * The spec format: what a spec module in `specs/` exports (through `defineSpec`).
 *
 * A spec names its knobs, builds a system of actor instances from the knob values, declares who
 * owns every event, how emitted messages are wired into mailboxes, the properties to check, and
 * the variants with the verdict each is expected to get. See docs/specs.md.
 */
import type { AnyStateMachine, EventObject } from 'xstate';

/** A knob value: finite, plain, printable. */
export type Scalar = string | number | boolean;

export interface KnobDecl {
  /** Every value the knob can take, in the order `review` and `list` show them. */
  readonly values: readonly Scalar[];
  readonly default: Scalar;
  /** What the knob changes, naming the kernel function it changes. */
  readonly doc: string;
  /** Where the design alternative comes from (digest line, patch, message). */
  readonly cite?: string;
}

export type KnobValues = Readonly<Record<string, Scalar>>;

/** Finite parameter domains of an event: the explorer enumerates them in declaration order. */
export type ParamDomains = Readonly<Record<string, readonly Scalar[]>>;

export interface ActorDecl {
  /** A plain XState v5 machine: no invoke, spawnChild, sendTo or custom actions. */
  readonly machine: AnyStateMachine;
  /** The machine's input: the only way knobs reach a machine. */
  readonly input?: unknown;
  /** True for actors that are threads of control (a CPU column in a race table). */
  readonly thread?: boolean;
}

/**
 * Who owns an event type. `local`: each listed instance may take it on its own whenever it accepts
 * it. `sync`: each listed party group takes it together, only when every party accepts it (CSP
 * rendezvous). `wired`: it only arrives through a mailbox.
 */
export type EventDecl =
  | { readonly local: readonly string[]; readonly params?: ParamDomains; readonly doc?: string }
  | { readonly sync: readonly (readonly string[])[]; readonly params?: ParamDomains; readonly doc?: string }
  | { readonly wired: readonly string[]; readonly doc?: string };

/** Routes an emitted event of type `event` from instance `from` into a mailbox. */
export type WireDecl =
  | { readonly from: string; readonly event: string; readonly to: string }
  /** The target instance is named by the event's field `toField`, over a finite set of targets. */
  | { readonly from: string; readonly event: string; readonly toField: string; readonly targets: readonly string[] };

/**
 * What happens to a message its receiver does not accept: `block` the mailbox (default), `drop`
 * it and set a sticky flag a property can see, or `defer` it and take the first message accepted.
 */
export type MailboxPolicy = 'block' | 'drop' | 'defer';

export interface MailboxDecl {
  /** FIFO capacity; an emit into a full mailbox is the violation `mailbox-overflow`. */
  readonly capacity: number;
  /** Per event type; the default is `block`. */
  readonly policy?: Readonly<Record<string, MailboxPolicy>>;
}

export interface SystemDecl {
  readonly actors: Readonly<Record<string, ActorDecl>>;
  readonly events: Readonly<Record<string, EventDecl>>;
  readonly wires?: readonly WireDecl[];
  /** Keyed by receiving instance. */
  readonly mailboxes?: Readonly<Record<string, MailboxDecl>>;
  /** Sets of interchangeable instances: states equal up to renaming them are explored once (docs/symmetry.md). */
  readonly symmetry?: readonly SymmetryDecl[];
}

/**
 * A set of interchangeable instances (docs/symmetry.md), like a Murphi `scalarset`: the same
 * machine, the same mailbox, the same event and wire declarations, inputs equal up to renaming.
 * Wherever an instance's name is a value (a context field, an event field, hence a message in a
 * mailbox), that field is declared in `refs` and renamed with the instances. Exploration keeps one
 * state per class of states equal up to a renaming (exact: every renaming is tried, n! of them).
 */
export interface SymmetryDecl {
  readonly instances: readonly string[];
  readonly refs?: {
    /** Per machine id (`createMachine({ id })`): top-level context fields holding an instance name, null, or an array of them. */
    readonly context?: Readonly<Record<string, readonly string[]>>;
    /** Per event type: fields holding an instance name, null, or an array of them. */
    readonly events?: Readonly<Record<string, readonly string[]>>;
  };
  readonly doc?: string;
}

/**
 * A lock the model represents (docs/semantics.md, "Atomicity"). A transition whose `meta.atomic` is
 * `{ lock: name }` must be taken by an actor that holds the lock in the state before the step, and
 * every step that changes what the lock protects must be taken by a holder.
 */
export interface LockDecl {
  readonly doc: string;
  readonly cite?: string;
  /** Whether instance `actor` (a thread, or an object stepping on its own) holds the lock in `s`. */
  readonly heldBy: (s: GlobalView, actor: string) => boolean;
  /** Whether the step from `prev` to `next` changed state the lock protects. */
  readonly protects?: (prev: GlobalView, next: GlobalView) => boolean;
}

/**
 * A read-only view of one global state, given to properties. It checks what it is asked: an actor
 * the system lacks, or a state path or tag its machine lacks, is a spec error, never a silent false
 * (docs/specs.md). It offers no raw XState snapshot, whose `matches` would not check.
 */
export interface GlobalView {
  readonly actors: readonly string[];
  /** The id of the actor's machine (`createMachine({ id })`): which kind of actor it is. */
  machine(actor: string): string;
  /** The actor's context (plain data). */
  context<T = any>(actor: string): T;
  /** Whether the actor is in this state: a path `'a.b'` or the object form `{ a: 'b' }`. */
  matches(actor: string, value: string | Record<string, unknown>): boolean;
  /** Whether one of the actor's active state nodes has this tag. */
  hasTag(actor: string, tag: string): boolean;
  /** Messages waiting in the actor's mailbox, oldest first. */
  mailbox(actor: string): readonly EventObject[];
  /** Whether a message of this type was ever dropped at this actor (sticky flag). */
  dropped(actor: string, eventType: string): boolean;
}

/** One interleaving step as properties and traces see it. */
export interface StepView {
  /** `local`, `sync`, `timer` (a delayed event fires), `deliver` (from a mailbox), `drop`. */
  readonly kind: 'local' | 'sync' | 'timer' | 'deliver' | 'drop';
  readonly event: EventObject;
  /** The instances that moved, in declaration order. */
  readonly actors: readonly string[];
}

interface PropertyBase {
  readonly name: string;
  /** The property in words, as a reviewer would state it. */
  readonly doc: string;
  readonly cite?: string;
  /**
   * The steps the property is about (`EVENT` or `actor:EVENT`, in order): the counterexample of the
   * mutant that kills it must contain them, so a kill is a kill for the right reason.
   */
  readonly keySteps?: readonly string[];
  /**
   * Why no one-line mutant of a cited function can violate this property (rare: a property of the
   * model's own bookkeeping). Without it, `review` fails a property that no variant violates.
   */
  readonly unfalsifiable?: string;
  /**
   * Under symmetry (docs/symmetry.md): the property's answer does not change when the instances of
   * a symmetry set are renamed (it quantifies over them, never names one), so it is checked on one
   * state per class. Without it, it is checked on every renaming of every explored state.
   */
  readonly symmetric?: boolean;
}

/** A safety property must not be vacuous: `witness` names a situation the fixed variants reach. */
export interface InvariantDecl extends PropertyBase {
  readonly kind: 'invariant';
  readonly check: (s: GlobalView) => boolean;
  readonly witness?: (s: GlobalView) => boolean;
}

/** Checked on every step (state, step, next state); `on` limits it to steps of these event types. */
export interface ActionPropertyDecl extends PropertyBase {
  readonly kind: 'action';
  readonly on?: readonly string[];
  readonly check: (prev: GlobalView, step: StepView, next: GlobalView) => boolean;
  readonly witness?: (s: GlobalView) => boolean;
}

/** Entering a state tagged `violation:<name>` (a BUG_ON, a use-after-free) violates it. */
export interface AssertionDecl extends PropertyBase {
  readonly kind: 'assertion';
  readonly witness?: (s: GlobalView) => boolean;
}

/** A reachability goal: some reachable state satisfies `reach`. */
export interface GoalDecl extends PropertyBase {
  readonly kind: 'goal';
  readonly reach: (s: GlobalView) => boolean;
}

/**
 * Liveness over fair runs (docs/semantics.md §8): `eventually` p (from the initial state),
 * `alwaysEventually` p (infinitely often), `leadsTo` (every p state is followed by a q state).
 */
export interface LivenessDecl extends PropertyBase {
  readonly kind: 'liveness';
  readonly form: 'eventually' | 'alwaysEventually' | 'leadsTo';
  readonly p: (s: GlobalView) => boolean;
  readonly q?: (s: GlobalView) => boolean;
}

export type PropertyDecl = InvariantDecl | ActionPropertyDecl | AssertionDecl | GoalDecl | LivenessDecl;

/** 'probably-holds': no violation in a complete run over a fingerprint store (`--store fingerprint`):
 * a fingerprint collision may have hidden a state, with the run's omission probability. */
export type Verdict = 'holds' | 'violated' | 'reached' | 'unreached' | 'incomplete' | 'unchecked' | 'open' | 'probably-holds';

/** An expected verdict with its source. For `violated`, `keySteps` must appear in order in the trace. */
export interface Expectation {
  readonly verdict: Exclude<Verdict, 'incomplete' | 'probably-holds'>;
  readonly cite: string;
  /** Patterns `EVENT` or `actor:EVENT`, an ordered subsequence of the shortest counterexample. */
  readonly keySteps?: readonly string[];
}

/**
 * A one-line change to a cited kernel function, made through a knob: the variant exists to show
 * that the properties it violates can fail.
 */
export interface MutantDecl {
  /** The kernel function changed, as in `meta.fn`. */
  readonly fn: string;
  /** The line as posted and as mutated, e.g. `clear_bit(MAP_DIRECT_VALID) -> (removed)`. */
  readonly change: string;
  readonly cite: string;
}

/** A posting (or era) of the design: every knob set to what that posting's diff does. */
export interface PresetDecl {
  readonly doc: string;
  /** The posting: patch, message, digest line. */
  readonly cite: string;
  readonly knobs: KnobValues;
}

export interface VariantDecl {
  readonly doc?: string;
  /** The preset (spec `presets`) this variant starts from; its knobs apply before `knobs`. */
  readonly preset?: string;
  /** Knob values: over the preset's when `preset` is given, else over the defaults. */
  readonly knobs: KnobValues;
  /** Set when the variant is a mutant: the one-line change it makes. */
  readonly mutant?: MutantDecl;
  /** Expected verdict per property; `*` covers every property not named. */
  readonly expect: Readonly<Record<string, Expectation>>;
}

export interface SpecDecl {
  readonly name: string;
  readonly title: string;
  readonly doc?: string;
  readonly knobs: Readonly<Record<string, KnobDecl>>;
  readonly system: (knobs: KnobValues) => SystemDecl;
  readonly properties: readonly PropertyDecl[];
  /** Named postings (`v7`, `v8`, an era): knob settings variants start from (`VariantDecl.preset`). */
  readonly presets?: Readonly<Record<string, PresetDecl>>;
  readonly variants: Readonly<Record<string, VariantDecl>>;
  /** The locks the model represents, by kernel name (`i_mmap_rwsem`, `MMAPLOCK`, `flc_lock`). */
  readonly locks?: Readonly<Record<string, LockDecl>> | ((knobs: KnobValues) => Readonly<Record<string, LockDecl>>);
  /**
   * Ordered timers (`--timers ordered`, docs/semantics.md §4): a timer's delay class, by timer id
   * or event type, in place of the delay its machine raises it with (`after: { 45000: ... }`).
   */
  readonly timerDelays?: Readonly<Record<string, number>>;
  /** Check for deadlock (default true): the implicit property `deadlock`. */
  readonly deadlock?: boolean;
  /** Bounds `review` uses for this spec (states, depth); machine-independent. */
  readonly bounds?: { readonly maxStates?: number; readonly maxDepth?: number };
  /**
   * Fairness assumptions of the liveness properties (docs/semantics.md §8). None: no step is fair.
   * A function of the knob values when the instances it names depend on them.
   */
  readonly fairness?: readonly FairnessDecl[] | ((knobs: KnobValues) => readonly FairnessDecl[]);
}

/**
 * A fairness assumption over a set of steps (docs/semantics.md §8). The steps: those in which an
 * instance of `actors` (default: every instance) moves and that match `events` (event types; an
 * entry ending in `*` is a prefix, e.g. `xstate.after*`) or, with `timers: true`, are timer steps;
 * with neither filter, every step of those instances. `per` splits them into fairness sets: one
 * per instance (`actor`, the default), one per `events` entry plus one for timers (`event`), or a
 * single set (`all`). Weak: a set continuously enabled from some point on is taken infinitely
 * often. Strong: a set enabled infinitely often is taken infinitely often.
 */
export interface FairnessDecl {
  readonly kind: 'weak' | 'strong';
  readonly actors?: readonly string[];
  readonly events?: readonly string[];
  readonly timers?: boolean;
  readonly per?: 'actor' | 'event' | 'all';
  /** Why the assumption is sound for the kernel (workqueues run, timers fire, the scheduler is fair). */
  readonly doc?: string;
}

const SPEC_BRAND = Symbol.for('daxcheck.spec');

export type Spec = SpecDecl & { readonly [SPEC_BRAND]: true };

/** Declares a spec. The object is validated when it is loaded, not here. */
export function defineSpec(decl: SpecDecl): Spec {
  return Object.freeze({ ...decl, [SPEC_BRAND]: true as const });
}

export function isSpec(x: unknown): x is Spec {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[SPEC_BRAND] === true;
}
