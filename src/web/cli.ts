/**
 * `daxcheck explore <spec> [--variant V] [--set k=v ...] [--trace t.json] [--property P] [--port P]`:
 * serve the explore page for one variant until Ctrl-C. With `--trace` and no `--variant`/`--set`,
 * the knobs are the trace's own; `--property` opens that property's counterexample.
 */
import { readFileSync } from 'node:fs';
import { checkSpec, compose } from '../check.js';
import { SpecError } from '../errors.js';
import { parseTraceFile } from '../replay/replay.js';
import { loadSpec } from '../spec/load.js';
import type { Scalar, Spec } from '../spec/types.js';
import type { Trace } from '../trace/types.js';
import { startServer } from './server.js';
import { defaultBounds } from './reach.js';
import { ExploreSession, type TraceInfo } from './session.js';

export interface ExploreCliOptions {
  variant?: string;
  set?: Record<string, Scalar>;
  trace?: string;
  /** Open this property's counterexample (from --trace, or from checking the variant first). */
  property?: string;
  port?: number;
}

function readTraces(file: string): Trace[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SpecError(`cannot read trace file '${file}'`);
  }
  try {
    const ts = parseTraceFile(text);
    if (!ts.length) throw new Error('it holds no trace');
    return ts;
  } catch (e) {
    throw new SpecError(`'${file}': ${(e as Error).message}`);
  }
}

/**
 * Without --trace, the variant's own counterexamples: `check` with the review bounds, each trace
 * opened in the session (the page's trace menu).
 */
async function openCounterexamples(spec: Spec, session: ExploreSession, o: ExploreCliOptions, interrupted: () => boolean): Promise<TraceInfo[]> {
  const r = await checkSpec(spec, { variant: o.variant, knobs: o.set ?? {}, ...defaultBounds(session.sys), interrupted });
  return Object.values(r.properties).filter((p) => p.verdict === 'violated' && p.trace).map((p) => session.openTrace(p.trace!));
}

/** Runs until SIGINT (or `stop` resolves); returns the exit code. */
export async function runExplore(specArg: string, o: ExploreCliOptions, stop?: Promise<void>): Promise<number> {
  const spec = await loadSpec(specArg);
  const traces = o.trace ? readTraces(o.trace) : [];
  const own = !o.variant && !Object.keys(o.set ?? {}).length && traces.length > 0;
  const sys = own ? compose(spec, { knobs: traces[0].knobs }) : compose(spec, { variant: o.variant, knobs: o.set ?? {} });
  const session = new ExploreSession(sys, own ? traces[0].variant : o.variant);
  let stopped = false;
  let opened = traces.map((t) => session.openTrace(t));
  if (o.port !== undefined && o.port > 65535) throw new SpecError(`--port expects a port number up to 65535, got ${o.port}`);
  if (o.property) {
    if (!o.trace) {
      console.log(`daxcheck explore: checking ${spec.name}${o.variant ? ` / ${o.variant}` : ''} for its counterexamples ...`);
      opened = await openCounterexamples(spec, session, o, () => stopped);
    }
    const names = opened.map((t) => t.property);
    if (!names.includes(o.property)) throw new SpecError(`spec '${spec.name}': no counterexample of '${o.property}' to open${o.trace ? ` in '${o.trace}'` : ''} (counterexamples: ${names.join(', ') || 'none'})`);
    opened = [opened.find((t) => t.property === o.property)!];
  }
  const server = await startServer(session, { port: o.port });
  // Background work, one after the other: the variant's counterexamples, then reachability.
  const explored = (o.trace || o.property ? Promise.resolve([]) : openCounterexamples(spec, session, o, () => stopped))
    .then((cx) => { if (cx.length) console.log(`counterexamples in the page's trace menu: ${cx.map((t) => t.property).join(', ')}`); })
    .then(() => session.reach.run(() => stopped));
  const first = opened[0];
  const fragment = first ? `#line=${first.codes.join('.')}&at=0&trace=${first.id}` : '';
  console.log(`daxcheck explore: ${spec.name}${session.variant ? ` / ${session.variant}` : ''}${first ? `, trace ${first.title}` : ''}`);
  console.log(`open ${server.url}${fragment}`);
  console.log('(listening on 127.0.0.1 only; the token in the URL is required; Ctrl-C stops)');
  explored.then(() => {
    const r = session.reach.state;
    if (r.kind === 'complete') console.log(`reachable violations: known (${r.states} states, ${r.edges} steps explored in ${r.seconds.toFixed(2)} s)`);
    else if (r.kind === 'incomplete' && !stopped) console.log(`reachable violations: not known (the exploration stopped: ${r.stop} after ${r.states} states)`);
  }, (e) => console.error(`daxcheck explore: reachability failed: ${(e as Error).message}`));
  await new Promise<void>((resolve) => {
    const onSig = () => resolve();
    process.once('SIGINT', onSig);
    process.once('SIGTERM', onSig);
    stop?.then(resolve);
  });
  stopped = true;
  await server.close();
  await explored.catch(() => {});
  console.log('daxcheck explore: stopped');
  return 0;
}
