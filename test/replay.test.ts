/**
 * `replay` proves a counterexample against the statecharts through real XState actors: a real
 * trace is confirmed, a tampered one is rejected naming the step.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSpec } from '../src/check.js';
import { parseTraceFile, replayTrace } from '../src/replay/replay.js';
import type { Trace } from '../src/trace/types.js';
import race from './fixtures/race-spec.js';
import peterson from '../specs/peterson.js';

let t: Trace;
let witness: Trace;
beforeAll(async () => {
  t = (await checkSpec(race, { variant: 'buggy' })).properties.noFreeWhilePinned.trace!;
  witness = (await checkSpec(race, { variant: 'fixed', witnessTraces: true })).properties['witness:noFreeWhilePinned'].trace!;
});

/** A deep copy through JSON, as `--trace-out` writes and `replay` reads it. */
const copy = (x: Trace): any => JSON.parse(JSON.stringify(x));

function runCli(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('node', ['bin/daxcheck.js', ...args], { encoding: 'utf8' }) };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: x.stdout + x.stderr };
  }
}

describe('replay of a real trace', () => {
  it('confirms the race fixture counterexample (sync, timer, emit, mailbox delivery)', () => {
    const r = replayTrace(race, copy(t));
    expect(r.divergence).toBeUndefined();
    expect(r.confirmed).toBe(true);
    expect(r.stepsOk).toBe(6);
    expect(r.verdict).toMatch(/noFreeWhilePinned is false in the final state/);
  });

  it('confirms a witness path (the witness holds at its end)', () => {
    const r = replayTrace(race, copy(witness));
    expect(r.confirmed).toBe(true);
    expect(r.verdict).toMatch(/witness of noFreeWhilePinned holds/);
  });

  it('confirms Peterson (broken order) through the CLI, loading the built-in spec named in the trace', async () => {
    const pt = (await checkSpec(peterson, { variant: 'broken' })).properties.mutex.trace!;
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-replay-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(pt));
    const ok = runCli(['replay', join(dir, 'p.json')]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^CONFIRMED: mutex is false in the final state/m);
    const bad = copy(pt);
    bad.steps[6].event.v = 1; // P0 reads turn = 1: the turn variable holds 0, so it cannot take it
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const no = runCli(['replay', join(dir, 'bad.json')]);
    expect(no.code).toBe(1);
    expect(no.out).toMatch(/^DIVERGES at step 7: actor 'turn' does not accept read_turn\(v=1\)/m);
  });
});

describe('replay of a tampered trace', () => {
  it('rejects swapped steps at the first step that no longer matches', () => {
    const bad = copy(t);
    [bad.steps[2], bad.steps[3]] = [bad.steps[3], bad.steps[2]]; // unmap before the pin
    const r = replayTrace(race, bad);
    expect(r.confirmed).toBe(false);
    expect(r.divergence!.step).toBe(3);
    expect(r.divergence!.reason).toBe("actor 'cpu0' is in truncate, the trace says unmapLate");
  });

  it('rejects a step the actor does not accept', () => {
    const bad = copy(t);
    bad.steps[0].event.busy = true; // the page has no pin yet: refcount is not busy
    const r = replayTrace(race, bad);
    expect(r.divergence).toEqual({ step: 1, reason: "actor 'page' does not accept read_refs(busy=true) in state mapped" });
  });

  it('rejects a state the actors do not reach (context after a step)', () => {
    const bad = copy(t);
    bad.states[3].actors.page.context.refs = 2;
    const r = replayTrace(race, bad);
    expect(r.divergence!.step).toBe(3);
    expect(r.divergence!.reason).toBe('actor \'page\' has context {"refs":1}, the trace says {"refs":2}');
  });

  it('rejects a timer that is not pending', () => {
    const bad = copy(t);
    bad.steps[1].event = { type: 'xstate.after.99.gupCpu.sleeping' };
    const r = replayTrace(race, bad);
    expect(r.divergence).toEqual({ step: 2, reason: "actor 'cpu1' has no pending timer for xstate.after.99.gupCpu.sleeping" });
  });

  it('rejects a delivery of a message that is not in the mailbox', () => {
    const bad = copy(t);
    bad.steps[5].event = { type: 'FREE_BLOCK', extra: 1 };
    const r = replayTrace(race, bad);
    expect(r.divergence!.step).toBe(6);
    expect(r.divergence!.reason).toMatch(/^mailbox 'allocator' would deliver FREE_BLOCK, the trace says deliver FREE_BLOCK\(extra=1\)/);
  });

  it('rejects a trace whose final state does not violate the property', () => {
    const bad = copy(t);
    bad.steps = bad.steps.slice(0, 5);
    bad.states = bad.states.slice(0, 6);
    const r = replayTrace(race, bad);
    expect(r.confirmed).toBe(false);
    expect(r.stepsOk).toBe(5);
    expect(r.divergence).toEqual({ step: 5, reason: 'final state: noFreeWhilePinned holds in the final state' });
  });

  it('the CLI exits 1 and names the step; --spec loads the fixture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-replay-'));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify([t, witness]));
    const ok = runCli(['replay', join(dir, 'ok.json'), '--spec', 'test/fixtures/race-spec.ts']);
    expect(ok.code).toBe(0);
    expect(ok.out.match(/^CONFIRMED/gm)).toHaveLength(2);
    const bad = copy(t);
    bad.states[3].actors.page.context.refs = 2;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const no = runCli(['replay', join(dir, 'bad.json'), '--spec', 'test/fixtures/race-spec.ts']);
    expect(no.code).toBe(1);
    expect(no.out).toMatch(/^DIVERGES at step 3: actor 'page' has context/m);
    expect(parseTraceFile(JSON.stringify(t))).toHaveLength(1);
    expect(() => parseTraceFile('{"a":1}')).toThrow(/not a daxcheck trace/);
  });
});
