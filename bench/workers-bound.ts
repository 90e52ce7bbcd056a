/**
 * The measurement behind `--workers` (docs/performance.md, "Both cores"): how much a second core
 * could give the cheapest credible design, in which worker threads only enumerate the successors
 * of frontier states and the main thread keeps the store, the property checks and the local-state
 * numbering (the memo tables live in one isolate: a worker cannot number a local state itself).
 *
 *   node dist/bench/workers-bound.js [model] [size]        (default: philosophers 11)
 *
 * Measures, in one process, on the same reachable states:
 *   full     the whole single-threaded exploration (explore());
 *   succ     enumerating every successor of every reachable state, nothing else (the part a
 *            worker could take over);
 *   check    evaluating the state properties on every reachable state (stays on the main thread:
 *            only it knows which successors are new);
 *   recv     the main thread's cost of receiving every successor vector from a worker thread in
 *            transferred batches and copying each one out (what the design adds to the main thread).
 * and prints the bound: full / max(main, worker) with main = full - succ + recv, worker = succ.
 */
import { Worker } from 'node:worker_threads';
import { compose } from '../src/check.js';
import { buildChecks, propertyList } from '../src/compose/properties.js';
import { explore } from '../src/explore/explorer.js';
import { MODELS } from './models/index.js';

const BATCH = 4096;

async function receiveCost(vectors: number, width: number): Promise<number> {
  // The worker fills batches of vectors and transfers them; the main thread copies each vector
  // out, as the interning loop would before hashing it. Only the main thread's busy time counts.
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { vectors, width, batch } = workerData;
    let sent = 0;
    while (sent < vectors) {
      const n = Math.min(batch, vectors - sent);
      const b = new Int32Array(n * width);
      for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) & 0xff;
      parentPort.postMessage(b, [b.buffer]);
      sent += n;
    }
    parentPort.postMessage(null);`;
  const w = new Worker(src, { eval: true, workerData: { vectors, width, batch: BATCH } });
  const cur = new Int32Array(width);
  let busy = 0;
  let sink = 0;
  await new Promise<void>((resolve, reject) => {
    w.on('message', (b: Int32Array | null) => {
      if (b === null) return resolve();
      const t0 = performance.now();
      for (let off = 0; off < b.length; off += width) {
        cur.set(b.subarray(off, off + width));
        sink += cur[0];
      }
      busy += performance.now() - t0;
    });
    w.on('error', reject);
  });
  await w.terminate();
  if (sink < 0) console.log(sink);
  return busy / 1000;
}

async function main(): Promise<void> {
  const [name = 'philosophers', sizeArg = '11'] = process.argv.slice(2);
  const m = MODELS.find((x) => x.name === name);
  if (!m) throw new Error(`unknown model ${name}`);
  const size = Number(sizeArg);
  const sys = compose(m.spec, { knobs: { [m.knob]: size } });
  const checks = buildChecks(sys, propertyList(sys));
  const model = { width: sys.width, initial: () => sys.initial(), successors: sys.successors.bind(sys), checks };

  let t0 = performance.now();
  const res = await explore(model, {});
  const full = (performance.now() - t0) / 1000;
  const n = res.stats.states;
  const states = new Int32Array(n * sys.width);
  const v = new Int32Array(sys.width);
  for (let id = 0; id < n; id++) states.set(res.store.read(id, v), id * sys.width);

  let edges = 0;
  const count = () => { edges++; };
  t0 = performance.now();
  for (let id = 0; id < n; id++) sys.successors(states.subarray(id * sys.width, (id + 1) * sys.width), count);
  const succ = (performance.now() - t0) / 1000;

  let hits = 0;
  const hit = () => { hits++; };
  t0 = performance.now();
  for (let id = 0; id < n; id++) checks.state(states.subarray(id * sys.width, (id + 1) * sys.width), hit);
  const check = (performance.now() - t0) / 1000;

  const recv = await receiveCost(edges, sys.width);
  const mainT = full - succ + recv;
  const bound = full / Math.max(mainT, succ);
  console.log(JSON.stringify({ model: name, size, states: n, transitions: edges, width: sys.width, full, succ, check, recv, mainThread: mainT, worker: succ, speedupBound: bound }));
  console.log(`${name} ${size}: ${n} states, ${edges} transitions, width ${sys.width}; full ${full.toFixed(2)} s = successors ${succ.toFixed(2)} s (${((100 * succ) / full).toFixed(0)}%) + checks ${check.toFixed(2)} s + store/queue ${(full - succ - check).toFixed(2)} s; ` +
    `receiving the successors from a worker costs the main thread ${recv.toFixed(2)} s; 2-core bound ${bound.toFixed(2)}x`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(2);
});
