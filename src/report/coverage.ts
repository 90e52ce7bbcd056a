/**
 * Model coverage per spec: which states and transitions of each machine no exploration reached,
 * over every variant the review ran (the union of `CheckResult.coverage`). Dead parts of a model
 * are a smell a reviewer must see: a transition no interleaving takes checks nothing.
 */
import type { AnyStateMachine } from 'xstate';
import type { VariantRun } from '../review/run.js';
import type { Spec } from '../spec/types.js';
import { eventLabel, machineInventory, type MachineTransition } from '../draw/statechart.js';

export interface MachineCoverage {
  readonly machine: string;
  readonly actors: readonly string[];
  readonly statesTotal: number;
  readonly transitionsTotal: number;
  readonly unreachedStates: readonly string[];
  readonly unreachedTransitions: readonly MachineTransition[];
}

export interface SpecCoverage {
  readonly spec: string;
  /** Variants whose run carried coverage. */
  readonly variants: readonly string[];
  readonly machines: readonly MachineCoverage[];
}

const tkey = (from: string, event: string, to: string) => `${from}\u0000${event}\u0000${to}`;

export function specCoverage(spec: Spec, runs: readonly VariantRun[]): SpecCoverage {
  const mine = runs.filter((r) => r.spec === spec && r.result.coverage);
  const machines = new Map<string, { machine: AnyStateMachine; actors: Set<string>; states: Set<string>; trans: Set<string> }>();
  for (const r of mine) {
    const sys = spec.system(r.result.knobs);
    for (const [actor, cov] of Object.entries(r.result.coverage!)) {
      const machine = sys.actors[actor]?.machine;
      if (!machine) continue;
      let m = machines.get(machine.id);
      if (!m) machines.set(machine.id, (m = { machine, actors: new Set(), states: new Set(), trans: new Set() }));
      m.actors.add(actor);
      for (const s of cov.states) m.states.add(s);
      for (const t of cov.transitions) m.trans.add(tkey(t.from, t.event, t.to));
    }
  }
  const out: MachineCoverage[] = [];
  for (const [id, m] of machines) {
    const inv = machineInventory(m.machine);
    const unreachedStates = inv.states.filter((s) => !m.states.has(s));
    const unreachedTransitions = inv.transitions.filter((t) => {
      if (m.trans.has(tkey(t.from, t.event, t.to))) return false;
      // Eventless transitions run inside a macrostep: counted when both ends were reached.
      if (t.event === '') return !(m.states.has(t.from) && t.to.split(',').every((x) => m.states.has(x)));
      return true;
    });
    out.push({ machine: id, actors: [...m.actors], statesTotal: inv.states.length, transitionsTotal: inv.transitions.length, unreachedStates, unreachedTransitions });
  }
  return { spec: spec.name, variants: mine.map((r) => r.variant), machines: out };
}

export function showTransition(t: MachineTransition): string {
  return `${t.from} --${eventLabel(t.event)}--> ${t.to}${t.fn ? ` (${t.fn})` : ''}`;
}
