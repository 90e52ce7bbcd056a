/**
 * `daxcheck draw <spec|machine>`: the statecharts of a spec's actors (one per distinct machine),
 * or the machines a module in `machines/` exports, as Mermaid state diagrams.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { SpecError } from '../errors.js';
import { loadSpec } from '../spec/load.js';
import { isSpec, type Scalar, type Spec } from '../spec/types.js';
import { resolveKnobs, validateSpec } from '../spec/validate.js';
import { machineToMermaid } from './statechart.js';

export interface Drawing {
  /** The machine's id (file name stem). */
  readonly name: string;
  /** The actor instances that run it (empty for a machine module). */
  readonly actors: readonly string[];
  readonly mermaid: string;
}

function isMachine(x: unknown): x is AnyStateMachine {
  return !!x && typeof x === 'object' && typeof (x as AnyStateMachine).transition === 'function' && !!(x as AnyStateMachine).root && typeof (x as AnyStateMachine).id === 'string';
}

/** The distinct machines of a spec's system for these knobs, with the instances that run each. */
export function specMachines(spec: Spec, knobs: Readonly<Record<string, Scalar>> = {}): { machine: AnyStateMachine; actors: string[] }[] {
  const sys = spec.system(resolveKnobs(spec, knobs));
  const out: { machine: AnyStateMachine; actors: string[] }[] = [];
  for (const [id, a] of Object.entries(sys.actors)) {
    const m = out.find((x) => x.machine === a.machine || x.machine.id === a.machine.id);
    if (m) m.actors.push(id);
    else out.push({ machine: a.machine, actors: [id] });
  }
  return out;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(file)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

export async function drawTarget(target: string, knobs: Readonly<Record<string, Scalar>> = {}): Promise<Drawing[]> {
  const isPath = /[\\/]/.test(target) || /\.(ts|js|mjs|mts)$/.test(target);
  if (!isPath) {
    const spec = await loadSpec(target);
    return specMachines(spec, knobs).map(({ machine, actors }) => ({ name: machine.id, actors, mermaid: machineToMermaid(machine) }));
  }
  const file = isAbsolute(target) ? target : resolve(process.cwd(), target);
  if (!existsSync(file)) throw new SpecError(`'${target}' does not exist`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (e) {
    throw new SpecError(`'${target}' failed to load: ${(e as Error).message?.split('\n')[0]}`);
  }
  const specs = Object.values(mod).filter(isSpec);
  if (specs.length) {
    const spec = (isSpec(mod.default) ? mod.default : specs[0]) as Spec;
    validateSpec(spec);
    return specMachines(spec, knobs).map(({ machine, actors }) => ({ name: machine.id, actors, mermaid: machineToMermaid(machine) }));
  }
  const machines = [...new Set(Object.values(mod).filter(isMachine))];
  if (!machines.length) throw new SpecError(`'${target}' exports neither a spec nor an XState machine`);
  return machines.map((m) => ({ name: m.id, actors: [], mermaid: machineToMermaid(m) }));
}
