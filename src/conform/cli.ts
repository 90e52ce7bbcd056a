/**
 * `daxcheck conform SPEC --log FILE [--map M] [--variant V | --preset P] [--set k=v] [--max-silent K]`
 * and `daxcheck trace export TRACE --format ftrace|trace-cmd|json [--map M]`.
 * Exit codes: 0 conforms, 1 diverges, 2 bad input (log, map, spec), 3 incomplete.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compose } from '../check.js';
import { SpecError } from '../errors.js';
import { importFile, loadSpec } from '../spec/load.js';
import type { Scalar, Spec } from '../spec/types.js';
import { parseTraceFile } from '../replay/replay.js';
import { raceTableText } from '../trace/racetable.js';
import { showGlobal } from '../trace/text.js';
import { exportTrace } from './export.js';
import { LogError, parseLog } from './log.js';
import { isConformanceMap, type ConformanceMap } from './map.js';
import { mapLines, type LogFormat } from './observe.js';
import { ConformanceSearch, type ConformResult } from './search.js';

/** dist/specs/conform/ next to the running dist/src/. */
const BUILTIN_MAPS = fileURLToPath(new URL('../../specs/conform/', import.meta.url));

export async function loadMap(file: string): Promise<ConformanceMap> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file);
  } catch (e) {
    throw new SpecError(`map '${file}' failed to load: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
  }
  const maps = isConformanceMap(mod.default) ? [mod.default] : Object.values(mod).filter(isConformanceMap);
  if (maps.length !== 1) throw new SpecError(`map '${file}' must export one map made with defineConformanceMap (found ${maps.length})`);
  return maps[0] as ConformanceMap;
}

export async function builtinMaps(): Promise<ConformanceMap[]> {
  if (!existsSync(BUILTIN_MAPS)) return [];
  const files = readdirSync(BUILTIN_MAPS).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_')).sort();
  const names = [...new Set(files.map((f) => f.replace(/\.(js|ts)$/, '')))];
  const out: ConformanceMap[] = [];
  for (const n of names) {
    const js = resolve(BUILTIN_MAPS, `${n}.js`);
    out.push(await loadMap(existsSync(js) ? js : resolve(BUILTIN_MAPS, `${n}.ts`)));
  }
  return out;
}

/** `--map` as a path or a built-in map name; without it, the first built-in map for the spec. */
export async function resolveMap(arg: string | undefined, spec: string): Promise<ConformanceMap> {
  if (arg && (arg.includes('/') || /\.(ts|js)$/.test(arg))) {
    const file = isAbsolute(arg) ? arg : resolve(process.cwd(), arg);
    if (!existsSync(file)) throw new SpecError(`map file '${arg}' does not exist`);
    return loadMap(file);
  }
  const all = await builtinMaps();
  const m = arg ? all.find((x) => x.name === arg) : all.find((x) => x.specs.includes(spec));
  if (!m) {
    const names = all.map((x) => `${x.name} (${x.specs.join(', ')})`).join('; ') || 'none';
    throw new SpecError(arg ? `unknown map '${arg}' (built-in maps: ${names})` : `no built-in map reads spec '${spec}' (built-in maps: ${names}); give one with --map`);
  }
  return m;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecError(`cannot read ${what} '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export interface ConformRun {
  readonly result: ConformResult;
  readonly map: ConformanceMap;
  readonly read: number;
  readonly skipped: number;
  /** Lines of the map's events about another file than the first line's. */
  readonly otherFiles: number;
  readonly unknown: readonly { line: number; text: string }[];
}

/** Knobs: the preset's (if any), then `set`; a variant applies its own (compose). */
function knobsFor(spec: Spec, o: { preset?: string; set?: Record<string, Scalar> }): Record<string, Scalar> {
  if (!o.preset) return { ...(o.set ?? {}) };
  const p = spec.presets?.[o.preset];
  if (!p) throw new SpecError(`spec '${spec.name}': unknown preset '${o.preset}' (presets: ${Object.keys(spec.presets ?? {}).join(', ') || 'none'})`);
  return { ...p.knobs, ...(o.set ?? {}) };
}

/** Reads, maps and decides one log (the library entry point the tests use). */
export function conformText(spec: Spec, map: ConformanceMap, text: string, o: { variant?: string; preset?: string; set?: Record<string, Scalar>; maxSilent?: number; strict?: boolean; logName?: string; interrupted?: () => boolean; maxNodes?: number }): ConformRun {
  if (!map.specs.includes(spec.name)) throw new SpecError(`map '${map.name}' reads specs ${map.specs.join(', ')}, not '${spec.name}'`);
  const log = parseLog(text, { strict: o.strict });
  const { lines, skipped, otherFiles } = mapLines(map, log.records);
  const sys = compose(spec, { variant: o.variant, knobs: knobsFor(spec, o) });
  const result = new ConformanceSearch(sys, map).run(lines, {
    maxSilent: o.maxSilent ?? 40,
    maxNodes: o.maxNodes,
    interrupted: o.interrupted,
    logName: o.logName,
    spec: spec.name,
    variant: o.variant ?? o.preset,
  });
  return { result, map, read: lines.length, skipped, otherFiles, unknown: log.unknown };
}

export async function runConform(specArg: string, o: Record<string, any>, interrupted: () => boolean): Promise<number> {
  if (!o.log) throw new SpecError('conform needs --log FILE');
  if (o.variant && o.preset) throw new SpecError('give --variant or --preset, not both');
  const spec = await loadSpec(specArg);
  const map = await resolveMap(o.map, spec.name);
  const text = readText(o.log, 'log');
  let run: ConformRun;
  try {
    run = conformText(spec, map, text, { variant: o.variant, preset: o.preset, set: o.set, maxSilent: o.maxSilent, strict: o.strict, logName: basename(o.log), interrupted });
  } catch (e) {
    if (e instanceof LogError) throw new SpecError(`log '${o.log}': ${e.message}`);
    throw e;
  }
  const r = run.result;
  const what = `${spec.name}${o.variant ? ` variant ${o.variant}` : o.preset ? ` preset ${o.preset}` : ''}`;
  if (o.json) {
    process.stdout.write(JSON.stringify({ log: o.log, map: map.name, spec: spec.name, variant: o.variant, preset: o.preset, read: run.read, skipped: run.skipped, otherFiles: run.otherFiles, unknown: run.unknown.length, ...r }, null, 2) + '\n');
  } else {
    console.log(`conform ${o.log} against ${what} through map ${map.name}`);
    const unk = run.unknown.length ? `; ${run.unknown.length} unknown line(s) ignored (first at line ${run.unknown[0].line}; --strict makes them errors)` : '';
    const other = run.otherFiles ? `, ${run.otherFiles} line(s) about other files skipped` : '';
    console.log(`  ${run.read} line(s) read by the map, ${run.skipped} other event line(s) skipped${other}${unk}`);
    if (r.verdict === 'conforms') {
      console.log(`CONFORMS: a model path of ${r.path.steps.length} steps prints the log (${r.nodes} search nodes)`);
      r.explains.forEach((ls, i) => ls.length && console.log(`  step ${String(i + 1).padStart(3)} prints line ${ls.join(', ')}`));
      console.log('\n' + raceTableText(r.path));
    } else if (r.verdict === 'diverges') {
      console.log(`DIVERGES at line ${r.line}: no model path within --max-silent ${o.maxSilent ?? 40} prints it after the ${r.index} line(s) before it`);
      console.log(`  ${text.split(/\r?\n/)[r.line - 1]?.trim()}`);
      console.log(`  ${r.beforeCount} model state(s) reachable just before it; the first:`);
      for (const g of r.before.slice(0, 1)) console.log(showGlobal(g, '    '));
      console.log(`  the model could print instead:${r.instead.length ? '' : ' nothing (no observable step is enabled)'}`);
      for (const s of r.instead) console.log(`    ${s}`);
    } else {
      console.log(`INCOMPLETE at line ${r.line}: ${r.reason}`);
    }
  }
  if (o.traceOut && r.verdict !== 'incomplete') writeFileSync(o.traceOut, JSON.stringify(r.verdict === 'conforms' ? r.path : r.prefix, null, 2));
  if (o.raceOut && r.verdict !== 'incomplete') writeFileSync(o.raceOut, raceTableText(r.verdict === 'conforms' ? r.path : r.prefix) + '\n');
  return r.verdict === 'conforms' ? 0 : r.verdict === 'diverges' ? 1 : 3;
}

export async function runExport(file: string, o: Record<string, any>): Promise<number> {
  const format = (o.format ?? 'ftrace') as LogFormat;
  if (!['ftrace', 'trace-cmd', 'json'].includes(format)) throw new SpecError(`--format must be ftrace, trace-cmd or json (got '${format}')`);
  let traces;
  try {
    traces = parseTraceFile(readText(file, 'trace file'));
  } catch (e) {
    if (e instanceof SpecError) throw e;
    throw new SpecError(`'${file}': ${(e as Error).message}`);
  }
  if (traces.length === 0) throw new SpecError(`'${file}' holds no trace`);
  if (o.index === undefined && traces.length > 1) throw new SpecError(`'${file}' holds ${traces.length} traces: pick one with --index (0-based)`);
  const t = traces[o.index ?? 0];
  if (!t) throw new SpecError(`'${file}' has no trace at index ${o.index}`);
  const map = await resolveMap(o.map, t.spec);
  const out = exportTrace(map, t, format);
  if (o.out) writeFileSync(o.out, out);
  else process.stdout.write(out);
  return 0;
}
