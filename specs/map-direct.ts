/**
 * MAP_DIRECT, RDMA and the IOMMU (seed 002: "[PATCH v7 00/12] MAP_DIRECT for DAX RDMA and userspace
 * flush", Oct 2017; digest shared/domain/map-direct-rdma.md, cited "MD-"). See
 * docs/models/map-direct.md for every actor, every modelled function, the knobs and the measured
 * verdicts.
 *
 * Default configuration (small on purpose): file f (page 0 -> block 0, page 1 a hole), one free
 * block, a kernel buffer; process A with one MAP_DIRECT VMA of f and one MR over page 0; its mds and
 * lds; the lease core; the ib_umem; one HCA; one IOMMU domain; another kernel DMA user of the domain;
 * one breaker thread T punching page 0. Optional: a faulting process B, a victim file g that reuses
 * freed blocks, a second MR page, device-dax. Knobs K1..K13 of MD §4 (K10: reflinked / pageCache with k10MmapCheck; K5/K7 odp through machines/mapdirect/ib-umem-odp.ts; K5 sigkill and K8 SIGKILL through A's exit, ib_uverbs_close),
 * the v7/v8 differences, the [C] mutants of MD §3 (C7 through break_layout errors), and the findings
 * F1..F8 of the doc (F6 through one VMA split, knob vmaSplit).
 *
 * This spec holds the designs with a MAP_DIRECT mapping (a map_direct_state); the designs without
 * one (pre-series, v6, page cache, legacy flags, device-dax) are in map-direct-baselines.ts, which
 * imports `knobs`, `system`, `properties` and `fairness` from here.
 */
import { defineSpec, type MutantDecl, type ActorDecl, type EventDecl, type Expectation, type FairnessDecl, type GlobalView, type KnobValues, type SystemDecl, type VariantDecl } from '../src/spec/types.js';
import { xfsInodeMachine, type XfsInodeContext } from '../machines/fs/xfs-inode.js';
import { fileLockContextMachine, leaseHeld, type FileLockContext } from '../machines/fs/file-lock-context.js';
import { leaseBreakerMachine } from '../machines/fs/lease-breaker.js';
import { faultThreadMachine } from '../machines/fs/fault-thread.js';
import { mapDirectStateMachine, type MdsContext } from '../machines/mapdirect/map-direct-state.js';
import { leaseDirectStateMachine, type LdsContext } from '../machines/mapdirect/lease-direct-state.js';
import { processMachine, vmaMachine, type ProcessContext, type VmaContext } from '../machines/mapdirect/process.js';
import { ibUmemMachine, type UmemContext } from '../machines/mapdirect/ib-umem.js';
import { ibUmemOdpMachine } from '../machines/mapdirect/ib-umem-odp.js';
import { iommuMachine, hcaMachine, dmaUserMachine, translate, type IommuContext, type HcaContext } from '../machines/mapdirect/iommu.js';

const DOC = 'docs/models/map-direct.md';

export const knobs = {
  protection: { values: ['layoutLease', 'none', 'immutable'], default: 'layoutLease', doc: 'K1: none = pre-series (no MAP_DIRECT: no lease, no i_mapdcount, ib_umem_get without the P11 checks); immutable = v6 (MAP_DIRECT seals the inode, breakers get -ETXTBSY); layoutLease = v7 (xfs_file_mmap_validate -> map_direct_register)', cite: 'MD-K1; P00 "Changes since v6"; CH1' },
  faultGuard: { values: ['i_mapdcount', 'none', 'breakLayoutNonblock'], default: 'i_mapdcount', doc: 'K2: xfs_file_iomap_begin on an allocating write fault', cite: 'MD-K2; P03; DCr6' },
  setupFaultFlush: { values: [true, false], default: true, doc: 'K3: xfs_file_mmap_validate cycles MMAPLOCK_EXCL after map_direct_register ("flush in-flight faults")', cite: 'MD-K3; P06; DC6' },
  ldsOrder: { values: ['registerThenCheck', 'checkThenRegister', 'noCheck'], default: 'registerThenCheck', doc: 'K4: xfs_filemap_direct_lease: map_direct_lease then is_map_direct_broken (P09), the inverse, or no check (device-dax)', cite: 'MD-K4; P09; MD-R8' },
  revocation: { values: ['dmaUnmapSg', 'iommuUnmapKeepIova', 'none', 'mrInvalidate', 'remapToSink', 'odp', 'sigkill'], default: 'dmaUnmapSg', doc: 'K5: what ib_umem_lease_break does; odp: the application registers an ODP MR (ib_umem_get -> ib_umem_odp_get, no lease; the HCA mirrors the page table, invalidated by every zap); sigkill: SIGKILL the registering process, whose exit deletes the MR (ib_uverbs_close, a synchronous fence)', cite: 'MD-K5; P11; V8c; JG3; JG4 (sigkill); JGr5; JG2, JGr2, JGr3 (odp)' },
  sigkillWait: { values: [true, false], default: true, doc: 'K5 sigkill: ib_umem_lease_break returns (so lds_work unlocks the lease and the breaker proceeds) only after the process exit fenced the MR (ib_uverbs_cleanup_ucontext), or at once', cite: 'MD-K5 "sigkill: S1 holds if the breaker waits for the fence"; JG3; JG4' },
  timeoutAction: { values: ['SIGBUS', 'SIGKILL'], default: 'SIGBUS', doc: 'K8: what map_direct_invalidate does when lease-break-time expires: invalidate (later accesses SIGBUS, v7) or also SIGKILL the holder (Jason)', cite: 'MD-K8; JG3' },
  hcaKind: { values: ['nonOdpWithOOBInvalidate', 'odp', 'nonOdp'], default: 'nonOdpWithOOBInvalidate', doc: 'K7: what the HCA can do, as ib_umem_get / ib_umem_odp_get see it: ODP, a non-ODP MR with out-of-band invalidate (what K5 mrInvalidate needs), or neither (then ib_umem_get refuses a DAX registration that needs the driver: "blacklisted")', cite: 'MD-K7; JGr4; JG4; JG2' },
  iommu: { values: ['strict', 'lazy', 'absent'], default: 'strict', doc: 'K6: the HCA\'s IOMMU domain: dma_has_iommu/dma_get_iommu_domain answer, and whether iommu_unmap/dma_unmap flush the IOTLB synchronously', cite: 'MD-K6; P07; RM; RMr' },
  leaseBreakTime: { values: [45, 0], default: 45, doc: 'K11: /proc/sys/fs/lease-break-time: __break_lease sets fl_break_time = jiffies + lease_break_time*HZ, or 0 ("never") when it is 0; the mds work is delayed by it', cite: 'MD-K11; MD A6 [X]' },
  flavour: { values: ['fsdax', 'devdax'], default: 'fsdax', doc: 'K9: fs-dax (XFS, MAP_DIRECT) or device-dax (dax_vm_ops.lease_direct = map_direct_lease; the breaker is kill_dev_dax)', cite: 'MD-K9; P10; MD-R12' },
  breaker: { values: ['punch', 'truncate', 'write', 'none', 'kill_dev_dax'], default: 'punch', doc: 'K12: the syscall of breaker thread T (xfs_break_layouts then the operation)', cite: 'MD-K12; P05; MD A7' },
  faulter: { values: ['none', 'allocHole', 'cowWrite'], default: 'none', doc: 'K12: a second process B write-faulting f through a plain MAP_SHARED mapping (a hole, or a reflinked page)', cite: 'MD-R5, R6, R7' },
  mmapFlags: { values: ['MAP_SHARED_VALIDATE|MAP_DIRECT', 'MAP_SHARED|MAP_DIRECT'], default: 'MAP_SHARED_VALIDATE|MAP_DIRECT', doc: 'K13: the flags A passes to mmap (do_mmap, P01)', cite: 'MD-K13; P01' },
  mmapValidate: { values: [true, false], default: true, doc: 'S11: the filesystem implements ->mmap_validate (do_mmap returns -EOPNOTSUPP otherwise)', cite: 'MD-S11; P01; P06' },
  release: { values: ['v7', 'v8'], default: 'v7', doc: '__ib_umem_release order: v7 unmaps, unpins, then destroys the leases; V8c destroys the leases first', cite: 'MD A10; P11; V8c' },
  cowGuard: { values: [false, true], default: false, doc: 'R7 fix: the COW path of xfs_file_iomap_begin also refuses while i_mapdcount > 0 (iomap_can_allocate)', cite: 'MD-R7; DC3' },
  leaseEagain: { values: [true, false], default: true, doc: 'fs/locks.c generic_add_lease: -EAGAIN for a new lease while an unlock is pending', cite: 'MD A6 [X]; MD-R8' },
  dmaUser: { values: [true, false], default: true, doc: 'another kernel DMA user of the HCA\'s IOMMU domain maps a buffer (dma_map_single)', cite: 'MD-R2 step 3' },
  appFaults: { values: ['all', 'registered'], default: 'all', doc: 'the pages of f the application touches through its mapping: every page (the hole too) or only the page it registers', cite: 'MD-S3; MD A1' },
  victimAlloc: { values: [false, true], default: false, doc: 'another process allocates a block to file g (xfs_alloc_file_space): a freed block is reused', cite: 'MD-R1 step 3; MD A5' },
  pages: { values: [1, 2], default: 1, doc: 'pages in the MR (2 for C3)', cite: 'MD-C3' },
  reregister: { values: [false, true], default: false, doc: 'A may register an MR again after deregistering', cite: 'MD-L6; JG5' },
  remap: { values: [false, true], default: false, doc: 'configuration (the application, MD-L6): after SIGIO, once it has deregistered its MR and munmapped, A may mmap f again (a new VMA and map_direct_state) and register over the new mapping', cite: 'MD-L6; JG5 "quiesce, destroy its MRs and re-register"' },
  appMunmap: { values: ['any', 'afterDereg'], default: 'any', doc: 'configuration (the application): A may munmap its MAP_DIRECT VMA at any time, or only after ibv_dereg_mr (never with a live MR)', cite: 'MD-C9; P09 comment ("the lease holder will receive a SIGIO notification")' },
  pageCache: { values: [false, true], default: false, doc: 'the file is not DAX (page cache): a punched page that a GUP pin holds is orphaned, not freed', cite: 'MD-R11; JGr4; JGr5' },
  reflinked: { values: [false, true], default: false, doc: 'configuration: f is a reflinked file (page 0 shares its block with page 0 of file g; no COW fault, so the flag stays set)', cite: 'MD A7 "MAP_DIRECT faults on a reflinked inode give SIGBUS [P06]"; MD-K10' },
  k10MmapCheck: { values: ['fault', 'mmap'], default: 'fault', doc: 'K10: MAP_DIRECT on a non-DAX (pageCache) or reflinked file: v7 takes the lease and xfs_vma_checks SIGBUSes every fault and GUP (fault); or xfs_file_mmap_validate rejects the mmap with -EOPNOTSUPP (mmap; the application then maps MAP_SHARED, as for a filesystem without ->mmap_validate). The file flags are static in these configurations (not combined with faulter cowWrite, whose COW clears the reflink flag)', cite: 'MD-K10; P06 xfs_vma_checks; DCr6 "we can move these checks to mmap time"; DC6b "just add a fcntl for the non-DAX case"' },
  c2SelfInit: { values: [false, true], default: false, doc: 'C2 as posted: ib_umem_lease_break `struct ib_umem *umem = umem`', cite: 'MD-C2' },
  c3PartialUnmap: { values: [false, true], default: false, doc: 'C3 as posted: V8c iommu_unmap gets a page count as size, iommu_sg_num_pages rewrites the sg dma addresses', cite: 'MD-C3' },
  c5Leak: { values: [false, true], default: false, doc: 'C5 as posted: the lease\'s mds_ref is put only by map_direct_invalidate', cite: 'MD-C5' },
  c8ZapFirst: { values: [false, true], default: false, doc: 'C8 mutant: map_direct_invalidate zaps before clearing VALID', cite: 'MD-C8' },
  c7Precedence: { values: [false, true], default: false, doc: 'C7 as posted: xfs_break_layouts `while ((error = break_layout(inode, false) == -EWOULDBLOCK))` assigns 0 or 1, so an error other than -EWOULDBLOCK returns 0', cite: 'MD-C7; P05' },
  breakLayoutError: { values: ['none', 'enomem', 'eintr'], default: 'none', doc: 'configuration (environment): break_layout of breaker T may fail: the nonblocking call with -ENOMEM (__break_lease lease_alloc), or the wait interrupted by a signal (-ERESTARTSYS)', cite: 'MD-C7 "real errors such as an interrupted wait"; MD A6 [X] fs/locks.c __break_lease' },
  c10KfreeInterior: { values: [false, true], default: false, doc: 'C10 as posted: map_direct_lease error path kfree(lds)', cite: 'MD-C10' },
  r9CloseFlush: { values: [true, false], default: true, doc: 'R9: put_map_direct_vma clears mds_vma, sets BREAK and flushes the delayed work (P04) or not', cite: 'MD-R9; P04 put_map_direct_vma comment' },
  f1SetupIolock: { values: [true, false], default: true, doc: 'F1: false as posted; true = xfs_file_mmap_validate holds XFS_IOLOCK_SHARED around map_direct_register', cite: `${DOC} F1` },
  f3LdsZeroBreakTime: { values: [true, false], default: true, doc: 'F3: false as posted; true = lease_direct_lm_break sets fl_break_time = 0', cite: `${DOC} F3` },
  f4VmaNullCheck: { values: [true, false], default: true, doc: 'F4: false as posted (map_direct_invalidate dereferences vma->vm_file with mds_vma NULL); true = fixed', cite: `${DOC} F4` },
  f5MapBeforeLease: { values: [true, false], default: true, doc: 'F5: false as posted (->lease_direct inside the GUP loop, ib_dma_map_sg after it); true = ib_dma_map_sg before ->lease_direct', cite: `${DOC} F5` },
  vmaSplit: { values: [false, true], default: false, doc: 'candidate F6 (configuration): the application may split its MAP_DIRECT VMA once (mprotect of part, or fork: vm_ops->open = xfs_filemap_direct_open -> get_map_direct_vma) and munmap either part', cite: `${DOC} F6 (candidate); P04 get_map_direct_vma; P06 xfs_filemap_direct_open` },
  f6RetargetVma: { values: [true, false], default: true, doc: 'F6: false as posted (mds_vma keeps pointing to the first VMA; put_map_direct_vma reads mds_vma->vm_file before the decrement); true = a non-last put_map_direct_vma of that VMA moves mds_vma to a surviving VMA', cite: `${DOC} F6` },
  f9FaultFlush: { values: [true, false], default: true, doc: 'F9: false as posted (map_direct_invalidate clears VALID and zaps without waiting for a CPU fault already past xfs_vma_checks, which then installs its PTE after the zap); true = map_direct_invalidate waits for faults in flight (MMAPLOCK_EXCL cycle through a filesystem hook) between clear_bit(VALID) and unmap_mapping_range', cite: `${DOC} F9` },
  mutLmBreak: { values: ['posted', 'noSigio', 'noSchedule'], default: 'posted', doc: 'mutant of map_direct_lm_break (P04): noSigio = the kill_fasync(&fl->fl_fasync, SIGIO, POLL_MSG) line removed; noSchedule = the schedule_delayed_work line removed', cite: 'P04 map_direct_lm_break' },
  mutFlushMmapSem: { values: [false, true], default: false, doc: 'mutant of map_direct_invalidate with the F9 fix: the wait for faults in flight cycles the mapping mm\'s mmap_sem (`down_write(&vma->vm_mm->mmap_sem); up_write`) instead of the inode\'s MMAPLOCK; munmap holds mmap_sem for writing while put_map_direct_vma flushes the work', cite: `${DOC} F9 (fix); P04 put_map_direct_vma flush_delayed_work; [X] mm/mmap.c vm_munmap down_write(&mm->mmap_sem)` },
  mutBrokenTestsValid: { values: [false, true], default: false, doc: 'mutant of is_map_direct_broken (P08): `test_bit(MAPDIRECT_BREAK, &mds->mds_state)` -> `test_bit(MAPDIRECT_VALID, ...)`, the body of is_map_direct_valid just above it', cite: 'P08 is_map_direct_broken; P09 xfs_filemap_direct_lease' },
  mutNoValidateCheck: { values: [false, true], default: false, doc: 'mutant of do_mmap (P01): the line `if (!file->f_op->mmap_validate) return -EOPNOTSUPP;` removed (MAP_SHARED_VALIDATE then maps like MAP_SHARED)', cite: 'P01 do_mmap' },
  f10RestartBreak: { values: [false, true], default: false, doc: 'F10: false as in fs/locks.c (4.14: __break_lease calls lm_break only for the leases present when it is called; its restart loop waits on a lease taken during the wait without breaking it); true = the proposed fix: at `restart:` every conflicting lease not yet unlock-pending gets FL_UNLOCK_PENDING and its lm_break, as in the first loop', cite: `${DOC} F10; [X] fs/locks.c __break_lease` },
  f7MapdcountFirst: { values: [true, false], default: true, doc: 'F7: false as posted (i_mapdcount_inc after vfs_setlease); true = increment before the lease', cite: `${DOC} F7` },
} as const;

type K = { [N in keyof typeof knobs]: (typeof knobs)[N]['values'][number] };

/** Sync groups keep only the parties that exist in this configuration. */
export function system(kv: KnobValues): SystemDecl {
  const k = kv as unknown as K;
  const pages = k.pages;
  const devdax = k.flavour === 'devdax';
  const lease = k.protection === 'layoutLease';
  const sealed = k.protection === 'immutable';
  /** MD-K10 mmap: xfs_file_mmap_validate refuses MAP_DIRECT on a non-DAX or reflinked file (static flags) */
  const k10Reject = lease && !devdax && k.mmapFlags === 'MAP_SHARED_VALIDATE|MAP_DIRECT' && k.mmapValidate && k.k10MmapCheck === 'mmap' && (k.pageCache || k.reflinked);
  const direct = lease && !devdax && k.mmapFlags === 'MAP_SHARED_VALIDATE|MAP_DIRECT' && k.mmapValidate && !k10Reject;
  const dvma = direct || sealed || (devdax && lease); // a VMA with ->lease_direct (v6: the sealed VMA)
  /** candidate F6: the MAP_DIRECT VMA may be split (fs-dax MAP_DIRECT only) */
  const split = k.vmaSplit && direct;
  const hasT = k.breaker !== 'none';
  const hasB = k.faulter !== 'none';
  const hasU = k.dmaUser;
  const sink = k.revocation === 'remapToSink';
  // blocks: f pages 0..pages-1, one free block, kbuf (dma user), sink
  const owners = [...Array.from({ length: pages }, (_, i) => `f:${i}`), 'FREE'];
  const KBUF = hasU ? owners.push('kbuf') - 1 : -1;
  const SINK = sink ? owners.push('SINK') - 1 : -1;
  const blocks = owners.map((_, i) => i);
  // f: the MR's pages, then a hole (device-dax: the device's pages, no hole)
  const files: Record<string, (number | null)[]> = { f: [...Array.from({ length: pages }, (_, i) => i), ...(devdax ? [] : [null])] };
  const reflinkedF = k.faulter === 'cowWrite' || k.reflinked;
  if (k.victimAlloc || reflinkedF) files.g = [reflinkedF ? 0 : null];
  const fOffs = files.f!.map((_, i) => i);
  const niova = k.iommu === 'absent' ? owners.length : pages + (hasU ? 1 : 0);
  const iovas = Array.from({ length: niova }, (_, i) => i);
  const nP = pages > 1 ? [1, pages] : [1];
  const revocation = lease ? k.revocation : 'none';
  /** K5/K7 odp: the MR is an ODP MR (ib_umem_odp_get succeeded) */
  const odpMr = revocation === 'odp' && k.hcaKind === 'odp';

  const actors: Record<string, ActorDecl> = {
    A: {
      thread: true, machine: processMachine,
      input: {
        flags: lease ? k.mmapFlags : 'MAP_SHARED', mmapValidate: k.mmapValidate, seal: sealed, setupIolock: k.f1SetupIolock,
        setupFaultFlush: k.setupFaultFlush, mapdcountFirst: k.f7MapdcountFirst, regMr: true, reregister: k.reregister, faultOffs: k.appFaults === 'all' ? fOffs : [0], devdax,
        munmapAfterDereg: k.appMunmap === 'afterDereg', remap: k.remap && direct, mutNoValidateCheck: k.mutNoValidateCheck, k10Reject, vmaSplit: k.vmaSplit && direct,
      },
    },
    vma: { machine: vmaMachine, input: { direct: dvma, pages: fOffs.length, remap: k.remap && direct } },
    inode: { machine: xfsInodeMachine, input: { files, owners, dax: !k.pageCache, faultGuard: lease ? k.faultGuard : 'none', cowGuard: k.cowGuard, reflinked: reflinkedF } },
    umem: {
      machine: ibUmemMachine,
      input: {
        pages, gate: lease ? (k.pageCache ? 'none' : 'lease') : sealed ? 'sealed' : 'none', ldsOrder: k.ldsOrder, revocation, release: k.release, hcaKind: k.hcaKind,
        selfInit: k.c2SelfInit, partialUnmap: k.c3PartialUnmap, mapBeforeLease: k.f5MapBeforeLease, sink: SINK, sigkillWait: k.sigkillWait,
      },
    },
    iommu: { machine: iommuMachine, input: { mode: k.iommu, niova } },
    hca: { machine: hcaMachine, input: { pages, odp: odpMr } },
  };
  if (direct) actors.mds = { machine: mapDirectStateMachine, input: { invalidateOrder: k.c8ZapFirst ? 'zapFirst' : 'validFirst', faultFlush: k.f9FaultFlush, flushLock: k.mutFlushMmapSem ? 'mmap_sem' : 'MMAPLOCK', brokenBit: k.mutBrokenTestsValid ? 'VALID' : 'BREAK', lmBreak: k.mutLmBreak, vmaNullCheck: k.f4VmaNullCheck, refFix: !k.c5Leak, closeFlush: k.r9CloseFlush, mapdcountFirst: k.f7MapdcountFirst, timeoutKill: k.timeoutAction === 'SIGKILL', retargetVma: k.f6RetargetVma } };
  // the lease core exists in every kernel (pNFS layouts: xfs_break_layouts finds no lease there)
  actors.flc = { machine: fileLockContextMachine, input: { eagainWhileUnlockPending: k.leaseEagain, breakTimeZero: k.leaseBreakTime === 0 } };
  if (lease) actors.lds = { machine: leaseDirectStateMachine, input: { zeroBreakTime: k.f3LdsZeroBreakTime, kfreeInterior: k.c10KfreeInterior } };
  if (hasT) actors.T = { thread: true, machine: leaseBreakerMachine, input: { kind: k.breaker, off: k.breaker === 'truncate' ? -1 : 0, immutable: sealed, c7Precedence: k.c7Precedence, error: k.breakLayoutError, restartBreaks: k.f10RestartBreak } };
  const bOff = k.faulter === 'cowWrite' ? 0 : pages;
  if (hasB) actors.B = { thread: true, machine: faultThreadMachine, input: { off: bOff, kind: k.faulter, breakFirst: lease && k.faultGuard === 'breakLayoutNonblock' } };
  if (hasU) actors.user = { machine: dmaUserMachine, input: { blk: KBUF } };
  if (odpMr) actors.odp = { machine: ibUmemOdpMachine, input: { pages } };

  const has = (a: string) => a in actors;
  /** A party group: every `req` instance must exist (else the group is absent); `opt` join if they exist. */
  type Grp = { req: string[]; opt: string[] };
  const G = (req: string[], opt: string[] = []): Grp => ({ req, opt });
  /** A synchronised event over the groups that exist. An event none of whose groups exists is
   * declared wired to the instances that handle it, with no wire: it never arrives (the idiom). */
  const sync = (groups: Grp[], params?: Record<string, readonly (string | number | boolean)[]>): EventDecl => {
    const ok = groups.filter((x) => x.req.every(has)).map((x) => [...x.req, ...x.opt.filter(has)]);
    const handlers = [...new Set(groups.flatMap((x) => [...x.req, ...x.opt]))].filter(has);
    if (ok.length === 0) return { wired: handlers };
    // a handler left out of every complete group only handles the event in states it never
    // reaches in this configuration (e.g. A's vfs_setlease without a map_direct_state): alone
    const alone = handlers.filter((h) => !ok.some((gr) => gr.includes(h))).map((h) => [h]);
    return { sync: [...ok, ...alone], ...(params ? { params } : {}) };
  };
  const local = (a: string, params?: Record<string, readonly (string | number | boolean)[]>): EventDecl =>
    has(a) ? { local: [a], ...(params ? { params } : {}) } : { wired: [] };
  /** An event this configuration never generates: declared wired to its handlers, with no wire. */
  const never = (...handlers: string[]): EventDecl => ({ wired: handlers.filter(has) });
  const lockers = [G(['A', 'inode']), G(['T', 'inode']), G(['B', 'inode'])];
  const breakers = [G(['T', 'flc']), G(['B', 'flc'])];
  const lockP = { lock: ['IOLOCK', 'MMAPLOCK'], mode: ['SHARED', 'EXCL'] };
  const faultP = { off: fOffs, blk: blocks, alloc: [false, true], direct: [dvma] };
  const mrOffs = Array.from({ length: pages }, (_, i) => i);

  const events: Record<string, EventDecl> = {
    // the application
    // MD-L6 remap: a second mmap allocates a new vm_area_struct, the `vma` actor's next incarnation
    // (without it the vma's mmap transitions are disabled by its input: declared local to both)
    mmap: k.remap && direct ? sync([G(['A', 'vma'])]) : { local: ['A', 'vma'] },
    // a fault through the VMA (P06 __xfs_filemap_fault): the check, then the PTE insert (issue 11).
    // A's CPU access and (the odp group) an HCA page fault of the ODP MR start one (xfs_vma_checks:
    // the application's or the device's decision); GUP's faultin_page (below) is a kernel step
    xfs_vma_checks: sync([G(['A', 'vma', 'inode'], ['mds']), G(['odp', 'vma', 'inode'], ['mds'])], { off: fOffs, direct: [dvma] }),
    dax_iomap_fault: sync([G(['A', 'vma', 'inode']), G(['umem', 'vma', 'inode']), G(['odp', 'vma', 'inode'])], faultP),
    dax_iomap_fault_sigbus: sync([G(['A', 'inode']), G(['umem', 'inode']), G(['odp', 'inode'])], { off: fOffs, direct: [dvma] }),
    ib_umem_odp_map_dma_pages: local('odp'),
    ibv_reg_mr: sync([G(['A', 'umem'])]),
    ibv_dereg_mr: sync([G(['A', 'umem', 'hca'], ['odp'])]),
    vma_close: sync([G(['A', 'vma'], ['mds', 'odp'])], split ? { piece: ['orig', 'split'] } : undefined),
    vma_open: split ? sync([G(['A', 'vma', 'mds'])]) : never('A', 'vma', 'mds'),
    SIGIO: { wired: ['A'] },
    SIGKILL: { wired: ['A'] },
    ib_uverbs_close: sync([G(['A', 'umem', 'hca'])]),
    // mmap / munmap in A's context
    xfs_ilock: sync(lockers, lockP),
    xfs_iunlock: sync(lockers, lockP),
    xfs_ilock_cycle: sync([G(['A', 'inode']), G(['mds', 'inode'])]),
    mmap_sem_cycle: k.mutFlushMmapSem ? sync([G(['mds', 'A'])]) : never('mds', 'A'),
    xfs_file_mmap: sync([G(['A', 'vma'])]),
    xfs_seal_block_map: sync([G(['A', 'inode'])]),
    vfs_setlease: sync([G(['A', 'mds', 'flc']), G(['umem', 'lds', 'flc'])], { owner: ['mds', 'lds'] }),
    vfs_setlease_eagain: sync([G(['A', 'mds', 'flc']), G(['umem', 'lds', 'flc'])], { owner: ['mds', 'lds'] }),
    i_mapdcount_inc: sync([G(['A', 'mds', 'inode'])]),
    i_mapdcount_dec: sync([G(['A', 'mds', 'inode'])]),
    mmap_return: sync([G(['A', 'vma', 'mds'])]),
    put_map_direct_vma_return: sync([G(['A', 'mds', 'vma'])]),
    // ib_umem_get / ib_umem_release in A's context
    // GUP in ib_umem_get ([X] mm/gup.c __get_user_pages): follow_page_mask pins a present PTE's page;
    // with none, faultin_page -> __xfs_filemap_fault (the check; dax_iomap_fault above), then again
    get_user_pages: sync([G(['umem', 'vma', 'inode'])], { off: mrOffs, blk: blocks }),
    faultin_page: sync([G(['umem', 'vma', 'inode'], ['mds'])], { off: mrOffs, direct: [dvma] }),
    get_user_pages_efault: sync([G(['umem', 'vma', 'inode'], ['mds'])], { why: [...(direct ? ['invalid'] : []), 'reflink', ...(direct && k.pageCache ? ['nodax'] : [])], off: mrOffs, direct: [dvma] }),
    ib_umem_get_checks: sync([G(['umem', 'vma', 'iommu'])], { lease_direct: [true, false], iommu: [true, false] }),
    is_map_direct_broken: sync([G(['umem', 'mds'])], { broken: [false, true] }),
    dax_alive: devdax ? sync([G(['umem', 'inode'])], { alive: [true, false] }) : { wired: ['umem', 'inode'] },
    dax_mmap: sync([G(['A', 'vma'])]),
    dma_map_sg: sync([G(['umem', 'iommu']), G(['user', 'iommu'])], { who: hasU ? ['umem', 'user'] : ['umem'], iova: iovas, n: nP, blk: blocks, blk2: [-1, ...(pages > 1 ? blocks : [])] }),
    dma_unmap_sg: sync([G(['umem', 'iommu'])], { who: ['umem'], iova: iovas, n: [pages] }),
    ib_reg_user_mr: sync([G(['A', 'umem', 'hca'], ['odp'])], { i0: odpMr ? [-1] : iovas, i1: pages > 1 && !odpMr ? iovas : [-1], valid: revocation === 'mrInvalidate' ? [true, false] : [true] }),
    ib_umem_get_fail: sync([G(['A', 'umem'])]),
    put_page: sync([G(['umem', 'inode'])], { blk: blocks }),
    flush_work: sync([G(['umem', 'lds'])]),
    ib_umem_release_return: sync([G(['A', 'umem'])]),
    // the lease core
    map_direct_lm_break: sync([G(['flc', 'mds'])]),
    lease_direct_lm_break: sync([G(['flc', 'lds'])], { zero: [false, true] }),
    map_direct_lm_change: sync([G(['mds', 'flc', 'inode'])], { by: ['work', 'close'] }),
    lease_direct_lm_change: sync([G(['lds', 'flc', 'umem'])], { by: ['work', 'destroy'] }),
    vfs_setlease_unlck: sync([G(['mds', 'flc']), G(['lds', 'flc', 'umem'])], { owner: ['mds', 'lds'], by: ['work', 'close', 'destroy'] }),
    __break_lease_none: sync(breakers),
    __break_lease: sync(breakers, { n: [0, 1, 2] }),
    __break_lease_ewouldblock: sync(breakers),
    __break_lease_wait: sync([G(['T', 'flc'])]),
    __break_lease_wakeup: sync([G(['T', 'flc'])]),
    time_out_leases: sync([G(['T', 'flc'])]),
    __break_lease_enomem: k.breakLayoutError === 'enomem' ? sync([G(['T', 'flc'])]) : never('T', 'flc'),
    __break_lease_eintr: k.breakLayoutError === 'eintr' ? local('T') : never('T'),
    // mds_work / lds_work
    flush_delayed_work: local('mds'),
    clear_bit_VALID: local('mds'),
    unmap_mapping_range: sync([G(['mds', 'vma'], ['odp']), G(['T', 'vma'], ['odp'])], split ? { vma: ['orig', 'split'] } : undefined),
    ib_umem_lease_break: sync([G(['lds', 'umem'])]),
    iommu_unmap: sync([G(['umem', 'iommu'])], { iova: iovas, n: [1, 2] }),
    iommu_map_sink: sync([G(['umem', 'iommu'])], { iova: iovas, n: [pages], sink: [SINK] }),
    ib_umem_mr_invalidate: sync([G(['umem', 'hca'])]),
    iommu_flush_iotlb: local('iommu'),
    // the breakers
    xfs_free_file_space: sync([G(['T', 'inode', 'vma'], ['odp'])], { off: [k.breaker === 'truncate' ? -1 : 0] }),
    xfs_file_dax_write: sync([G(['T', 'inode'])]),
    xfs_fallocate_etxtbsy: sync([G(['T', 'inode'])]),
    kill_dax: sync([G(['T', 'inode'])]),
    dax_pages_reassign: sync([G(['T', 'inode'])]),
    xfs_iomap_begin: sync([G(['B', 'inode'])], { off: [bOff] }),
    xfs_iomap_begin_etxtbsy: sync([G(['B', 'inode'])], { off: [bOff] }),
    xfs_iomap_begin_mapped: sync([G(['B', 'inode'])], { off: [bOff] }),
    xfs_bmapi_write: sync([G(['B', 'inode'])], { off: [bOff], blk: blocks }),
    xfs_reflink_allocate_cow: sync([G(['B', 'inode'])], { off: [0], blk: blocks }),
    xfs_reflink_cow_etxtbsy: sync([G(['B', 'inode'])]),
    xfs_alloc_file_space: k.victimAlloc ? { local: ['inode'], params: { blk: blocks } } : { wired: ['inode'] },
    // the device
    hca_dma_write: sync([G(['hca', 'iommu'])], { iova: iovas, blk: blocks }),
    hca_dma_fault: sync([G(['hca', 'iommu'])], { iova: iovas }),
    hca_odp_dma_write: sync([G(['hca', 'odp'])], { off: Array.from({ length: pages }, (_, i) => i), blk: blocks }),
  };
  // an event no existing instance handles is not declared at all
  for (const [name, d] of Object.entries(events)) {
    if ('wired' in d && d.wired.length === 0) delete events[name];
  }
  const wires = [
    ...(direct ? [{ from: 'mds', event: 'SIGIO', to: 'A' }] : []),
    ...(direct && k.timeoutAction === 'SIGKILL' ? [{ from: 'mds', event: 'SIGKILL', to: 'A' }] : []),
    ...(revocation === 'sigkill' ? [{ from: 'umem', event: 'SIGKILL', to: 'A' }] : []),
  ];
  return {
    actors,
    events,
    ...(wires.length > 0 ? { wires } : {}),
    // SIGIO, plus one slot per SIGKILL sender (MD-K5 sigkill, MD-K8)
    mailboxes: { A: { capacity: wires.length > 0 ? wires.length : 1 } },
  };
}

// ---- reading the global state ----
const has = (s: GlobalView, a: string) => s.actors.includes(a);
const ino = (s: GlobalView) => s.context<XfsInodeContext>('inode');
const mds = (s: GlobalView): MdsContext | null => (has(s, 'mds') ? s.context<MdsContext>('mds') : null);
const flc = (s: GlobalView): FileLockContext | null => (has(s, 'flc') ? s.context<FileLockContext>('flc') : null);
const hca = (s: GlobalView) => s.context<HcaContext>('hca');
const iommu = (s: GlobalView) => s.context<IommuContext>('iommu');
const umem = (s: GlobalView) => s.context<UmemContext>('umem');
const proc = (s: GlobalView) => s.context<ProcessContext>('A');
const held = (s: GlobalView, o: string) => { const c = flc(s); return c !== null && leaseHeld(c, o); };
/** The lds lease is held, and no lease break reached it (not unlock-pending, lds_work not started). */
const ldsUnbroken = (s: GlobalView) => {
  const c = flc(s);
  return c !== null && c.leases.some((l) => l.owner === 'lds' && !l.pending) && !c.breaking.includes('lds') && !(has(s, 'lds') && s.context<LdsContext>('lds').brk);
};
/** The page of f the MR maps at `iova` (the MR was registered over pages 0..n-1). */
const pageOf = (s: GlobalView, iova: number) => hca(s).iovas.indexOf(iova);
/** The MR page a DMA write targets: an ODP MR is addressed by page (no IOVAs of its own). */
const dmaPage = (s: GlobalView, e: any): number => (e.type === 'hca_odp_dma_write' ? e.off : pageOf(s, e.iova));
const DMA_WRITES = ['hca_dma_write', 'hca_odp_dma_write'];
const blockEvents = ['xfs_free_file_space', 'xfs_bmapi_write', 'xfs_reflink_allocate_cow', 'dax_iomap_fault'];
/** A step that changes the block map of f. */
const changesMap = (p: GlobalView, n: GlobalView) => JSON.stringify(ino(p).fmap.f) !== JSON.stringify(ino(n).fmap.f);
const mrLive = (s: GlobalView) => hca(s).mr !== 'none';
const punched = (s: GlobalView) => ino(s).fmap.f![0] !== 0;
const tried = (s: GlobalView) => proc(s).regs > 0 && !s.matches('A', 'reg_wait');
/** The RDMA situation: the application registered (or tried to register) an MR over page 0, and
 * the breaker got past its lease break (or was refused by the v6 seal). */
const rdmaBreak = (s: GlobalView) => tried(s) && has(s, 'T') && (s.context<{ proceeded: boolean }>('T').proceeded || s.matches('T', 'failed'));

export const properties = [
  { name: 'S1', keySteps: ['T:xfs_free_file_space', 'hca_dma_write'], kind: 'action' as const, on: DMA_WRITES, cite: 'MD-S1 [P07, P11, V8a]',
    doc: 'S1 (strong): a DMA write through MR page k lands in a block owned by f:k, the block registered',
    check: (p: GlobalView, st: { event: any }) => ino(p).owner[st.event.blk] === `f:${dmaPage(p, st.event)}`,
    witness: rdmaBreak },
  { name: 'S1w', keySteps: ['T:xfs_free_file_space', 'hca_dma_write'], kind: 'action' as const, on: DMA_WRITES, cite: 'MD-S1w [JG6, MB]',
    doc: 'S1w (weak): a DMA write lands in the registered owner, a pinned orphan or the sink page; never in a free or reassigned block',
    check: (p: GlobalView, st: { event: any }) => { const o = ino(p).owner[st.event.blk]; return o === `f:${dmaPage(p, st.event)}` || o === 'ORPHAN' || o === 'SINK'; },
    witness: rdmaBreak },
  { name: 'S1c', keySteps: ['T:xfs_free_file_space', 'hca_dma_write'], kind: 'action' as const, on: DMA_WRITES, cite: 'MD-S1 "coherent" (MD-K5 remapToSink, odp; issue 3)',
    doc: 'S1c (coherent): a DMA write through MR page k lands in the block f maps at page k now',
    check: (p: GlobalView, st: { event: any }) => ino(p).fmap.f![dmaPage(p, st.event)] === st.event.blk,
    witness: rdmaBreak },
  { name: 'S2', keySteps: ['A:mmap_return', 'T:xfs_free_file_space'], kind: 'action' as const, on: blockEvents, cite: 'MD-S2 [P00, P06]',
    doc: 'S2: the block map of f does not change while the application relies on it without notification: an established MAP_DIRECT mapping holds its lease, or (no lease in this design) a DAX MR over f is live',
    check: (p: GlobalView, _st: unknown, n: GlobalView) => !changesMap(p, n) || !((mds(p)?.established && held(p, 'mds')) || (!has(p, 'mds') && !has(p, 'lds') && mrLive(p) && ino(p).dax)),
    witness: (s: GlobalView) => proc(s).mapped && has(s, 'T') && s.context<{ proceeded: boolean }>('T').proceeded },
  { name: 'S3', keySteps: ['A:mmap_return', 'A:dax_iomap_fault'], kind: 'action' as const, on: ['dax_iomap_fault'], cite: 'MD-S3 [P06, P03]',
    doc: 'S3: a fault or GUP through a MAP_DIRECT VMA never allocates (it gets SIGBUS instead)',
    check: (_p: GlobalView, st: { event: any }) => !(st.event.direct && st.event.alloc),
    witness: (s: GlobalView) => (mds(s)?.established ?? false) && (mds(s)?.valid ?? false) && proc(s).mapped && ino(s).fmap.f!.includes(null) },
  { name: 'S4', keySteps: ['mds:unmap_mapping_range', 'A:dax_iomap_fault'], kind: 'invariant' as const, cite: 'MD-S4 [P04, P06]',
    doc: 'S4: once map_direct_invalidate cleared VALID and zapped, no PTE of the MAP_DIRECT VMA maps a block',
    check: (s: GlobalView) => { const m = mds(s); return !(m && m.zapped && !m.valid && s.context<VmaContext>('vma').pte.some(Boolean)); },
    witness: (s: GlobalView) => { const m = mds(s); return m !== null && m.zapped && !m.valid; } },
  { name: 'S5', keySteps: ['T:xfs_free_file_space'], kind: 'action' as const, on: ['xfs_free_file_space', 'dax_pages_reassign'], cite: 'MD-S5 [P08, P11, V8c]',
    doc: 'S5: when the breaker frees a block, no live MR can still reach it through the IOMMU (page table and IOTLB) unless the MR is invalidated',
    check: (p: GlobalView, _st: unknown, n: GlobalView) => {
      const h = hca(p);
      if (h.mr !== 'valid') return true;
      const freed = ino(p).owner.map((o, b) => (o !== 'FREE' && ino(n).owner[b] === 'FREE' ? b : -1)).filter((b) => b >= 0);
      return h.iovas.every((i) => { const t = translate(iommu(p), i); return t === null || !freed.includes(t); });
    },
    witness: rdmaBreak },
  { name: 'S6', keySteps: ['umem:dma_unmap_sg', 'dma_map_sg'], kind: 'action' as const, on: ['dma_map_sg'], cite: 'MD-S6 [DW1-DW3, DWr2]; MD-C3',
    doc: 'S6: no dma_map returns an IOVA that a not yet fenced MR, or another DMA user that has not unmapped it, still uses',
    check: (p: GlobalView, st: { event: any }) => {
      const r = Array.from({ length: st.event.n }, (_, i) => st.event.iova + i);
      const userIova = has(p, 'user') && p.matches('user', 'mapped') ? p.context<{ iova: number }>('user').iova : -1;
      return !r.some((i) => (mrLive(p) && hca(p).iovas.includes(i)) || (st.event.who !== 'user' && i === userIova));
    },
    witness: (s: GlobalView) => has(s, 'user') && s.matches('user', 'mapped') && (mrLive(s) || tried(s)) },
  { name: 'S7', keySteps: ['map_direct_lm_break', 'umem:vfs_setlease', 'umem:ib_reg_user_mr'], kind: 'invariant' as const, cite: 'MD-S7 [P09, P11]',
    doc: 'S7: an MR over the DAX VMA exists only with ->lease_direct, a translating IOMMU, and an lds lease registered while the mds was not broken (a break of the mds lease reached it too)',
    check: (s: GlobalView) => {
      if (!mrLive(s) || ino(s).dax === false) return true;
      const v = s.context<VmaContext>('vma');
      if (!v.direct) return false;
      // an ODP MR takes no lease: its mirror is invalidated by every zap (JG2; JGr2 "I don't touch the ODP path")
      if (hca(s).odp) return true;
      // the lds lease was registered while the mds was not broken: once lm_break broke the mds lease
      // (SIGIO sent), an lds lease that the break did not reach (not pending, lds not broken) came after it (MD-R8)
      if (has(s, 'mds')) return iommu(s).mode !== 'absent' && umem(s).lds && !(mds(s)!.sigio > 0 && ldsUnbroken(s));
      return true; // v6: the sealed VMA
    },
    witness: tried },
  { name: 'S8', keySteps: ['A:vfs_setlease', 'mds:map_direct_lm_change'], kind: 'assertion' as const, cite: 'MD-S8 [P03, P04]', doc: 'S8: i_mapdcount_dec never hits BUG_ON(!count)', witness: (s: GlobalView) => ino(s).mapdcount > 0 },
  { name: 'S9', keySteps: ['map_direct_lm_break'], kind: 'assertion' as const, cite: 'MD-S9 [C]', doc: 'S9: no use of a freed mds or vma, no NULL mds_vma dereference, no kfree of an interior pointer', witness: (s: GlobalView) => (mds(s)?.freed ?? false) },
  { name: 'S9leak', keySteps: ['A:vma_close', 'A:put_map_direct_vma_return'], kind: 'invariant' as const, cite: 'MD-S9 "no object stays unreachable"; MD-C5',
    doc: 'S9 (no leak): once put_map_direct_vma returned and no invalidation is pending, the mds is freed',
    check: (s: GlobalView) => { const m = mds(s); return !(m && s.matches('mds', { ok: { life: 'released' } }) && m.work === 'idle' && !m.freed); },
    witness: (s: GlobalView) => has(s, 'mds') && s.matches('mds', { ok: { life: 'released' } }) },
  { name: 'S10', keySteps: ['map_direct_lm_break', 'mds:unmap_mapping_range'], kind: 'invariant' as const, cite: 'MD-S10 [P04]',
    doc: 'S10: at most one SIGIO per mds break, sent before the invalidation',
    check: (s: GlobalView) => { const m = mds(s); return !m || (m.sigio <= 1 && (!m.zapped || m.sigio === 1)); },
    witness: (s: GlobalView) => (mds(s)?.sigio ?? 0) === 1 },
  { name: 'S11', keySteps: ['A:mmap', 'A:xfs_file_mmap'], kind: 'invariant' as const, cite: 'MD-S11 [P01, P06]',
    doc: 'S11: an mmap with MAP_SHARED_VALIDATE|MAP_DIRECT succeeds only with a MAP_DIRECT mapping (->mmap_validate supports the flag)',
    check: (s: GlobalView) => { const a = proc(s); return !(a.mapped && a.flags === 'MAP_SHARED_VALIDATE|MAP_DIRECT' && !a.einval && !a.seal && !s.context<VmaContext>('vma').direct); },
    witness: (s: GlobalView) => { const a = proc(s); return a.mapped || a.einval; } },
  { name: 'C9', keySteps: ['A:vma_close', 'ib_umem_lease_break'], kind: 'action' as const, on: ['ib_umem_lease_break'], cite: 'MD-C9 [C]; P09 comment',
    doc: 'C9: every revocation of a live MR (ib_umem_lease_break) is preceded by SIGIO to its holder (P09: "the lease holder will receive a SIGIO notification when the lease is broken")',
    check: (p: GlobalView) => !mrLive(p) || (mds(p)?.sigio ?? 0) > 0,
    witness: (s: GlobalView) => has(s, 'lds') && s.context<LdsContext>('lds').brk && mrLive(s) },
  { name: 'R10', keySteps: ['ib_umem_lease_break', 'hca_dma_fault'], kind: 'action' as const, on: ['hca_dma_fault'], cite: 'MD-R10 [JG2, JG3, JG5, MB]',
    doc: 'R10: no DMA of a still valid MR faults in the IOMMU and moves the QP to ERROR (MB: "causing DMA errors just because the lease broke isn\'t the right thing to do")',
    check: () => false,
    witness: rdmaBreak },
  // liveness (docs/semantics.md §8), under the spec's fairness
  { name: 'L1', keySteps: ['map_direct_lm_break'], kind: 'liveness' as const, form: 'leadsTo' as const, cite: 'MD-L1 [P00, JGr5]',
    doc: 'L1: once the breaker T issued its syscall, its lease break completes (userspace can only delay it)',
    p: (s: GlobalView) => has(s, 'T') && s.context<{ started: boolean }>('T').started, q: (s: GlobalView) => has(s, 'T') && s.context<{ proceeded: boolean }>('T').proceeded },
  { name: 'L2', keySteps: ['map_direct_lm_break'], kind: 'liveness' as const, form: 'leadsTo' as const, cite: 'MD-L2 [P04]',
    doc: 'L2: once BREAK is set, the mds lease is eventually removed',
    p: (s: GlobalView) => (mds(s)?.brk ?? false) && held(s, 'mds'), q: (s: GlobalView) => !held(s, 'mds') },
  { name: 'L3', keySteps: ['map_direct_lm_break'], kind: 'liveness' as const, form: 'leadsTo' as const, cite: 'MD-L3',
    doc: 'L3: truncate / hole punch / write eventually proceeds and completes',
    p: (s: GlobalView) => has(s, 'T') && s.context<{ started: boolean }>('T').started, q: (s: GlobalView) => has(s, 'T') && s.matches('T', 'done') },
  { name: 'L4', keySteps: ['B:xfs_iomap_begin_etxtbsy'], kind: 'liveness' as const, form: 'leadsTo' as const, cite: 'MD-L4 [DCr6]',
    doc: 'L4: another process\'s allocating write fault eventually succeeds',
    p: (s: GlobalView) => has(s, 'B') && !s.matches('B', 'start'), q: (s: GlobalView) => has(s, 'B') && s.matches('B', 'done') && !s.context<{ sigbus: boolean }>('B').sigbus },
  { name: 'L5', keySteps: ['A:vma_close', 'mds:flush_delayed_work'], kind: 'liveness' as const, form: 'leadsTo' as const, cite: 'MD-L5',
    doc: 'L5: MR deregistration and munmap terminate (flush_work, flush_delayed_work return)',
    p: (s: GlobalView) => s.matches('A', 'dereg_wait') || s.matches('A', 'munmap_wait'),
    // back in user space, or (killed: MD-K5 sigkill, MD-K8) on its way out through do_exit
    q: (s: GlobalView) => ['user', 'exit_files', 'exit_release', 'exited'].some((st) => s.matches('A', st)) },
  { name: 'L6', keySteps: ['A:vma_close', 'A:mmap', 'A:ibv_reg_mr'], kind: 'liveness' as const, form: 'leadsTo' as const, cite: 'MD-L6 [JG5, JGr5]',
    doc: 'L6: after SIGIO, a re-registration over a new MAP_DIRECT mapping (munmap, mmap, ibv_reg_mr) eventually succeeds, or the new mapping is broken in its turn and its SIGIO sent (the application is told to start again)',
    p: (s: GlobalView) => proc(s).maps === 2 && s.matches('A', 'reg_wait'),
    q: (s: GlobalView) => mrLive(s) || (proc(s).maps === 2 && (mds(s)?.sigio ?? 0) > 0) },
];

/** Kernel steps are weakly fair (workqueues run, timers fire, the scheduler runs kernel threads);
 * the application's own decisions and the device's DMA are not. */
export const APP_AND_DEVICE = ['mmap', 'xfs_vma_checks', 'ibv_reg_mr', 'ibv_dereg_mr', 'vma_close', 'vma_open', '__break_lease_enomem', '__break_lease_eintr', 'hca_dma_write', 'hca_dma_fault', 'hca_odp_dma_write', 'xfs_alloc_file_space'];
const KERNEL = [
  'xfs_ilock', 'xfs_iunlock', 'xfs_ilock_cycle', 'mmap_sem_cycle', 'dax_iomap_fault', 'dax_iomap_fault_sigbus', 'xfs_file_mmap', 'xfs_seal_block_map', 'vfs_setlease', 'vfs_setlease_eagain', 'i_mapdcount_inc', 'i_mapdcount_dec',
  'mmap_return', 'put_map_direct_vma_return', 'dma_map_sg', 'get_user_pages', 'faultin_page', 'ib_umem_odp_map_dma_pages', 'get_user_pages_efault', 'ib_umem_get_checks', 'is_map_direct_broken', 'dma_unmap_sg',
  'ib_reg_user_mr', 'ib_umem_get_fail', 'put_page', 'flush_work', 'ib_umem_release_return', 'map_direct_lm_break', 'lease_direct_lm_break',
  'map_direct_lm_change', 'lease_direct_lm_change', 'vfs_setlease_unlck', '__break_lease_none', '__break_lease', '__break_lease_ewouldblock',
  '__break_lease_wait', '__break_lease_wakeup', 'time_out_leases', 'flush_delayed_work', 'clear_bit_VALID', 'unmap_mapping_range', 'ib_umem_lease_break',
  'iommu_unmap', 'iommu_map_sink', 'SIGIO', 'SIGKILL', 'ib_uverbs_close', 'ib_umem_mr_invalidate', 'iommu_flush_iotlb', 'xfs_free_file_space', 'xfs_file_dax_write', 'xfs_fallocate_etxtbsy',
  'xfs_iomap_begin', 'xfs_iomap_begin_etxtbsy', 'xfs_iomap_begin_mapped', 'dax_alive', 'dax_mmap', 'xfs_bmapi_write', 'xfs_reflink_allocate_cow', 'xfs_reflink_cow_etxtbsy', 'kill_dax', 'dax_pages_reassign',
];
export const fairness: FairnessDecl[] = [
  { kind: 'weak', events: KERNEL, per: 'event', doc: 'every kernel step (syscall continuation, lock core, workqueue item, flush queue, signal delivery: SIGIO and SIGKILL reach the task; what the application does about SIGIO is its own, unfair, decision) that stays enabled is taken: workqueues run and the scheduler is fair (MD §2 liveness)' },
  { kind: 'weak', timers: true, per: 'event', doc: 'a scheduled delayed work eventually fires (mds_work after lease_break_time)' },
  { kind: 'strong', events: ['xfs_ilock', 'xfs_ilock_cycle', 'mmap_sem_cycle', 'xfs_free_file_space'], per: 'event', doc: 'XFS_IOLOCK, XFS_MMAPLOCK and mmap_sem are rwsems: a waiting writer is not starved by a stream of readers (a queued writer blocks new readers), so a step that takes the lock and is enabled again and again is eventually taken' },
];

// ---- variants ----
type Exp = Record<string, Expectation>;
export const H = (cite: string): Expectation => ({ verdict: 'holds', cite });
export const V = (cite: string, keySteps: string[] = []): Expectation => ({ verdict: 'violated', cite, keySteps });
/** MD-L6 is about a re-registration after a remap (knob `remap`); without one it has no trigger. */
// Without a remap L6's trigger never happens: it would hold vacuously, so it is not gated there.
export const noRemap: Exp = { L6: { verdict: 'unchecked', cite: 'MD-L6: the application does not map again in this configuration (knob remap): L6 has no trigger' } };
/** ${DOC} F10: a lease taken while the breaker waits in break_layout(inode, true) is not broken by it. */
const F10 = (why: string): Exp => ({
  L1: V(`${DOC} F10 ([X] fs/locks.c __break_lease: the restart loop waits for a conflicting lease without breaking it); ${why}`, ['map_direct_lm_break', 'A:vma_close', 'T:__break_lease', 'A:mmap', 'A:vfs_setlease']),
  L3: V(`${DOC} F10`, ['map_direct_lm_break', 'A:vma_close', 'T:__break_lease', 'A:mmap', 'A:vfs_setlease']),
});
const noB: Exp = { L4: H('no faulting process B in this configuration: L4 has no trigger') };

/** v8 (V8c): iommu_unmap keeping the IOVA allocated, leases destroyed first at release. */
export const v8 = { revocation: 'iommuUnmapKeepIova', release: 'v8' } as const;

/**
 * The postings, branch for branch as posted, their bugs included (issue 10 §1). Every design knob
 * is set; the configuration knobs (breaker, faulter, dmaUser, pages, iommu mode, ...) are not part
 * of a posting and keep their defaults.
 */
export const POSTED_V7 = {
  protection: 'layoutLease', faultGuard: 'i_mapdcount', setupFaultFlush: true, ldsOrder: 'registerThenCheck',
  revocation: 'dmaUnmapSg', release: 'v7', timeoutAction: 'SIGBUS', k10MmapCheck: 'fault', cowGuard: false,
  mmapValidate: true, mmapFlags: 'MAP_SHARED_VALIDATE|MAP_DIRECT', r9CloseFlush: true, c8ZapFirst: false, c3PartialUnmap: false,
  // posted bugs: MD-C2 (v7 and v8), MD-C5, MD-C7, MD-C10, and the findings F1, F3-F7 of docs/models/map-direct.md
  c2SelfInit: true, c5Leak: true, c7Precedence: true, c10KfreeInterior: true,
  f1SetupIolock: false, f3LdsZeroBreakTime: false, f4VmaNullCheck: false, f5MapBeforeLease: false, f6RetargetVma: false, f7MapdcountFirst: false, f9FaultFlush: false,
} as const;
/** v8 re-posted only V8a-V8c (MD A10): the rest of the series is v7's. */
export const POSTED_V8 = { ...POSTED_V7, ...v8, c3PartialUnmap: true } as const;
/** Every proposed fix (MD-C2, C3, C5, C7, C10; findings F1, F3-F7), each a variant of its own below. */
export const FIXES = {
  c2SelfInit: false, c3PartialUnmap: false, c5Leak: false, c7Precedence: false, c10KfreeInterior: false,
  f1SetupIolock: true, f3LdsZeroBreakTime: true, f4VmaNullCheck: true, f5MapBeforeLease: true, f6RetargetVma: true, f7MapdcountFirst: true, f9FaultFlush: true,
} as const;
export const presets = {
  v7: { doc: 'MAP_DIRECT v7 as posted (P00-P12), bugs included', cite: 'seed 002 [PATCH v7 00/12]; MD A1-A10; MD-C2, C5, C7, C10; docs/models/map-direct.md F1, F3-F7', knobs: POSTED_V7 },
  v8: { doc: 'v8 as posted: V8a-V8c (iommu_unmap keeping the IOVA, leases destroyed first, iommu_sg_num_pages) over the rest of v7', cite: 'seed 002 V8a-V8c; MD A10; MD-C2 "in both v7 and v8"; MD-C3', knobs: POSTED_V8 },
};
/** MD-R2: the v7 revocation frees the IOVA and the other DMA user is handed it. */
const R2: Exp = {
  S1: V('MD-R2 steps 2-4; MD-K5 "dmaUnmapSg: S6/S1 fail"', ['umem:ib_umem_lease_break', 'umem:dma_unmap_sg', 'user:dma_map_sg', 'hca_dma_write']),
  S1w: V('MD-R2: the DMA lands in another driver\'s buffer', ['umem:dma_unmap_sg', 'user:dma_map_sg', 'hca_dma_write']),
  S1c: V('MD-R2', ['umem:dma_unmap_sg', 'user:dma_map_sg', 'hca_dma_write']),
  S6: V('MD-R2; MD-K5 "dmaUnmapSg: S6/S1 fail"', ['umem:ib_umem_lease_break', 'umem:dma_unmap_sg', 'user:dma_map_sg']),
};
/** MD-R10: a revocation through the IOMMU makes the next DMA of the still valid MR fault. */
const R10v = V('MD-R10 steps 3-4; MD-K5 "iommuUnmapKeepIova: ... QP errors likely"', ['map_direct_lm_break', 'ib_umem_lease_break', 'hca_dma_fault']);
/** DMA into the freed block after the breaker proceeded, with no revocation that reached the IOMMU. */
const freedDma = (cite: string, before: string[] = []): Exp => ({
  S1: V(cite, [...before, 'T:xfs_free_file_space', 'hca_dma_write']),
  S1w: V(cite, [...before, 'T:xfs_free_file_space', 'hca_dma_write']),
  S1c: V(cite, [...before, 'T:xfs_free_file_space', 'hca_dma_write']),
  S5: V(cite, [...before, 'T:xfs_free_file_space']),
});

/** MD-C9: the application munmaps its MAP_DIRECT VMA and keeps the MR; a later break revokes it with
 * no SIGIO (the mds lease went with the VMA). Explicit in every variant of this spec (not under '*'):
 * violated wherever the application may munmap with a live MR and a breaker breaks its lease. */
/** MD-C9 where no lds lease is ever granted (registration refused, or an ODP MR that takes none): no revocation. */
const C9none = (why: string): Exp => ({
  C9: H(`MD-C9 has no subject: ${why}`),
  'witness:C9': { verdict: 'unreached', cite: `${why}: no lds lease, so ib_umem_lease_break never runs` },
});
const C9v = V('MD-C9 "If the app munmaps the MAP_DIRECT VMA but keeps the MR ... a later break revokes DMA with no notification"', ['A:vma_close', 'ib_umem_lease_break']);
/**
 * A scenario variant: the posting whose revocation it uses (v8 when it sets v8's knobs, else v7) with
 * every proposed fix applied (FIXES), so that one bug does not mask another, then its own knobs.
 */
function variant(doc: string, knobs: Record<string, string | number | boolean>, base: string, expect: Exp): VariantDecl {
  const preset = knobs.revocation === v8.revocation && knobs.release === v8.release ? 'v8' : 'v7';
  return { doc, preset, knobs: { ...FIXES, ...knobs }, expect: { '*': H(base), ...noB, ...noRemap, C9: C9v, ...expect } };
}
/** A posting as posted: its preset and no knob beyond it. */
function posted(doc: string, preset: 'v7' | 'v8', base: string, expect: Exp): VariantDecl {
  return { doc, preset, knobs: {}, expect: { '*': H(base), ...noB, ...noRemap, C9: C9v, ...expect } };
}
const HOLD7 = 'MD §4 K1 layoutLease: "safe if the other knobs are right, and L1 holds"';
const HOLD8 = 'MD-R2 fix (v8); MD-K5 "iommuUnmapKeepIova: S1 holds only if strict"';
/** The scenarios below start from v8 so that MD-R2 (the v7 revocation) does not mask them. */
const iso = v8;
/** The check-then-register gap also loses safety (finding F8): the late lds lease is never broken. */
/**
 * The check-then-register gap: the MR is registered over an lds lease taken after the mds lease was
 * broken (MD-S7's clause "registered while the mds was not broken"). The explorer does not expand a
 * state that violates a safety property, so the consequences found before the clause existed (finding
 * F8: the late lds lease is never broken, S1 and L1 fail) lie beyond this violation and are not
 * reported here any more; docs/models/map-direct.md F8 keeps their traces.
 */
const F8 = (cite: string, check = true): Exp => ({
  S7: V(`${cite}; MD-S7 "an lds lease registered while the mds was not broken"`, [...(check ? ['umem:is_map_direct_broken'] : []), 'map_direct_lm_break', 'umem:vfs_setlease', 'umem:ib_reg_user_mr']),
});

/**
 * What the postings violate, each with the shortest counterexample's cause (docs/models/map-direct.md,
 * "Presets and fixes"). MD-C2 (`struct ib_umem *umem = umem;`, P11 ib_umem_lease_break) makes every
 * lease break revoke nothing: the shortest S1/S5 traces need no break at all (F1 is shorter), S6 and
 * R10 hold because nothing is ever unmapped before deregistration.
 */
const C2NOREVOKE = 'MD-C2 "revocation never happens": P11 ib_umem_lease_break `struct ib_umem *umem = umem;` (v7 and v8), so the posted revocation never unmaps an IOVA';
const POSTED7: Exp = {
  S1: V(`${DOC} F1 (P06 xfs_file_mmap_validate calls map_direct_register without XFS_IOLOCK); MD-C2 too`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr', 'T:xfs_free_file_space', 'hca_dma_write']),
  S1w: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr', 'T:xfs_free_file_space', 'hca_dma_write']),
  S1c: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr', 'T:xfs_free_file_space', 'hca_dma_write']),
  S2: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'A:mmap_return', 'T:xfs_free_file_space']),
  S5: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr', 'T:xfs_free_file_space']),
  S8: V(`${DOC} F7 (P04 map_direct_register: i_mapdcount_inc after vfs_setlease)`, ['A:vfs_setlease', 'map_direct_lm_break', 'mds:map_direct_lm_change']),
  S9: V(`${DOC} F4 (P04 map_direct_invalidate: vfs_setlease(vma->vm_file, ...) outside the if (vma))`, ['map_direct_lm_break', 'A:vma_close']),
  S9leak: V('MD-C5 "A munmap with no break leaves the mds allocated" (P04 put_map_direct_vma)', ['A:vma_close', 'A:put_map_direct_vma_return']),
  S4: V(`${DOC} F9 (P04 map_direct_invalidate does not wait for a fault past P06 xfs_vma_checks)`, ['A:xfs_vma_checks', 'mds:unmap_mapping_range', 'A:dax_iomap_fault']),
  S6: H(C2NOREVOKE),
  R10: H(C2NOREVOKE),
};
const POSTED8: Exp = { ...POSTED7 };
const variants: Record<string, VariantDecl> = {
  // presets (pre-series and v6 are in specs/map-direct-baselines.ts: they have no MAP_DIRECT state)
  // the postings as posted (pre-series and v6 are in specs/map-direct-baselines.ts: they have no MAP_DIRECT state)
  v7: posted('v7 as posted (P00-P12), bugs included', 'v7', HOLD7, { ...POSTED7 }),
  v8: posted('v8 as posted (V8a-V8c over v7), bugs included', 'v8', HOLD8, { ...POSTED8 }),
  // the proposed fixes (docs/models/map-direct.md, "Presets and fixes")
  'v7+C2': variant('v7 with MD-C2 fixed (`__umem`): the lease break now revokes, through dma_unmap_sg (MD-R2)', { ...POSTED_V7, c2SelfInit: false }, HOLD7, { ...POSTED7, S6: R2.S6!, R10: R10v }),
  'v7+fixes': variant('v7 with every proposed fix (MD-C2, C5, C7, C10; F1, F3-F7): MD-R2 remains, the v7 design bug that v8 fixes', {}, HOLD7, { ...R2, R10: R10v }),
  'v8+fixes': variant('the proposed design: v8 with every proposed fix (MD-C2, C3, C5, C7, C10; F1, F3-F7)', { ...v8 }, HOLD8, { R10: R10v }),
  // MD-R3 / K6
  'R3-buggy': variant('MD-R3 / K6 lazy: v8 with a lazy IOTLB flush queue', { ...iso, iommu: 'lazy' }, 'MD-R3', {
    S1: V('MD-R3 "S1 and S5 are violated in lazy mode"', ['hca_dma_write', 'umem:iommu_unmap', 'T:xfs_free_file_space', 'hca_dma_write']),
    S1w: V('MD-R3', ['umem:iommu_unmap', 'T:xfs_free_file_space', 'hca_dma_write']),
    S1c: V('MD-R3', ['umem:iommu_unmap', 'T:xfs_free_file_space', 'hca_dma_write']),
    S5: V('MD-R3 "S1 and S5 are violated in lazy mode"', ['hca_dma_write', 'umem:iommu_unmap', 'T:xfs_free_file_space']),
    R10: R10v,
  }),
  // MD-R4 / K6
  'R4-absent': variant('MD-R4 / K6 absent: no translating IOMMU, registration refused', { iommu: 'absent' }, 'MD-R4 "safe by refusal"; MD-K6 "absent: registration refused (EOPNOTSUPP)"', { ...C9none('MD-K6 "absent: registration refused (EOPNOTSUPP)"') }),
  // MD-R5, R6, R7: a faulting process B
  'R5-buggy': variant('MD-R5 / K2 none: an allocating write fault of another process, no guard (A touches only its registered page)', { ...iso, faultGuard: 'none', faulter: 'allocHole', appFaults: 'registered' }, HOLD8, {
    S2: V('MD-R5 step 4; MD-K2 "none: R5 breaks S2"', ['A:mmap_return', 'B:xfs_iomap_begin', 'B:xfs_bmapi_write']),
    S3: V('MD-S3 relies on i_mapdcount (P03): the MAP_DIRECT VMA\'s own fault into the punched page allocates', ['T:xfs_free_file_space', 'A:mmap_return', 'A:dax_iomap_fault']),
    L4: H('MD-K2 none: the fault is not refused'), R10: R10v,
  }),
  'S3-buggy': variant('MD-S3 / K2 none: the MAP_DIRECT VMA\'s own write fault into a hole', { ...iso, faultGuard: 'none' }, HOLD8, {
    S2: V('MD-S3 / MD A4 "applies to allocating write faults from any mapping"; MD-K2 none', ['A:mmap_return', 'A:dax_iomap_fault']),
    S3: V('MD-S3 relies on i_mapdcount (P03): xfs_vma_checks (P06) does not refuse an allocation', ['A:mmap_return', 'A:dax_iomap_fault']),
    R10: R10v,
  }),
  'R5-fixed': variant('MD-R5 v7: i_mapdcount refuses the fault', { ...iso, appFaults: 'registered', faulter: 'allocHole' }, 'MD-K2 "i_mapdcount: S2 holds, L4 fails"', {
    L4: V('MD-L4 "With v7\'s i_mapdcount, this fails: the fault gets SIGBUS"; MD-K2', ['A:i_mapdcount_inc', 'B:xfs_iomap_begin_etxtbsy']), R10: R10v,
  }),
  'R5-nonblock': variant('MD-R5 / K2 breakLayoutNonblock (DCr6)', { ...iso, appFaults: 'registered', faultGuard: 'breakLayoutNonblock', faulter: 'allocHole' }, 'MD-K2 "nonblock: S2 and L4 hold"', {
    L4: H('MD-K2 "nonblock: S2 and L4 hold"; DCr6'), R10: R10v,
  }),
  'R6-buggy': variant('MD-R6 / K3 off: no MMAPLOCK cycle at setup', { ...iso, appFaults: 'registered', setupFaultFlush: false, faulter: 'allocHole' }, 'MD-R6', {
    S2: V('MD-R6 steps 1-4; MD-K3 "off: R6 violates S2"', ['B:xfs_iomap_begin', 'A:vfs_setlease', 'A:mmap_return', 'B:xfs_bmapi_write']),
    L4: V('MD-L4 (i_mapdcount)', ['B:xfs_iomap_begin_etxtbsy']), R10: R10v,
  }),
  'R6-fixed': variant('MD-R6 fix: the P06 MMAPLOCK_EXCL cycle', { ...iso, appFaults: 'registered', faulter: 'allocHole' }, 'MD-R6 fix; MD-K3', {
    L4: V('MD-L4 (i_mapdcount)', ['B:xfs_iomap_begin_etxtbsy']), R10: R10v,
  }),
  'R7-buggy': variant('MD-R7: a COW write fault on a reflinked page', { ...iso, faulter: 'cowWrite' }, 'MD-R7', {
    S2: V('MD-R7 "a COW remap skips it" (DC3)', ['A:mmap_return', 'B:xfs_reflink_allocate_cow']),
    L4: V('MD-L4 (i_mapdcount): once the shared page is punched, the COW fault is an allocating one'), R10: R10v,
  }),
  'R7-fixed': variant('MD-R7 fix: iomap_can_allocate() refuses COW too', { ...iso, faulter: 'cowWrite', cowGuard: true }, 'MD-R7 fix (DC3)', {
    L4: V('MD-L4: the COW fault is refused like an allocating one (DC3 iomap_can_allocate)'), R10: R10v,
  }),
  // MD-R8 / K4
  'R8-buggy': variant('MD-R8 [C] / K4 checkThenRegister', { ...iso, ldsOrder: 'checkThenRegister' }, 'MD-R8 [C]', { ...F8('MD-R8 [C]; MD-K4 "cTR: L1 fails"'), R10: R10v }),
  'R8-fixed': variant('MD-R8: registerThenCheck (P09) = v8', { ...iso }, 'MD-R8 fixed order; MD-K4 "rTC: safe and live"', { R10: R10v }),
  'R8-noEagain': variant('MD-R8 without the lease core\'s EAGAIN rule (registerThenCheck)', { ...iso, leaseEagain: false }, 'MD-K4 "rTC: safe and live"', { R10: R10v }),
  'K4-noCheck': variant('MD-K4 noCheck on fs-dax (the device-dax wiring of P10)', { ...iso, ldsOrder: 'noCheck' }, 'MD-K4; MD-R12 [C] (the same gap on fs-dax)', { ...F8('MD-R12 [C] "the lds misses the break"', false), R10: R10v }),
  // MD-R9
  'R9-buggy': variant('MD-R9: put_map_direct_vma without mds_vma = NULL, BREAK and flush_delayed_work', { ...iso, r9CloseFlush: false }, 'MD-R9', {
    S9: V('MD-R9 "VMA dies while lm_break is in flight"', ['A:vma_close', 'map_direct_lm_break', 'A:put_map_direct_vma_return']), R10: R10v,
  }),
  // MD-R10 / K5
  'R10-sink': variant('MD-R10 / K5 remapToSink (v8 base)', { ...iso, revocation: 'remapToSink' }, 'MD-K5 "remapToSink: S1w holds, ... no device errors"', {
    S1: V('MD-S1w is the form the remap proposal satisfies (JG6, MB): the DMA lands in the sink page, not the registered block', ['umem:iommu_map_sink', 'hca_dma_write']),
    S1c: V('MD-K5 "remapToSink: ... S1 coherent fails by design"', ['umem:iommu_map_sink', 'hca_dma_write']),
  }),
  'K5-mrInvalidate': variant('MD-K5 mrInvalidate: the driver invalidates the MR (JG3, CH2)', { revocation: 'mrInvalidate' }, 'MD-K5 "mrInvalidate: S1 holds, needs driver support"', {}),
  // MD-K5 odp / MD-K7 HCA kind
  'K5-odp': variant('MD-K5 odp / K7 odp: an ODP MR, retargeted on invalidation (the HCA mirrors the page table)', { revocation: 'odp', hcaKind: 'odp' }, 'MD-K5 "odp: S1 holds and stays coherent"; JG2 "DAX should synchronously retarget the ODP MR"; JGr3', { ...C9none('JGr2 "I don\'t touch the ODP path": an ODP MR takes no lease') }),
  'K7-odpUnsupported': variant('MD-K7: an ODP registration on a device without ODP: ib_umem_odp_get fails', { revocation: 'odp', hcaKind: 'nonOdpWithOOBInvalidate' }, 'MD-K7; JGr3 (no ODP: the registration fails, nothing to revoke)', { ...C9none('MD-K7: ib_umem_odp_get fails without ODP') }),
  'K7-nonOdp': variant('MD-K7 nonOdp under K5 mrInvalidate: the HCA cannot invalidate, ib_umem_get refuses the DAX registration', { revocation: 'mrInvalidate', hcaKind: 'nonOdp' }, 'MD-K7 "nonOdp without invalidate: blacklisted from supporting DAX altogether" [JGr4]; JG4 "not an unreasonable situation"', { ...C9none('MD-K7 nonOdp: ib_umem_get refuses the DAX registration [JGr4]') }),
  'K5-none': variant('MD-K5 none: the lease break revokes nothing', { revocation: 'none' }, 'MD-K5', { ...freedDma('MD-K5 "none: S1 fails"') }),
  // [C] mutants
  'C2-buggy': variant('MD-C2 as posted: ib_umem_lease_break acts on garbage', { c2SelfInit: true }, 'MD-C2', { ...freedDma('MD-C2 "revocation never happens"', ['umem:ib_umem_lease_break']) }),
  'C3-buggy': variant('MD-C3 as posted: v8 partial revocation of a 2-page MR, truncate; the application registers again', { ...iso, c3PartialUnmap: true, pages: 2, breaker: 'truncate', reregister: true }, 'MD-C3', {
    S6: V('MD-C3 "the later dma_unmap_sg frees the wrong IOVA" (S6)', ['user:dma_map_sg', 'umem:iommu_unmap', 'umem:dma_unmap_sg', 'umem:dma_map_sg']),
    S1: V('MD-C3 "revocation covers only a prefix of the MR\'s IOVAs"', ['umem:iommu_unmap', 'T:xfs_free_file_space', 'hca_dma_write']),
    S1w: V('MD-C3', ['umem:iommu_unmap', 'T:xfs_free_file_space', 'hca_dma_write']),
    S1c: V('MD-C3', ['umem:iommu_unmap', 'T:xfs_free_file_space', 'hca_dma_write']),
    S5: V('MD-C3 (S5)', ['umem:iommu_unmap', 'T:xfs_free_file_space']),
    R10: R10v,
  }),
  'C3-fixed': variant('MD-C3 fixed: the whole 2-page MR revoked', { ...iso, pages: 2, breaker: 'truncate', reregister: true }, 'MD-C3 fixed', { R10: R10v }),
  'C7-buggy': variant('MD-C7 as posted: the nonblocking break_layout fails with -ENOMEM, xfs_break_layouts returns 0, the punch runs with the lease unbroken (v8 base)', { ...iso, c7Precedence: true, breakLayoutError: 'enomem' }, 'MD-C7', {
    S2: V('MD-C7 "assigns 0 or 1, so real errors ... are swallowed and the function returns 0"', ['A:mmap_return', 'T:__break_lease_enomem', 'T:xfs_free_file_space']),
    ...freedDma('MD-C7 (the lds lease is not broken either: nothing revokes the MR)', ['T:__break_lease_enomem']), R10: R10v,
  }),
  'C7-fixed': variant('MD-C7 fixed precedence: the -ENOMEM of the nonblocking break_layout fails the syscall (v8 base)', { ...iso, breakLayoutError: 'enomem' }, 'MD-C7 fixed', {
    L1: V('[X] fs/locks.c __break_lease: lease_alloc failed, the syscall returns -ENOMEM: the breaker never passes its lease break (an error, not a hang)', ['T:__break_lease_enomem']),
    L3: V('[X] the syscall fails with -ENOMEM', ['T:__break_lease_enomem']),
    R10: R10v,
  }),
  'C7-eintr': variant('MD-C7 as posted with the digest\'s example: the waiting break_layout is interrupted (-ERESTARTSYS); the loop overwrites the error in either precedence (v8 base)', { ...iso, c7Precedence: true, breakLayoutError: 'eintr' }, `MD-C7 "an interrupted wait"; ${DOC} C7 (the next while condition overwrites error: no effect on the verdicts)`, { R10: R10v }),
  'C5-buggy': variant('MD-C5 as posted: mds_ref of the lease put only by map_direct_invalidate', { ...iso, c5Leak: true }, 'MD-C5', {
    S9leak: V('MD-C5 "A munmap with no break leaves the mds allocated"', ['A:vma_close', 'A:put_map_direct_vma_return']), R10: R10v,
  }),
  'C8-buggy': variant('MD-C8 mutant: zap before clearing VALID', { ...iso, c8ZapFirst: true }, 'MD-C8', {
    S4: V('MD-C8 "lets a re-fault install a PTE after the zap (S4)"', ['mds:unmap_mapping_range', 'A:dax_iomap_fault', 'mds:clear_bit_VALID']), R10: R10v,
  }),
  'C10-buggy': variant('MD-C10 as posted: map_direct_lease error path kfree(lds)', { ...iso, c10KfreeInterior: true }, 'MD-C10', {
    S9: V('MD-C10 "kfree(lds), an interior pointer"', ['map_direct_lm_break', 'umem:vfs_setlease_eagain']), R10: R10v,
  }),
  // findings beyond the digest (docs/models/map-direct.md)
  'F1-buggy': variant('F1 as posted: map_direct_register runs without XFS_IOLOCK', { ...iso, f1SetupIolock: false }, `${DOC} F1`, {
    S2: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'A:mmap_return', 'T:xfs_free_file_space']),
    ...freedDma(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr']), R10: R10v,
  }),
  'F3-buggy': variant('F3 as posted: lease_direct_lm_break leaves fl_break_time', { ...iso, f3LdsZeroBreakTime: false }, `${DOC} F3`, {
    ...freedDma(`${DOC} F3`, ['lds:lease_direct_lm_break', 'T:time_out_leases']), R10: R10v,
  }),
  'F3-K11zero': variant('F3 as posted with lease-break-time 0 (K11): no core timeout', { ...iso, f3LdsZeroBreakTime: false, leaseBreakTime: 0 }, `${DOC} F3; MD-K11`, { R10: R10v }),
  'F4-buggy': variant('F4 as posted: map_direct_invalidate dereferences vma->vm_file with mds_vma NULL', { ...iso, f4VmaNullCheck: false }, `${DOC} F4`, {
    S9: V(`${DOC} F4`, ['map_direct_lm_break', 'A:vma_close']), R10: R10v,
  }),
  'F5-buggy': variant('F5 as posted: ->lease_direct inside the GUP loop, ib_dma_map_sg after it', { ...iso, f5MapBeforeLease: false }, `${DOC} F5`, {
    ...freedDma(`${DOC} F5`, ['umem:vfs_setlease', 'umem:ib_umem_lease_break', 'umem:dma_map_sg']), R10: R10v,
  }),
  'F6-buggy': variant('F6 as posted: after a VMA split (get_map_direct_vma) mds_vma keeps pointing to the first VMA, which the application unmaps first', { ...iso, vmaSplit: true, f6RetargetVma: false }, `${DOC} F6`, {
    S9: V(`${DOC} F6`, ['A:vma_open', 'A:vma_close', 'A:vma_close']), R10: R10v,
  }),
  'F6-fixed': variant('F6 fixed: a non-last put_map_direct_vma of the VMA mds_vma points to moves mds_vma to the surviving VMA', { ...iso, vmaSplit: true }, `${DOC} F6 (fix)`, { R10: R10v }),
  'F9-buggy': variant('F9 as posted: map_direct_invalidate clears VALID and zaps without waiting for A\'s CPU fault already past xfs_vma_checks', { ...iso, f9FaultFlush: false }, `${DOC} F9`, {
    S4: V(`${DOC} F9`, ['A:xfs_vma_checks', 'map_direct_lm_break', 'mds:unmap_mapping_range', 'A:dax_iomap_fault']), R10: R10v,
  }),
  'F7-buggy': variant('F7 as posted: i_mapdcount_inc after vfs_setlease (with F1 as posted: no IOLOCK)', { ...iso, f7MapdcountFirst: false, f1SetupIolock: false }, `${DOC} F7`, {
    S8: V(`${DOC} F7`, ['A:vfs_setlease', 'map_direct_lm_break', 'mds:map_direct_lm_change']),
    S2: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'A:mmap_return', 'T:xfs_free_file_space']),
    ...freedDma(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr']), R10: R10v,
  }),
  // the other knobs, one at a time from the baseline
  'K11-zero': variant('MD-K11 lease-break-time 0', { leaseBreakTime: 0 }, 'MD-K11 (untimed model: the same interleavings)', { ...R2, R10: R10v }),
  'K12-truncate': variant('MD-K12 truncate', { breaker: 'truncate' }, 'MD-K12', { ...R2, R10: R10v }),
  'K12-write': variant('MD-K12 write(2): a breaker that changes no block', { breaker: 'write' }, 'MD-K12', { ...R2, R10: R10v }),
  'release-v8': variant('v7 revocation with the V8c release order', { release: 'v8' }, 'MD A10 (release order)', { ...R2, R10: R10v }),
  'revocation-v8': variant('V8c revocation with the v7 release order', { revocation: 'iommuUnmapKeepIova' }, 'MD A10 (release order)', { R10: R10v }),
  'no-eagain': variant('fs/locks.c without the EAGAIN rule', { leaseEagain: false }, HOLD7, { ...R2, R10: R10v }),
  // every remaining knob value, alone from the v7 baseline (MD-R2 and MD-R10 stay violated there)
  'v7+fixes:faultGuard=none': variant('MD-K2 none alone: the MAP_DIRECT VMA\'s own write fault into the hole allocates', { faultGuard: 'none' }, HOLD7, {
    ...R2, R10: R10v,
    S2: V('MD-K2 none; MD A4 "applies to allocating write faults from any mapping"', ['A:mmap_return', 'A:dax_iomap_fault']),
    S3: V('MD-S3 relies on i_mapdcount (P03)', ['A:mmap_return', 'A:dax_iomap_fault']),
  }),
  'v7+fixes:faultGuard=breakLayoutNonblock': variant('MD-K2 nonblock alone (no other faulting process)', { faultGuard: 'breakLayoutNonblock' }, HOLD7, { ...R2, R10: R10v }),
  'v7+fixes:setupFaultFlush=false': variant('MD-K3 off alone (no fault in flight to drain)', { setupFaultFlush: false }, HOLD7, { ...R2, R10: R10v }),
  'v7+fixes:ldsOrder=checkThenRegister': variant('MD-K4 checkThenRegister alone', { ldsOrder: 'checkThenRegister' }, HOLD7, {
    ...R2, R10: R10v, ...F8('MD-R8 [C]'),
  }),
  'v7+fixes:ldsOrder=noCheck': variant('MD-K4 noCheck alone', { ldsOrder: 'noCheck' }, HOLD7, {
    ...R2, R10: R10v, ...F8('MD-R12 [C]', false),
  }),
  'v7+fixes:revocation=remapToSink': variant('MD-K5 remapToSink alone', { revocation: 'remapToSink' }, 'MD-K5 "remapToSink: S1w holds, ... no device errors"', {
    S1: V('MD-S1w is the form the remap proposal satisfies', ['umem:iommu_map_sink', 'hca_dma_write']),
    S1c: V('MD-K5 "remapToSink: ... S1 coherent fails by design"', ['umem:iommu_map_sink', 'hca_dma_write']),
  }),
  'v7+fixes:iommu=lazy': variant('MD-K6 lazy alone: dma_unmap_sg leaves a stale IOTLB entry', { iommu: 'lazy' }, 'MD-K6 "lazy: R3"', {
    S1: V('MD-R2 once the flush queue drained (MD-K6 lazy)', ['umem:dma_unmap_sg', 'iommu:iommu_flush_iotlb', 'user:dma_map_sg', 'hca_dma_write']),
    S1w: V('MD-R2 once the flush queue drained', ['umem:dma_unmap_sg', 'iommu:iommu_flush_iotlb', 'user:dma_map_sg', 'hca_dma_write']),
    S1c: V('MD-R2 once the flush queue drained', ['umem:dma_unmap_sg', 'iommu:iommu_flush_iotlb', 'user:dma_map_sg', 'hca_dma_write']),
    S5: V('MD-R3 "S1 and S5 are violated in lazy mode"', ['hca_dma_write', 'umem:dma_unmap_sg', 'T:xfs_free_file_space']),
    S6: V('MD-R2 (after the flush queue drains)', ['umem:dma_unmap_sg', 'iommu:iommu_flush_iotlb', 'user:dma_map_sg']),
    R10: R10v,
  }),
  'v7+fixes:cowGuard=true': variant('MD-R7 fix alone (no COW fault)', { cowGuard: true }, HOLD7, { ...R2, R10: R10v }),
  'v7+fixes:victimAlloc=true': variant('another process may allocate the freed block to file g', { victimAlloc: true }, HOLD7, { ...R2, R10: R10v }),
  'v7+fixes:pages=2': variant('a 2-page MR', { pages: 2 }, HOLD7, { ...R2, R10: R10v }),
  'v7+fixes:reregister=true': variant('the application may register again', { reregister: true }, HOLD7, { ...R2, R10: R10v }),
  'v7+fixes:appFaults=registered': variant('the application touches only its registered page', { appFaults: 'registered' }, HOLD7, { ...R2, R10: R10v }),
  'v7+fixes:c3PartialUnmap=true': variant('MD-C3 alone: the v7 revocation does not call iommu_unmap', { c3PartialUnmap: true }, 'MD-C3 (a V8c bug)', { ...R2, R10: R10v }),
  'v7+fixes:c5Leak=true': variant('MD-C5 alone', { c5Leak: true }, HOLD7, { ...R2, R10: R10v, S9leak: V('MD-C5', ['A:vma_close', 'A:put_map_direct_vma_return']) }),
  'v7+fixes:c8ZapFirst=true': variant('MD-C8 alone', { c8ZapFirst: true }, HOLD7, { ...R2, R10: R10v, S4: V('MD-C8', ['mds:unmap_mapping_range', 'A:dax_iomap_fault', 'mds:clear_bit_VALID']) }),
  'v7+fixes:c10KfreeInterior=true': variant('MD-C10 alone', { c10KfreeInterior: true }, HOLD7, { ...R2, R10: R10v, S9: V('MD-C10', ['map_direct_lm_break', 'umem:vfs_setlease_eagain']) }),
  'v7+fixes:r9CloseFlush=false': variant('MD-R9 unfixed alone', { r9CloseFlush: false }, HOLD7, { ...R2, R10: R10v, S9: V('MD-R9', ['A:vma_close', 'map_direct_lm_break', 'A:put_map_direct_vma_return']) }),
  'v7+fixes:f1SetupIolock=false': variant('F1 as posted, alone', { f1SetupIolock: false }, HOLD7, {
    ...R2, R10: R10v, ...freedDma(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr']),
    S2: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'A:mmap_return', 'T:xfs_free_file_space']),
    S5: V(`${DOC} F1`, ['T:__break_lease_none', 'A:vfs_setlease', 'umem:ib_reg_user_mr', 'T:xfs_free_file_space']),
  }),
  'v7+fixes:f3LdsZeroBreakTime=false': variant('F3 as posted, alone', { f3LdsZeroBreakTime: false }, HOLD7, { ...R2, R10: R10v, S5: V(`${DOC} F3`, ['lds:lease_direct_lm_break', 'T:time_out_leases', 'T:xfs_free_file_space']) }),
  'v7+fixes:f4VmaNullCheck=false': variant('F4 as posted, alone', { f4VmaNullCheck: false }, HOLD7, { ...R2, R10: R10v, S9: V(`${DOC} F4`, ['map_direct_lm_break', 'A:vma_close']) }),
  'v7+fixes:f5MapBeforeLease=false': variant('F5 as posted, alone', { f5MapBeforeLease: false }, HOLD7, { ...R2, R10: R10v, S5: V(`${DOC} F5`, ['umem:vfs_setlease', 'umem:ib_umem_lease_break', 'umem:dma_map_sg', 'T:xfs_free_file_space']) }),
  'v7+fixes:f7MapdcountFirst=false': variant('F7 as posted, alone (F1 fixed: no breaker inside the registration)', { f7MapdcountFirst: false }, HOLD7, { ...R2, R10: R10v }),
  // MD-K5 sigkill / MD-K8 SIGKILL (JG3), MD-C9
  'K5-sigkill': variant('MD-K5 sigkill, the breaker waits for the fence: the break callback SIGKILLs the process and returns once its exit deleted the MR', { revocation: 'sigkill' }, 'MD-K5 "sigkill: S1 holds if the breaker waits for the fence"; JG4 (MR deletion is a synchronous fence)', {}),
  'K5-sigkill-nowait': variant('MD-K5 sigkill, no wait: the break callback SIGKILLs the process and returns at once; the lease is unlocked before the exit fenced the MR', { revocation: 'sigkill', sigkillWait: false }, 'MD-K5 "sigkill: S1 holds if the breaker waits for the fence" (the converse)', {
    ...freedDma('MD-K5 "sigkill: S1 holds if the breaker waits for the fence": without the wait the DMA precedes the exit\'s fence', ['umem:ib_umem_lease_break']),
  }),
  'K8-sigkill': variant('MD-K8 SIGKILL at the mds timeout (v8 base)', { ...iso, timeoutAction: 'SIGKILL' }, 'MD-K8 "both give S4"; HOLD8', { R10: R10v }),
  'C9-buggy': variant('MD-C9: the application munmaps and keeps the MR; the break revokes it silently (v8 base)', { ...iso }, HOLD8, { R10: R10v }),
  'C9-fixed': variant('MD-C9: an application that munmaps only after ibv_dereg_mr (v8 base)', { ...iso, appMunmap: 'afterDereg' }, HOLD8, { R10: R10v, C9: H('MD-C9: SIGIO "exists only through the mds"; the mds lease lives while the VMA does, so with no munmap before ibv_dereg_mr every break of the lds lease breaks the mds lease first (P09 comment)') }),
  // MD-K10: MAP_DIRECT on a reflinked or non-DAX file, v7 (SIGBUS at fault); the mmap-time rejection
  // (DCr6) has no map_direct_state and is in map-direct-baselines.ts (K10-*-mmap)
  'K10-reflink-fault': variant('MD-K10 v7: MAP_DIRECT on a reflinked file: the lease is taken, xfs_vma_checks SIGBUSes the GUP, ibv_reg_mr fails (v8 base)', { ...iso, reflinked: true }, 'MD-K10 "semantic only"; MD A7 "MAP_DIRECT faults on a reflinked inode give SIGBUS [P06]"', { ...C9none('MD-K10: GUP through the MAP_DIRECT VMA of a reflinked file gets SIGBUS (P06 xfs_vma_checks), ibv_reg_mr fails') }),
  'K10-nodax-fault': variant('MD-K10 v7: MAP_DIRECT on a non-DAX (page cache) file: the lease is taken, xfs_vma_checks SIGBUSes the GUP, ibv_reg_mr fails (v8 base)', { ...iso, pageCache: true }, 'MD-K10 "semantic only"; MD-S3 "The same goes for !VALID, reflinked, or non-DAX files [P06]"', { ...C9none('MD-K10: GUP through the MAP_DIRECT VMA of a non-DAX file gets SIGBUS (P06 xfs_vma_checks), ibv_reg_mr fails') }),
  // mutants of functions no other variant changes (MUTANTS below)
  'mutant:lm_break=noSigio': variant('mutant of map_direct_lm_break: no kill_fasync, the holder is invalidated without SIGIO (v8 base)', { ...iso, mutLmBreak: 'noSigio' }, HOLD8, {
    S10: V('MD-S10 "sent before the invalidation": P04 map_direct_lm_break kill_fasync', ['map_direct_lm_break', 'mds:unmap_mapping_range']),
    C9: V('MD-C9: no SIGIO precedes the revocation', ['map_direct_lm_break', 'ib_umem_lease_break']),
    'witness:S10': { verdict: 'unreached', cite: 'no SIGIO is ever sent in this mutant' },
    R10: R10v,
  }),
  'mutant:lm_break=noSchedule': variant('mutant of map_direct_lm_break: no schedule_delayed_work; the mds lease is removed only if the application munmaps (v8 base)', { ...iso, mutLmBreak: 'noSchedule' }, HOLD8, {
    L2: V('MD-L2 needs P04 schedule_delayed_work(&mds->mds_work)', ['map_direct_lm_break']),
    L1: V('the breaker waits for an mds lease nothing removes', ['map_direct_lm_break']),
    L3: V('the breaker waits for an mds lease nothing removes', ['map_direct_lm_break']),
    'witness:S4': { verdict: 'unreached', cite: 'map_direct_invalidate never runs (nothing schedules it; munmap flushes only a pending work)' },
    R10: R10v,
  }),
  'mutant:do_mmap=noValidateCheck': variant('mutant of do_mmap on a filesystem without ->mmap_validate: MAP_SHARED_VALIDATE|MAP_DIRECT maps like MAP_SHARED instead of failing (v8 base)', { ...iso, mmapValidate: false, mutNoValidateCheck: true }, HOLD8, {
    S11: V('MD-S11 "Otherwise it returns EOPNOTSUPP" [P01]', ['A:mmap', 'A:xfs_file_mmap']),
    ...C9none('no MAP_DIRECT mapping: ib_umem_get refuses the VMA without ->lease_direct'),
    ...Object.fromEntries(['S1', 'S1w', 'S1c', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S9leak', 'S10', 'R10'].map((p) => [`witness:${p}`, { verdict: 'unreached' as const, cite: 'a legacy MAP_SHARED mapping on fs-dax: no map_direct_state, and ib_umem_get refuses a VMA without ->lease_direct (P11): no MR, no lease' }])),
  }),
  'mutant:invalidate=flushMmapSem': variant('mutant of map_direct_invalidate (F9 fix): the fault flush cycles mmap_sem, which munmap holds while put_map_direct_vma flushes the work (v8 base)', { ...iso, mutFlushMmapSem: true }, HOLD8, {
    L5: V('MD-L5 "flush_delayed_work returns": munmap (mmap_sem held for writing) waits in put_map_direct_vma for map_direct_invalidate, which waits for mmap_sem', ['map_direct_lm_break', 'A:vma_close', 'mds:flush_delayed_work']),
    deadlock: V('the same wait: once the breaker is done and the MR is gone or faulted, no step is left', ['A:vma_close', 'mds:flush_delayed_work']),
    R10: R10v,
  }),
  // MD-L6 (JG5): after SIGIO the application quiesces, maps f again and registers over the new mapping
  'L6-remap': variant('MD-L6: after SIGIO the application deregisters, munmaps, maps f again and registers over the new mapping; the breaker is a write(2) that changes no block (v8 base)', { ...iso, remap: true, breaker: 'write', appFaults: 'registered' }, HOLD8, {
    L6: H(`${DOC} "MD-L6": every re-registration after a remap succeeds, or fails because the breaker's retry broke the new mapping, whose SIGIO tells the application (P09 is_map_direct_broken -> -ENXIO)`),
    ...F10('the application maps again while the breaker waits'), R10: R10v,
  }),
  'L6-remap-punch': variant('MD-L6 after a hole punch of the registered page (v8 base)', { ...iso, remap: true, appFaults: 'registered' }, HOLD8, {
    L6: V(`${DOC} "MD-L6": the punched page is a hole, and a MAP_DIRECT VMA never allocates (MD-S3; P03 xfs_file_iomap_begin -ETXTBSY): GUP's faultin_page -> __xfs_filemap_fault gets SIGBUS (split GUP: the step is dax_iomap_fault_sigbus), ibv_reg_mr returns -EFAULT with no break to tell the application`, ['T:xfs_free_file_space', 'A:mmap', 'A:ibv_reg_mr', 'umem:dax_iomap_fault_sigbus']),
    ...F10('the application maps again while the breaker waits'), R10: R10v,
  }),
  'mutant:is_map_direct_broken=testsValid': variant('mutant of is_map_direct_broken: it tests MAPDIRECT_VALID; the application remaps after SIGIO (as L6-remap)', { ...iso, remap: true, breaker: 'write', appFaults: 'registered', mutBrokenTestsValid: true }, HOLD8, {
    L6: V('MD-L6: an unbroken new mapping is reported broken (P09 xfs_filemap_direct_lease -> -ENXIO) with no SIGIO', ['A:vma_close', 'A:mmap', 'A:ibv_reg_mr', 'umem:is_map_direct_broken', 'A:ib_umem_get_fail']),
    S7: V('MD-S7: after map_direct_invalidate cleared VALID the broken mds passes the check', ['map_direct_lm_break', 'umem:vfs_setlease', 'umem:is_map_direct_broken', 'umem:ib_reg_user_mr']),
    C9: H('MD-C9: an MR is registered only over an mds whose VALID was cleared, that is after its break sent SIGIO (and those runs stop at the S7 violation)'),
    ...F10('the application maps again while the breaker waits'), R10: R10v,
  }),
  // the proposed F10 fix (not in FIXES: a change to fs/locks.c, not to the series), with the L6-remap application
  'v8+fixes+F10': variant('F10 fixed: __break_lease\'s restart loop breaks a lease taken while it waits (v8 with every fix, the application remaps as in L6-remap, the breaker is a write(2))', { ...iso, remap: true, breaker: 'write', appFaults: 'registered', f10RestartBreak: true }, HOLD8, {
    L1: H(`${DOC} F10 fix: the new mds lease is broken at restart (SIGIO, mds_work), its invalidation unlocks it and the breaker returns`),
    L3: H(`${DOC} F10 fix`),
    L6: H(`${DOC} "MD-L6" (as in L6-remap): a re-registration over the new mapping succeeds, or the F10 restart broke it and its SIGIO tells the application`),
    R10: R10v,
  }),
  'v8+fixes+F10-punch': variant('F10 fixed, with the L6-remap-punch application: the breaker punches the registered page', { ...iso, remap: true, appFaults: 'registered', f10RestartBreak: true }, HOLD8, {
    L1: H(`${DOC} F10 fix`),
    L3: H(`${DOC} F10 fix`),
    L6: V(`${DOC} "MD-L6" (as L6-remap-punch, which F10 does not change): the punched page is a hole; GUP's fault gets SIGBUS, ibv_reg_mr fails with no break to tell the application`, ['T:xfs_free_file_space', 'A:mmap', 'A:ibv_reg_mr', 'umem:dax_iomap_fault_sigbus']),
    R10: R10v,
  }),
  'L6-reregister': variant('the application may register again over the same mapping after SIGIO (no remap: MD-L6 has no trigger, see L6-remap)', { ...iso, reregister: true }, HOLD8, { R10: R10v }),
};

/**
 * The mutants (issue 10 §3): variants that change one line of one cited function, through a knob
 * that changes only what that function does. Each property's `keySteps` appear in order in the
 * shortest counterexample of a mutant that kills it (docs/models/map-direct.md, "Mutants").
 */
export const MUTANTS: Record<string, MutantDecl> = {
  'C2-buggy': { fn: 'ib_umem_lease_break', change: '`struct ib_umem *umem = __umem;` -> `= umem;` (as posted)', cite: 'MD-C2; P11' },
  'C3-buggy': { fn: 'ib_umem_lease_break', change: '`iommu_unmap(..., size)` gets iommu_sg_num_pages() (a page count) as size (as posted in V8c)', cite: 'MD-C3; V8c' },
  'C5-buggy': { fn: 'put_map_direct_vma', change: 'the lease\'s put_map_direct is done only by map_direct_invalidate (as posted)', cite: 'MD-C5; P04' },
  'C8-buggy': { fn: 'map_direct_invalidate', change: '`clear_bit(MAPDIRECT_VALID)` moved after `unmap_mapping_range`', cite: 'MD-C8; P04' },
  'C10-buggy': { fn: 'map_direct_lease', change: 'error path `kfree(ld)` -> `kfree(lds)` (as posted)', cite: 'MD-C10; P08' },
  'F1-buggy': { fn: 'xfs_file_mmap_validate', change: '`xfs_ilock(ip, XFS_IOLOCK_SHARED)` around map_direct_register removed (as posted)', cite: `${DOC} F1; P06` },
  'F4-buggy': { fn: 'map_direct_invalidate', change: '`vfs_setlease(vma->vm_file, F_UNLCK, ...)` outside `if (vma)` (as posted)', cite: `${DOC} F4; P04` },
  'F7-buggy': { fn: 'map_direct_register', change: '`i_mapdcount_inc(inode)` after vfs_setlease (as posted)', cite: `${DOC} F7; P04` },
  'F9-buggy': { fn: 'map_direct_invalidate', change: 'the wait for faults in flight between clear_bit(VALID) and unmap_mapping_range removed (as posted)', cite: `${DOC} F9; P04` },
  'R8-buggy': { fn: 'xfs_filemap_direct_lease', change: '`map_direct_lease(); is_map_direct_broken()` -> the two lines swapped', cite: 'MD-R8 [C]; P09' },
  'R9-buggy': { fn: 'put_map_direct_vma', change: '`mds->mds_vma = NULL; set_bit(BREAK); ... flush_delayed_work()` removed', cite: 'MD-R9; P04' },
  'S3-buggy': { fn: 'xfs_file_iomap_begin', change: '`if (i_mapdcount_read(inode)) return -ETXTBSY;` removed', cite: 'MD-S3; P03' },
  'K5-none': { fn: 'ib_umem_lease_break', change: 'the body (the revocation) removed', cite: 'MD-K5 none; P11' },
  'mutant:lm_break=noSigio': { fn: 'map_direct_lm_break', change: '`kill_fasync(&fl->fl_fasync, SIGIO, POLL_MSG);` removed', cite: 'P04 map_direct_lm_break' },
  'mutant:lm_break=noSchedule': { fn: 'map_direct_lm_break', change: '`schedule_delayed_work(&mds->mds_work, lease_break_time * HZ);` removed', cite: 'P04 map_direct_lm_break' },
  'mutant:invalidate=flushMmapSem': { fn: 'map_direct_invalidate', change: 'the F9 fault flush `xfs_ilock(ip, XFS_MMAPLOCK_EXCL); xfs_iunlock(...)` -> `down_write(&vma->vm_mm->mmap_sem); up_write(...)`', cite: `${DOC} F9 (fix); P04 map_direct_invalidate, put_map_direct_vma` },
  'mutant:is_map_direct_broken=testsValid': { fn: 'is_map_direct_broken', change: '`return test_bit(MAPDIRECT_BREAK, &mds->mds_state);` -> `test_bit(MAPDIRECT_VALID, ...)` (the body of is_map_direct_valid above it)', cite: 'P08 is_map_direct_broken' },
  'mutant:do_mmap=noValidateCheck': { fn: 'do_mmap', change: '`if (!file->f_op->mmap_validate) return -EOPNOTSUPP;` removed', cite: 'P01 do_mmap' },
};
for (const [name, mutant] of Object.entries(MUTANTS)) variants[name] = { ...variants[name]!, mutant };

/**
 * The locks the model represents (docs/semantics.md, "Atomicity"). XFS_MMAPLOCK is the inode's
 * rwsem word `mmaplock`; held across steps only by a CPU fault past xfs_vma_checks (A `faulting`,
 * P06 __xfs_filemap_fault) and by the faulting thread B (from xfs_ilock(MMAPLOCK_SHARED) to its
 * unlock). The breaker takes it exclusively inside its punch step only (xfs_free_file_space).
 */
const B_HOLDS_MMAPLOCK = ['locked', 'break_nowait', 'break_loop', 'retry', 'iomap_begin', 'alloc', 'cow'];
/** The ODP page fault holds MMAPLOCK_SHARED from its xfs_vma_checks to its dax_iomap_fault (blk still -1). */
const odpFaulting = (s: GlobalView) => { const f = s.context<{ fault: { blk: number } | null }>('odp').fault; return f !== null && f.blk < 0; };
/** A holds IOLOCK_SHARED from its xfs_ilock to its xfs_iunlock in xfs_file_mmap_validate (F1 fix only). */
const A_HOLDS_IOLOCK = ['inc_first', 'setlease', 'dec_failed', 'mmap_failed', 'fail_unlock', 'inc', 'iounlock'];
/** T holds IOLOCK_EXCL from xfs_file_fallocate's xfs_ilock to the xfs_iunlock before its wait, and again over the operation. */
const T_HOLDS_IOLOCK = ['sealed_check', 'nowait', 'nowait_lm_break', 'drop_iolock', 'error_unlock', 'operate'];
/** A page of f that had a block becomes a hole (a punch or truncate frees it). Device-dax has no XFS
 * inode lock: kill_dev_dax's teardown (P10, breaker kind kill_dev_dax) is not an IOLOCK subject. */
const freesBlock = (p: GlobalView, n: GlobalView) =>
  !(has(p, 'T') && p.context<{ kind: string }>('T').kind === 'kill_dev_dax') && ino(p).fmap.f!.some((b, i) => typeof b === 'number' && ino(n).fmap.f![i] === null);
export const locks = {
  IOLOCK: {
    doc: 'XFS_IOLOCK (xfs_inode i_rwsem): the breaker T holds it exclusive from xfs_file_fallocate through xfs_break_layouts (dropped around the wait) and over the punch or write; with the F1 fix xfs_file_mmap_validate holds it shared around map_direct_register. Protects: no page of f loses its block without it',
    cite: `P05 xfs_break_layouts; P06 xfs_file_fallocate; ${DOC} F1`,
    heldBy: (s: GlobalView, actor: string) =>
      (actor === 'A' && proc(s).setupIolock && A_HOLDS_IOLOCK.some((st) => s.matches('A', st))) || (actor === 'T' && has(s, 'T') && T_HOLDS_IOLOCK.some((st) => s.matches('T', st))),
    protects: freesBlock,
  },
  MMAPLOCK: {
    doc: 'XFS_MMAPLOCK (xfs_inode i_mmaplock, an rwsem): page faults take it shared, hole punch and truncate exclusive',
    cite: 'P06 __xfs_filemap_fault; xfs_file_fallocate; P06 xfs_file_mmap_validate',
    heldBy: (s: GlobalView, actor: string) =>
      (actor === 'A' && s.matches('A', 'faulting')) || (actor === 'B' && has(s, 'B') && B_HOLDS_MMAPLOCK.some((st) => s.matches('B', st))) ||
      (actor === 'umem' && s.matches('umem', { user: 'gup_fault' })) || (actor === 'odp' && has(s, 'odp') && odpFaulting(s)),
  },
};

export default defineSpec({
  name: 'map-direct',
  title: 'MAP_DIRECT leases, RDMA memory registration and IOMMU revocation (seed 002)',
  doc: 'See docs/models/map-direct.md',
  knobs: knobs as any,
  system,
  properties,
  presets,
  locks,
  variants,
  fairness,
  bounds: { maxStates: 200_000 },
});
