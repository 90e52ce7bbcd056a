/**
 * Two-sided regression tests of the MAP_DIRECT models (issue 3, seed 002): for every scenario of the
 * digest (MD-R1..R12, the [C] mutants) and every finding of docs/models/map-direct.md, the buggy
 * variant violates the named property and the scenario's key steps appear, in order, in the
 * shortest counterexample; the fixed variant holds it in a completely explored space, with the
 * property's witness reached (it does not hold vacuously). Plus structural checks of the machines.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { checkSpec, type CheckResult } from '../src/check.js';
import { missingKeyStep } from '../src/review/compare.js';
import type { Spec } from '../src/spec/types.js';
import mapDirect, { system } from '../specs/map-direct.js';
import baselines from '../specs/map-direct-baselines.js';
import { xfsInodeMachine } from '../machines/fs/xfs-inode.js';
import { fileLockContextMachine } from '../machines/fs/file-lock-context.js';
import { leaseBreakerMachine } from '../machines/fs/lease-breaker.js';
import { faultThreadMachine } from '../machines/fs/fault-thread.js';
import { mapDirectStateMachine } from '../machines/mapdirect/map-direct-state.js';
import { leaseDirectStateMachine } from '../machines/mapdirect/lease-direct-state.js';
import { ibUmemMachine } from '../machines/mapdirect/ib-umem.js';
import { ibUmemOdpMachine } from '../machines/mapdirect/ib-umem-odp.js';
import { iommuMachine, hcaMachine, dmaUserMachine } from '../machines/mapdirect/iommu.js';
import { processMachine, vmaMachine } from '../machines/mapdirect/process.js';
import { resolveKnobs, variantKnobs } from '../src/spec/validate.js';

const MAX = 200_000;
const M = mapDirect;
const B = baselines;

/** One exploration per (spec, variant), shared by the tests that need it. */
const runs = new Map<string, Promise<CheckResult>>();
function run(spec: Spec, variant: string): Promise<CheckResult> {
  const key = `${spec.name}/${variant}`;
  let p = runs.get(key);
  if (!p) runs.set(key, (p = checkSpec(spec, { variant, maxStates: MAX })));
  return p;
}

/** scenario, property, [spec, buggy variant], [spec, fixed variant] */
type Row = [string, string, [Spec, string], [Spec, string]];
const rows: Row[] = [
  // the postings as posted (issue 10 §1) against the proposed design
  ['posted v7 (F1: lease without IOLOCK)', 'S1', [M, 'v7'], [M, 'v8+fixes']],
  ['posted v7', 'S1w', [M, 'v7'], [M, 'v8+fixes']],
  ['posted v7', 'S5', [M, 'v7'], [M, 'v8+fixes']],
  ['posted v7 (F4: NULL mds_vma)', 'S9', [M, 'v7'], [M, 'v8+fixes']],
  ['posted v7 (F7: BUG_ON in i_mapdcount_dec)', 'S8', [M, 'v7'], [M, 'v8+fixes']],
  ['posted v7 (MD-C5 leak)', 'S9leak', [M, 'v7'], [M, 'v8+fixes']],
  ['posted v8', 'S1', [M, 'v8'], [M, 'v8+fixes']],
  ['posted v8', 'S2', [M, 'v8'], [M, 'v8+fixes']],
  ['posted v8', 'S5', [M, 'v8'], [M, 'v8+fixes']],
  ['MD-R1 RDMA to fs-dax without coordination', 'S1', [B, 'pre-series'], [M, 'v8+fixes']],
  ['MD-R1 (a block reallocated to g)', 'S1', [B, 'R1-victim'], [M, 'v8+fixes']],
  ['MD-K1 none: the block map is not frozen', 'S2', [B, 'pre-series'], [M, 'v8+fixes']],
  ['MD-R2 IOVA reuse after dma_unmap_sg', 'S6', [M, 'v7+C2'], [M, 'v8+fixes']],
  ['MD-R2 with every other fix', 'S6', [M, 'v7+fixes'], [M, 'v8+fixes']],
  ['MD-R2 the DMA lands in another buffer', 'S1', [M, 'v7+fixes'], [M, 'v8+fixes']],
  ['MD-R3 lazy IOTLB flush', 'S5', [M, 'R3-buggy'], [M, 'v8+fixes']],
  ['MD-R3 lazy IOTLB flush (DMA)', 'S1', [M, 'R3-buggy'], [M, 'v8+fixes']],
  ['MD-R4 no translating IOMMU', 'S1', [B, 'R4-buggy'], [M, 'R4-absent']],
  ['MD-R5 allocating write fault', 'S2', [M, 'R5-buggy'], [M, 'R5-fixed']],
  ['MD-R5 / L4 fault progress', 'L4', [M, 'R5-fixed'], [M, 'R5-nonblock']],
  ['MD-S3 MAP_DIRECT fault allocates', 'S3', [M, 'S3-buggy'], [M, 'v8+fixes']],
  ['MD-R6 fault in flight at setup', 'S2', [M, 'R6-buggy'], [M, 'R6-fixed']],
  ['MD-R7 reflink COW', 'S2', [M, 'R7-buggy'], [M, 'R7-fixed']],
  ['MD-R8 [C] check-then-register: an MR over an lds lease taken after the break', 'S7', [M, 'R8-buggy'], [M, 'R8-fixed']],
  ['MD-R9 VMA dies while lm_break is in flight', 'S9', [M, 'R9-buggy'], [M, 'v8+fixes']],
  ['MD-R10 revocation faults the QP', 'R10', [M, 'v8+fixes'], [M, 'R10-sink']],
  ['MD-R11 page cache: pinned orphan', 'S1w', [B, 'pre-series'], [B, 'R11-pagecache']],
  ['MD-R12 device-dax shutdown', 'S1', [B, 'R12-buggy'], [B, 'R12-fixed']],
  ['MD-K1 v6 immutable: breakers never proceed', 'L3', [B, 'v6'], [M, 'v8+fixes']],
  ['MD-K4 noCheck on fs-dax', 'S7', [M, 'K4-noCheck'], [M, 'R8-fixed']],
  // mutants of functions no scenario changes (issue 10 §3)
  ['mutant: map_direct_lm_break without kill_fasync', 'S10', [M, 'mutant:lm_break=noSigio'], [M, 'v8+fixes']],
  ['mutant: map_direct_lm_break without schedule_delayed_work', 'L2', [M, 'mutant:lm_break=noSchedule'], [M, 'v8+fixes']],
  ['mutant: do_mmap without the ->mmap_validate check', 'S11', [M, 'mutant:do_mmap=noValidateCheck'], [M, 'v8+fixes']],
  ['MD-K5 none', 'S5', [M, 'K5-none'], [M, 'v7+fixes']],
  ['MD-C2 umem = umem', 'S5', [M, 'C2-buggy'], [M, 'v7+fixes']],
  ['MD-C3 partial revocation', 'S5', [M, 'C3-buggy'], [M, 'C3-fixed']],
  ['MD-C3 wrong IOVA freed', 'S6', [M, 'C3-buggy'], [M, 'C3-fixed']],
  ['MD-C5 mds reference leak', 'S9leak', [M, 'C5-buggy'], [M, 'v8+fixes']],
  ['MD-C7 precedence bug swallows -ENOMEM of break_layout', 'S2', [M, 'C7-buggy'], [M, 'C7-fixed']],
  ['MD-C7 precedence bug (DMA into the punched block)', 'S1', [M, 'C7-buggy'], [M, 'C7-fixed']],
  ['MD-C8 zap before clearing VALID', 'S4', [M, 'C8-buggy'], [M, 'v8+fixes']],
  ['MD-C10 kfree of an interior pointer', 'S9', [M, 'C10-buggy'], [M, 'v8+fixes']],
  ['F1 lease taken without IOLOCK', 'S2', [M, 'F1-buggy'], [M, 'v8+fixes']],
  ['F1 lease taken without IOLOCK (DMA)', 'S1', [M, 'F1-buggy'], [M, 'v8+fixes']],
  ['F3 lds lease timed out by the core', 'S5', [M, 'F3-buggy'], [M, 'v8+fixes']],
  ['F3 with lease-break-time 0', 'S5', [M, 'F3-buggy'], [M, 'F3-K11zero']],
  ['F4 NULL mds_vma in map_direct_invalidate', 'S9', [M, 'F4-buggy'], [M, 'v8+fixes']],
  ['F5 break between ->lease_direct and ib_dma_map_sg', 'S1', [M, 'F5-buggy'], [M, 'v8+fixes']],
  ['F6 stale mds_vma after a VMA split', 'S9', [M, 'F6-buggy'], [M, 'F6-fixed']],
  ['F7 i_mapdcount_inc after vfs_setlease', 'S8', [M, 'F7-buggy'], [M, 'v8+fixes']],
  ['F9 CPU fault past xfs_vma_checks installs its PTE after the zap', 'S4', [M, 'F9-buggy'], [M, 'v8+fixes']],
  ['F9 in posted v8 (issue 11: the split CPU fault)', 'S4', [M, 'v8'], [M, 'v8+fixes']],
  ['MD-K5 odp: the ODP MR stays coherent (remap to a sink does not)', 'S1c', [M, 'R10-sink'], [M, 'K5-odp']],
  ['MD-K5 odp: the mmu notifier invalidates before the block is freed', 'S1', [M, 'K5-none'], [M, 'K5-odp']],
  ['MD-K7 nonOdp: blacklisted from DAX (a revocation that revokes nothing is K5 none)', 'S1', [M, 'K5-none'], [M, 'K7-nonOdp']],
  ['MD-K5 sigkill: the breaker waits for the fence (JG3, JG4)', 'S1', [M, 'K5-sigkill-nowait'], [M, 'K5-sigkill']],
  ['MD-K5 sigkill: no block freed under a live MR', 'S5', [M, 'K5-sigkill-nowait'], [M, 'K5-sigkill']],
  ['MD-C9 silent revocation after munmap', 'C9', [M, 'C9-buggy'], [M, 'C9-fixed']],
];

describe.each(rows)('%s (%s)', (_scenario, prop, [bSpec, buggy], [fSpec, fixed]) => {
  it(`${bSpec.name}/${buggy} violates it, with its key steps in order in the shortest trace`, async () => {
    const r = await run(bSpec, buggy);
    expect(r.complete).toBe(true);
    const p = r.properties[prop]!;
    expect(p.verdict).toBe('violated');
    const want = bSpec.variants[buggy]!.expect[prop];
    expect(want?.verdict).toBe('violated');
    if (p.kind !== 'liveness') {
      // every safety counterexample is declared with its key steps
      expect(want?.keySteps?.length ?? 0).toBeGreaterThan(0);
      expect(p.trace).toBeDefined();
      expect(missingKeyStep(p.trace!, want!.keySteps!)).toBeNull();
    } else if (want?.keySteps?.length) {
      expect(missingKeyStep(p.trace!, want.keySteps)).toBeNull();
    }
  });
  it(`${fSpec.name}/${fixed} holds it, completely explored${prop.startsWith('L') ? '' : ', witness reached'}`, async () => {
    const r = await run(fSpec, fixed);
    expect(r.complete).toBe(true);
    expect(r.properties[prop]!.verdict).toBe('holds');
    if (!prop.startsWith('L')) expect(r.properties[`witness:${prop}`]!.verdict).toBe('reached');
  });
});

describe('every variant of both specs reproduces all its expected verdicts', () => {
  const all: [string, Spec, string][] = [
    ...Object.keys(M.variants).map((v): [string, Spec, string] => [`${M.name}/${v}`, M, v]),
    ...Object.keys(B.variants).map((v): [string, Spec, string] => [`${B.name}/${v}`, B, v]),
  ];
  it.each(all)('%s', async (_n, spec, variant) => {
    const r = await run(spec, variant);
    expect(r.complete).toBe(true);
    const exp = spec.variants[variant]!.expect;
    for (const p of Object.values(r.properties)) {
      if (p.witnessOf) {
        const own = exp[p.name];
        if (own) { expect({ w: p.name, v: p.verdict }).toEqual({ w: p.name, v: own.verdict }); continue; }
        const e = exp[p.witnessOf] ?? exp['*'];
        if (e?.verdict === 'holds') expect({ w: p.name, v: p.verdict }).toEqual({ w: p.name, v: 'reached' });
        continue;
      }
      const e = exp[p.name] ?? exp['*'];
      // open and unchecked expectations are not gated (review shows them in parentheses)
      if (!e || e.verdict === 'open' || e.verdict === 'unchecked') continue;
      expect({ prop: p.name, verdict: p.verdict }).toEqual({ prop: p.name, verdict: e.verdict });
      if (e.verdict === 'violated' && e.keySteps?.length && p.trace) expect(missingKeyStep(p.trace, e.keySteps), p.name).toBeNull();
    }
  });
});

describe('machines', () => {
  const machines: Record<string, AnyStateMachine> = {
    xfsInodeMachine, fileLockContextMachine, leaseBreakerMachine, faultThreadMachine, mapDirectStateMachine,
    leaseDirectStateMachine, ibUmemMachine, ibUmemOdpMachine, iommuMachine, hcaMachine, dmaUserMachine, processMachine, vmaMachine,
  };
  it.each(Object.entries(machines))('%s: every transition names its kernel function, its citation and why it is atomic', (_n, machine) => {
    const missing: string[] = [];
    const walk = (node: any) => {
      for (const [ev, ts] of node.transitions as Map<string, any[]>) for (const t of ts) if (!t.meta?.fn || !t.meta?.cite) missing.push(`${node.id} ${ev}`);
      for (const [ev, ts] of node.transitions as Map<string, any[]>) for (const t of ts) if (t.meta?.atomic === undefined) missing.push(`${node.id} ${ev}: no atomic`);
      for (const t of node.always ?? []) if (!t.meta?.fn || !t.meta?.cite || t.meta?.atomic === undefined) missing.push(`${node.id} always`);
      for (const c of Object.values(node.states)) walk(c);
    };
    walk(machine.root);
    expect(missing).toEqual([]);
  });
});

describe('spec structure', () => {
  it('every event of every configuration is either a kernel step (fair) or an application / device step', async () => {
    const { fairness } = await import('../specs/map-direct.js');
    const fair = new Set(fairness.flatMap((f) => f.events ?? []));
    const unfair = new Set(['mmap', 'xfs_vma_checks', 'ibv_reg_mr', 'ibv_dereg_mr', 'vma_close', 'vma_open', '__break_lease_enomem', '__break_lease_eintr', 'hca_dma_write', 'hca_dma_fault', 'hca_odp_dma_write', 'xfs_alloc_file_space']);
    const seen = new Set<string>();
    for (const spec of [M, B]) for (const v of Object.values(spec.variants)) for (const e of Object.keys(system(resolveKnobs(spec, variantKnobs(spec, v))).events)) seen.add(e);
    const unclassified = [...seen].filter((e) => fair.has(e) === unfair.has(e));
    expect(unclassified).toEqual([]);
  });
  it('every variant is a knob setting of the spec and every expectation cites a source', () => {
    for (const spec of [M, B]) {
      for (const [name, v] of Object.entries(spec.variants)) {
        for (const k of Object.keys(v.knobs)) expect(Object.keys(spec.knobs), `${name}: ${k}`).toContain(k);
        for (const e of Object.values(v.expect)) expect(e.cite.trim().length, name).toBeGreaterThan(0);
      }
    }
  });
});
