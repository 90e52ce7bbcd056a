/** The benchmark models: a daxcheck spec, the knob that sizes it, and its peer files. */
import type { Spec } from '../../src/spec/types.js';
import lease, { leaseSymmetric } from './lease.js';
import philosophers, { closedFormStates } from './philosophers.js';

export interface BenchModel {
  /** The name used on the command line and in the table. */
  readonly name: string;
  readonly spec: Spec;
  /** The knob that sizes the spec. */
  readonly knob: string;
  /** The size's meaning, for the table. */
  readonly unit: string;
  /** Peer files in bench/peers/: `<peer>.m` (Murphi, size on the line `  N: <n>;`), `<peer>.pml` (Promela, -DN=<n>). */
  readonly peer: string;
  /** Sizes `npm run bench` runs by default (the last one >= 1,000,000 distinct states). */
  readonly sizes: readonly number[];
  /** Distinct states by an independent closed form, when there is one. */
  readonly closedForm?: (size: number) => number;
  /** The buggy variant (bench/first-violation.ts), when the model has one. */
  readonly bug?: BenchBug;
  /**
   * The spec declares symmetry (docs/symmetry.md): the peer is a scalarset model that Rumur runs
   * with `--symmetry-reduction exhaustive` (equal counts: one state per class); SPIN has none.
   */
  readonly symmetry?: boolean;
}

/** A buggy variant: its knobs, the peers' switches, and a size where BFS meets it after 100,000 states. */
export interface BenchBug {
  readonly doc: string;
  /** The spec file in bench/models/ when not the model's own (`<file>.ts`). */
  readonly file?: string;
  /** Knob settings on top of the size. */
  readonly knobs: Readonly<Record<string, boolean | number | string>>;
  /** Constants of the peers: `  <flag>: <value>;` in the Murphi file, `-D<flag>=<value>` for Promela. */
  readonly peerFlags: Readonly<Record<string, number>>;
  readonly size: number;
  /** The property every tool must report violated: an invariant, or `deadlock` (the peers then run with deadlock detection). */
  readonly property: string;
}

export const MODELS: readonly BenchModel[] = [
  {
    name: 'philosophers', spec: philosophers, knob: 'n', unit: 'philosophers', peer: 'philosophers', sizes: [6, 9, 11], closedForm: closedFormStates,
    bug: { doc: 'everyone picks up the left fork first: circular wait after 2N steps (bench/models/philosophers-deadlock.ts)', file: 'philosophers-deadlock', knobs: { order: 'left-first' }, peerFlags: { ORDERED: 0 }, size: 10, property: 'deadlock' },
  },
  {
    name: 'lease', spec: lease, knob: 'clients', unit: 'clients', peer: 'lease', sizes: [3, 4, 5, 6],
    bug: { doc: 'clients ack a stale BREAK (knob ackStale)', knobs: { ackStale: true }, peerFlags: { BUGGY: 1 }, size: 5, property: 'mutex' },
  },
  { name: 'lease-sym', spec: leaseSymmetric, knob: 'clients', unit: 'clients', peer: 'lease-sym', sizes: [3, 4, 5, 6], symmetry: true },
];
