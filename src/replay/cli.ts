/** `daxcheck replay TRACE [--spec PATH]`: prove a saved counterexample against the statecharts. */
import { readFileSync } from 'node:fs';
import { SpecError } from '../errors.js';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/types.js';
import { parseTraceFile, replayTrace } from './replay.js';

/** Exit 0 when every trace in the file is confirmed, 1 when one diverges. */
export async function runReplay(file: string, o: { spec?: string; quiet?: boolean }): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SpecError(`cannot read trace file '${file}'`);
  }
  let traces;
  try {
    traces = parseTraceFile(text);
  } catch (e) {
    throw new SpecError(`'${file}': ${(e as Error).message}`);
  }
  if (traces.length === 0) throw new SpecError(`'${file}' holds no trace: nothing to replay`);
  const specs = new Map<string, Spec>();
  let bad = 0;
  for (const t of traces) {
    const key = o.spec ?? t.spec;
    let spec = specs.get(key);
    if (!spec) specs.set(key, (spec = await loadSpec(key)));
    if (spec.name !== t.spec) throw new SpecError(`the trace is of spec '${t.spec}', but '${key}' is spec '${spec.name}'`);
    console.log(`replay ${t.spec}${t.variant ? ` / ${t.variant}` : ''} / ${t.property} (${t.steps.length} steps) through XState actors (createActor)`);
    const r = replayTrace(spec, t);
    if (!o.quiet) for (const l of r.log) console.log(l);
    if (r.confirmed) console.log(`CONFIRMED: ${r.verdict}`);
    else {
      bad++;
      console.log(`DIVERGES at step ${r.divergence!.step}: ${r.divergence!.reason}`);
    }
  }
  return bad ? 1 : 0;
}
