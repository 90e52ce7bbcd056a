/**
 * Dead modelling (issue 10 §4): per machine, the state nodes and transitions of its structure
 * (`toDirectedGraph` in `xstate/graph`, through `machineInventory`) that no variant of any reviewed
 * spec using the machine reaches: modelled behaviour no scenario exercises. Machines are matched
 * by their id across specs; informational, never gated.
 */
import type { VariantRun } from '../review/run.js';
import { machineInventory, type MachineTransition } from '../draw/statechart.js';
import { specCoverage } from './coverage.js';

export interface DeadMachine {
  readonly machine: string;
  /** The reviewed specs that use it. */
  readonly specs: readonly string[];
  readonly statesTotal: number;
  readonly transitionsTotal: number;
  readonly deadStates: readonly string[];
  readonly deadTransitions: readonly MachineTransition[];
}

const tkey = (t: MachineTransition) => `${t.from}\u0000${t.event}\u0000${t.to}`;

/**
 * A state or transition is dead when every reviewed spec whose instance of the machine has it
 * leaves it unreached (a machine built from knobs may have parts some specs do not).
 */
export function deadModelling(runs: readonly VariantRun[]): DeadMachine[] {
  const specs = [...new Set(runs.map((r) => r.spec))];
  const acc = new Map<string, { specs: string[]; states: Map<string, boolean>; trans: Map<string, { t: MachineTransition; dead: boolean }> }>();
  for (const spec of specs) {
    const runsOf = runs.filter((r) => r.spec === spec && r.result.coverage);
    if (!runsOf.length) continue;
    const cov = specCoverage(spec, runsOf);
    const sys = spec.system(runsOf[0].result.knobs);
    for (const m of cov.machines) {
      const machine = Object.values(sys.actors).find((a) => a.machine.id === m.machine)?.machine;
      if (!machine) continue;
      const inv = machineInventory(machine);
      let a = acc.get(m.machine);
      if (!a) acc.set(m.machine, (a = { specs: [], states: new Map(), trans: new Map() }));
      a.specs.push(spec.name);
      const deadS = new Set(m.unreachedStates);
      const deadT = new Set(m.unreachedTransitions.map(tkey));
      for (const s of inv.states) a.states.set(s, (a.states.get(s) ?? true) && deadS.has(s));
      for (const t of inv.transitions) {
        const k = tkey(t);
        const prev = a.trans.get(k);
        a.trans.set(k, { t: prev?.t ?? t, dead: (prev?.dead ?? true) && deadT.has(k) });
      }
    }
  }
  return [...acc.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([machine, a]) => ({
      machine,
      specs: a.specs,
      statesTotal: a.states.size,
      transitionsTotal: a.trans.size,
      deadStates: [...a.states].filter(([, d]) => d).map(([s]) => s),
      deadTransitions: [...a.trans.values()].filter((x) => x.dead).map((x) => x.t),
    }));
}

/** Totals over every machine: dead states and transitions, and how many there are. */
export function deadTotals(ds: readonly DeadMachine[]) {
  return {
    machines: ds.length,
    states: ds.reduce((n, d) => n + d.statesTotal, 0),
    transitions: ds.reduce((n, d) => n + d.transitionsTotal, 0),
    deadStates: ds.reduce((n, d) => n + d.deadStates.length, 0),
    deadTransitions: ds.reduce((n, d) => n + d.deadTransitions.length, 0),
  };
}
