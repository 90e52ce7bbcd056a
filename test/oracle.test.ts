/**
 * The reference enumerator (test/oracle/enumerator.ts) against answers computed by hand on tiny
 * systems. Each expected figure is derived in the comment of its model (test/models/tiny.ts).
 */
import { describe, it, expect } from 'vitest';
import { enumerate, OracleModelError } from './oracle/enumerator.js';
import type { SpecLike } from './oracle/enumerator.js';
import * as tiny from './models/tiny.js';

const run = (s: unknown) => enumerate(s as SpecLike);

describe('oracle on hand-counted systems', () => {
  it('two independent 2-state toggles: 4 states, 8 transitions', () => {
    const r = run(tiny.toggles(false));
    expect(r.states).toBe(4);
    expect(r.transitions).toBe(8);
    expect(r.maxDepth).toBe(2);
    expect(r.properties['deadlock'].violated).toBe(false);
  });

  it('an invariant violated after 2 steps: the violating state is counted, not expanded', () => {
    const r = run(tiny.toggles(true));
    expect(r.properties['notBoth']).toMatchObject({ violated: true, depth: 2 });
    // (on,on) is reached but not expanded: 4 states, 3 expanded states x 2 steps
    expect(r.states).toBe(4);
    expect(r.transitions).toBe(6);
    expect(r.properties['notBoth'].path).toEqual(['local a:{"type":"T"}', 'local b:{"type":"T"}']);
  });

  it('an action property is violated by a step (depth of prev + 1), and does not stop expansion', () => {
    const r = run(tiny.toggles(false, true));
    expect(r.properties['aNeverOff']).toMatchObject({ violated: true, depth: 2 });
    expect(r.states).toBe(4);
    expect(r.transitions).toBe(8);
  });

  it('2-party rendezvous with a parameter: only the agreed value synchronises', () => {
    const ok = run(tiny.rendezvous(2));
    expect(ok.states).toBe(2);
    expect(ok.transitions).toBe(1);
    expect(ok.properties['deadlock'].violated).toBe(false);
    expect(ok.properties['agree'].violated).toBe(false);
    expect(ok.properties['agree'].path).toBeUndefined();
    const stuck = run(tiny.rendezvous(9));
    expect(stuck.states).toBe(1);
    expect(stuck.transitions).toBe(0);
    expect(stuck.properties['deadlock']).toMatchObject({ violated: true, depth: 0 });
  });

  it('a mailbox of capacity 1 overflows after 2 sends', () => {
    const r = run(tiny.overflow());
    expect(r.states).toBe(6);
    expect(r.transitions).toBe(6);
    expect(r.properties['mailbox-overflow']).toMatchObject({ violated: true, depth: 2 });
    expect(r.properties['deadlock'].violated).toBe(false);
  });

  it('drop policy: the sticky flag, and the deadlock it leads to', () => {
    const r = run(tiny.dropFlag(false));
    expect(r.states).toBe(7);
    expect(r.transitions).toBe(7);
    expect(r.properties['deadlock']).toMatchObject({ violated: true, depth: 3 });
    expect(r.properties['deadlock'].path).toEqual(['local s:{"type":"send"}', 'drop r:{"type":"M"}', 'local r:{"type":"open"}']);
    const w = run(tiny.dropFlag(true));
    expect(w.properties['noDrop']).toMatchObject({ violated: true, depth: 2 });
    expect(w.states).toBe(6);
    expect(w.transitions).toBe(6);
    expect(w.properties['deadlock'].violated).toBe(false);
  });

  it('defer policy: selective receive takes B past a deferred A; block deadlocks', () => {
    const d = run(tiny.deferred('defer'));
    expect(d.states).toBe(4);
    expect(d.transitions).toBe(3);
    expect(d.properties['deadlock'].violated).toBe(false);
    const b = run(tiny.deferred('block'));
    expect(b.states).toBe(2);
    expect(b.transitions).toBe(1);
    expect(b.properties['deadlock']).toMatchObject({ violated: true, depth: 1 });
  });

  it('an after timer is pending, can fire, and is cancelled by leaving its state', () => {
    const r = run(tiny.timer());
    expect(r.states).toBe(3);
    expect(r.transitions).toBe(2);
    expect(r.properties['timeoutReached']).toMatchObject({ reached: true, depth: 1 });
    expect(r.properties['deadlock'].violated).toBe(false);
  });

  it('history is part of the state key', () => {
    const r = run(tiny.history());
    expect(r.states).toBe(7);
    expect(r.transitions).toBe(9);
  });

  it('always + guard on context resolve inside the macrostep', () => {
    const r = run(tiny.always());
    expect(r.states).toBe(3);
    expect(r.transitions).toBe(3);
    expect(r.properties['two']).toMatchObject({ reached: true, depth: 2 });
  });

  it('enabledness: an emit-only self-loop under §1 as written (identity) and under XState can()', () => {
    const lit = enumerate(tiny.emitOnlyLoop() as unknown as SpecLike, {}, { enabled: 'identity' });
    expect([lit.states, lit.transitions]).toEqual([1, 0]);
    expect(lit.properties['deadlock']).toMatchObject({ violated: true, depth: 0 });
    const can = run(tiny.emitOnlyLoop()); // the settled rule (semantics §1): XState's can()
    expect([can.states, can.transitions]).toEqual([6, 6]);
    expect(can.properties['mailbox-overflow']).toMatchObject({ violated: true, depth: 2 });
  });

  it('an emit no wire routes is a model error', () => {
    const s = tiny.overflow();
    const bad = { ...s, system: () => ({ ...s.system(), wires: [] }) };
    expect(() => run(bad)).toThrow(OracleModelError);
  });
});
