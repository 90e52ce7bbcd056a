/**
 * Issue 10 and 11 on the pgmap / GUP / DAX fsync / DAX fault specs, checked without the explorer:
 * every transition of their machines says why it is one step (meta.atomic with fn and cite), every
 * lock a transition names is one its spec declares, presets are complete postings, mutants change
 * a single mutant knob of their preset; and the locks the 2016 fault path now models (i_mmap_rwsem,
 * the per-entry truncate) stepped with XState. The explored-graph check is `daxcheck lint`.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateMachine } from 'xstate';
import type { Spec } from '../src/spec/types.js';
import { resolveKnobs, variantKnobs } from '../src/spec/validate.js';
import daxFsyncSpec from '../specs/dax-fsync.js';
import holesSpec from '../specs/dax-fault-holes.js';
import punchSpec from '../specs/dax-fault-punch.js';
import gupPgmapSpec from '../specs/gup-pgmap.js';
import folioSpec from '../specs/pgmap-folio-2022.js';
import structPageSpec from '../specs/pgmap-struct-page-2017.js';
import { pageTables } from '../machines/pgmap/page-tables.js';
import { daxFault } from '../machines/pgmap/dax-fault.js';

const SPECS: Spec[] = [daxFsyncSpec, holesSpec, punchSpec, gupPgmapSpec, folioSpec, structPageSpec];

interface Meta { fn?: string; cite?: string; atomic?: 'local' | { lock?: string; op?: string } }
/** Every event transition of a machine's config, with its state path and event. */
function transitions(machine: AnyStateMachine): { where: string; event: string; meta: Meta | undefined }[] {
  const out: { where: string; event: string; meta: Meta | undefined }[] = [];
  const walk = (node: any, path: string) => {
    for (const [ev, t] of Object.entries(node.on ?? {})) {
      for (const tr of Array.isArray(t) ? t : [t]) out.push({ where: `${machine.id}.${path} on ${ev}`, event: ev, meta: (tr as any)?.meta });
    }
    for (const [k, child] of Object.entries(node.states ?? {})) walk(child, path ? `${path}.${k}` : k);
  };
  walk(machine.config, '');
  return out;
}
function machinesOf(spec: Spec): Map<string, AnyStateMachine> {
  const ms = new Map<string, AnyStateMachine>();
  for (const v of Object.values(spec.variants)) {
    const k = resolveKnobs(spec, variantKnobs(spec, v));
    for (const a of Object.values(spec.system(k).actors)) ms.set(a.machine.id, a.machine);
  }
  return ms;
}
/** The events some variant of the spec can step (local or sync; wired-only events never arrive here). */
function steppedEvents(spec: Spec): Set<string> {
  const evs = new Set<string>();
  for (const v of Object.values(spec.variants)) {
    for (const [e, d] of Object.entries(spec.system(resolveKnobs(spec, variantKnobs(spec, v))).events)) if (!('wired' in d)) evs.add(e);
  }
  return evs;
}

describe('atomicity declared (issue 11 §2)', () => {
  for (const spec of SPECS) {
    it(`${spec.name}: every transition names its kernel function, its citation and why it is one step`, () => {
      const bad = [...machinesOf(spec).values()]
        .flatMap(transitions)
        .filter(({ meta }) => !meta?.fn || !meta.cite || !meta.atomic || (meta.atomic !== 'local' && !meta.atomic.lock && !meta.atomic.op))
        .map((t) => t.where);
      expect(bad).toEqual([]);
    });
    it(`${spec.name}: every lock a transition it steps names is declared in the spec's locks`, () => {
      const evs = steppedEvents(spec);
      const named = new Set(
        [...machinesOf(spec).values()]
          .flatMap(transitions)
          .filter((t) => evs.has(t.event))
          .flatMap(({ meta }) => (meta?.atomic && meta.atomic !== 'local' && meta.atomic.lock ? [meta.atomic.lock] : [])),
      );
      const locks = typeof spec.locks === 'function' ? spec.locks({}) : spec.locks ?? {};
      expect([...named].filter((l) => !locks[l])).toEqual([]);
    });
  }
});

describe('presets are postings, mutants change one line (issue 10)', () => {
  for (const spec of SPECS) {
    it(`${spec.name}: every variant starts from a preset; a mutant differs from its preset's line in its mutant knob only`, () => {
      expect(Object.keys(spec.presets ?? {}).length).toBeGreaterThan(0);
      for (const [name, v] of Object.entries(spec.variants)) {
        expect(v.preset, name).toBeDefined();
        if (!v.mutant) continue;
        const mutantKnobs = Object.entries(spec.knobs).filter(([, d]) => d.doc.startsWith('mutant knob')).map(([k]) => k);
        const changed = Object.keys(v.knobs).filter((k) => mutantKnobs.includes(k) && v.knobs[k] !== spec.presets![v.preset!].knobs[k] && v.knobs[k] !== spec.knobs[k].default);
        expect(changed.length, name).toBe(1);
        expect(v.mutant.fn.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('locks of the 2016 fault path, stepped with XState (issue 11 §1, §4)', () => {
  it('unmap_mapping_range (i_mmap_lock_write) waits while a fault holds i_mmap_rwsem for read', () => {
    const pt = createActor(pageTables, { input: { procs: ['A'], nPages: 2, pmdPages: 2 } }).start();
    const unmap = { type: 'unmap_mapping_range', start: 0, end: 1 } as const;
    expect(pt.getSnapshot().can(unmap)).toBe(true);
    pt.send({ type: 'i_mmap_lock_read' });
    expect(pt.getSnapshot().can(unmap)).toBe(false);
    pt.send({ type: 'i_mmap_unlock_read' });
    expect(pt.getSnapshot().can(unmap)).toBe(true);
  });
  it('__dax_pmd_fault (v7) drops i_mmap_rwsem around its unmap and truncate, truncates entry by entry, retakes it, and drops it at out', () => {
    const f = createActor(daxFault, {
      input: { proc: 'B', kind: 'fault', index: 0, write: true, pmd: true, pmdPages: 2, serialise: 'none', faultLock: true, pmdHoleFix: 'unmap+truncate', bdevDbg: 'unknown', holeBdev: false, pteSame: true },
    }).start();
    const steps: object[] = [
      { type: 'handle_mm_fault' }, { type: 'xfs_ilock', mode: 'SHARED' },
      { type: 'get_block', off: 0, create: false, res: 'mapped', blk: 0 }, { type: 'get_block', off: 1, create: false, res: 'mapped', blk: 1 },
      { type: 'i_mmap_lock_read' }, { type: 'i_mmap_unlock_read' }, { type: 'unmap_mapping_range', start: 0, end: 1 },
      { type: 'truncate_inode_pages_range', start: 0, end: 1, index: 1 }, { type: 'truncate_inode_pages_range', start: 0, end: 1, index: 0 },
      { type: 'i_mmap_lock_read' }, { type: 'dax_radix_entry', index: 0, block: 0, pmd: true, dirty: true },
      { type: 'vmf_insert_pfn_pmd', proc: 'B', index: 0, block: 0, write: true }, { type: 'i_mmap_unlock_read' }, { type: 'xfs_iunlock', mode: 'SHARED' },
    ];
    const held: boolean[] = [];
    for (const e of steps) {
      expect(f.getSnapshot().can(e as any), JSON.stringify(e)).toBe(true);
      f.send(e as any);
      held.push(f.getSnapshot().context.immap);
    }
    expect(f.getSnapshot().value).toBe('done');
    // held from the first i_mmap_lock_read (step 5) to the unlock before the unmap, and again from the relock to out
    expect(held).toEqual([false, false, false, false, true, false, false, false, false, true, true, true, false, false]);
  });
});
