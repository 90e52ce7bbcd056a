/**
 * MAP_DIRECT seed 002, the designs without a MAP_DIRECT state (no map_direct_state, no lease on the
 * MAP_DIRECT VMA): pre-series (MD-K1 none, MD-R1, R4), v6 "immutable" (MD-K1), the page cache (MD-R11),
 * MAP_SHARED|MAP_DIRECT (MD-K13), a filesystem without ->mmap_validate (MD-S11), MAP_DIRECT
 * rejected at mmap on a reflinked or non-DAX file (MD-K10, DCr6) and device-dax (MD-K9, MD-R12). Same actors,
 * knobs and fairness as specs/map-direct.ts; only the properties that have a subject here (the
 * map_direct_state properties S3, S4, S8, S9, S10 and L2, L4, L6 would hold vacuously).
 */
import { defineSpec, type Expectation, type VariantDecl } from '../src/spec/types.js';
import { knobs, system, properties, fairness, locks, H, V } from './map-direct.js';

/** S7 (the P11 registration gate) has no subject where the design has no gate: its violation at
 * registration would also cut every later state (an invariant's violating state is not expanded). */
/**
 * The properties that apply to designs without a MAP_DIRECT state. Left out, with why:
 * - S6 (no IOVA reused while an unfenced MR may use it): here nothing revokes, so the MR's IOVA is
 *   freed only by __ib_umem_release after ib_dereg_mr fenced the MR (JG4), and the other DMA user
 *   maps once. No step of these designs frees an IOVA early, so S6 could fail only by a mutant of
 *   the release order, not by any revocation of the design. map-direct checks S6 where the
 *   revocation exists (MD-R2 `v7+C2`, MD-C3 `C3-buggy`, which kills it).
 * - L5 (dereg and munmap terminate: flush_work, flush_delayed_work return): munmap of these VMAs
 *   has no vm_ops->close work (no map_direct_state: no flush_delayed_work), and only device-dax's
 *   deregistration waits (map_direct_lease_destroy: flush_work of lds_work). A hang there comes
 *   after ib_dereg_mr fenced the MR, so nothing else can move: the explorer reports it as a
 *   `deadlock` (kept here), and the liveness graph never enters that state, so no mutant could kill
 *   L5 in this spec (argued, not checked; docs/models/map-direct.md, "Mutants"). map-direct checks L5 where munmap waits
 *   with the MR live (killed there by `mutant:invalidate=flushMmapSem`).
 * The falsifiability gate (issue 10) requires a killer per spec for each property it keeps; these
 * two would have none here, for the reasons above.
 */
const KEEP = new Set(['S1', 'S1w', 'S1c', 'S2', 'S5', 'S11', 'R10', 'L1', 'L3']);
/** Key steps in these designs (no mds lease to break): the MR goes live, or the v6 seal refuses. */
const BASE_KEYSTEPS: Readonly<Record<string, readonly string[]>> = {
  S2: ['ib_reg_user_mr'],
  L1: ['xfs_seal_block_map', 'xfs_fallocate_etxtbsy'],
  L3: ['xfs_seal_block_map', 'xfs_fallocate_etxtbsy'],
};

type Exp = Record<string, Expectation>;
function variant(doc: string, knobValues: Record<string, string | number | boolean>, base: string, expect: Exp, preset?: string): VariantDecl {
  return { doc, ...(preset ? { preset } : {}), knobs: knobValues, expect: { '*': H(base), ...expect } };
}
/**
 * The postings without a MAP_DIRECT state. pre-series: no MAP_DIRECT code at all (MD-K1 none); the
 * pNFS xfs_break_layouts it inherits already has the MD-C7 precedence bug ("pre-existing pNFS code
 * that the series moves"). v6: MAP_DIRECT seals the inode (MD-K1 immutable).
 */
const presets = {
  'pre-series': { doc: 'before the series: a plain MAP_SHARED DAX mapping, ib_umem_get without the P11 checks', cite: 'MD-K1 none; MD-R1; MD-C7 "pre-existing pNFS code"', knobs: { protection: 'none', c7Precedence: true } },
  v6: { doc: 'v6: MAP_DIRECT seals the block map (S_IOMAP_IMMUTABLE); breakers get -ETXTBSY', cite: 'MD-K1 immutable; P00 "Changes since v6"; CH1', knobs: { protection: 'immutable', c7Precedence: true } },
};
/** MD-R1: GUP pins block 0, the HCA maps it, truncate/punch frees it, the DMA lands in a free block. */
const R1 = (cite: string): Exp => ({
  S1: V(cite, ['umem:ib_reg_user_mr', 'T:xfs_free_file_space', 'hca_dma_write']),
  S1w: V(cite, ['umem:ib_reg_user_mr', 'T:xfs_free_file_space', 'hca_dma_write']),
  S1c: V(cite, ['umem:ib_reg_user_mr', 'T:xfs_free_file_space', 'hca_dma_write']),
  S2: V('MD §4 K1 "none: S1/S2 fail" (the first block-map change under the live MR: a fault or the punch)', ['umem:ib_reg_user_mr']),
  S5: V(cite, ['umem:ib_reg_user_mr', 'T:xfs_free_file_space']),
});

const variants: Record<string, VariantDecl> = {
  'pre-series': variant('pre-series as posted (MD-K1 none): a plain MAP_SHARED DAX mapping, ib_umem_get without the P11 checks = MD-R1 buggy', {}, 'MD-R1', { ...R1('MD-R1 steps 1-4; MD §4 K1 "none: S1/S2 fail"') }, 'pre-series'),
  'R1-victim': variant('MD-R1 with the freed block reallocated to file g', { protection: 'none', victimAlloc: true }, 'MD-R1', { ...R1('MD-R1 steps 1-4') }),
  'R4-buggy': variant('MD-R4 without the refusal: pre-series registration on a device without a translating IOMMU', { protection: 'none', iommu: 'absent' }, 'MD-R4', { ...R1('MD-R4 "Revocation is impossible"; MD-R1') }),
  v6: variant('v6 as posted (MD-K1 immutable): MAP_DIRECT seals the inode; breakers get -ETXTBSY', {}, 'MD §4 K1 "immutable: safe, but breakers never proceed"', {
    L1: V('MD-L1 "v6\'s immutable flag violates this by design (K1)"', ['T:xfs_fallocate_etxtbsy']),
    L3: V('MD §4 K1 "immutable: ... breakers never proceed"; CH1 "just a no-go"', ['T:xfs_fallocate_etxtbsy']),
  }, 'v6'),
  'R11-pagecache': variant('MD-R11: a page-cache file (not DAX), pre-series registration: the punched page stays pinned as an orphan', { protection: 'none', pageCache: true }, 'MD-R11 "nothing is corrupted"; MD-S1w "a pinned orphan"', {
    S1: V('MD-R11 "The MR becomes non-coherent" (the strong form fails)', ['T:xfs_free_file_space', 'hca_dma_write']),
    S1c: V('MD-R11 "The MR becomes non-coherent"', ['T:xfs_free_file_space', 'hca_dma_write']),
  }),
  'R12-buggy': variant('MD-R12 [C] / K9 devdax: dax_vm_ops.lease_direct = map_direct_lease, no check (P10), v8 revocation', { flavour: 'devdax', breaker: 'kill_dev_dax', ldsOrder: 'noCheck', revocation: 'iommuUnmapKeepIova', release: 'v8' }, 'MD-R12', {
    S1: V('MD-R12 [C] "if GUP happens before kill and the lease is set up after break_layout returns, the lds misses the break"', ['umem:get_user_pages', 'T:kill_dax', 'T:__break_lease_none', 'umem:vfs_setlease', 'T:dax_pages_reassign', 'hca_dma_write']),
    S1w: V('MD-R12 [C]', ['T:kill_dax', 'T:__break_lease_none', 'umem:vfs_setlease', 'T:dax_pages_reassign', 'hca_dma_write']),
    S1c: V('MD-R12 [C]', ['T:kill_dax', 'T:__break_lease_none', 'umem:vfs_setlease', 'T:dax_pages_reassign', 'hca_dma_write']),
    S5: V('MD-R12 [C]: the pages are reassigned while the MR still maps them', ['T:kill_dax', 'T:__break_lease_none', 'umem:vfs_setlease', 'T:dax_pages_reassign']),
    R10: V('MD-R10 (device-dax shutdown revokes through the IOMMU too)', ['T:kill_dax', 'ib_umem_lease_break', 'hca_dma_fault']),
  }),
  'R12-fixed': variant('MD-R12 fix: register the lease, then check dax_alive() (the P09 order on device-dax)', { flavour: 'devdax', breaker: 'kill_dev_dax', revocation: 'iommuUnmapKeepIova', release: 'v8' }, 'MD-R12 (the [C] gap closed by the P09 order)', {
    R10: V('MD-R10 (device-dax shutdown revokes through the IOMMU)', ['T:kill_dax', 'ib_umem_lease_break', 'hca_dma_fault']),
  }),
  'K13-legacy': variant('MD-K13: MAP_SHARED|MAP_DIRECT is a legacy mapping; ib_umem_get refuses it', { mmapFlags: 'MAP_SHARED|MAP_DIRECT' }, 'MD-K13 "second: no lease; ib_umem_get on fs-dax returns EOPNOTSUPP"', {}),
  // MD-K10 at mmap (Dan's offer, DCr6): xfs_file_mmap_validate refuses MAP_DIRECT on a reflinked or
  // non-DAX file (-EOPNOTSUPP); the application falls back to MAP_SHARED (as for S11-noValidate)
  'K10-reflink-mmap': variant('MD-K10 reject at mmap (DCr6): MAP_DIRECT on a reflinked file fails; the MAP_SHARED fallback cannot register a DAX MR (no ->lease_direct) (v8 base)', { revocation: 'iommuUnmapKeepIova', release: 'v8', reflinked: true, k10MmapCheck: 'mmap' }, 'MD-K10 "semantic only"; DCr6 "we can move these checks to mmap time"; MD A10 "no vm_ops->lease_direct: -EOPNOTSUPP"', {}),
  'K10-nodax-mmap': variant('MD-K10 reject at mmap (DCr6): MAP_DIRECT on a non-DAX file fails; the MAP_SHARED fallback registers a page-cache MR (MD-R11) (v8 base)', { revocation: 'iommuUnmapKeepIova', release: 'v8', pageCache: true, k10MmapCheck: 'mmap' }, 'MD-K10 "semantic only"; DCr6; MD A10 "non-DAX VMA: skip"; MD-R11 "nothing is corrupted"', {
    S1: V('MD-R11 "The MR becomes non-coherent" (the fallback mapping is an ordinary page-cache MR)', ['T:xfs_free_file_space', 'hca_dma_write']),
    S1c: V('MD-R11 "The MR becomes non-coherent"', ['T:xfs_free_file_space', 'hca_dma_write']),
  }),
  'S11-noValidate': variant('MD-S11: a filesystem without ->mmap_validate: MAP_SHARED_VALIDATE|MAP_DIRECT fails, the application maps MAP_SHARED', { mmapValidate: false }, 'MD-S11 "Otherwise it returns EOPNOTSUPP" [P01]', {}),
  // a mutant (issue 10 §3): the S11 refusal removed
  'mutant:do_mmap=noValidateCheck': {
    ...variant('mutant of do_mmap on a filesystem without ->mmap_validate: MAP_SHARED_VALIDATE|MAP_DIRECT maps like MAP_SHARED instead of failing', { mmapValidate: false, mutNoValidateCheck: true }, 'MD-S11 (every other property as in S11-noValidate)', {
      S11: V('MD-S11 "Otherwise it returns EOPNOTSUPP" [P01]', ['A:mmap', 'A:xfs_file_mmap']),
      // the explorer does not expand the state that violates S11, and every run passes through it
      ...Object.fromEntries(['S1', 'S1w', 'S1c', 'S5', 'R10'].map((p) => [`witness:${p}`, { verdict: 'unreached' as const, cite: 'every run maps first: the S11 violation (not expanded) precedes every registration' }])),
    }),
    mutant: { fn: 'do_mmap', change: '`if (!file->f_op->mmap_validate) return -EOPNOTSUPP;` removed', cite: 'P01 do_mmap' },
  },
};

export default defineSpec({
  name: 'map-direct-baselines',
  title: 'MAP_DIRECT seed 002: pre-series, v6, page cache, legacy flags (no MAP_DIRECT state)',
  doc: 'See docs/models/map-direct.md',
  knobs: knobs as any,
  system,
  properties: properties.filter((p) => KEEP.has(p.name)).map((p) => (BASE_KEYSTEPS[p.name] ? { ...p, keySteps: BASE_KEYSTEPS[p.name] } : p)),
  presets,
  locks,
  variants,
  fairness,
  bounds: { maxStates: 200_000 },
});
