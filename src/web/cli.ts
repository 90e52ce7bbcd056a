/**
 * `daxcheck explore <spec> [--variant V] [--set k=v ...] [--trace t.json] [--port P]`: serve the
 * explore page for one variant until Ctrl-C. With `--trace` and no `--variant`/`--set`, the knobs
 * are the trace's own.
 */
import { readFileSync } from 'node:fs';
import { compose } from '../check.js';
import { SpecError } from '../errors.js';
import { parseTraceFile } from '../replay/replay.js';
import { loadSpec } from '../spec/load.js';
import type { Scalar } from '../spec/types.js';
import type { Trace } from '../trace/types.js';
import { startServer } from './server.js';
import { ExploreSession } from './session.js';

export interface ExploreCliOptions {
  variant?: string;
  set?: Record<string, Scalar>;
  trace?: string;
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

/** Runs until SIGINT (or `stop` resolves); returns the exit code. */
export async function runExplore(specArg: string, o: ExploreCliOptions, stop?: Promise<void>): Promise<number> {
  const spec = await loadSpec(specArg);
  const traces = o.trace ? readTraces(o.trace) : [];
  const own = !o.variant && !Object.keys(o.set ?? {}).length && traces.length > 0;
  const sys = own ? compose(spec, { knobs: traces[0].knobs }) : compose(spec, { variant: o.variant, knobs: o.set ?? {} });
  const session = new ExploreSession(sys, own ? traces[0].variant : o.variant);
  const opened = traces.map((t) => session.openTrace(t));
  const server = await startServer(session, { port: o.port });
  let stopped = false;
  const explored = session.reach.run(() => stopped);
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
