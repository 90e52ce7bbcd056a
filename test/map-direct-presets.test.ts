/**
 * The MAP_DIRECT postings as posted (issue 10 §1), through the CLI as a reviewer runs it
 * (`check map-direct --variant v7 --json`): the presets are the posted code, bugs included, and the
 * proposed design (`v8+fixes`) holds every MD-S safety property with its witness reached. The races
 * are read from the run's own counterexamples (which actor did what, and in which order), not from
 * a list of steps written here. Runs the tsc-built dist/ (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import mapDirect, { FIXES, POSTED_V7, POSTED_V8 } from '../specs/map-direct.js';
import baselines from '../specs/map-direct-baselines.js';
import { knobsBeyondPreset, variantKnobs, resolveKnobs } from '../src/spec/validate.js';
import { missingKeyStep } from '../src/review/compare.js';
import type { Trace } from '../src/trace/types.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'daxcheck.js');

interface Step { kind: string; event: { type: string; [k: string]: unknown }; actors: string[]; functions?: { actor: string; fn: string }[]; after: Record<string, { value: unknown; context: Record<string, any> }> }
interface Prop { verdict: string; trace?: { steps: Step[]; loop?: number } }
interface Run { complete: boolean; properties: Record<string, Prop> }

const cache = new Map<string, Run>();
function check(variant: string): Run {
  if (!cache.has(variant)) {
    const r = spawnSync(process.execPath, [BIN, 'check', 'map-direct', '--variant', variant, '--json'], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
    // exit 1: some property is violated (that is what these runs are for)
    expect([0, 1]).toContain(r.status);
    cache.set(variant, JSON.parse(r.stdout) as Run);
  }
  return cache.get(variant)!;
}
const violated = (r: Run) => Object.entries(r.properties).filter(([, p]) => p.verdict === 'violated').map(([n]) => n);
/** Index of the first step in which `actor` moves and one of the step's functions is `fn`. */
const at = (steps: Step[], actor: string, fn: string) => steps.findIndex((s) => s.actors.includes(actor) && (s.functions ?? []).some((f) => f.actor === actor && f.fn === fn));

describe('presets are the posted code', () => {
  it('v7 and v8 are their presets with no knob beyond them; the presets set every posted bug', () => {
    for (const v of ['v7', 'v8']) {
      const decl = mapDirect.variants[v]!;
      expect(decl.preset).toBe(v);
      expect(knobsBeyondPreset(mapDirect, decl, resolveKnobs(mapDirect, variantKnobs(mapDirect, decl)))).toEqual({});
    }
    // each proposed fix is a knob whose posted value differs from the fixed one
    for (const [k, fixed] of Object.entries(FIXES)) {
      expect(POSTED_V8[k as keyof typeof POSTED_V8], k).not.toBe(fixed);
      if (k !== 'c3PartialUnmap') expect(POSTED_V7[k as keyof typeof POSTED_V7], k).not.toBe(fixed);
    }
    expect(baselines.variants['pre-series']!.preset).toBe('pre-series');
    expect(baselines.variants.v6!.preset).toBe('v6');
  });

  it('posted v7 violates MD-S1, S1w, S5 and S9 (and S2, S8, S9leak); S6 holds because MD-C2 revokes nothing', () => {
    const r = check('v7');
    expect(r.complete).toBe(true);
    expect(violated(r)).toEqual(expect.arrayContaining(['S1', 'S1w', 'S5', 'S9', 'S2', 'S8', 'S9leak']));
    expect(r.properties.S6!.verdict).toBe('holds');
    // F1 in the run: the breaker passed break_layout before A took its lease, then freed the block A registered
    const s = r.properties.S1!.trace!.steps;
    expect(at(s, 'T', 'break_layout')).toBeLessThan(at(s, 'A', 'map_direct_register'));
    expect(at(s, 'A', 'map_direct_register')).toBeLessThan(at(s, 'T', 'xfs_free_file_space'));
    expect(s.at(-1)!.event.type).toBe('hca_dma_write');
    // F4 in the run: the VMA closed (mds_vma = NULL) before map_direct_invalidate ran, which then dereferenced it
    const s9 = r.properties.S9!.trace!.steps;
    expect(at(s9, 'A', 'munmap')).toBeGreaterThanOrEqual(0);
    expect(s9.at(-1)!.actors).toContain('mds');
    expect(s9.at(-1)!.after.mds!.value).toBe('S9_null_vma_deref');
  });

  it('v7 with MD-C2 fixed shows MD-R2: the revocation frees the IOVA and another DMA user is handed it (S6)', () => {
    const s = check('v7+C2').properties.S6!.trace!.steps;
    const unmap = s.findIndex((x) => x.event.type === 'dma_unmap_sg' && x.actors.includes('umem'));
    const remap = s.findIndex((x) => x.event.type === 'dma_map_sg' && x.actors.includes('user'));
    expect(unmap).toBeGreaterThanOrEqual(0);
    expect(remap).toBeGreaterThan(unmap);
    expect(s[remap]!.event.iova).toBe(s[unmap]!.event.iova);
  });

  it('posted v8 violates MD-S1, S2 and S5', () => {
    const r = check('v8');
    expect(r.complete).toBe(true);
    expect(violated(r)).toEqual(expect.arrayContaining(['S1', 'S2', 'S5']));
  });

  it('v8+fixes holds every MD-S safety property with its witness reached', () => {
    const r = check('v8+fixes');
    expect(r.complete).toBe(true);
    const safety = Object.keys(r.properties).filter((n) => /^S\d/.test(n));
    expect(safety.length).toBeGreaterThanOrEqual(12);
    for (const n of safety) {
      expect({ n, v: r.properties[n]!.verdict }).toEqual({ n, v: 'holds' });
      expect({ n, w: r.properties[`witness:${n}`]!.verdict }).toEqual({ n, w: 'reached' });
    }
  });
});

/** The key steps a property declares (a killing mutant's counterexample has them in order). */
const keySteps = (name: string) => mapDirect.properties.find((p) => p.name === name)!.keySteps!;
/** The value of `actor` after the last step that moved it. */
const lastValue = (steps: Step[], actor: string) => steps.filter((s) => s.after[actor]).at(-1)?.after[actor]!.value;
/** A complete run of `variant` in which `property` is violated with its key steps in order: the lasso. */
function killedBy(variant: string, property: string): { steps: Step[]; loop?: number } {
  const r = check(variant);
  expect(r.complete).toBe(true);
  const p = r.properties[property]!;
  expect(p.verdict).toBe('violated');
  expect(missingKeyStep(p.trace as unknown as Trace, keySteps(property))).toBeNull();
  return p.trace!;
}
/** Indices of the steps in which `actor` takes `event`. */
const stepsOf = (steps: Step[], actor: string, event: string) => steps.map((x, i) => (x.actors.includes(actor) && x.event.type === event ? i : -1)).filter((i) => i >= 0);

describe('every MAP_DIRECT liveness property can fail (issue 10 §3)', () => {
  it('MD-L5: with the F9 fault flush on mmap_sem, a munmap that flushes the invalidation never returns; v8+fixes holds L5', () => {
    const l5 = killedBy('mutant:invalidate=flushMmapSem', 'L5');
    const s = l5.steps;
    // A entered munmap (mmap_sem held for writing), then put_map_direct_vma kicked the invalidation
    const munmap = at(s, 'A', 'munmap');
    const flush = at(s, 'mds', 'flush_delayed_work');
    expect(munmap).toBeGreaterThanOrEqual(0);
    expect(flush).toBeGreaterThan(munmap);
    // from there on A stays in munmap and the invalidation stays before its zap, waiting for mmap_sem:
    // the lasso's cycle lies after both, so neither ever moves on
    expect(l5.loop!).toBeGreaterThan(flush);
    expect(s.slice(munmap).filter((x) => x.after.A && x.after.A.value !== 'munmap_wait')).toEqual([]);
    expect(lastValue(s, 'mds')).toEqual({ ok: { life: 'close_flush', work: { running: 'flush_faults' } } });
    // the fix's MMAPLOCK cycle does not wait for munmap
    expect(check('v8+fixes').properties.L5!.verdict).toBe('holds');
  });

  it('MD-L6: a re-registration after a remap is served in L6-remap; the is_map_direct_broken mutant fails it with no SIGIO', () => {
    const ok = check('L6-remap');
    expect(ok.complete).toBe(true);
    expect(ok.properties.L6!.verdict).toBe('holds');
    const s = killedBy('mutant:is_map_direct_broken=testsValid', 'L6').steps;
    // the run: A munmaps, maps again (a second map_direct_register), then registers over the new mapping
    const munmap = at(s, 'A', 'munmap');
    const mmaps = stepsOf(s, 'A', 'mmap');
    expect(mmaps.length).toBe(2);
    expect(munmap).toBeGreaterThan(mmaps[0]!);
    expect(mmaps[1]).toBeGreaterThan(munmap);
    const reg = s.findIndex((x, i) => i > mmaps[1]! && x.event.type === 'ibv_reg_mr');
    expect(reg).toBeGreaterThan(mmaps[1]!);
    // the new mds is not broken, yet the check reports it broken and ibv_reg_mr fails; no SIGIO follows
    const chk = s.findIndex((x, i) => i > reg && x.event.type === 'is_map_direct_broken');
    expect(s[chk]!.event.broken).toBe(true);
    expect(s.slice(mmaps[1]!).some((x) => x.event.type === 'map_direct_lm_break')).toBe(false);
    expect(lastValue(s, 'A')).toBe('user');
  });

  it('F10: after a remap during the wait, the breaker waits for ever on a lease it never broke (L1)', () => {
    const l1 = check('L6-remap').properties.L1!;
    expect(l1.verdict).toBe('violated');
    const s = l1.trace!.steps;
    // T entered its waiting break_layout before A's second map_direct_register took the new lease
    const wait = s.findIndex((x) => x.actors.includes('T') && x.event.type === '__break_lease' && x.event.n === 0);
    const lease = stepsOf(s, 'A', 'vfs_setlease');
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(lease.length).toBe(2);
    expect(lease[1]).toBeGreaterThan(wait);
    // the new lease is never broken, and T never proceeds
    expect(s.slice(lease[1]!).some((x) => x.event.type === 'map_direct_lm_break')).toBe(false);
    expect(lastValue(s, 'T')).toBe('waiting');
    expect(check('v8+fixes').properties.L1!.verdict).toBe('holds');
  });

  it('F10 fixed: the same application, with a restart loop that breaks the new lease, lets the breaker finish (L1, L3 hold)', () => {
    // the fix variant is L6-remap with one knob changed, the F10 fix in __break_lease
    const knobsOf = (v: string) => resolveKnobs(mapDirect, variantKnobs(mapDirect, mapDirect.variants[v]!));
    const bug = knobsOf('L6-remap');
    const fix = knobsOf('v8+fixes+F10');
    expect(Object.keys(fix).filter((k) => fix[k] !== bug[k])).toEqual(['f10RestartBreak']);
    // the buggy side's lasso: the new lease was taken after the breaker's last lm_break
    const s = check('L6-remap').properties.L1!.trace!.steps;
    const lastBreak = s.map((x) => x.event.type).lastIndexOf('map_direct_lm_break');
    expect(stepsOf(s, 'A', 'vfs_setlease').at(-1)!).toBeGreaterThan(lastBreak);
    const r = check('v8+fixes+F10');
    expect(r.complete).toBe(true);
    expect(r.properties.L1!.verdict).toBe('holds');
    expect(r.properties.L3!.verdict).toBe('holds');
    expect(r.properties.L6!.verdict).toBe('holds');
  });
});
