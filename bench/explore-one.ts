/**
 * Explores one benchmark model at one size with daxcheck's own engine (the same adapter and
 * explorer as the specs), in a process of its own so that bench/run.ts can measure it with
 * /usr/bin/time -v exactly as it measures the peers.
 *
 *   node dist/bench/explore-one.js <model> <size> [exact|fingerprint]   (the state store; default exact)
 *
 * Prints one line of JSON: states, transitions, the engine's own timing, and the verdicts.
 * Exits 1 when the run was incomplete or a property did not hold (the bench models hold).
 */
import { checkSpec } from '../src/check.js';
import { MODELS } from './models/index.js';

async function main(): Promise<number> {
  const [name, sizeArg, storeArg = 'exact'] = process.argv.slice(2);
  const model = MODELS.find((m) => m.name === name);
  const size = Number(sizeArg);
  if (!model || !Number.isInteger(size) || (storeArg !== 'exact' && storeArg !== 'fingerprint')) {
    process.stderr.write(`usage: explore-one <${MODELS.map((m) => m.name).join('|')}> <size> [exact|fingerprint]\n`);
    return 2;
  }
  const t0 = performance.now();
  const res = await checkSpec(model.spec, { knobs: { [model.knob]: size }, store: storeArg });
  const wall = (performance.now() - t0) / 1000;
  const verdicts: Record<string, string> = {};
  for (const [k, p] of Object.entries(res.properties)) verdicts[k] = p.verdict;
  const out = {
    model: name,
    size,
    complete: res.complete,
    stop: res.stop,
    states: res.stats.states,
    transitions: res.stats.transitions,
    maxDepth: res.stats.maxDepth,
    exploreSeconds: res.stats.seconds,
    checkSeconds: wall,
    store: storeArg,
    storeBytes: res.stats.storeBytes,
    bytesPerState: res.stats.bytesPerState,
    peakRssBytes: res.stats.peakRssBytes,
    // The process's own high-water mark (what /usr/bin/time reports), and where the memory went.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    memory: res.stats.memory,
    verdicts,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  // A fingerprint run's best answer is probably holds (fingerprint-store.ts).
  const bad = Object.entries(verdicts).filter(([, v]) => v !== 'holds' && v !== 'reached' && v !== 'probably-holds');
  return res.complete && bad.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(2);
  },
);
