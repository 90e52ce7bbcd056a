/**
 * The cost of ordered timers (`--timers ordered`, docs/semantics.md §4) against untimed runs of the
 * same variants, in the same process: states, transitions, seconds, and the violated properties
 * (a verdict that changes shows here).
 *
 *   node dist/bench/timers-cost.js map-direct v7 v8 K11-zero C3-fixed R6-fixed
 */
import { checkSpec } from '../src/check.js';
import { loadSpec } from '../src/spec/load.js';

const [specName = 'map-direct', ...variants] = process.argv.slice(2);
const spec = await loadSpec(specName);
for (const variant of variants.length ? variants : Object.keys(spec.variants)) {
  const row = [variant];
  for (const timers of ['untimed', 'ordered'] as const) {
    const r = await checkSpec(spec, { variant, timers });
    const violated = Object.values(r.properties).filter((p) => p.verdict === 'violated').map((p) => p.name).join(',');
    row.push(`${timers}: ${r.stats.states} states ${r.stats.transitions} transitions ${r.stats.seconds.toFixed(2)} s ${r.complete ? 'complete' : r.stop} [${violated}]`);
  }
  console.log(row.join(' | '));
}
