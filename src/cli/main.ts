/**
 * The daxcheck command line. Exit codes: 0 every property as wanted, 1 a violation (or, for
 * review, a verdict that differs from its expectation), 2 bad input or model error, 3 incomplete.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { checkSpec, type CheckResult } from '../check.js';
import { isUserError, SpecError } from '../errors.js';
import { builtinSpecNames, loadAllBuiltin, loadSpec } from '../spec/load.js';
import { knobsBeyondPreset, resolveKnobs, variantKnobs } from '../spec/validate.js';
import type { Scalar, Spec } from '../spec/types.js';
import { traceToItf } from '../trace/itf.js';
import { failures, review } from '../review/run.js';
import { formatDead, formatFalsifiability, formatTimerDependence, formatReview } from './format.js';
import { formatCheck, outputWidth } from './summary.js';
import { wrapLines } from '../trace/wrap.js';
import { falsifiability, falsifiabilityFailures } from '../review/falsify.js';
import { deadModelling } from '../report/dead.js';
import { atomicityLine } from '../report/atomicity.js';
import { Progress } from './progress.js';
import { addBoundOptions, boundsLine, memoryOption, runBounds, wholeNumber } from './bounds.js';
import { checkOutputDir, checkOutputs, writeOut } from './paths.js';
import { crashLine } from './crash.js';
import { enterPhase } from '../activity.js';
import { MemoryGuard } from '../explore/memory.js';
import { omissionProbability } from '../explore/fingerprint-store.js';
import { fingerprintNote } from './summary.js';

export const EXIT = { ok: 0, violated: 1, error: 2, incomplete: 3 } as const;

// `daxcheck review | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
});

function parseSet(v: string, prev: Record<string, Scalar> = {}): Record<string, Scalar> {
  const i = v.indexOf('=');
  if (i <= 0) throw new CommanderError(2, 'daxcheck.set', `--set expects knob=value, got '${v}'`);
  const raw = v.slice(i + 1);
  const val: Scalar = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  return { ...prev, [v.slice(0, i)]: val };
}

/** The file outputs of `check`: option key -> flag. */
const CHECK_OUTPUTS = { traceOut: '--trace-out', itfOut: '--itf-out', mermaidOut: '--mermaid-out', dotOut: '--dot-out', raceOut: '--race-out' };

async function runCheck(specArg: string, o: Record<string, any>): Promise<number> {
  enterPhase('check outputs');
  checkOutputs(o, CHECK_OUTPUTS);
  enterPhase('load', specArg);
  const spec = await loadSpec(specArg);
  const bounds = runBounds(o);
  // The header goes to stderr under --json, which keeps stdout one JSON document.
  (o.json ? console.error : console.log)(wrapLines(boundsLine(bounds, o.maxMemory !== undefined), outputWidth(o.wide)));
  const progress = new Progress(`${spec.name}${o.variant ? ' ' + o.variant : ''}`);
  const result = await checkSpec(spec, {
    variant: o.variant,
    knobs: o.set ?? {},
    ...bounds,
    order: o.dfs ? 'dfs' : 'bfs',
    stop: o.stop,
    store: o.store,
    timers: o.timers,
    symmetry: o.symmetry,
    interrupted: () => interrupted,
    onProgress: (s) => progress.update(s),
  });
  progress.done();
  enterPhase('write outputs', spec.name);
  const traces = Object.values(result.properties).filter((p) => p.trace).map((p) => p.trace!);
  if (o.traceOut) {
    writeOut(o.traceOut, () => writeFileSync(o.traceOut, JSON.stringify(traces.length === 1 ? traces[0] : traces, null, 2)));
  }
  if (o.itfOut) {
    const itf = traces.map((t) => traceToItf(t));
    writeOut(o.itfOut, () => writeFileSync(o.itfOut, JSON.stringify(itf.length === 1 ? itf[0] : itf, null, 2)));
  }
  if (o.mermaidOut || o.dotOut || o.raceOut) {
    const { writeCheckExports } = await import('../report/exports.js');
    writeOut('an export file', () => writeCheckExports(traces, o));
  }
  if (o.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    console.log(formatCheck(spec, result, { width: outputWidth(o.wide), verbose: o.verbose }));
  }
  return checkExit(result);
}

export function checkExit(r: CheckResult): number {
  const ps = Object.values(r.properties);
  if (ps.some((p) => ((p.kind === 'safety' || p.kind === 'liveness') && p.verdict === 'violated') || (p.kind === 'goal' && p.verdict === 'unreached'))) return EXIT.violated;
  if (ps.some((p) => p.verdict === 'incomplete' || p.verdict === 'probably-holds')) return EXIT.incomplete;
  return EXIT.ok;
}

async function runList(specArgs: string[]): Promise<number> {
  const specs = specArgs.length ? await Promise.all(specArgs.map(loadSpec)) : await loadAllBuiltin();
  for (const s of specs) {
    console.log(`${s.name}: ${s.title}`);
    for (const [k, d] of Object.entries(s.knobs ?? {})) console.log(`  knob ${k} = ${d.values.map(String).join(' | ')} (default ${d.default})  ${d.doc}`);
    for (const p of s.properties) console.log(`  ${p.kind.padEnd(9)} ${p.name}: ${p.doc}`);
    for (const [name, pr] of Object.entries(s.presets ?? {})) console.log(`  preset ${name}: ${pr.doc}  [${pr.cite}]`);
    for (const [v, d] of Object.entries(s.variants)) {
      const diff = Object.entries(knobsBeyondPreset(s, d, resolveKnobs(s, variantKnobs(s, d)))).map(([k, x]) => `${k}=${x}`).join(' ');
      console.log(`  variant ${v}: ${d.preset ? `preset ${d.preset}` : 'defaults'}${diff ? ` + ${diff}` : ''}${d.mutant ? `  [mutant: ${d.mutant.fn}: ${d.mutant.change}]` : ''}${d.doc ? '  ' + d.doc : ''}`);
    }
  }
  return EXIT.ok;
}

/** What `review --out` writes inside its folder (src/report/write.ts). */
const REPORT_FILES = { files: ['review.md', 'junit.xml', 'report.html'], dirs: ['traces', 'html'] };

async function runReview(specArgs: string[], o: Record<string, any>): Promise<number> {
  enterPhase('check outputs');
  if (o.out !== undefined) checkOutputDir('--out', o.out, REPORT_FILES);
  enterPhase('load');
  const specs: Spec[] = specArgs.length ? await Promise.all(specArgs.map(loadSpec)) : await loadAllBuiltin();
  if (!specs.length) {
    console.error('daxcheck review: no specs found');
    return EXIT.error;
  }
  const progress = new Progress('review');
  const knobs = typeof o.knobs === 'string' ? o.knobs.split(',').map((k: string) => k.trim()).filter(Boolean) : undefined;
  if (o.knobs !== undefined && !knobs?.length) throw new CommanderError(2, 'daxcheck.knobs', `--knobs expects knob names separated by commas, got '${o.knobs}'`);
  const memory = new MemoryGuard(o.maxMemory);
  const width = outputWidth(o.wide);
  console.log(wrapLines(boundsLine({ maxStates: 'per spec (default 2000000)', maxDepth: 'per spec', memory }, o.maxMemory !== undefined), width));
  const runs = await review(specs, {
    store: o.store,
    knobs,
    variant: o.variant,
    memory,
    stop: o.stop,
    timers: o.timers,
    interrupted: () => interrupted,
    onStart: (spec, variant, i, n) => progress.note(`[${i + 1}/${n}] ${spec} ${variant}`),
  });
  progress.done();
  enterPhase('report');
  console.log(formatReview(runs, width));
  for (const r of runs) if (r.result.stopNote) console.log(`${r.spec.name} / ${r.variant} stopped: ${r.result.stopNote}`);
  if (o.timers === 'both') console.log(wrapLines(formatTimerDependence(runs), width));
  const kills = falsifiability(runs);
  console.log(wrapLines(formatFalsifiability(kills), width));
  console.log(wrapLines(formatDead(deadModelling(runs)), width));
  console.log(wrapLines(`\natomicity (informational; daxcheck lint is the gate):\n${specs.map((s) => '  ' + atomicityLine(s, runs)).join('\n')}`, width));
  if (o.out) {
    const { writeReport } = await import('../report/write.js');
    writeOut(o.out, () => writeReport(o.out, runs));
    console.log(`\nreport written to ${o.out}/`);
  }
  const bad = failures(runs);
  if (interrupted) {
    console.log('\ninterrupted: the table shows the variants that finished');
    return EXIT.incomplete;
  }
  if (knobs) {
    // Knob combinations declare no expectations: verdicts only, no gate (docs/reports.md).
    const inc = runs.filter((r) => !(r.result.complete || r.result.stop === 'all-decided')).length;
    console.log(`\n${runs.length} knob combination(s) of ${specs.length} spec(s) run: verdicts only, no expectations to compare${inc ? `; ${inc} run(s) incomplete (states marked +)` : ''}`);
    return EXIT.ok;
  }
  // The falsifiability gate: a property no variant violates has not been shown able to fail.
  const unkilled = falsifiabilityFailures(kills);
  if (bad.length || unkilled.length) {
    if (bad.length) console.log(`\n${bad.length} verdict(s) differ from their expectation:`);
    else console.log(`\nall ${runs.length} variants of ${specs.length} spec(s) match their expected verdicts`);
    for (const { run, cell } of bad) console.log(`  ${run.spec.name} / ${run.variant} / ${cell.property}: ${cell.why}`);
    if (unkilled.length) console.log(`\n${unkilled.length} propert${unkilled.length === 1 ? 'y' : 'ies'} not shown able to fail:`);
    for (const line of unkilled) console.log(`  ${line}`);
    return EXIT.violated;
  }
  if (o.store === 'fingerprint') {
    const n = runs.reduce((a, r) => a + r.result.stats.states, 0);
    const t = runs.reduce((a, r) => a + r.result.stats.transitions + 1, 0);
    console.log(`\nall ${runs.length} variants of ${specs.length} spec(s) match their expected verdicts as far as a fingerprint run can tell (expected holds: probably holds)`);
    console.log(['  over all runs together:', ...fingerprintNote(omissionProbability(n, t), n, t)].join('\n'));
    return EXIT.incomplete;
  }
  const skipped = kills.filter((f) => f.skipped).length;
  console.log(`\nall ${runs.length} variants of ${specs.length} spec(s) match their expected verdicts${skipped ? `; falsifiability check skipped for ${skipped} spec(s)` : '; every property is shown able to fail'}`);
  return EXIT.ok;
}

/** The package version (package.json next to dist/). */
function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** `--stop first|all`: end each run at its first violated safety property, or decide every property. */
function stopOption(): Option {
  return new Option('--stop <when>', 'first: end at the first violated safety property (its shortest counterexample; the rest incomplete); all: decide every property').choices(['first', 'all']).default('all');
}

function storeOption(): Option {
  return new Option('--store <kind>', 'exact: every state kept (default); fingerprint: 64-bit fingerprints only, about half the memory, ' +
    'never says holds (probably holds, with its omission probability; exit 3)').choices(['exact', 'fingerprint']).default('exact');
}

export function program(): Command {
  const p = new Command('daxcheck')
    .version(version(), '-V, --version', 'print the version of daxcheck')
    .description('Exhaustive model checker for Linux DAX / pmem / RDMA / IOMMU memory-lifetime designs.\n' +
      `Built-in specs: ${builtinSpecNames().join(', ') || 'none'}`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const check = p.command('check')
    .description('explore one spec (one variant or knob setting) and report every property')
    .argument('<spec>', 'built-in spec name or path to a .ts spec file')
    .option('--set <knob=value>', 'set a knob (repeatable); default: the variant\'s or the spec\'s values', parseSet)
    .option('--variant <name>', 'start from a declared variant');
  addBoundOptions(check)
    .addOption(stopOption())
    .option('--dfs', 'depth-first instead of breadth-first (traces are then not shortest)')
    .addOption(storeOption())
    .addOption(new Option('--timers <mode>', 'untimed: any pending timer may fire; ordered: not while a timer armed no later has a shorter delay').choices(['untimed', 'ordered']).default('untimed'))
    .option('--no-symmetry', 'explore every state even when the spec declares interchangeable instances (docs/symmetry.md)')
    .option('--json', 'print the result as JSON')
    .option('--trace-out <file>', 'write the counterexample(s) as daxcheck trace JSON (for replay)')
    .option('--itf-out <file>', 'write the counterexample(s) in the Informal Trace Format')
    .option('--mermaid-out <file>', 'write the counterexample(s) as a Mermaid sequence diagram')
    .option('--dot-out <file>', 'write the counterexample(s) as a Graphviz DOT graph')
    .option('--race-out <file>', 'write the counterexample(s) as a race table in the 72-column CPU0/CPU1 mail form')
    .option('--verbose', 'after the summary, print the model coverage and every trace in full')
    .option('--wide', 'no line width limit: race tables one line per step, in full (also for --race-out)')
    .action(async (spec, o) => { process.exitCode = await runCheck(spec, o); });
  p.command('simulate')
    .description('seeded random walks (each step uniform among the enabled ones, or --swarm); a violation is shrunk to a 1-minimal counterexample. Never says holds')
    .argument('<spec>', 'built-in spec name or path to a spec file')
    .option('--set <knob=value>', 'set a knob (repeatable)', parseSet)
    .option('--variant <name>', 'start from a declared variant')
    .option('--runs <n>', 'walks to run', wholeNumber('--runs'), 1000)
    .option('--depth <n>', 'steps per walk at most', wholeNumber('--depth'), 200)
    .option('--seed <n>', 'random seed: the same seed gives the same walks and the same answer', wholeNumber('--seed'), 1)
    .option('--swarm', 'swarm walks: three walks in four starve random groups of steps (threads, instances or steps) for the whole walk; walk 4k stays uniform')
    .option('--json', 'print the result as JSON')
    .option('--trace-out <file>', 'write the counterexample as daxcheck trace JSON (for replay)')
    .option('--itf-out <file>', 'write the counterexample in the Informal Trace Format')
    .option('--mermaid-out <file>', 'write the counterexample as a Mermaid sequence diagram')
    .option('--dot-out <file>', 'write the counterexample as a Graphviz DOT graph')
    .option('--race-out <file>', 'write the counterexample as a CPU-column race table (text)')
    .action(async (spec, o) => {
      const { runSimulate } = await import('../simulate/cli.js');
      process.exitCode = await runSimulate(spec, o, () => interrupted);
    });
  p.command('init')
    .description('write a small spec (one machine, a property with its witness, a buggy and a fixed variant) and a README into a folder')
    .argument('[dir]', 'the folder (default: the current one)', '.')
    .action(async (dir) => {
      const { runInit } = await import('./init.js');
      process.exitCode = runInit(dir);
    });
  p.command('list')
    .description('list specs with their knobs, properties and variants')
    .argument('[spec...]')
    .action(async (specs) => { process.exitCode = await runList(specs); });
  p.command('review')
    .description('check every variant of every spec (default: all built-in) against its expected verdicts')
    .argument('[spec...]')
    .addOption(new Option('--out <dir>', 'write the report (Markdown, JUnit XML, HTML) to this folder'))
    .addOption(stopOption())
    .option('--knobs <a,b>', 'run the product of these knobs\' values instead of the declared variants (verdicts only, not gated)')
    .option('--variant <name>', 'with --knobs: take the other knobs from this variant; without: review only this variant')
    .addOption(memoryOption())
    .addOption(storeOption())
    .addOption(new Option('--timers <mode>', 'untimed (default), ordered (by declared delay), or both: each variant under both, showing the verdicts that depend on timer order').choices(['untimed', 'ordered', 'both']).default('untimed'))
    .option('--wide', 'no line width limit: one table per spec, however many properties (default: $COLUMNS, the terminal, or 100)')
    .action(async (specs, o) => { process.exitCode = await runReview(specs, o); });
  p.command('lint')
    .description('check on the explored graph of every variant that each step is as atomic as declared (meta.atomic, spec locks)')
    .argument('[spec...]', 'built-in spec names or spec files (default: all built-in)')
    .option('--variant <name>', 'lint only this variant')
    .option('--max-states <n>', 'stop each exploration after this many states (incomplete); default: the spec\'s bound or 2000000; 0: no limit', wholeNumber('--max-states'))
    .option('--max-depth <n>', 'do not expand states at this depth or deeper (incomplete); default and 0: no limit', wholeNumber('--max-depth'))
    .option('--quiet', 'print each failure without its trace')
    .action(async (specs, o) => {
      const { runLint } = await import('../lint/cli.js');
      const progress = new Progress('lint');
      process.exitCode = await runLint(specs, { ...o, interrupted: () => interrupted, onStart: (s, vs) => progress.note(`${s} ${vs.join(', ')}`) });
      progress.done();
    });
  p.command('swarm')
    .description('one bounded, diversified search of a swarm (docs/swarm.md); `swarm merge <files...>` combines the members\' results')
    .argument('<spec|merge>', 'built-in spec name or spec file; or `merge` followed by member result files')
    .argument('[files...]', 'with merge: the member result files')
    .option('--variant <name>', 'a declared variant')
    .option('--member <i>', 'member index, 0-based (default: $JOB_COMPLETION_INDEX, then $SLURM_ARRAY_TASK_ID)')
    .option('--of <n>', 'number of members (default: $SLURM_ARRAY_TASK_COUNT)')
    .option('--max-states <n>', 'the member stops after this many distinct states', wholeNumber('--max-states'))
    .option('--max-depth <n>', 'the member expands no state at this depth or deeper', wholeNumber('--max-depth'))
    .option('--out <file>', 'the member\'s result JSON (%i is replaced by the member index)')
    .option('--trace-out <file>', 'with merge: write the shortest counterexample of each violated property (for replay)')
    .option('--quiet', 'with merge: do not print the counterexamples')
    .action(async (first, files, o) => {
      const { runSwarmMember, runSwarmMerge } = await import('../swarm/cli.js');
      if (first === 'merge') process.exitCode = await runSwarmMerge(files, o);
      else if (files.length) throw new CommanderError(2, 'daxcheck.swarm', `swarm: unexpected argument '${files[0]}' (a member takes one spec)`);
      else process.exitCode = await runSwarmMember(first, o, () => interrupted);
    });
  p.command('replay')
    .description('re-run a saved trace (check --trace-out) through real XState actors and confirm the violation')
    .argument('<trace>', 'trace JSON written by check --trace-out (one trace or an array)')
    .option('--spec <path>', 'the spec to replay against (default: the built-in spec the trace names)')
    .option('--quiet', 'print only the verdict per trace')
    .action(async (file, o) => {
      const { runReplay } = await import('../replay/cli.js');
      process.exitCode = await runReplay(file, o);
    });
  p.command('draw')
    .description('write each machine of a spec (or of a machine module) as a Mermaid state diagram')
    .argument('<spec|machine>', 'built-in spec name, spec file, or a module in machines/')
    .option('--out <dir>', 'write one .mmd file per machine into this folder (default: print)')
    .option('--set <knob=value>', 'set a knob of the spec (repeatable); default: the spec\'s values', parseSet)
    .action(async (target, o) => {
      if (o.out !== undefined) checkOutputDir('--out', o.out);
      const { runDraw } = await import('../draw/cli.js');
      process.exitCode = await runDraw(target, o);
    });
  p.command('explore')
    .description('walk a spec step by step in a local web page (statecharts, properties, race table; opens counterexamples)')
    .argument('<spec>', 'built-in spec name or path to a .ts spec file')
    .option('--variant <name>', 'start from a declared variant')
    .option('--set <knob=value>', 'set a knob (repeatable)', parseSet, {})
    .option('--trace <file>', 'open a trace written by check --trace-out (its knobs, unless --variant or --set)')
    .option('--property <name>', 'open the counterexample of this property (from --trace, or check the variant first)')
    .option('--port <n>', 'listen on this port of 127.0.0.1 (default: a free one)', wholeNumber('--port'))
    .action(async (spec, o) => {
      const { runExplore } = await import('../web/cli.js');
      process.exitCode = await runExplore(spec, o);
    });
  p.command('conform')
    .description('check a kernel trace log (ftrace, trace-cmd report, function tracer, JSON lines) against a spec through a conformance map')
    .argument('<spec>', 'built-in spec name or path to a .ts spec file')
    .option('--log <file>', 'the trace log')
    .option('--map <map>', 'built-in map name or path to a map module (default: the built-in map for the spec)')
    .option('--variant <name>', 'a declared variant')
    .option('--preset <name>', 'a declared preset (a posting)')
    .option('--set <knob=value>', 'set a knob (repeatable); default: the variant\'s, preset\'s or spec\'s values', parseSet)
    .option('--max-silent <k>', 'silent steps allowed between two log lines (default 40)', wholeNumber('--max-silent'))
    .option('--strict', 'an unknown log line is an error')
    .option('--json', 'print the result as JSON')
    .option('--trace-out <file>', 'write the explaining path (or, on divergence, the path up to it) as trace JSON (for replay)')
    .option('--race-out <file>', 'write that path as a race table')
    .action(async (spec, o) => {
      checkOutputs(o, { traceOut: '--trace-out', raceOut: '--race-out' });
      const { runConform } = await import('../conform/cli.js');
      process.exitCode = await runConform(spec, o, () => interrupted);
    });
  p.command('trace')
    .description('work with saved traces')
    .command('export')
    .description('render a saved trace (check --trace-out) as the kernel log a conformance map says it prints')
    .argument('<trace>', 'trace JSON written by check --trace-out')
    .option('--format <f>', 'ftrace (the text of /sys/kernel/tracing/trace), trace-cmd (report) or json (lines)', 'ftrace')
    .option('--map <map>', 'built-in map name or path (default: the built-in map for the trace\'s spec)')
    .option('--index <n>', 'which trace of a file holding several (0-based)', wholeNumber('--index'))
    .option('--out <file>', 'write the log here (default: print)')
    .action(async (file, o) => {
      checkOutputs(o, { out: '--out' });
      const { runExport } = await import('../conform/cli.js');
      process.exitCode = await runExport(file, o);
    });
  return p;
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) {
        process.exitCode = 0;
        return;
      }
      if (!e.code.startsWith('commander.')) console.error(`daxcheck: ${e.message}`);
      process.exitCode = EXIT.error;
      return;
    }
    if (isUserError(e)) {
      console.error(`daxcheck: ${e.message}`);
      process.exitCode = EXIT.error;
      return;
    }
    internalError(e);
  }
}

/** A bug in daxcheck: one line (spec, phase, where the stack went), exit 2. */
function internalError(e: unknown): void {
  console.error(`daxcheck: ${crashLine(e)}`);
  process.exitCode = EXIT.error;
}

process.on('uncaughtException', (e) => {
  internalError(e);
  process.exit(EXIT.error);
});
process.on('unhandledRejection', (e) => {
  internalError(e);
  process.exit(EXIT.error);
});

await main();
