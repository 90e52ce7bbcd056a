/**
 * `npm run bench`: daxcheck against Rumur and SPIN on the same models, in the same run, on the
 * same machine. Only ratios measured together mean anything on a shared machine.
 *
 * For every model and size it runs, one after the other, each in a process of its own measured by
 * `/usr/bin/time -v` (wall time, peak RSS):
 *   daxcheck  node dist/bench/explore-one.js <model> <size>         (checkSpec: adapter + explorer)
 *   rumur     rumur --deadlock-detection off --threads 1 --output m.c m.m
 *             cc -O2 -mcx16 -o m m.c -lpthread && ./m
 *   spin      spin -a -DN=<size> m.pml
 *             cc -O2 -DNOREDUCE -DSAFETY -DBFS -w -o pan pan.c && ./pan -E -n
 * Builds are not timed. Every tool must report the same distinct states and the same transitions
 * (edges explored); a difference prints MISMATCH and the bench exits 1. A tool that is not
 * installed is reported as NOT RUN, never skipped silently.
 *
 *   npm run bench                       the default plan (see bench/models/index.ts)
 *   npm run -s build && node dist/bench/run.js --model lease --sizes 3,4 --tools daxcheck,spin
 *   ... --quick                         every size but each model's largest
 *   ... --json out.json                 also write the measurements as JSON
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS, type BenchModel } from './models/index.js';
import { HAVE_TIME, have, lastLines, sh, table, timed } from './exec.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: this file runs as dist/bench/run.js. */
const ROOT = path.resolve(HERE, '..', '..');
const PEERS = path.join(ROOT, 'bench', 'peers');

type Tool = 'daxcheck' | 'rumur' | 'spin';
const TOOLS: readonly Tool[] = ['daxcheck', 'rumur', 'spin'];

/** One tool on one model and size. */
interface Run {
  readonly tool: Tool;
  readonly status: 'ok' | 'not-run' | 'failed';
  /** Why it did not run or failed. */
  readonly note?: string;
  readonly states?: number;
  /** Edges explored: one per enabled step of every expanded state. */
  readonly transitions?: number;
  readonly wallSeconds?: number;
  readonly cpuSeconds?: number;
  readonly peakRssBytes?: number;
  /** The exact command that was timed. */
  readonly command?: string;
  /** daxcheck only: bytes held by the state store at the end (its own figure, not RSS). */
  readonly storeBytes?: number;
}

interface Row {
  readonly model: string;
  readonly unit: string;
  readonly size: number;
  readonly runs: Run[];
  readonly agree: boolean;
  readonly problems: string[];
}

// ---- command line ------------------------------------------------------------------------------

interface Options {
  models: BenchModel[];
  sizes?: number[];
  tools: Tool[];
  quick: boolean;
  json?: string;
  keep: boolean;
}

function usage(msg?: string): never {
  if (msg) process.stderr.write(`bench: ${msg}\n`);
  process.stderr.write(
    'usage: node dist/bench/run.js [--model NAME[,NAME]] [--sizes N[,N]] [--tools daxcheck,rumur,spin] [--quick] [--json FILE] [--keep]\n' +
      `models: ${MODELS.map((m) => `${m.name} (default sizes ${m.sizes.join(', ')})`).join('; ')}\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { models: [...MODELS], tools: [...TOOLS], quick: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--model' || a === '--models') {
      o.models = val().split(',').map((n) => MODELS.find((m) => m.name === n) ?? usage(`unknown model '${n}'`));
    } else if (a === '--sizes') {
      o.sizes = val().split(',').map((s) => {
        const n = Number(s);
        if (!Number.isInteger(n) || n < 2) usage(`bad size '${s}'`);
        return n;
      });
    } else if (a === '--tools') {
      o.tools = val().split(',').map((t) => (TOOLS as readonly string[]).includes(t) ? (t as Tool) : usage(`unknown tool '${t}'`));
    } else if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = val();
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument '${a}'`);
  }
  return o;
}

// ---- processes ---------------------------------------------------------------------------------

function fail(tool: Tool, note: string, command?: string): Run {
  return { tool, status: 'failed', note, command };
}

/** The lines of a verifier's output that say what went wrong, else its last lines. */
function errorLines(s: string): string {
  const hits = s.split('\n').filter((l) => /error|assert|violat|overflow|failed|too small|MEMLIM/i.test(l) && !/errors: 0\b/.test(l));
  return hits.length ? hits.slice(0, 4).map((l) => l.trim()).join(' | ') : lastLines(s);
}

// ---- the tools ---------------------------------------------------------------------------------

function runDaxcheck(m: BenchModel, size: number, scratch: string): Run {
  const script = path.join(HERE, 'explore-one.js');
  const command = `node ${path.relative(ROOT, script)} ${m.name} ${size}`;
  const r = timed(process.execPath, [script, m.name, String(size)], ROOT, scratch);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let j: { states: number; transitions: number; complete: boolean; storeBytes?: number; verdicts: Record<string, string> };
  try {
    j = JSON.parse(line);
  } catch {
    return fail('daxcheck', `exit ${r.code}: ${lastLines(r.stderr || r.stdout)}`, command);
  }
  const bad = Object.entries(j.verdicts).filter(([, v]) => v !== 'holds' && v !== 'reached');
  if (r.code !== 0 || !j.complete || bad.length) {
    return { tool: 'daxcheck', status: 'failed', note: `exit ${r.code}, complete=${j.complete}, ${bad.map(([k, v]) => `${k}: ${v}`).join(', ')}`, states: j.states, transitions: j.transitions, command };
  }
  return {
    tool: 'daxcheck', status: 'ok', states: j.states, transitions: j.transitions,
    wallSeconds: r.wallSeconds, cpuSeconds: r.cpuSeconds, peakRssBytes: r.peakRssBytes, command, storeBytes: j.storeBytes,
  };
}

/** The Murphi file at a size: its line `  N: <n>;` rewritten. */
function murphiAt(m: BenchModel, size: number): string {
  const src = readFileSync(path.join(PEERS, `${m.peer}.m`), 'utf8');
  const re = /^ {2}N: \d+;$/m;
  if (!re.test(src)) throw new Error(`bench/peers/${m.peer}.m has no line '  N: <n>;'`);
  return src.replace(re, `  N: ${size};`);
}

function runRumur(m: BenchModel, size: number, scratch: string): Run {
  if (!have('rumur')) return { tool: 'rumur', status: 'not-run', note: 'rumur is not installed (apt-get install rumur)' };
  if (!have('cc')) return { tool: 'rumur', status: 'not-run', note: 'no C compiler (cc)' };
  const dir = path.join(scratch, `rumur-${m.name}-${size}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.m'), murphiAt(m, size));
  const symmetry = m.symmetry ? ['--symmetry-reduction', 'exhaustive'] : [];
  let b = sh('rumur', ['--deadlock-detection', 'off', '--threads', '1', ...symmetry, '--output', 'model.c', 'model.m'], dir);
  if (b.code !== 0) return fail('rumur', `rumur failed: ${lastLines(b.stderr)}`);
  b = sh('cc', ['-O2', '-mcx16', '-o', 'model', 'model.c', '-lpthread'], dir);
  if (b.code !== 0) return fail('rumur', `cc failed: ${lastLines(b.stderr)}`);
  const command = './model';
  const r = timed('./model', [], dir, scratch);
  const out = r.stdout + r.stderr;
  const c = /(\d+) states, (\d+) rules fired/.exec(out);
  if (!c) return fail('rumur', `exit ${r.code}: ${lastLines(out)}`, command);
  const states = Number(c[1]);
  const transitions = Number(c[2]);
  if (r.code !== 0 || !/No error found/.test(out)) return { tool: 'rumur', status: 'failed', note: `error reported: ${errorLines(out)}`, states, transitions, command };
  return { tool: 'rumur', status: 'ok', states, transitions, wallSeconds: r.wallSeconds, cpuSeconds: r.cpuSeconds, peakRssBytes: r.peakRssBytes, command };
}

function runSpin(m: BenchModel, size: number, scratch: string): Run {
  if (m.symmetry) return { tool: 'spin', status: 'not-run', note: 'SPIN has no symmetry reduction' };
  if (!have('spin')) return { tool: 'spin', status: 'not-run', note: 'spin is not installed (apt-get install spin)' };
  if (!have('cc')) return { tool: 'spin', status: 'not-run', note: 'no C compiler (cc)' };
  const dir = path.join(scratch, `spin-${m.name}-${size}`);
  mkdirSync(dir, { recursive: true });
  let b = sh('spin', ['-a', `-DN=${size}`, path.join(PEERS, `${m.peer}.pml`)], dir);
  if (b.code !== 0) return fail('spin', `spin -a failed: ${lastLines(b.stdout + b.stderr)}`);
  b = sh('cc', ['-O2', '-DNOREDUCE', '-DSAFETY', '-DBFS', '-w', '-o', 'pan', 'pan.c'], dir);
  if (b.code !== 0) return fail('spin', `cc failed: ${lastLines(b.stderr)}`);
  const command = './pan -E -n';
  const r = timed('./pan', ['-E', '-n'], dir, scratch);
  const out = r.stdout + r.stderr;
  const s = /(\d+) states, stored/.exec(out);
  const t = /(\d+) transitions \(= stored\+matched\)/.exec(out);
  if (!s || !t) return fail('spin', `exit ${r.code}: ${lastLines(out)}`, command);
  const states = Number(s[1]);
  // SPIN counts the initial state as one "stored" transition: the edges explored are one fewer.
  const transitions = Number(t[1]) - 1;
  if (r.code !== 0 || !/errors: 0\b/.test(out) || /max search depth too small|reached -DMEMLIM/.test(out)) {
    return { tool: 'spin', status: 'failed', note: `error or truncation reported: ${errorLines(out)}`, states, transitions, command };
  }
  return { tool: 'spin', status: 'ok', states, transitions, wallSeconds: r.wallSeconds, cpuSeconds: r.cpuSeconds, peakRssBytes: r.peakRssBytes, command };
}

const RUNNERS: Record<Tool, (m: BenchModel, size: number, scratch: string) => Run> = {
  daxcheck: runDaxcheck,
  rumur: runRumur,
  spin: runSpin,
};

// ---- the report --------------------------------------------------------------------------------

const int = (n: number | undefined) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
const fix = (n: number | undefined, d: number) => (n === undefined ? '-' : n.toFixed(d));
const mb = (b: number | undefined) => (b === undefined ? '-' : (b / 2 ** 20).toFixed(1));

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(2)}x`;
}

/** Each tool's run at the smallest size of each model in this bench: its baseline memory. */
const baselines = new Map<string, Run>();

function marginal(row: Row, r: Run): string {
  const b = baselines.get(`${row.model}\u0000${r.tool}`);
  if (!b || b === r || b.peakRssBytes === undefined || r.peakRssBytes === undefined || b.states === undefined || r.states === undefined) return '-';
  if (r.states <= b.states) return '-';
  return int((r.peakRssBytes - b.peakRssBytes) / (r.states - b.states));
}

function rowLines(row: Row): string[][] {
  const dax = row.runs.find((r) => r.tool === 'daxcheck' && r.status === 'ok');
  return row.runs.map((r) => {
    if (r.status === 'not-run') return [row.model, String(row.size), r.tool, 'NOT RUN', '', '', '', '', '', '', '', '', '', ''];
    if (r.status === 'failed' && r.wallSeconds === undefined) return [row.model, String(row.size), r.tool, 'FAILED', '', '', '', '', '', '', '', '', '', ''];
    const isDax = r.tool === 'daxcheck';
    return [
      row.model,
      String(row.size),
      r.tool + (r.status === 'failed' ? ' FAILED' : ''),
      int(r.states),
      int(r.transitions),
      fix(r.wallSeconds, 2),
      fix(r.cpuSeconds, 2),
      int(r.states !== undefined && r.wallSeconds ? r.states / r.wallSeconds : undefined),
      mb(r.peakRssBytes),
      int(r.peakRssBytes !== undefined && r.states ? r.peakRssBytes / r.states : undefined),
      marginal(row, r),
      isDax ? '1.00x' : ratio(dax?.wallSeconds, r.wallSeconds),
      isDax ? '1.00x' : ratio(dax?.cpuSeconds, r.cpuSeconds),
      isDax ? '1.00x' : ratio(dax?.peakRssBytes, r.peakRssBytes),
    ];
  });
}

/** Every tool that ran must agree on states and transitions. */
function compare(runs: Run[]): { problems: string[] } {
  const problems: string[] = [];
  for (const r of runs) if (r.status === 'failed') problems.push(`${r.tool} FAILED: ${r.note}`);
  const counted = runs.filter((r) => r.states !== undefined);
  for (const key of ['states', 'transitions'] as const) {
    const values = new Set(counted.map((r) => r[key]));
    if (values.size > 1) problems.push(`MISMATCH in ${key}: ${counted.map((r) => `${r.tool} ${int(r[key])}`).join(', ')}`);
  }
  return { problems };
}

/** A symmetric model: the classes each tool counted, and its time. */
function symmetryLine(runs: Run[]): string {
  const of = (t: Tool, what: string) => {
    const r = runs.find((x) => x.tool === t);
    return r?.states === undefined ? `${what}: not run` : `${what} ${int(r.states)} states in ${fix(r.wallSeconds, 2)} s`;
  };
  return `  symmetry: ${of('daxcheck', 'daxcheck (one state per class)')}; ${of('rumur', 'rumur --symmetry-reduction exhaustive')}`;
}

function toolVersion(cmd: string, args: string[]): string {
  if (!have(cmd)) return 'not installed';
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return ((r.stdout || '') + (r.stderr || '')).trim().split('\n')[0] ?? '?';
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `machine: ${cpus[0]?.model ?? '?'}, ${cpus.length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `node ${process.version}; ${toolVersion('rumur', ['--version'])}; ${toolVersion('spin', ['-V'])}; ${toolVersion('cc', ['--version'])}`,
  ];
}

// ---- main --------------------------------------------------------------------------------------

function main(): number {
  const o = parseArgs(process.argv.slice(2));
  const say = (s = '') => process.stdout.write(s + '\n');
  say('daxcheck bench: each tool in its own process, one after the other, timed by /usr/bin/time -v');
  for (const l of machine()) say(l);
  if (!HAVE_TIME) say('WARNING: /usr/bin/time is not installed (apt-get install time): wall time only, no peak RSS');
  say('commands (builds untimed):');
  say('  daxcheck  node dist/bench/explore-one.js <model> <size>');
  say('  rumur     rumur --deadlock-detection off --threads 1 --output model.c model.m   (model.m: bench/peers/<model>.m, line "  N: <size>;")');
  say('            (lease-sym: the spec declares symmetry; rumur adds --symmetry-reduction exhaustive on the scalarset peer)');
  say('            cc -O2 -mcx16 -o model model.c -lpthread && ./model');
  say('  spin      spin -a -DN=<size> bench/peers/<model>.pml');
  say('            cc -O2 -DNOREDUCE -DSAFETY -DBFS -w -o pan pan.c && ./pan -E -n');
  say();

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'daxcheck-bench-'));
  const rows: Row[] = [];
  const header = ['model', 'size', 'tool', 'states', 'transitions', 'wall s', 'cpu s', 'states/s', 'peak RSS MB', 'B/state', 'dB/state', 'wall dax/peer', 'cpu dax/peer', 'RSS dax/peer'];
  const right = [false, true, false, true, true, true, true, true, true, true, true, true, true, true];
  try {
    for (const m of o.models) {
      let sizes = o.sizes ?? [...m.sizes];
      if (o.quick && !o.sizes) sizes = sizes.slice(0, -1);
      for (const size of sizes) {
        const knob = m.spec.knobs[m.knob];
        if (!knob.values.includes(size)) {
          say(`${m.name}: size ${size} is not a value of knob '${m.knob}' (${knob.values.join(', ')}): not run`);
          continue;
        }
        const runs: Run[] = [];
        for (const tool of TOOLS) {
          if (!o.tools.includes(tool)) {
            runs.push({ tool, status: 'not-run', note: 'left out by --tools' });
            continue;
          }
          process.stderr.write(`  ${m.name} ${size} ${tool} ...\n`);
          let r: Run;
          try {
            r = RUNNERS[tool](m, size, scratch);
          } catch (e) {
            r = fail(tool, (e as Error).message);
          }
          runs.push(r);
        }
        const { problems } = compare(runs);
        if (m.closedForm) {
          const want = m.closedForm(size);
          for (const r of runs) {
            if (r.states !== undefined && r.states !== want) problems.push(`MISMATCH in states: ${r.tool} ${int(r.states)}, closed form ${int(want)}`);
          }
        }
        const row: Row = { model: m.name, unit: m.unit, size, runs, agree: problems.length === 0, problems };
        rows.push(row);
        for (const r of runs) {
          const key = `${m.name}\u0000${r.tool}`;
          if (r.status === 'ok' && !baselines.has(key)) baselines.set(key, r);
        }
        say(table(header, rowLines(row), right));
        const ran = runs.filter((r) => r.status === 'ok');
        if (row.agree && ran.length < 2 && !m.closedForm) {
          say(`  only ${ran.map((r) => r.tool).join('') || 'no tool'} ran: no count to compare`);
        } else if (row.agree) {
          say(`  counts agree: ${ran.map((r) => r.tool).join(', ')} all report ${int(ran[0]?.states)} states, ${int(ran[0]?.transitions)} transitions` +
            (m.closedForm ? `; closed form: ${int(m.closedForm(size))} states` : ''));
        }
        if (m.symmetry) say(symmetryLine(runs));
        for (const r of runs) if (r.status === 'not-run') say(`  ${r.tool} NOT RUN: ${r.note}`);
        const dax = runs.find((r) => r.tool === 'daxcheck' && r.storeBytes !== undefined && r.states);
        if (dax) say(`  daxcheck state store: ${mb(dax.storeBytes)} MB, ${int(dax.storeBytes! / dax.states!)} B/state (of ${mb(dax.peakRssBytes)} MB peak RSS)`);
        for (const p of problems) say(`  *** ${p} ***`);
        say();
      }
    }
  } finally {
    if (!o.keep) rmSync(scratch, { recursive: true, force: true });
    else say(`builds kept in ${scratch}`);
  }

  say('summary. wall s: elapsed; cpu s: user + system; states/s: states / wall s. B/state: peak RSS / states.');
  say('dB/state: growth of peak RSS over the same tool at the model\'s smallest size here, per added state.');
  say('Ratios: daxcheck / peer (below 1: daxcheck faster or smaller). Load averages above the CPU count make wall');
  say('times noisy: compare the cpu column then.');
  const all = rows.flatMap(rowLines);
  say(table(header, all, right));
  const bad = rows.filter((r) => !r.agree);
  const notRun = rows.flatMap((r) => r.runs.filter((x) => x.status === 'not-run').map((x) => `${r.model} ${r.size} ${x.tool}: ${x.note}`));
  for (const n of [...new Set(notRun)]) say(`NOT RUN: ${n}`);
  if (o.json) {
    writeFileSync(o.json, JSON.stringify({ machine: machine(), rows }, null, 2) + '\n');
    say(`wrote ${o.json}`);
  }
  if (bad.length) {
    say();
    for (const r of bad) for (const p of r.problems) say(`MISMATCH/FAILURE ${r.model} size ${r.size}: ${p}`);
    say(`bench FAILED: ${bad.length} model size(s) where the tools do not agree or a tool failed`);
    return 1;
  }
  say(`no count disagrees among the tools that ran (${rows.length} model sizes)`);
  return 0;
}

process.exit(main());
