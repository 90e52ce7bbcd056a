/**
 * Time to the first violation, on the buggy variant of each bench model: daxcheck `check --stop
 * first` (BFS), Rumur and SPIN (both BFS, both stop at their first error), and daxcheck `simulate`
 * (seed 1: uniform walks, up to 100,000 of them, and swarm walks, up to 1,000), one after the other
 * in the same run, each in a process of its own timed
 * by /usr/bin/time -v. Each model runs at a size where the violation lies beyond 100,000 states in
 * BFS order, so the time measures exploration, not start-up.
 *
 *   npm run -s build && node dist/bench/first-violation.js [--model lease|philosophers] [--size 5]
 *
 * Every exhaustive tool must report the bug's property violated (the table says FAILED otherwise).
 * The ratios are daxcheck check / peer on CPU time (user + system): on a loaded machine wall time
 * is noise.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { have, lastLines, sh, table, timed, type Exec } from './exec.js';
import { MODELS, type BenchModel } from './models/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const PEERS = path.join(ROOT, 'bench', 'peers');
const BIN = path.join(ROOT, 'bin', 'daxcheck.js');

interface Found {
  readonly tool: string;
  readonly ok: boolean;
  readonly note: string;
  readonly states?: number;
  readonly transitions?: number;
  readonly run: Exec;
}

function daxArgs(m: BenchModel, size: number): string[] {
  const sets = Object.entries({ [m.knob]: size, ...m.bug!.knobs }).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  return [path.join(HERE, 'models', `${m.bug!.file ?? m.name}.js`), ...sets, '--json'];
}

function daxCheck(m: BenchModel, size: number, scratch: string): Found {
  const r = timed(process.execPath, [BIN, 'check', ...daxArgs(m, size), '--stop', 'first'], ROOT, scratch);
  try {
    const j = JSON.parse(r.stdout);
    const p = j.properties[m.bug!.property];
    const ok = p?.verdict === 'violated';
    return { tool: 'daxcheck check --stop first', ok, note: ok ? `${m.bug!.property} violated, trace ${p.traceLength} steps` : `${m.bug!.property}: ${p?.verdict}`, states: j.stats.states, transitions: j.stats.transitions, run: r };
  } catch {
    return { tool: 'daxcheck check --stop first', ok: false, note: `exit ${r.code}: ${lastLines(r.stderr)}`, run: r };
  }
}

/** Uniform walks (the default) get up to 100,000 walks, so that the table says how many it took; swarm walks 1,000. */
function daxSimulate(m: BenchModel, size: number, scratch: string, swarm: boolean): Found {
  const runs = swarm ? 1000 : 100_000;
  const tool = `daxcheck simulate${swarm ? ' --swarm' : ''} (seed 1, up to ${runs.toLocaleString('en-US')} walks)`;
  const r = timed(process.execPath, [BIN, 'simulate', ...daxArgs(m, size), '--runs', String(runs), '--seed', '1', ...(swarm ? ['--swarm'] : [])], ROOT, scratch);
  try {
    const j = JSON.parse(r.stdout);
    const v = j.violation;
    const ok = v?.property === m.bug!.property;
    const note = v ? `${v.property} violated in walk ${v.walk} (${v.walkKind}, ${v.foundSteps} steps)${v.walk > 1000 ? ', beyond 1,000 walks' : ''}, shrunk to ${v.trace.steps.length}` : `nothing in ${j.walks} walks`;
    return { tool, ok, note, run: r };
  } catch {
    return { tool, ok: false, note: `exit ${r.code}: ${lastLines(r.stderr)}`, run: r };
  }
}

function rumur(m: BenchModel, size: number, scratch: string): Found {
  const tool = 'rumur';
  if (!have('rumur') || !have('cc')) return { tool, ok: false, note: 'NOT RUN: rumur or cc missing', run: { code: -1, stdout: '', stderr: '' } };
  const dir = path.join(scratch, `rumur-${m.name}`);
  mkdirSync(dir, { recursive: true });
  let src = readFileSync(path.join(PEERS, `${m.peer}.m`), 'utf8');
  const lines: [RegExp, string][] = [[/^ {2}N: \d+;$/m, `  N: ${size};`], ...Object.entries(m.bug!.peerFlags).map(([k, v]): [RegExp, string] => [new RegExp(`^ {2}${k}: \\d+;`, 'm'), `  ${k}: ${v};`])];
  for (const [re, line] of lines) {
    if (!re.test(src)) throw new Error(`bench/peers/${m.peer}.m has no line matching ${re}`);
    src = src.replace(re, line);
  }
  writeFileSync(path.join(dir, 'model.m'), src);
  const deadlock = m.bug!.property === 'deadlock';
  let b = sh('rumur', ['--deadlock-detection', deadlock ? 'stuck' : 'off', '--threads', '1', '--output', 'model.c', 'model.m'], dir);
  if (b.code === 0) b = sh('cc', ['-O2', '-mcx16', '-o', 'model', 'model.c', '-lpthread'], dir);
  if (b.code !== 0) return { tool, ok: false, note: `build failed: ${lastLines(b.stderr)}`, run: b };
  const r = timed('./model', [], dir, scratch);
  const out = r.stdout + r.stderr;
  const c = /(\d+) states, (\d+) rules fired/.exec(out);
  const want = deadlock ? /^\s*deadlock$/m : new RegExp(`invariant "${m.bug!.property}" failed`);
  const ok = want.test(out);
  return { tool, ok, note: ok ? (deadlock ? 'deadlock' : `invariant "${m.bug!.property}" failed`) : lastLines(out, 3), states: c ? Number(c[1]) : undefined, transitions: c ? Number(c[2]) : undefined, run: r };
}

function spin(m: BenchModel, size: number, scratch: string): Found {
  const tool = 'spin';
  if (!have('spin') || !have('cc')) return { tool, ok: false, note: 'NOT RUN: spin or cc missing', run: { code: -1, stdout: '', stderr: '' } };
  const dir = path.join(scratch, `spin-${m.name}`);
  mkdirSync(dir, { recursive: true });
  let b = sh('spin', ['-a', `-DN=${size}`, ...Object.entries(m.bug!.peerFlags).map(([k, v]) => `-D${k}=${v}`), path.join(PEERS, `${m.peer}.pml`)], dir);
  if (b.code === 0) b = sh('cc', ['-O2', '-DNOREDUCE', '-DSAFETY', '-DBFS', '-w', '-o', 'pan', 'pan.c'], dir);
  if (b.code !== 0) return { tool, ok: false, note: `build failed: ${lastLines(b.stdout + b.stderr)}`, run: b };
  // Without -E pan reports a deadlock as an invalid end state (every process stuck mid-loop).
  const deadlock = m.bug!.property === 'deadlock';
  const r = timed('./pan', deadlock ? ['-n'] : ['-E', '-n'], dir, scratch);
  const out = r.stdout + r.stderr;
  const s = /(\d+) states, stored/.exec(out);
  const t = /(\d+) transitions \(= stored\+matched\)/.exec(out);
  // The peers check the invariant as an assertion after the steps that can break it.
  const a = (deadlock ? /invalid end state \(at depth (\d+)\)/ : /assertion violated .*\(at depth (\d+)\)/).exec(out);
  return { tool, ok: !!a, note: a ? `${deadlock ? 'invalid end state' : 'assertion'} (${m.bug!.property}) at depth ${a[1]}` : lastLines(out, 3), states: s ? Number(s[1]) : undefined, transitions: t ? Number(t[1]) - 1 : undefined, run: r };
}

const int = (n: number | undefined) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
const fix = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));

function main(): number {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const models = MODELS.filter((m) => m.bug && (!arg('--model') || m.name === arg('--model')));
  const say = (s = '') => process.stdout.write(s + '\n');
  say(`time to the first violation (buggy variants); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
  say('  daxcheck  node bin/daxcheck.js check dist/bench/models/<model>.js --set <size> --set <bug> --stop first --json');
  say('  simulate  node bin/daxcheck.js simulate dist/bench/models/<model>.js --set <size> --set <bug> --runs 100000 --seed 1 --json   (uniform walks)');
  say('            node bin/daxcheck.js simulate ... --runs 1000 --seed 1 --swarm --json');
  say('  rumur     bench/peers/<model>.m with "  N: <size>;" and the bug\'s constants ("  BUGGY: 1;"), built as in bench/run.ts');
  say('            (--deadlock-detection stuck for a deadlock), ./model');
  say('  spin      spin -a -DN=<size> -D<constant>=<value> bench/peers/<model>.pml, built as in bench/run.ts, ./pan -E -n');
  say('            (./pan -n for a deadlock: an invalid end state)');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'daxcheck-first-'));
  let bad = 0;
  try {
    for (const m of models) {
      const size = Number(arg('--size') ?? m.bug!.size);
      say(`\n${m.name}, ${size} ${m.unit}: ${m.bug!.doc}`);
      const runs: Found[] = [];
      const tools: [string, (m: BenchModel, size: number, scratch: string) => Found][] = [
        ['check', daxCheck], ['rumur', rumur], ['spin', spin],
        ['simulate', (...a) => daxSimulate(...a, false)], ['simulate --swarm', (...a) => daxSimulate(...a, true)],
      ];
      for (const [name, f] of tools) {
        process.stderr.write(`  ${m.name} ${size} ${name} ...\n`);
        runs.push(f(m, size, scratch));
      }
      const dax = runs[0].run.cpuSeconds;
      const rows = runs.map((r) => [
        r.tool, r.ok ? 'found' : 'FAILED', int(r.states), int(r.transitions), fix(r.run.wallSeconds), fix(r.run.cpuSeconds),
        r.run.peakRssBytes === undefined ? '-' : (r.run.peakRssBytes / 2 ** 20).toFixed(0),
        r === runs[0] || !dax || !r.run.cpuSeconds ? '' : `${(dax / r.run.cpuSeconds).toFixed(2)}x`, r.note,
      ]);
      say(table(['tool', 'result', 'states', 'transitions', 'wall s', 'cpu s', 'RSS MB', 'cpu dax/peer', 'what'], rows, [false, false, true, true, true, true, true, true, false]));
      bad += runs.filter((r) => !r.ok).length;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  say(bad ? `\n${bad} run(s) FAILED to find the bug` : '\nevery tool found every bug');
  return bad ? 1 : 0;
}

process.exit(main());
