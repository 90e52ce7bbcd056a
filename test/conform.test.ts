/**
 * `daxcheck conform`: log readers, the round trip (every counterexample and witness of the fsync
 * and fault specs, exported through the shipped maps, conforms), mutants rejected at the line an
 * independent enumerator computes (test/conform/log-oracle.ts, no src/ imports), the hand-written
 * 4.15 fs_dax logs of docs/conformance.md, and the CLI's exit codes.
 */
import { describe, expect, it } from 'vitest';
import { FS_DAX_415, parseFields, renderFields } from '../src/conform/formats.js';
import { LogError, parseLog } from '../src/conform/log.js';
import { exportTrace, tracePrints } from '../src/conform/export.js';
import { mapLines, type LogFormat } from '../src/conform/observe.js';
import fsyncSpec from '../specs/dax-fsync.js';
import holesSpec from '../specs/dax-fault-holes.js';
import punchSpec from '../specs/dax-fault-punch.js';
import fsyncMap from '../specs/conform/fs-dax-fsync.js';
import faultMap from '../specs/conform/fs-dax-fault.js';
import mapDirectSpec from '../specs/map-direct.js';
import baselinesSpec from '../specs/map-direct-baselines.js';
import mapDirectMap from '../specs/conform/ftrace-map-direct.js';
import type { ConformanceMap } from '../src/conform/map.js';
import type { Spec } from '../src/spec/types.js';
import type { Trace } from '../src/trace/types.js';
import { collectTraces } from './conform/traces.js';
import { conformLog, renderRecords, traceRecords, type Rec } from './conform/helpers.js';
import { LogOracle } from './conform/log-oracle.js';

describe('log readers', () => {
  const text = [
    '# tracer: nop',
    '#',
    '           msync-1234  [001] ....   812.301442: dax_writeback_one: dev 259:0 ino 0xc pgoff 0x0 pglen 0x1',
    '    kworker/0:1H-87    [000] d..2.   812.301450: dax_writeback_range: dev 259:0 ino 0xc pgoff 0x0-0x1',
    '  trace-cmd-12-34 ( 1200) [002]   12.5: dax_writeback_range_done: dev 259:0 ino 0xc pgoff 0x2-0x1',
    '            bash-555   [003] ....    1.000001: map_direct_invalidate <-lease_direct_lm_break',
    '            bash-555   [003]     1.000002: function:             ib_umem_lease_break <-- map_direct_invalidate',
    '{"ts": 1.5, "cpu": 0, "pid": 42, "task": "fsync", "event": "dax_writeback_one", "fields": {"pgoff": "0x0", "pglen": 1}}',
    'CPU 3 is empty',
    'cpus=4',
    'something else entirely',
  ].join('\n');

  it('reads /sys trace, trace-cmd report, function-tracer and JSON lines; counts unknown lines', () => {
    const log = parseLog(text);
    expect(log.records.map((r) => [r.line, r.task, r.pid, r.cpu, r.event, r.kind])).toEqual([
      [3, 'msync', 1234, 1, 'dax_writeback_one', 'tracepoint'],
      [4, 'kworker/0:1H', 87, 0, 'dax_writeback_range', 'tracepoint'],
      [5, 'trace-cmd-12', 34, 2, 'dax_writeback_range_done', 'tracepoint'],
      [6, 'bash', 555, 3, 'map_direct_invalidate', 'function'],
      [7, 'bash', 555, 3, 'ib_umem_lease_break', 'function'],
      [8, 'fsync', 42, 0, 'dax_writeback_one', 'json'],
    ]);
    expect(log.records[3].fields).toEqual({ caller: 'lease_direct_lm_break' });
    expect(log.records[4].fields).toEqual({ caller: 'map_direct_invalidate' });
    expect(log.unknown).toEqual([{ line: 11, text: 'something else entirely' }]);
  });

  it('--strict: an unknown line is an error naming its line', () => {
    expect(() => parseLog(text, { strict: true })).toThrow(LogError);
    expect(() => parseLog(text, { strict: true })).toThrow(/^line 11: not a trace line/);
    expect(() => parseLog('{"event": 3}')).toThrow(/line 1: a JSON line needs "event"/);
  });

  it('every 4.15 fs_dax TP_printk format renders and parses back, empty flags included', () => {
    for (const [name, f] of Object.entries(FS_DAX_415)) {
      const fields = Object.fromEntries(f.args.map((a, i) => [a, a === 'flags' || a === 'result' ? '' : a === 'shared' ? 'shared' : a === 'rw' ? 'write' : a === 'major' || a === 'minor' ? String(i + 7) : `0x${(i + 10).toString(16)}`]));
      const text = renderFields(f, fields);
      expect(parseFields(f, text), name).toEqual(fields);
    }
    const pte = FS_DAX_415.dax_pte_fault;
    expect(parseFields(pte, 'dev 259:0 ino 0xc shared WRITE|ALLOW_RETRY|KILLABLE|USER address 0x7f0000001000 pgoff 0x1 NOPAGE')).toMatchObject({ flags: 'WRITE|ALLOW_RETRY|KILLABLE|USER', pgoff: '0x1', result: 'NOPAGE' });
    expect(parseFields(pte, 'dev 259:0 ino 0xc pgoff 0x1')).toBeNull();
  });
});

const CASES: [Spec, ConformanceMap][] = [[fsyncSpec, fsyncMap], [holesSpec, faultMap], [punchSpec, faultMap]];
const FORMATS: LogFormat[] = ['ftrace', 'trace-cmd', 'json'];

describe('round trip: every counterexample and witness, exported through the shipped map, conforms', () => {
  for (const [spec, map] of CASES) {
    it(`${spec.name} through ${map.name}`, async () => {
      const all = await collectTraces(spec);
      expect(all.filter((c) => c.missing.length).map((c) => `${c.variant}: ${c.missing.join(', ')}`)).toEqual([]);
      let n = 0;
      for (const { variant, traces } of all) {
        for (const t of traces) {
          const text = exportTrace(map, t, FORMATS[n++ % 3]);
          const r = conformLog(spec, map, t.knobs, text);
          expect(r.verdict, `${variant} / ${t.property}`).toBe('conforms');
          // the explaining path prints exactly the exported lines
          if (r.verdict === 'conforms') expect(tracePrints(map, r.path).map((p) => p.print)).toEqual(tracePrints(map, t).map((p) => p.print));
        }
      }
      expect(n).toBeGreaterThanOrEqual(Object.keys(spec.variants).length);
    });
  }
});

describe('bad maps', () => {
  it('a rule that prints an event the map does not declare is a one-line error naming the map and the rule', () => {
    const broken = { ...faultMap, name: 'broken', observe: { ...faultMap.observe, 'fn:handle_mm_fault': () => ({ event: 'dax_nonsense' }) } } as ConformanceMap;
    const text = readFileSync(join(DOCS, 'pmd-fallback-to-pte-4.15.txt'), 'utf8');
    expect(() => conformLog(holesSpec, broken, { serialise: 'entry-lock' }, text)).toThrow(/^map 'broken': rule 'fn:handle_mm_fault' prints 'dax_nonsense', which is not in the map's events$/);
  });
});

describe('round trip through the function-tracer map', () => {
  // every variant of both MAP_DIRECT specs: one exploration per variant (collectTraces), one
  // constrained search per knob setting (searchFor), shared by all of that variant's traces
  for (const spec of [mapDirectSpec, baselinesSpec]) {
    it(`${spec.name}: every variant's counterexamples and witnesses`, async () => {
      const all = await collectTraces(spec);
      expect(all.filter((c) => c.missing.length).map((c) => `${c.variant}: ${c.missing.join(', ')}`)).toEqual([]);
      let n = 0;
      let printed = 0;
      for (const { variant, traces } of all) {
        for (const t of traces) {
          const text = exportTrace(mapDirectMap, t, FORMATS[n++ % 3]);
          const prints = tracePrints(mapDirectMap, t).map((p) => p.print);
          printed += prints.length;
          const r = conformLog(spec, mapDirectMap, t.knobs, text);
          expect(r.verdict, `${variant} / ${t.property}`).toBe('conforms');
          // the path prints the exported lines (its last step may print more: a log may end inside a step's prints)
          // a print of no thread (the umem's GUP inside A's ibv_reg_mr, the ODP HCA fault) matches a line of any
          // PID, so the search may explain a thread's line by it (A's CPU fault and GUP's fault both print dax_iomap_fault)
          const got = r.verdict === 'conforms' ? tracePrints(mapDirectMap, r.path).map((p) => p.print).slice(0, prints.length) : [];
          if (r.verdict === 'conforms') expect(got.map((g, i) => (g.thread === undefined ? { ...g, thread: prints[i]?.thread } : g)), `${variant} / ${t.property}`).toEqual(prints);
        }
      }
      expect(all.map((c) => c.variant)).toEqual(Object.keys(spec.variants));
      expect(n).toBeGreaterThanOrEqual(Object.keys(spec.variants).length);
      expect(printed).toBeGreaterThan(2 * n);
    }, 900_000); // a few minutes of exploration on a loaded machine; no timing is asserted
  }

  it('the split CPU fault prints is_map_direct_valid, then dax_iomap_fault after the zap (F9, S4); the F9 fix cannot print that order', async () => {
    const [f9] = await collectTraces(mapDirectSpec, undefined, (v) => v === 'F9-buggy');
    const t = f9.traces.find((x) => x.property === 'S4')!;
    expect(t.kind).toBe('violation');
    const lines = traceRecords(mapDirectMap, t).map((r) => `${r.task}: ${r.event}`);
    const at = (l: string) => lines.indexOf(l);
    expect(at('A: is_map_direct_valid')).toBeGreaterThanOrEqual(0);
    expect(at('A: is_map_direct_valid')).toBeLessThan(at('kworker/u8:1: unmap_mapping_range'));
    expect(at('kworker/u8:1: unmap_mapping_range')).toBeLessThan(at('A: dax_iomap_fault'));
    // the same log against the F9 fix (map_direct_invalidate waits for faults in flight): the zap
    // cannot come between A's two lines; the model could print A's dax_iomap_fault there instead
    expect(t.knobs.f9FaultFlush).toBe(false);
    const text = exportTrace(mapDirectMap, t, 'ftrace');
    const r = conformLog(mapDirectSpec, mapDirectMap, { ...t.knobs, f9FaultFlush: true }, text);
    expect(r.verdict).toBe('diverges');
    if (r.verdict !== 'diverges') return;
    expect(text.split('\n')[r.line - 1]).toMatch(/kworker\/u8:1-90 .* unmap_mapping_range <-/);
    expect(r.instead).toContain('A: dax_iomap_fault');
  });

  it('every step of the MAP_DIRECT specs is printed by a rule or declared silent with a reason', () => {
    const silent = new Map((mapDirectMap.silent ?? []).flatMap((line) => {
      const colon = line.indexOf(': ');
      const why = colon < 0 ? '' : line.slice(colon + 2);
      return line.slice(0, Math.max(0, colon)).split(/,\s*/).map((k) => [k, why] as const);
    }));
    for (const [k, why] of silent) {
      expect(why?.length ?? 0, `silent '${k}' gives no reason`).toBeGreaterThan(20);
    }
    const seen = new Set<string>();
    for (const spec of [mapDirectSpec, baselinesSpec]) {
      for (const v of Object.values(spec.variants)) {
        const sys = spec.system(resolveKnobs(spec, variantKnobs(spec, v)));
        for (const ev of Object.keys(sys.events)) seen.add(ev);
      }
    }
    const neither = [...seen].filter((ev) => !mapDirectMap.observe[ev] && !silent.has(ev));
    expect(neither).toEqual([]);
    // and no rule or silent entry names an event the specs do not have
    expect([...Object.keys(mapDirectMap.observe), ...silent.keys()].filter((k) => !seen.has(k))).toEqual([]);
  });

  it('calls made inside another step (the punch\'s own zap) are skipped and counted', () => {
    const recs = parseLog([
      '  T-1002  [001] ....   1.000001: xfs_free_file_space <-xfs_file_fallocate',
      '  T-1002  [001] ....   1.000002: unmap_mapping_range <-truncate_pagecache_range',
      '  kworker/u8:1-90  [000] ....   1.000003: unmap_mapping_range <-map_direct_invalidate',
    ].join('\n')).records;
    const { lines, skipped } = mapLines(mapDirectMap, recs);
    expect(lines.map((l) => l.rec.line)).toEqual([1, 3]);
    expect(skipped).toBe(1);
  });
});

/** Mutants of one trace's records: each adjacent same-PID pair swapped, each line dropped, each line given another PID. */
function mutants(recs: readonly Rec[]): { what: string; recs: Rec[] }[] {
  const out: { what: string; recs: Rec[] }[] = [];
  const pids = [...new Set(recs.map((r) => r.pid))];
  for (let i = 0; i + 1 < recs.length; i++) {
    const j = recs.findIndex((r, k) => k > i && r.pid === recs[i].pid);
    if (j < 0 || JSON.stringify(recs[i]) === JSON.stringify(recs[j])) continue;
    const m = recs.slice();
    [m[i], m[j]] = [m[j], m[i]];
    out.push({ what: `swap lines ${i + 1} and ${j + 1}`, recs: m });
  }
  for (let i = 0; i < recs.length; i++) out.push({ what: `drop line ${i + 1}`, recs: recs.filter((_, k) => k !== i) });
  for (let i = 0; i < recs.length; i++) {
    const other = pids.find((p) => p !== recs[i].pid) ?? 4242;
    out.push({ what: `line ${i + 1} with PID ${other}`, recs: recs.map((r, k) => (k === i ? { ...r, pid: other } : r)) });
  }
  return out;
}

/** Checks every mutant of `t`'s log against the oracle; returns how many of each kind were rejected. */
function checkMutants(spec: Spec, map: ConformanceMap, variant: string, t: Trace, oracle: LogOracle, formatAt: number) {
  const rejected = { swap: 0, drop: 0, pid: 0 };
  const recs = traceRecords(map, t);
  expect(oracle.explained(recs, 40), `${variant}: the oracle accepts the unmutated log`).toBe(recs.length);
  let compared = formatAt;
  for (const m of mutants(recs)) {
    const want = oracle.explained(m.recs, 40);
    const r = conformLog(spec, map, t.knobs, renderRecords(map, m.recs, FORMATS[compared++ % 3]));
    const got = r.verdict === 'conforms' ? m.recs.length : r.verdict === 'diverges' ? r.index : -1;
    expect(got, `${variant} / ${t.property}: ${m.what}`).toBe(want);
    if (r.verdict === 'diverges') {
      expect(r.line).toBe(want + 1); // no header: line k is record k
      const kind = m.what.startsWith('swap') ? 'swap' : m.what.startsWith('drop') ? 'drop' : 'pid';
      rejected[kind]++;
    }
  }
  return rejected;
}

describe('mutants: rejected at the line the independent enumerator computes', () => {
  for (const [spec, map] of CASES) {
    it(`${spec.name}: swapped, dropped and wrong-PID lines of each variant's first trace`, async () => {
      const all = await collectTraces(spec);
      const rejected = { swap: 0, drop: 0, pid: 0 };
      // a few variants, spread over the spec (the oracle is slow on purpose)
      const some = all.filter((_, i) => i % Math.ceil(all.length / 4) === 0);
      for (const { variant, traces } of some) {
        const t = traces.find((x) => x.kind === 'violation') ?? traces[0];
        if (!t) continue;
        const r = checkMutants(spec, map, variant, t, new LogOracle(spec, { ...t.knobs }, map), 0);
        for (const k of ['swap', 'drop', 'pid'] as const) rejected[k] += r[k];
      }
      // every kind of mutant is rejected somewhere, not only tolerated
      expect(rejected.swap).toBeGreaterThan(0);
      expect(rejected.drop).toBeGreaterThan(0);
      expect(rejected.pid).toBeGreaterThan(0);
    });
  }

  // map-direct through the function tracer: the split fault racing the zap (F9), the lease break
  // reaching the RDMA side (v7's S1 race), the munmap before the break (C9), a SIGKILL through A's
  // mailbox (K8), B's allocating fault (R5): threads A, T, B, kworker lines, a mailbox, a timer
  const MD: [string, string][] = [['F9-buggy', 'S4'], ['v7', 'S1'], ['C9-buggy', 'C9'], ['K8-sigkill', 'R10'], ['R5-buggy', 'S2']];
  it(`map-direct: swapped, dropped and wrong-PID lines of ${MD.map(([v, p]) => `${v}/${p}`).join(', ')}`, async () => {
    const rejected = { swap: 0, drop: 0, pid: 0 };
    for (const [i, [variant, property]] of MD.entries()) {
      const [c] = await collectTraces(mapDirectSpec, undefined, (v) => v === variant);
      const t = c.traces.find((x) => x.property === property);
      expect(t, `${variant} has a trace of ${property}`).toBeDefined();
      const r = checkMutants(mapDirectSpec, mapDirectMap, variant, t!, new LogOracle(mapDirectSpec, { ...t!.knobs }, mapDirectMap), i);
      for (const k of ['swap', 'drop', 'pid'] as const) rejected[k] += r[k];
    }
    expect(rejected.swap).toBeGreaterThan(0);
    expect(rejected.drop).toBeGreaterThan(0);
    expect(rejected.pid).toBeGreaterThan(0);
  }, 600_000);
});

// ---- the hand-written 4.15 logs of docs/conformance.md ------------------------------------------

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveKnobs, variantKnobs } from '../src/spec/validate.js';
import type { KnobValues } from '../src/spec/types.js';

const DOCS = join(import.meta.dirname, '..', 'docs', 'conform');

/**
 * The knobs of an era: the spec's preset whose knobs satisfy `era` (a posting), else the first
 * variant whose do; then the log's configuration (sizes, thread counts) on top.
 */
function eraKnobs(spec: Spec, era: (k: KnobValues) => boolean, config: KnobValues): { from: string; knobs: KnobValues } {
  for (const [name, p] of Object.entries(spec.presets ?? {})) {
    const k = resolveKnobs(spec, p.knobs);
    if (era(k)) return { from: `preset ${name}`, knobs: { ...k, ...config } };
  }
  for (const [name, v] of Object.entries(spec.variants)) {
    const k = resolveKnobs(spec, variantKnobs(spec, v));
    if (era(k)) return { from: `variant ${name}`, knobs: { ...k, ...config } };
  }
  throw new Error(`spec ${spec.name}: no preset or variant of that era`);
}

describe('hand-written trace-cmd report logs of the 4.15 fs_dax events', () => {
  it('an msync inside a PMD after a PMD write fault: conforms to the later fsync (DAX_PMD_INDEX), diverges from v7 at its dax_writeback_one (S4-R7)', () => {
    const text = readFileSync(join(DOCS, 'fsync-after-pmd-write-4.15.txt'), 'utf8');
    const config = { nPages: 4, mapping: 'pte+pmd', faults: 1, users: 1, fsyncThreads: 1, unbind: false, xfsRealtime: false, platformFlush: 'pmem-api' };
    const later = eraKnobs(fsyncSpec, (k) => k.fsync === 'fixed', config);
    const v7 = eraKnobs(fsyncSpec, (k) => k.fsync === 'v7', config);
    expect(conformLog(fsyncSpec, fsyncMap, later.knobs, text).verdict, later.from).toBe('conforms');
    const r = conformLog(fsyncSpec, fsyncMap, v7.knobs, text);
    expect(r.verdict, v7.from).toBe('diverges');
    if (r.verdict !== 'diverges') return;
    expect(text.split('\n')[r.line - 1]).toMatch(/dax_writeback_one: +dev 259:0 ino 0xc pgoff 0x200 pglen 0x200/);
    expect(r.instead).toEqual(['fsync1: dax_writeback_range_done end_index=0x201']);
  });

  it('a PMD write fault over a range with a hole page falls back to PTEs: conforms to the entry-lock era, diverges from v7 and JK-p2 at its FALLBACK', () => {
    const text = readFileSync(join(DOCS, 'pmd-fallback-to-pte-4.15.txt'), 'utf8');
    const config = { mapping: 'pte+pmd', readIndex: 1 };
    const later = eraKnobs(holesSpec, (k) => k.serialise === 'entry-lock', config);
    expect(conformLog(holesSpec, faultMap, later.knobs, text).verdict, later.from).toBe('conforms');
    for (const era of ['none', 'shared-then-exclusive']) {
      const other = eraKnobs(holesSpec, (k) => k.serialise === era, config);
      const r = conformLog(holesSpec, faultMap, other.knobs, text);
      expect(r.verdict, other.from).toBe('diverges');
      if (r.verdict !== 'diverges') continue;
      expect(text.split('\n')[r.line - 1]).toMatch(/dax_pmd_fault_done: .* FALLBACK$/);
      expect(r.instead).toContain('w: dax_pmd_insert_mapping rw=write');
    }
  });
});

// ---- the command line -------------------------------------------------------------------------

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const FALLBACK = join(DOCS, 'pmd-fallback-to-pte-4.15.txt');

describe('daxcheck conform and trace export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daxcheck-conform-'));

  it('exit 0 with the explaining path (race table, replayable); exit 1 naming the line and the alternatives', () => {
    const path = join(dir, 'path.json');
    const ok = cli('conform', 'dax-fault-holes', '--log', FALLBACK, '--set', 'serialise=entry-lock', '--trace-out', path);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/CONFORMS: a model path of \d+ steps prints the log/);
    expect(ok.out).toMatch(/Witness: conform:pmd-fallback-to-pte-4.15.txt/);
    const rp = cli('replay', path, '--quiet');
    expect(rp.code).toBe(0);
    expect(rp.out).toMatch(/CONFIRMED/);
    const bad = cli('conform', 'dax-fault-holes', '--log', FALLBACK, '--set', 'serialise=none');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/DIVERGES at line 9:/);
    expect(bad.out).toMatch(/the model could print instead:\n(.*\n)*\s+w: dax_pmd_insert_mapping rw=write/);
  });

  it('lines about another file than the first line\'s are skipped and counted', () => {
    const f = join(dir, 'two-files.txt');
    const text = readFileSync(FALLBACK, 'utf8');
    const other = text.split('\n').filter((l) => l.includes('reader-1301')).map((l) => l.replace('ino 0xc', 'ino 0xd').replace('reader-1301', 'other-1400'));
    writeFileSync(f, text + other.join('\n') + '\n');
    const r = cli('conform', 'dax-fault-holes', '--log', f, '--set', 'serialise=entry-lock');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/8 line\(s\) read by the map, 0 other event line\(s\) skipped, 3 line\(s\) about other files skipped/);
  });

  it('exit 3 when the silent-step bound cuts the search', () => {
    const r = cli('conform', 'dax-fault-holes', '--log', FALLBACK, '--set', 'serialise=entry-lock', '--max-silent', '0');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/INCOMPLETE at line 6: the silent-step bound \(--max-silent 0\) cut the search/);
  });

  it('exit 2 on bad input, one line naming the log line', () => {
    const f = join(dir, 'bad.txt');
    writeFileSync(f, 'cpus=1\n  w-7 [000] 1.000: dax_pte_fault: dev 259:0 ino 0xc nonsense\n');
    const r = cli('conform', 'dax-fault-holes', '--log', f);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^daxcheck: log '.*bad.txt': line 2: dax_pte_fault: the fields do not fit its TP_printk format/);
    const strict = join(dir, 'strict.txt');
    writeFileSync(strict, readFileSync(FALLBACK, 'utf8') + 'garbage here\n');
    expect(cli('conform', 'dax-fault-holes', '--log', strict, '--set', 'serialise=entry-lock').code).toBe(0);
    const s = cli('conform', 'dax-fault-holes', '--log', strict, '--strict');
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/line 13: not a trace line/);
    expect(cli('conform', 'dax-fault-holes', '--log', join(dir, 'missing.txt')).err).toMatch(/^daxcheck: cannot read log '.*missing.txt': ENOENT/);
    expect(cli('conform', 'peterson', '--log', FALLBACK).err).toMatch(/no built-in map reads spec 'peterson'/);
    expect(cli('conform', 'dax-fsync', '--log', FALLBACK, '--preset', 'no-such-posting').err).toMatch(/^daxcheck: spec 'dax-fsync': unknown preset 'no-such-posting' \(presets: /);
  });

  it('trace export renders a counterexample that conform reads back', () => {
    const t = join(dir, 't.json');
    // a variant expected to be violated (whatever it is called today)
    const variant = Object.keys(punchSpec.variants).find((v) => Object.values(punchSpec.variants[v].expect).some((e) => e.verdict === 'violated'))!;
    expect(cli('check', 'dax-fault-punch', '--variant', variant, '--trace-out', t).code).toBe(1);
    const saved = JSON.parse(readFileSync(t, 'utf8'));
    const knobs = Object.entries((Array.isArray(saved) ? saved[0] : saved).knobs).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
    for (const format of ['ftrace', 'trace-cmd', 'json']) {
      const log = join(dir, `log.${format}`);
      expect(cli('trace', 'export', t, '--index', '0', '--format', format, '--out', log).code).toBe(0);
      const r = cli('conform', 'dax-fault-punch', ...knobs, '--log', log);
      expect(r.code, format).toBe(0);
    }
    if (Array.isArray(saved) && saved.length > 1) expect(cli('trace', 'export', t).err).toMatch(/holds \d+ traces: pick one with --index/);
  });
});
