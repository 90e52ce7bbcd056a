/**
 * Every counterexample `review --out` writes for the built-in specs replays through real XState
 * actors, steps that leave an actor's snapshot unchanged included (docs/semantics.md §1). One
 * review of every built-in spec (about a minute of CPU): the gate for "every counterexample replays".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../src/check.js';
import { parseTraceFile, replayTrace } from '../src/replay/replay.js';
import { builtinSpecNames, loadSpec } from '../src/spec/load.js';
import type { Spec } from '../src/spec/types.js';
import emitOnly from './fixtures/emit-only.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('replay accepts steps that leave a snapshot unchanged', () => {
  it('an emit-only step (XState returns the same snapshot object) replays', async () => {
    const r = await checkSpec(emitOnly, { variant: 'base' });
    for (const name of ['fewPings', 'mailbox-overflow']) {
      const t = r.properties[name].trace!;
      expect(t.steps.filter((s) => s.event.type === 'send').length).toBeGreaterThan(0);
      const rep = replayTrace(emitOnly, copy(t));
      expect(rep.divergence, name).toBeUndefined();
      expect(rep.confirmed, name).toBe(true);
    }
  });

  it('still rejects an event the actor does not accept', async () => {
    const t = copy((await checkSpec(emitOnly, { variant: 'base' })).properties.fewPings.trace!) as any;
    t.steps[0] = { ...t.steps[0], event: { type: 'PING' }, actors: ['s'] };
    const rep = replayTrace(emitOnly, t);
    expect(rep.confirmed).toBe(false);
    expect(rep.divergence?.step).toBe(1);
  });
});

describe('every counterexample of review --out replays', () => {
  it('built-in specs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-replay-all-'));
    const r = spawnSync(process.execPath, [BIN, 'review', '--out', dir], { encoding: 'utf8', timeout: 900_000 });
    // Exit 1 may be the falsifiability gate (a property no mutant kills yet, README); every verdict
    // must still match its expectation, and nothing may crash (2) or hit a bound (3).
    expect([0, 1], r.stderr).toContain(r.status);
    expect(r.stdout).toMatch(/all \d+ variants of \d+ spec\(s\) match their expected verdicts/);
    const files = readdirSync(join(dir, 'traces')).filter((f) => f.endsWith('.trace.json'));
    const specs = new Map<string, Spec>();
    const bad: string[] = [];
    for (const f of files) {
      const [t] = parseTraceFile(readFileSync(join(dir, 'traces', f), 'utf8'));
      if (!specs.has(t.spec)) specs.set(t.spec, await loadSpec(t.spec));
      const rep = replayTrace(specs.get(t.spec)!, t);
      if (!rep.confirmed) bad.push(`${f}: ${rep.verdict}`);
    }
    expect(bad).toEqual([]);
    // Every built-in spec with a buggy variant contributed (the review wrote something to replay).
    expect(new Set([...specs.keys()]).size).toBeGreaterThan(builtinSpecNames().length / 2);
    expect(files.length).toBeGreaterThan(100);
  }, 900_000);
});
