/**
 * The conformance-map format: how a kernel trace log stands for a model's steps.
 *
 * A map is a small TypeScript module (in specs/conform/) exporting `defineConformanceMap({...})`.
 * It says, for the model steps a log can see, which log event each one prints, by which thread
 * (the PID of the log line becomes that thread actor, one PID per actor), and with which fields
 * (the model's parameters: pgoff -> page index, flags -> write, ...). Every other step is silent.
 * Rules are keyed by kernel function (`fn:<meta.fn>`) or by event type, never by state names, so
 * a map survives a model whose steps are split or renamed around the functions it names.
 */
import type { EventObject } from 'xstate';
import type { Scalar } from '../spec/types.js';
import type { TpFormat } from './formats.js';

/** One model step, as a map sees it. */
export interface StepInfo {
  readonly kind: 'local' | 'sync' | 'timer' | 'deliver' | 'drop';
  /** The event with its parameters. */
  readonly event: EventObject & Readonly<Record<string, unknown>>;
  /** The instances that moved. */
  readonly actors: readonly string[];
  /** The moving instances that are threads (race-table columns), in declaration order. */
  readonly threads: readonly string[];
  /** The kernel functions (`meta.fn`) of the transitions taken, per actor. */
  readonly fns: readonly { readonly actor: string; readonly fn: string }[];
  /** Context of an instance (moving or not) before and after the step (plain data). */
  before<T = any>(actor: string): T;
  after<T = any>(actor: string): T;
}

/** What one step prints into the log. */
export interface Observation {
  /** The log event (tracepoint or traced function), by its canonical name. */
  readonly event: string;
  /** The thread actor whose PID prints it (default: the step's only thread, if it has one). */
  readonly thread?: string;
  /** Model-side values of the fields the line must carry (see `ConformanceMapDecl.fields`); undefined: not compared. */
  readonly fields?: Readonly<Record<string, Scalar | undefined>>;
}

/** How a log field stands for a model value. */
export interface FieldMap {
  /** The raw field it is read from (default: the same name). */
  readonly from?: string;
  /** Log text -> model value (compared with ===); undefined when the text makes no sense. */
  readonly toModel: (raw: string | number | boolean) => Scalar | undefined;
  /** Model value -> the raw text the kernel would print (for `trace export`); an object sets several raw fields. */
  readonly toLog: (v: Scalar) => string | Readonly<Record<string, string>>;
}

export type Rule = (s: StepInfo) => Observation | readonly Observation[] | null;

export interface ConformanceMapDecl {
  readonly name: string;
  readonly doc: string;
  /** The specs (by name) whose models this map reads. */
  readonly specs: readonly string[];
  /** `tracepoint`: lines carry TP_printk text parsed by `formats`; `function`: function-tracer lines. */
  readonly source: 'tracepoint' | 'function';
  /** Tracepoint formats by canonical event name (tracepoint maps). */
  readonly formats?: Readonly<Record<string, TpFormat>>;
  /** Every log event the map's rules print (canonical names): others in a log are skipped. */
  readonly events: readonly string[];
  /** Other names of the same events (later kernels' renames) -> canonical name. */
  readonly aliases?: Readonly<Record<string, string>>;
  /**
   * Raw fields that name the file a line is about (e.g. dev and inode): the models have one file,
   * the first line's; lines about other files are skipped (and counted).
   */
  readonly file?: readonly string[];
  /** Model-facing fields; a field not listed is compared as text (numbers as numbers). */
  readonly fields?: Readonly<Record<string, FieldMap>>;
  /** Values of the raw fields no rule sets, when rendering a log (dev, ino, vm_start, ...). */
  readonly defaults?: Readonly<Record<string, string>>;
  /** Rules: key `fn:<kernel function>` (any transition of the step) or `<event type>`; fn keys win. */
  readonly observe: Readonly<Record<string, Rule>>;
  /**
   * Calls that happen inside a step which prints a line of its own (function tracer): per traced
   * function, the callers whose calls are skipped (and counted with the other skipped lines).
   */
  readonly skipCalls?: Readonly<Record<string, readonly string[]>>;
  /** Step keys known to be unobservable (`key, key: why`: keys, then the reason; steps no rule names are silent too). */
  readonly silent?: readonly string[];
}

const MAP_BRAND = Symbol.for('daxcheck.conformance-map');
export type ConformanceMap = ConformanceMapDecl & { readonly [MAP_BRAND]: true };

export function defineConformanceMap(decl: ConformanceMapDecl): ConformanceMap {
  return Object.freeze({ ...decl, [MAP_BRAND]: true as const });
}

export function isConformanceMap(x: unknown): x is ConformanceMap {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[MAP_BRAND] === true;
}
