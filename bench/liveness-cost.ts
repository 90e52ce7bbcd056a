/**
 * The cost of liveness checking against the safety check of the same spec (issue 6): explores a
 * bench model once with its safety properties only, and once with a leads-to property under weak
 * fairness, in the same process, and prints the ratio.
 *
 *   node dist/bench/liveness-cost.js            (run by `npm run bench` after the peer comparison)
 */
import { checkSpec } from '../src/check.js';
import { defineSpec, type Spec } from '../src/spec/types.js';
import lease from './models/lease.js';
import philosophers from './models/philosophers.js';

interface Case {
  readonly name: string;
  readonly spec: Spec;
  readonly knobs: Record<string, number>;
  readonly live: Spec;
}

/** Every client that asks eventually holds the lease, if messages are delivered (weakly fair). */
const leaseLive = defineSpec({
  ...lease,
  name: 'bench-lease-live',
  properties: [
    ...lease.properties,
    { name: 'c0-gets-lease', kind: 'liveness', form: 'leadsTo', doc: 'c0 waiting leads to c0 holding', p: (s) => s.matches('c0', 'waiting'), q: (s) => s.hasTag('c0', 'holding') },
  ],
  fairness: [{ kind: 'weak', events: ['GRANT', 'BREAK', 'REQUEST', 'RELEASE', 'ACK'], per: 'actor', doc: 'mailbox deliveries happen' }],
});

/** A hungry philosopher 0 eventually eats, under weak fairness of every philosopher (it deadlocks). */
const philLive = defineSpec({
  ...philosophers,
  name: 'bench-philosophers-live',
  properties: [
    ...philosophers.properties,
    { name: 'p0-eats', kind: 'liveness', form: 'alwaysEventually', doc: 'philosopher 0 eats infinitely often', p: (s) => s.hasTag('ph0', 'eating') },
  ],
  fairness: [{ kind: 'weak', per: 'actor' }],
});

const CASES: Case[] = [
  { name: 'lease', spec: lease, knobs: { clients: 4 }, live: leaseLive },
  { name: 'lease', spec: lease, knobs: { clients: 5 }, live: leaseLive },
  { name: 'philosophers', spec: philosophers, knobs: { n: 9 }, live: philLive },
];

async function main(): Promise<void> {
  console.log('\nliveness cost: the same model explored for safety only, then with one liveness property');
  console.log('model          size     states   safety s  +liveness s  ratio  verdict');
  for (const c of CASES) {
    const size = Object.values(c.knobs)[0];
    const t0 = performance.now();
    const safe = await checkSpec(c.spec, { knobs: c.knobs });
    const t1 = performance.now();
    const live = await checkSpec(c.live, { knobs: c.knobs });
    const t2 = performance.now();
    const verdict = Object.values(live.properties).find((p) => p.kind === 'liveness')!.verdict;
    const a = (t1 - t0) / 1000;
    const b = (t2 - t1) / 1000;
    console.log(`${c.name.padEnd(13)} ${String(size).padStart(5)} ${String(safe.stats.states).padStart(10)} ${a.toFixed(2).padStart(10)} ${b.toFixed(2).padStart(12)} ${(b / a).toFixed(2).padStart(6)}  ${verdict}`);
  }
  console.log('ratio: time with the liveness property / time for safety alone (both explore every state)');
}

await main();
