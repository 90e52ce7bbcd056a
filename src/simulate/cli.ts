/** `daxcheck simulate SPEC`: seeded random walks; a violation is shrunk and printed like any counterexample. */
import { writeFileSync } from 'node:fs';
import { SpecError } from '../errors.js';
import { checkOutputs } from '../cli/paths.js';
import { writeCheckExports } from '../report/exports.js';
import { loadSpec } from '../spec/load.js';
import type { Scalar } from '../spec/types.js';
import { traceToItf } from '../trace/itf.js';
import { traceToText } from '../trace/text.js';
import { simulate, type SimulateResult } from './simulate.js';

export interface SimulateCliOptions {
  variant?: string;
  set?: Record<string, Scalar>;
  runs: number;
  depth: number;
  seed: number;
  swarm?: boolean;
  json?: boolean;
  traceOut?: string;
  itfOut?: string;
  mermaidOut?: string;
  dotOut?: string;
  raceOut?: string;
}

function write(file: string, text: () => string): void {
  try {
    writeFileSync(file, text());
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code) throw new SpecError(`cannot write '${err.path ?? file}': ${err.code}`);
    throw e;
  }
}

function summary(r: SimulateResult): string {
  const head = `simulate ${r.spec}${r.variant ? ` variant ${r.variant}` : ''}  knobs ${Object.entries(r.knobs).map(([k, v]) => `${k}=${v}`).join(' ') || '-'}  seed ${r.seed}`;
  const kind = r.mode === 'swarm' ? 'swarm walk(s) (walk 4k uniform, the others starve random groups of steps)' : 'uniform walk(s) (each step uniform among the enabled steps)';
  const walks = `  ${r.walks} ${kind} of up to ${r.depth} steps, ${r.steps} steps in all, ${r.seconds.toFixed(2)} s`;
  const lines = [head, walks];
  if (r.violation) {
    const v = r.violation;
    lines.push(`  VIOLATED   ${v.property}: walk ${v.walk} (${v.walkKind}) after ${v.foundSteps} steps; shrunk to ${v.trace.steps.length} steps, 1-minimal (${v.shrinkTests} candidates, ${v.shrinkSeconds.toFixed(2)} s)`);
    lines.push('  (a simulated counterexample is minimal, not necessarily the shortest: `check` gives the shortest)');
  } else {
    lines.push(`  no violation found${r.interrupted ? ' (interrupted)' : ''}: ${r.endedValid} walk(s) reached a valid end, ${r.endedAtDepth} stopped at depth ${r.depth}.`);
    lines.push('  incomplete: a simulation proves nothing; `check` explores every state');
    if (r.mode === 'uniform') lines.push('  (uniform walks rarely take a thread far ahead of a busy one: --swarm does, docs/simulate.md)');
  }
  if (r.unchecked.length) lines.push(`  not checked by walks: ${r.unchecked.join(', ')} (liveness)`);
  return lines.join('\n');
}

/** Exit 1 on a violation, 3 when the walks found nothing (never 0: nothing was proved). */
export async function runSimulate(specArg: string, o: SimulateCliOptions, interrupted: () => boolean): Promise<number> {
  // Outputs are checked before any walk (as check does).
  checkOutputs(o as unknown as Record<string, unknown>, { traceOut: '--trace-out', itfOut: '--itf-out', mermaidOut: '--mermaid-out', dotOut: '--dot-out', raceOut: '--race-out' });
  const spec = await loadSpec(specArg);
  const r = await simulate(spec, { variant: o.variant, knobs: o.set ?? {}, runs: o.runs, depth: o.depth, seed: o.seed, swarm: o.swarm, interrupted });
  const traces = r.violation ? [r.violation.trace] : [];
  if (o.traceOut) write(o.traceOut, () => JSON.stringify(traces.length === 1 ? traces[0] : traces, null, 2));
  if (o.itfOut) write(o.itfOut, () => JSON.stringify(traces.length === 1 ? traceToItf(traces[0]) : traces.map((t) => traceToItf(t)), null, 2));
  if (o.mermaidOut || o.dotOut || o.raceOut) {
    try {
      writeCheckExports(traces, o);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw err?.code ? new SpecError(`cannot write '${err.path}': ${err.code}`) : e;
    }
  }
  if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else {
    console.log(summary(r));
    for (const t of traces) console.log('\n' + traceToText(t));
  }
  return r.violation ? 1 : 3;
}
