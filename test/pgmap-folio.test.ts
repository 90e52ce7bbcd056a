/**
 * Two-sided tests of the 2022 folio spec (seed 003: S3-R1, S3-R2, S3-R3, INV-5/6/7/10, idle
 * refcount, finding F5) and of the 2017 struct-page spec (seed 000: S0-R1, mount refusal,
 * FS_DAX_LIMITED): verdicts and key steps per variant, buggy/fixed pairs, state counts against the
 * reference enumerator, and the new machines stepped with XState.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import folioSpec from '../specs/pgmap-folio-2022.js';
import structPageSpec from '../specs/pgmap-struct-page-2017.js';
import { daxSrcu } from '../machines/pgmap/dax-srcu.js';
import { daxEntry } from '../machines/pgmap/dax-entry.js';
import { folioRequester } from '../machines/pgmap/folio-requester.js';
import { zoneDevicePages } from '../machines/pgmap/zone-device-pages.js';
import { gupUser } from '../machines/pgmap/gup-user.js';
import { devPagemap } from '../machines/pgmap/dev-pagemap.js';
import { agreesWithOracle, run, twoSided, variantsReproduce, verdict } from './spec-helpers.js';

describe('pgmap-folio-2022: every variant', () => variantsReproduce(folioSpec));
describe('pgmap-struct-page-2017: every variant', () => variantsReproduce(structPageSpec));

describe('scenario / property / buggy knob / fixed knob', () => {
  const pairs: [typeof folioSpec, string, string, string, string][] = [
    [folioSpec, 'S3-R1 no-dying lock', 'INV-6-NO-HANDOUT-WHEN-DYING', 'v3:noDyingLock=not-held', 'v3'],
    [folioSpec, 'S3-R1 (JG pointer proof)', 'INV-7-FOLIO-PTR-PROOF', 'v3:noDyingLock=not-held', 'v3'],
    [folioSpec, 'S3-R2 racing requests', 'INV-3-REF-BALANCE', 'v3:racing=allowed', 'v3'],
    [folioSpec, 'S3-R2 racing releases', 'INV-4-NONNEG', 'v3:racing=allowed', 'v3'],
    [folioSpec, 'S3-R3 busy folio', 'INV-5-FREE-AT-ZERO', 'v3:truncWaits=false', 'v3'],
    [folioSpec, 'INV-10 truncate vs pin', 'INV-10-DMA-VS-TRUNCATE', 'v3:truncWaits=false', 'v3'],
    [folioSpec, 'idle refcount 1 vs 0', 'INV-5-FREE-AT-ZERO', 'v3:idleRef=1', 'v3'],
    [folioSpec, 'idle refcount 1 vs 0', 'INV-1-PIN-KEEPS-PGMAP', 'v3:idleRef=1', 'v3'],
    [folioSpec, 'finding F5', 'INV-4-NONNEG', 'v3-gupfast', 'v3+F5-gupfast'],
    [folioSpec, 'mutant memunmap_pages percpu_ref_kill', 'INV-18-UNBIND-LIVENESS', 'v3:refKill=false', 'v3'],
    [folioSpec, 'two pgmaps: a span crossing pgmaps', 'INV-3-REF-BALANCE', 'v3-two-pgmaps:spanLookup=first-pfn', 'v3-two-pgmaps'],
    [structPageSpec, 'S0-R1', 'INV-8-GUP-NOPAGE-FAILS', 'pre-2017-brd', '2017-brd'],
    [structPageSpec, 'S0-R1 with FS_DAX_LIMITED', 'INV-8-GUP-NOPAGE-FAILS', 'pre-2017-brd', 'limited-dcssblk'],
  ];
  twoSided(pairs);
  it('the 2017 patch refuses the page-less device at mount, accepts pmem, refuses dcssblk until FS_DAX_LIMITED', async () => {
    expect(await verdict(structPageSpec, '2017-brd', 'MOUNT-REFUSED')).toBe('reached');
    expect(await verdict(structPageSpec, '2017-pmem', 'GUP-OK')).toBe('reached');
    expect(await verdict(structPageSpec, '2017-dcssblk', 'MOUNT-REFUSED')).toBe('reached');
    expect(await verdict(structPageSpec, 'limited-dcssblk', 'MOUNT-REFUSED')).toBe('unreached');
  });
  it('two pgmaps: without INV-3 (which masks it) the crossing span lets the folio\'s own pgmap die while the folio is busy', async () => {
    const { checkSpec } = await import('../src/check.js');
    const { defineSpec } = await import('../src/spec/types.js');
    const vs = ['v3-two-pgmaps:spanLookup=first-pfn', 'v3-two-pgmaps'];
    const cite = 'test: INV-3 removed to unmask INV-1';
    const unmasked = defineSpec({
      ...folioSpec,
      properties: folioSpec.properties.filter((p) => p.name !== 'INV-3-REF-BALANCE'),
      variants: Object.fromEntries(vs.map((v) => [v, { knobs: folioSpec.variants[v].knobs, expect: { '*': { verdict: 'holds' as const, cite } } }])),
    });
    const bad = await checkSpec(unmasked, { variant: 'v3-two-pgmaps:spanLookup=first-pfn' });
    expect(bad.properties['INV-1-PIN-KEEPS-PGMAP'].verdict).toBe('violated');
    const steps = bad.properties['INV-1-PIN-KEEPS-PGMAP'].trace!.steps.map((x) => `${x.actors.join('+')}:${x.event.type}`);
    // the request's tryget goes to the other pgmap; the kill of the folio's own pgmap is the last step
    expect(steps).toContain('req1+pgmap0:percpu_ref_tryget');
    expect(steps[steps.length - 1]).toBe('driver+pgmap:percpu_ref_kill');
    expect((await checkSpec(unmasked, { variant: 'v3-two-pgmaps' })).properties['INV-1-PIN-KEEPS-PGMAP'].verdict).toBe('holds');
  });
  it('2022 unbind completes once no folio is busy (liveness under the declared fairness)', async () => {
    for (const v of ['v3', 'v3+F5-gupfast']) expect(await verdict(folioSpec, v, 'INV-18-UNBIND-LIVENESS')).toBe('holds');
  });
});

describe('state counts agree with the reference enumerator', () => {
  const cases: [typeof folioSpec, string][] = [
    [folioSpec, 'v3:noDyingLock=not-held'],
    [folioSpec, 'v3:idleRef=1'],
    [folioSpec, 'v3-two-pgmaps'],
    [folioSpec, 'v3-two-pgmaps:spanLookup=first-pfn'],
    ...Object.keys(structPageSpec.variants).map((v) => [structPageSpec, v] as [typeof folioSpec, string]),
  ];
  agreesWithOracle(cases);
});

describe('machines, stepped with XState directly', () => {
  it('dax srcu: kill_dax makes new sections see !alive; synchronize_srcu waits for open sections', () => {
    const d = createActor(daxSrcu).start();
    d.send({ type: 'dax_read_lock', thread: 'r', alive: true });
    d.send({ type: 'kill_dax' });
    expect(d.getSnapshot().can({ type: 'synchronize_srcu' })).toBe(false);
    expect(d.getSnapshot().can({ type: 'dax_read_lock', thread: 's', alive: true })).toBe(false);
    d.send({ type: 'dax_read_unlock', thread: 'r' });
    expect(d.getSnapshot().can({ type: 'synchronize_srcu' })).toBe(true);
  });
  it('dax entry lock: taken once, reports the association', () => {
    const e = createActor(daxEntry, { input: {} }).start();
    e.send({ type: 'dax_lock_entry', associated: false });
    expect(e.getSnapshot().can({ type: 'dax_lock_entry', associated: false })).toBe(false);
    e.send({ type: 'dax_insert_entry' });
    e.send({ type: 'dax_unlock_entry' });
    expect(e.getSnapshot().can({ type: 'dax_lock_entry', associated: true })).toBe(true);
  });
  it('pgmap_request_folios: is_dying, inc, count == 1, tryget (result ignored), insert', () => {
    const r = createActor(folioRequester, { input: { id: 'req1', pfn: 0, daxLock: true, entryLock: true } }).start();
    for (const e of [
      { type: 'dax_iomap_fault' }, { type: 'dax_read_lock', thread: 'req1', alive: true }, { type: 'dax_lock_entry', associated: false },
      { type: 'percpu_ref_is_dying', dying: false }, { type: 'folio_ref_inc', pfn: 0 }, { type: 'folio_ref_count', pfn: 0, count: 1 },
      { type: 'percpu_ref_tryget', ok: false }, { type: 'dax_insert_entry' }, { type: 'dax_unlock_entry' }, { type: 'dax_read_unlock', thread: 'req1' },
    ]) {
      expect(r.getSnapshot().can(e), e.type).toBe(true);
      r.send(e);
    }
    expect(r.getSnapshot().value).toBe('mapped');
    expect(r.getSnapshot().context).toMatchObject({ owns: true, daxLocked: false, window: false });
  });
  it('the v3 release is put then test; the F5 fix is one atomic put', () => {
    const v3 = createActor(folioRequester, { input: { id: 'r', pfn: 0, daxLock: false, entryLock: false } }).start();
    for (const e of [{ type: 'dax_iomap_fault' }, { type: 'dax_entry_lookup', associated: false }, { type: 'percpu_ref_is_dying', dying: false }, { type: 'folio_ref_inc', pfn: 0 }, { type: 'folio_ref_count', pfn: 0, count: 2 }, { type: 'dax_insert_entry' }, { type: 'munmap' }]) v3.send(e);
    expect(v3.getSnapshot().can({ type: 'folio_ref_dec', pfn: 0 })).toBe(true);
    expect(v3.getSnapshot().can({ type: 'put_page', pfn: 0, zero: true })).toBe(false);
    const fix = createActor(folioRequester, { input: { id: 'r', pfn: 0, daxLock: false, entryLock: false, releaseAtomic: true } }).start();
    for (const e of [{ type: 'dax_iomap_fault' }, { type: 'dax_entry_lookup', associated: false }, { type: 'percpu_ref_is_dying', dying: false }, { type: 'folio_ref_inc', pfn: 0 }, { type: 'folio_ref_count', pfn: 0, count: 2 }, { type: 'dax_insert_entry' }, { type: 'munmap' }]) fix.send(e);
    expect(fix.getSnapshot().can({ type: 'folio_ref_dec', pfn: 0 })).toBe(false);
    expect(fix.getSnapshot().can({ type: 'put_page', pfn: 0, zero: true })).toBe(true);
  });
  it('dev_pagemap with a name takes only the pgmap steps addressed to it (several pgmaps, PG §5.4)', () => {
    const a = createActor(devPagemap, { input: { refMode: 'on-zero', name: 'pgmap0' } }).start();
    expect(a.getSnapshot().can({ type: 'percpu_ref_tryget', ok: true, pgmap: 'pgmap' } as never)).toBe(false);
    expect(a.getSnapshot().can({ type: 'percpu_ref_tryget', ok: true, pgmap: 'pgmap0' } as never)).toBe(true);
    // without the field (one pgmap), any pgmap takes it
    a.send({ type: 'percpu_ref_tryget', ok: true });
    expect(a.getSnapshot().context.count).toBe(2);
  });
  it('a requester sends its pgmap steps to the pgmap its caller passed', () => {
    const r = createActor(folioRequester, { input: { id: 'req1', pfn: 0, daxLock: false, entryLock: false, pgmap: 'pgmap0' } }).start();
    r.send({ type: 'dax_iomap_fault' });
    r.send({ type: 'dax_entry_lookup', associated: false });
    expect(r.getSnapshot().can({ type: 'percpu_ref_is_dying', dying: false, pgmap: 'pgmap' })).toBe(false);
    expect(r.getSnapshot().can({ type: 'percpu_ref_is_dying', dying: false, pgmap: 'pgmap0' })).toBe(true);
  });
  it('folio refcounts: dec below zero is a refcount bug; dax_page_idle only at the idle count', () => {
    const p = createActor(zoneDevicePages, { input: { nPages: 1, idleRef: 0, initialRef: [1] } }).start();
    expect(p.getSnapshot().can({ type: 'dax_page_idle', pfn: 0 })).toBe(false);
    p.send({ type: 'folio_ref_dec', pfn: 0 });
    expect(p.getSnapshot().can({ type: 'dax_page_idle', pfn: 0 })).toBe(true);
    p.send({ type: 'folio_ref_dec', pfn: 0 });
    expect(p.getSnapshot().hasTag('violation:INV-4-NONNEG')).toBe(true);
  });
  it('__bdev_dax_supported: the 2017 check refuses a device without devmap pfns', () => {
    const base = { nPages: 2, gupPgmap: true, rollback: true, irqOff: true, coarse: false } as const;
    const none2017 = createActor(gupUser, { input: { ...base, memKind: 'none', mountCheck: 'devmap' } }).start();
    expect(none2017.getSnapshot().can({ type: '__bdev_dax_supported', ok: true })).toBe(false);
    none2017.send({ type: '__bdev_dax_supported', ok: false });
    expect(none2017.getSnapshot().value).toBe('mount_refused');
    const limited = createActor(gupUser, { input: { ...base, memKind: 'special', mountCheck: 'devmap-or-special' } }).start();
    expect(limited.getSnapshot().can({ type: '__bdev_dax_supported', ok: true })).toBe(true);
  });
});

describe('the fairness assumptions carry the liveness verdicts (two-sided)', () => {
  it('without fairness, unbind may stall for ever in the 2022 preset; with the declared fairness it completes', async () => {
    const { checkSpec } = await import('../src/check.js');
    const { defineSpec } = await import('../src/spec/types.js');
    const unfair = defineSpec({ ...folioSpec, fairness: [] });
    const r = await checkSpec(unfair, { variant: 'v3' });
    expect(r.properties['INV-18-UNBIND-LIVENESS'].verdict).toBe('violated');
    expect(await verdict(folioSpec, 'v3', 'INV-18-UNBIND-LIVENESS')).toBe('holds');
  });
});
