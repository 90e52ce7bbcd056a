/**
 * The exact chance that one uniform random walk (`daxcheck simulate`, the default) finds a buggy
 * variant's violation: no sampling, a sum over the reachable graph. From each state the walk takes
 * each enabled step with the same probability, so P(s) = the mean over s's steps of 1 when the step
 * (or the state it reaches) violates one of the properties the variant expects violated, 0 when it
 * violates another (the walk stops there too), else P(next); with P = 0 at a valid end or at the
 * depth bound. The same Stepper as `simulate`, so the same steps and the same first violation.
 *
 *   npm run -s build && node dist/bench/walk-odds.js [spec[/variant] ...] [--depth 200]
 *
 * With no spec: every buggy variant of the built-in specs. Prints p, the expected number of walks
 * (1/p) and the chance that 1,000 walks find it, 1 - (1 - p)^1000.
 */
import { compose } from '../src/check.js';
import { propertyList } from '../src/compose/properties.js';
import { Stepper } from '../src/simulate/path.js';
import { builtinSpecNames, loadSpec } from '../src/spec/load.js';
import type { Spec } from '../src/spec/types.js';
import { expectationFor } from '../src/spec/validate.js';
import { table } from './exec.js';

export interface WalkOdds {
  readonly states: number;
  /** The chance that one uniform walk of at most `depth` steps ends in a wanted violation. */
  readonly p: number;
}

/** The safety properties a variant expects violated. */
export function wantedViolations(spec: Spec, variant: string): string[] {
  const sys = compose(spec, { variant });
  return propertyList(sys).filter((p) => p.kind === 'safety' && expectationFor(spec.variants[variant], p.name)?.verdict === 'violated').map((p) => p.name);
}

export function walkOdds(spec: Spec, variant: string, depth: number, knobs: Record<string, string | number | boolean> = {}): WalkOdds {
  const sys = compose(spec, { variant, knobs });
  const st = new Stepper(sys);
  const want = new Set(wantedViolations(spec, variant));
  // The graph: per state, its steps' ends: a state index (>= 0), or -1 (a wanted violation), -2 (another).
  const index = new Map<string, number>();
  const states: Int32Array[] = [];
  const ends: number[][] = [];
  const add = (v: Int32Array) => {
    const k = v.join(',');
    let i = index.get(k);
    if (i === undefined) {
      index.set(k, (i = states.length));
      states.push(v);
      ends.push([]);
    }
    return i;
  };
  const v0 = st.initial();
  const hits0 = st.stateHits(v0, st.enabled(v0).codes.length === 0);
  if (hits0.length) return { states: 1, p: want.has(st.props[hits0[0]].name) ? 1 : 0 };
  add(v0);
  for (let i = 0; i < states.length; i++) {
    const v = states[i];
    const en = st.enabled(v);
    const codes = [...en.codes];
    const nexts = [...en.nexts];
    for (let j = 0; j < codes.length; j++) {
      const n = nexts[j];
      const hits = [...new Set([...st.stepHits(v, codes[j], n), ...st.stateHits(n, st.enabled(n).codes.length === 0)])].sort((a, b) => a - b);
      ends[i].push(hits.length ? (want.has(st.props[hits[0]].name) ? -1 : -2) : add(n));
    }
  }
  // P_k: the chance within k more steps. Stops early once P no longer changes (an acyclic graph
  // shorter than the bound).
  let p = new Float64Array(states.length);
  for (let k = 0; k < depth; k++) {
    const q = new Float64Array(states.length);
    let same = true;
    for (let i = 0; i < states.length; i++) {
      const es = ends[i];
      if (!es.length) continue;
      let s = 0;
      for (const e of es) s += e === -1 ? 1 : e === -2 ? 0 : p[e];
      q[i] = s / es.length;
      if (q[i] !== p[i]) same = false;
    }
    p = q;
    if (same) break;
  }
  return { states: states.length, p: p[0] };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const d = argv.indexOf('--depth');
  const depth = d >= 0 ? Number(argv.splice(d, 2)[1]) : 200;
  const names = argv.length ? argv : builtinSpecNames();
  const rows: string[][] = [];
  for (const name of names) {
    const [specName, variant] = name.split(/\/(.*)/s);
    const spec = await loadSpec(specName);
    for (const v of variant ? [variant] : Object.keys(spec.variants)) {
      if (!wantedViolations(spec, v).length) continue;
      const t = performance.now();
      const o = walkOdds(spec, v, depth);
      rows.push([`${spec.name}/${v}`, o.states.toLocaleString('en-US'), o.p.toExponential(2), o.p ? Math.round(1 / o.p).toLocaleString('en-US') : 'never', `${(100 * (1 - (1 - o.p) ** 1000)).toFixed(1)} %`, ((performance.now() - t) / 1000).toFixed(1)]);
      process.stderr.write(`  ${rows[rows.length - 1].join('  ')}\n`);
    }
  }
  process.stdout.write(`uniform walks of at most ${depth} steps: the exact chance p that one walk finds the variant's violation\n`);
  process.stdout.write(table(['variant', 'states', 'p', '1 walk in', '1,000 walks find it', 's'], rows, [false, true, true, true, true, true]) + '\n');
}

await main();
