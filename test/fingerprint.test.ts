/**
 * `--store fingerprint`: on models small enough that no 64-bit collision occurs, the counts are the
 * exact store's (and the philosophers' closed form); it never says holds, always prints its
 * omission estimate and exits 3; a violation is the same replayed counterexample as the exact run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../src/check.js';
import { FingerprintStore, omissionProbability } from '../src/explore/fingerprint-store.js';
import { StateStore } from '../src/explore/store.js';
import { loadSpec } from '../src/spec/load.js';
import philosophers, { closedFormStates } from '../bench/models/philosophers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('--store fingerprint', () => {
  it('counts the philosophers as their closed form does, and as the exact store does', async () => {
    for (const n of [4, 6]) {
      const exact = await checkSpec(philosophers, { knobs: { n } });
      const fp = await checkSpec(philosophers, { knobs: { n }, store: 'fingerprint' });
      expect(fp.stats.states).toBe(closedFormStates(n));
      expect(fp.stats.states).toBe(exact.stats.states);
      expect(fp.stats.transitions).toBe(exact.stats.transitions);
      expect(fp.complete).toBe(true);
      for (const p of Object.values(fp.properties)) expect(p.verdict).not.toBe('holds');
      for (const p of Object.values(fp.properties)) if (p.kind === 'safety') expect([p.name, p.verdict]).toEqual([p.name, 'probably-holds']);
      expect(fp.fingerprint!.omissionProbability).toBe((fp.stats.states * (fp.stats.transitions + 1 - fp.stats.states)) / 2 ** 64);
    }
  });

  it('finds the same shortest counterexample as the exact store (peterson broken)', async () => {
    const spec = await loadSpec('peterson');
    const exact = await checkSpec(spec, { variant: 'broken' });
    const fp = await checkSpec(spec, { variant: 'broken', store: 'fingerprint' });
    expect(fp.properties.mutex.verdict).toBe('violated');
    expect(fp.properties.mutex.trace).toEqual(exact.properties.mutex.trace);
    expect(fp.stats.states).toBe(exact.stats.states);
  });

  it('the CLI never prints holds: probably holds, the formula and its number, exit 3', () => {
    const r = run('check', 'peterson', '--store', 'fingerprint');
    expect(r.code).toBe(3);
    expect(r.out).not.toMatch(/^\s+holds\s/m);
    expect(r.out).toMatch(/^\s+probably holds\s+mutex$/m);
    const p = omissionProbability(32, 65);
    expect(r.out).toContain(`n (t - n) / 2^64`);
    expect(r.out).toContain(`= 32 * 33 / 2^64 = ${p.toExponential(2)}`);
    const exact = run('check', 'peterson');
    expect(exact.code).toBe(0);
    expect(exact.out).toMatch(/^\s+holds\s+mutex$/m);
  });

  it('a violation is still exit 1, with a trace replay confirms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-fp-'));
    const r = run('check', 'peterson', '--variant', 'broken', '--store', 'fingerprint', '--trace-out', join(dir, 't.json'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATED\s+mutex \(trace 7 steps\)/);
    expect(JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')).property).toBe('mutex');
    const rp = run('replay', join(dir, 't.json'), '--quiet');
    expect(rp.code).toBe(0);
    expect(rp.out).toMatch(/CONFIRMED/);
  });

  it('review --store fingerprint matches expectations as probably holds, exit 3; --dfs is refused', () => {
    const r = run('review', 'peterson', '--store', 'fingerprint');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/as far as a fingerprint run can tell/);
    const d = run('check', 'peterson', '--dfs', '--store', 'fingerprint');
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/^daxcheck: spec 'peterson': --store fingerprint explores breadth-first only/);
  });
});

describe('FingerprintStore', () => {
  // A 2-counter grid (x, y < 30): successors x+1 and y+1; BFS by hand over both stores.
  const succ = (s: Int32Array, visit: (step: number, next: Int32Array) => void) => {
    const n = s.slice();
    if (s[0] < 29) { n[0] = s[0] + 1; visit(0, n); n[0] = s[0]; }
    if (s[1] < 29) { n[1] = s[1] + 1; visit(1, n); }
  };

  it('rebuilds expanded states by replay from tiny frontier chunks, the same as the exact store', () => {
    const fp = new FingerprintStore(2, succ, 4, 16);
    const ex = new StateStore(2, 16);
    fp.insert(Int32Array.of(0, 0), -1, 0);
    ex.insert(Int32Array.of(0, 0), -1, 0);
    const cur = new Int32Array(2);
    for (let head = 0; head < ex.count; head++) {
      fp.read(head, cur);
      expect(Array.from(cur)).toEqual(Array.from(ex.read(head, new Int32Array(2))));
      const d = ex.depthOf(head) + 1;
      succ(cur.slice(), (_s, next) => {
        const a = fp.insert(next, head, d);
        const b = ex.insert(next, head, d);
        expect(a).toBe(b);
        expect(fp.isNew).toBe(ex.isNew);
      });
    }
    expect(fp.count).toBe(900);
    // Every chunk but the last is dropped: these are rebuilt by replay along the parents.
    for (const id of [0, 1, 57, 431, 899]) {
      expect(Array.from(fp.read(id, new Int32Array(2)))).toEqual(Array.from(ex.read(id, new Int32Array(2))));
      expect(fp.pathTo(id)).toEqual(ex.pathTo(id));
      expect(fp.depthOf(id)).toBe(ex.depthOf(id));
    }
  });
});
