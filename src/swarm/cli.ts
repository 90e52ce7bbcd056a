/**
 * `daxcheck swarm <spec> --member i --of n --out result.json` runs one member;
 * `daxcheck swarm merge results/*.json` combines them (docs/swarm.md). A member exits 0 once its
 * result is written, whatever it found (a batch engine must not retry a member that found a bug),
 * 2 when it could not run; merge exits 1 when some member found a violation, 3 otherwise (a swarm
 * never says holds), 2 on unreadable input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isUserError, SpecError } from '../errors.js';
import { loadSpec } from '../spec/load.js';
import { traceToText } from '../trace/text.js';
import { memberPlan, runMember, SWARM_FORMAT, type MemberResult } from './member.js';
import { mergeMembers, parseMember } from './merge.js';

const EXIT = { ok: 0, violated: 1, error: 2, incomplete: 3 } as const;

function indexFrom(flag: string | undefined, envNames: readonly string[], what: string): number | undefined {
  const [src, raw] = flag !== undefined ? ['--' + what, flag] : envNames.map((e) => [e, process.env[e]] as const).find(([, v]) => v !== undefined && v !== '') ?? [undefined, undefined];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw).trim()) || !Number.isSafeInteger(n)) throw new SpecError(`swarm: ${src} expects a whole number, got '${raw}'`);
  return n;
}

function write(file: string, r: MemberResult): void {
  try {
    writeFileSync(file, JSON.stringify(r) + '\n');
  } catch (e) {
    throw new SpecError(`swarm: cannot write '${file}': ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}

export async function runSwarmMember(specArg: string, o: Record<string, any>, interrupted: () => boolean): Promise<number> {
  const member = indexFrom(o.member, ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID'], 'member');
  const of = indexFrom(o.of, ['SLURM_ARRAY_TASK_COUNT'], 'of');
  if (member === undefined) throw new SpecError('swarm: no member index: give --member i, or run under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or a Slurm array (SLURM_ARRAY_TASK_ID)');
  if (of === undefined || of < 1) throw new SpecError('swarm: give the swarm size with --of n (n >= 1)');
  if (member >= of) throw new SpecError(`swarm: member ${member} is not below --of ${of} (members are 0 .. ${of - 1})`);
  if (!o.out) throw new SpecError('swarm: give --out <file> for the member result (%i is replaced by the member index)');
  if (o.maxStates === undefined && o.maxDepth === undefined) throw new SpecError('swarm: a member is a bounded search: give --max-states or --max-depth');
  const out = String(o.out).replaceAll('%i', String(member));
  const plan = memberPlan(member, of);
  let result: MemberResult;
  let specName = specArg;
  try {
    const spec = await loadSpec(specArg);
    specName = spec.name;
    result = await runMember(spec, plan, { variant: o.variant, maxStates: o.maxStates, maxDepth: o.maxDepth, interrupted });
  } catch (e) {
    if (!isUserError(e)) throw e;
    // The merge must see that this member ran and failed, not that it is missing.
    write(out, { format: SWARM_FORMAT, ...plan, status: 'failed', error: (e as Error).message, spec: specName, variant: o.variant, bounds: { maxStates: o.maxStates, maxDepth: o.maxDepth } });
    throw e;
  }
  write(out, result);
  const found = Object.entries(result.violations ?? {});
  console.log(`swarm member ${member} of ${of} (${plan.order}${plan.seed !== undefined ? `, seed ${plan.seed}` : ''}): ${result.states} states, stop ${result.stop}; ` +
    (found.length ? `VIOLATED ${found.map(([p, v]) => `${p} (trace ${v.traceLength} steps)`).join(', ')}` : 'no violation') + `; written to ${out}`);
  return EXIT.ok;
}

export async function runSwarmMerge(files: readonly string[], o: Record<string, any>): Promise<number> {
  if (!files.length) throw new SpecError('swarm merge: give the member result files');
  const results = files.map((f) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new SpecError(`swarm merge: cannot read '${f}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      return parseMember(json, f);
    } catch (e) {
      throw new SpecError(`swarm merge: ${(e as Error).message}`);
    }
  });
  let s;
  try {
    s = mergeMembers(results);
  } catch (e) {
    throw new SpecError(`swarm merge: ${(e as Error).message}`);
  }
  console.log(`swarm ${s.spec}${s.variant ? ` variant ${s.variant}` : ''}: ${s.members.length} of ${s.of} member result(s); ${s.failed.length} failed; missing: ${s.missing.length ? s.missing.join(', ') : 'none'}`);
  for (const m of s.members) {
    const how = `${m.order}${m.seed !== undefined ? ` seed ${m.seed}` : ''}`;
    if (m.status !== 'ok') console.log(`  member ${m.member} (${how}): FAILED: ${m.error}`);
    else console.log(`  member ${m.member} (${how}): ${m.states} states, depth ${m.maxDepth}, stop ${m.stop}${Object.keys(m.violations ?? {}).length ? `, violated ${Object.keys(m.violations!).join(', ')}` : ''}`);
  }
  console.log(`  states covered, summed over members (they overlap): ${s.statesSum}`);
  const v = Object.entries(s.violations);
  for (const [prop, x] of v) console.log(`  VIOLATED   ${prop} (shortest trace ${x.traceLength} steps, member ${x.member}; found by member(s) ${x.foundBy.join(', ')})`);
  if (o.traceOut) {
    const traces = v.map(([, x]) => x.trace);
    try {
      writeFileSync(o.traceOut, JSON.stringify(traces.length === 1 ? traces[0] : traces, null, 2));
    } catch (e) {
      throw new SpecError(`swarm merge: cannot write '${o.traceOut}': ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  }
  if (v.length) {
    if (!o.quiet) for (const [, x] of v) console.log('\n' + traceToText(x.trace));
    return EXIT.violated;
  }
  console.log('  no member found a violation: a swarm of bounded searches never shows that a property holds (exit 3)');
  return EXIT.incomplete;
}
